// A per-address limit on certificate look-ups at /verify: enough for people checking papers, too
// little to walk the code space. Kept in memory per process; codes are unguessable anyway.
export const VERIFY_LIMIT = 60;
export const VERIFY_WINDOW_MS = 10 * 60_000;

export class LookupLimiter {
	private readonly windows = new Map<string, { startedAt: number; count: number }>();

	constructor(
		private readonly limit = VERIFY_LIMIT,
		private readonly windowMs = VERIFY_WINDOW_MS
	) {}

	/** Counts a look-up from `key`; false when it is over the limit for the current window. */
	allow(key: string, now: Date): boolean {
		const t = now.getTime();
		const current = this.windows.get(key);
		if (!current || t - current.startedAt >= this.windowMs) {
			if (this.windows.size > 10_000) this.forgetExpired(t);
			this.windows.set(key, { startedAt: t, count: 1 });
			return true;
		}
		current.count++;
		return current.count <= this.limit;
	}

	private forgetExpired(t: number): void {
		for (const [key, w] of this.windows)
			if (t - w.startedAt >= this.windowMs) this.windows.delete(key);
	}
}

/** The process-wide limiter the verify page uses. */
export const verifyLimiter = new LookupLimiter();
