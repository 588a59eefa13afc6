// Browser side of the attempt engine: every answer gets a per-slot seq, is kept in localStorage
// until the server acknowledges it (after commit), and is replayed after a reconnect or reload.
import type { Response } from '../questions/types';

export type SaveState =
	| { kind: 'idle' }
	| { kind: 'saving'; pending: number }
	| { kind: 'saved'; at: Date }
	| { kind: 'offline'; pending: number }
	/** The server refused for good (submitted elsewhere, time over): stop sending. */
	| { kind: 'closed'; message: string };

export interface ClockUpdate {
	serverNow: Date;
	/** When the request was sent (local ms): the reply describes the middle of the round trip. */
	sentAt: number;
	deadlineAt: Date | null;
	paused: boolean;
}

interface Pending {
	seq: number;
	response: Response;
}

export interface SaverOptions {
	attemptId: string;
	/** The seq of each slot's answer on the server when the page was rendered. */
	serverSeqs: Record<number, number>;
	endpoint: string;
	onState: (state: SaveState) => void;
	onClock?: (clock: ClockUpdate) => void;
	storage?: Storage;
	fetcher?: typeof fetch;
}

export class AttemptSaver {
	private readonly key: string;
	private pending: Record<number, Pending>;
	private readonly seqs: Record<number, number>;
	/** The last answer queued per slot: an unchanged answer (a blur after typing) is not sent again. */
	private readonly latest: Record<number, string> = {};
	private sending = false;
	private retryTimer: ReturnType<typeof setTimeout> | null = null;
	private retryDelay = 1000;
	private closed = false;
	private waiters: Array<(ok: boolean) => void> = [];

	constructor(private readonly options: SaverOptions) {
		this.key = `hocthi:attempt:${options.attemptId}`;
		this.pending = this.load();
		this.seqs = { ...options.serverSeqs };
		for (const [slot, p] of Object.entries(this.pending)) {
			const s = Number(slot);
			// What the server already has is done; what it lacks is replayed.
			if (p.seq <= (this.seqs[s] ?? 0)) delete this.pending[s];
			else {
				this.seqs[s] = Math.max(this.seqs[s] ?? 0, p.seq);
				this.latest[s] = JSON.stringify(p.response);
			}
		}
		this.persist();
	}

	private get storage(): Storage | null {
		try {
			return this.options.storage ?? globalThis.localStorage ?? null;
		} catch {
			return null;
		}
	}

	private load(): Record<number, Pending> {
		try {
			const raw = this.storage?.getItem(this.key);
			return raw ? (JSON.parse(raw) as Record<number, Pending>) : {};
		} catch {
			return {};
		}
	}

	private persist(): void {
		try {
			if (Object.keys(this.pending).length)
				this.storage?.setItem(this.key, JSON.stringify(this.pending));
			else this.storage?.removeItem(this.key);
		} catch {
			// Storage full or blocked: the in-memory queue still retries.
		}
	}

	/** Answers not yet acknowledged: the page shows these instead of the server's older ones. */
	unacknowledged(): Record<number, Response> {
		return Object.fromEntries(Object.entries(this.pending).map(([slot, p]) => [slot, p.response]));
	}

	get pendingCount(): number {
		return Object.keys(this.pending).length;
	}

	save(slot: number, response: Response): void {
		if (this.closed) return;
		const json = JSON.stringify(response);
		if (this.latest[slot] === json) return;
		this.latest[slot] = json;
		const seq = (this.seqs[slot] ?? 0) + 1;
		this.seqs[slot] = seq;
		this.pending[slot] = { seq, response };
		this.persist();
		void this.flush();
	}

	/** Sends what is pending, one slot at a time; on failure waits and tries again. */
	async flush(): Promise<void> {
		if (this.sending || this.closed) return;
		this.sending = true;
		try {
			while (!this.closed) {
				const next = Object.entries(this.pending)[0];
				if (!next) break;
				const slot = Number(next[0]);
				const { seq, response } = next[1];
				this.options.onState({ kind: 'saving', pending: this.pendingCount });
				let res: globalThis.Response;
				const sentAt = Date.now();
				try {
					res = await (this.options.fetcher ?? fetch)(this.options.endpoint, {
						method: 'POST',
						headers: { 'content-type': 'application/json', accept: 'application/json' },
						body: JSON.stringify({ slot, seq, response }),
						credentials: 'same-origin'
					});
				} catch {
					this.scheduleRetry();
					return;
				}
				const body = (await res.json().catch(() => null)) as {
					seq?: number;
					serverNow?: string;
					deadlineAt?: string | null;
					paused?: boolean;
					message?: string;
				} | null;
				if (res.ok && body && typeof body.seq === 'number') {
					if ((this.pending[slot]?.seq ?? 0) <= body.seq) delete this.pending[slot];
					this.persist();
					this.retryDelay = 1000;
					if (body.serverNow)
						this.options.onClock?.({
							serverNow: new Date(body.serverNow),
							sentAt,
							deadlineAt: body.deadlineAt ? new Date(body.deadlineAt) : null,
							paused: !!body.paused
						});
					if (!this.pendingCount) this.options.onState({ kind: 'saved', at: new Date() });
					continue;
				}
				if (res.status === 409 || res.status === 404) {
					// Submitted, time over, or no longer ours: the answers stay in storage for the record.
					this.closed = true;
					this.options.onState({ kind: 'closed', message: body?.message ?? '' });
					break;
				}
				this.scheduleRetry();
				return;
			}
		} finally {
			this.sending = false;
		}
		this.settle();
	}

	private scheduleRetry(): void {
		this.options.onState({ kind: 'offline', pending: this.pendingCount });
		if (this.retryTimer) return;
		this.retryTimer = setTimeout(() => {
			this.retryTimer = null;
			void this.flush();
		}, this.retryDelay);
		this.retryDelay = Math.min(this.retryDelay * 2, 15_000);
		this.settle();
	}

	/** Call when the browser says it is online again: try at once. */
	reconnect(): void {
		if (this.retryTimer) clearTimeout(this.retryTimer);
		this.retryTimer = null;
		this.retryDelay = 1000;
		void this.flush();
	}

	/** Resolves true once everything is acknowledged, false if it cannot be now (offline or closed). */
	drain(): Promise<boolean> {
		if (!this.pendingCount) return Promise.resolve(true);
		return new Promise((resolve) => {
			this.waiters.push(resolve);
			void this.flush();
		});
	}

	private settle(): void {
		if (this.sending) return;
		const ok = this.pendingCount === 0;
		if (ok || this.retryTimer || this.closed) {
			const waiters = this.waiters;
			this.waiters = [];
			for (const w of waiters) w(ok);
		}
	}

	/** After a successful submit the local copy is no longer needed. */
	clear(): void {
		this.pending = {};
		this.persist();
	}
}
