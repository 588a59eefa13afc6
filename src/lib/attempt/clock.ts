// The server's clock as the browser keeps it: an offset from the local clock, set from the
// server's replies. Nothing counts down; the remaining time is recomputed from the deadline at
// every look, so a background tab whose timers were slowed shows the right time when seen again.

export class ServerClock {
	private offset = 0;

	constructor(private readonly localNow: () => number = () => Date.now()) {}

	/**
	 * The server said `serverNow`. When the request's send time is known, the reply is taken to
	 * describe the middle of the round trip (half the latency each way).
	 */
	sync(serverNow: Date | string, sentAt?: number): void {
		const received = this.localNow();
		const local = sentAt === undefined ? received : (sentAt + received) / 2;
		this.offset = new Date(serverNow).getTime() - local;
	}

	/** The server's time now, in ms. */
	now(): number {
		return this.localNow() + this.offset;
	}

	/** Time left until the deadline (never below 0), or null without a deadline. */
	remaining(deadline: Date | string | number | null): number | null {
		if (deadline === null) return null;
		return Math.max(0, new Date(deadline).getTime() - this.now());
	}
}
