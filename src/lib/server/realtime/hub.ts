// The listening side of live boards: ONE LISTEN per app process on the board channel, fanned out
// to Server-Sent-Event streams. A board is computed once per change (coalesced: a storm of
// submits at a round's end makes one computation, not one per submit), cached, and the same
// text is written to every viewer; viewers never cause a computation of their own.
import type { Database } from '../db/client';
import { BOARD_CHANNEL } from './notify';

export interface BoardKey {
	competitionId: number;
	variant: 'public' | 'live';
	round: number | null;
}

export interface Computed {
	/** The board as JSON text, null when the competition no longer exists. */
	json: string | null;
	/** Viewers who are not organisers lose the public variant when this turns false. */
	boardPublic: boolean;
	/** Recompute at this moment even without a change (a freeze starts or ends). */
	nextChange: Date | null;
}

export interface Viewer {
	/** Organisers keep their stream when the board is unpublished. */
	privileged: boolean;
	write(chunk: string): void;
	/** Ends the stream (server shutdown, board unpublished, competition deleted). */
	end(): void;
}

export interface HubOptions {
	database: Pick<Database, 'listen'>;
	compute: (key: BoardKey, now: Date) => Promise<Computed>;
	clock?: () => Date;
	/** Changes arriving within this window make one computation. */
	coalesceMs?: number;
	/** A comment line every so often keeps proxies and browsers from dropping idle streams. */
	heartbeatMs?: number;
	onError?: (error: unknown) => void;
}

interface Channel {
	key: BoardKey;
	viewers: Set<Viewer>;
	/** The latest computation, or the one under way. */
	current: Promise<Computed> | null;
	version: number;
	/** A change arrived; a computation is scheduled or will follow the running one. */
	dirty: boolean;
	running: boolean;
	timer: ReturnType<typeof setTimeout> | null;
	clockTimer: ReturnType<typeof setTimeout> | null;
	validUntil: number;
}

const keyOf = (k: BoardKey) => `${k.competitionId}:${k.variant}:${k.round ?? ''}`;

/** One SSE message. Data lines may not contain a newline; JSON.stringify output has none. */
export function sseEvent(event: string, data: string, id?: number): string {
	return `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${data}\n\n`;
}

export class BoardHub {
	private readonly channels = new Map<string, Channel>();
	private readonly clock: () => Date;
	private readonly coalesceMs: number;
	private unlisten: (() => Promise<void>) | null = null;
	private heartbeat: ReturnType<typeof setInterval> | null = null;
	private closed = false;
	private idle: Array<() => void> = [];
	/** How many boards were computed (for tests and the log). */
	computations = 0;

	constructor(private readonly options: HubOptions) {
		this.clock = options.clock ?? (() => new Date());
		this.coalesceMs = options.coalesceMs ?? 300;
	}

	async start(): Promise<void> {
		this.unlisten = await this.options.database.listen(BOARD_CHANNEL, (payload) =>
			this.changed(Number(payload))
		);
		const every = this.options.heartbeatMs ?? 20_000;
		this.heartbeat = setInterval(() => this.beat(), every);
		this.heartbeat.unref?.();
	}

	/** The board's JSON for a page load: the cached computation, or one shared by all who ask now. */
	async snapshot(key: BoardKey): Promise<Computed> {
		const channel = this.channel(key);
		if (!channel.current || this.clock().getTime() >= channel.validUntil) this.compute(channel);
		const result = await channel.current!;
		this.dropIfUnused(channel);
		return result;
	}

	/** Adds a viewer; it gets the current board at once, then every change. Returns the unsubscribe. */
	subscribe(key: BoardKey, viewer: Viewer): () => void {
		if (this.closed) {
			viewer.end();
			return () => {};
		}
		const channel = this.channel(key);
		channel.viewers.add(viewer);
		viewer.write('retry: 5000\n\n');
		if (!channel.current || this.clock().getTime() >= channel.validUntil) this.compute(channel);
		channel
			.current!.then((result) => {
				if (!channel.viewers.has(viewer)) return;
				if (!result.json || (!result.boardPublic && !viewer.privileged)) return this.drop(viewer);
				viewer.write(sseEvent('board', result.json, channel.version));
			})
			.catch((error) => this.options.onError?.(error));
		return () => this.remove(channel, viewer);
	}

	/** Viewers currently connected (all boards). */
	get viewerCount(): number {
		let n = 0;
		for (const c of this.channels.values()) n += c.viewers.size;
		return n;
	}

	/** Resolves once no computation is scheduled or running (tests await this instead of sleeping). */
	settled(): Promise<void> {
		if (this.isIdle()) return Promise.resolve();
		return new Promise((resolve) => this.idle.push(resolve));
	}

	/** Ends every stream and stops listening (server shutdown). */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		if (this.heartbeat) clearInterval(this.heartbeat);
		for (const channel of this.channels.values()) {
			if (channel.timer) clearTimeout(channel.timer);
			if (channel.clockTimer) clearTimeout(channel.clockTimer);
			for (const viewer of channel.viewers) viewer.end();
			channel.viewers.clear();
		}
		this.channels.clear();
		this.notifyIdle();
		const unlisten = this.unlisten;
		this.unlisten = null;
		await unlisten?.().catch(() => {});
	}

	// -------------------------------------------------------------------------------------------

	private channel(key: BoardKey): Channel {
		const k = keyOf(key);
		let channel = this.channels.get(k);
		if (!channel) {
			channel = {
				key,
				viewers: new Set(),
				current: null,
				version: 0,
				dirty: false,
				running: false,
				timer: null,
				clockTimer: null,
				validUntil: Number.POSITIVE_INFINITY
			};
			this.channels.set(k, channel);
		}
		return channel;
	}

	/** A NOTIFY arrived: every board of that competition is stale. */
	private changed(competitionId: number): void {
		if (this.closed || !Number.isSafeInteger(competitionId)) return;
		for (const channel of this.channels.values()) {
			if (channel.key.competitionId !== competitionId) continue;
			if (channel.viewers.size === 0) {
				// Nobody watches: forget the cache; the next page load computes afresh.
				if (channel.running) channel.dirty = true;
				else {
					channel.current = null;
					this.dropIfUnused(channel);
				}
				continue;
			}
			this.schedule(channel);
		}
	}

	private schedule(channel: Channel): void {
		channel.dirty = true;
		if (channel.timer || channel.running) return;
		channel.timer = setTimeout(() => {
			channel.timer = null;
			this.recompute(channel);
		}, this.coalesceMs);
	}

	private compute(channel: Channel): Promise<Computed> {
		channel.running = true;
		channel.dirty = false;
		this.computations++;
		const started = this.clock();
		const work = this.options.compute(channel.key, started);
		channel.current = work;
		channel.version++;
		channel.validUntil = Number.POSITIVE_INFINITY;
		work
			.then((result) => {
				channel.validUntil = result.nextChange?.getTime() ?? Number.POSITIVE_INFINITY;
				this.armClock(channel, result.nextChange);
			})
			.catch((error) => {
				// A failed computation is not cached: the next viewer or change tries again.
				if (channel.current === work) channel.current = null;
				this.options.onError?.(error);
			})
			.finally(() => {
				channel.running = false;
				if (channel.dirty && !this.closed) {
					if (channel.viewers.size > 0) this.schedule(channel);
					else {
						channel.current = null;
						channel.dirty = false;
					}
				}
				this.dropIfUnused(channel);
				if (this.isIdle()) this.notifyIdle();
			});
		return work;
	}

	private recompute(channel: Channel): void {
		if (this.closed) return;
		const work = this.compute(channel);
		const version = channel.version;
		work
			.then((result) => {
				for (const viewer of [...channel.viewers]) {
					if (!result.json || (!result.boardPublic && !viewer.privileged)) {
						this.drop(viewer);
						continue;
					}
					viewer.write(sseEvent('board', result.json, version));
				}
			})
			.catch(() => {});
	}

	/** Boards change by the clock too (a freeze starts): recompute then, for those watching. */
	private armClock(channel: Channel, at: Date | null): void {
		if (channel.clockTimer) clearTimeout(channel.clockTimer);
		channel.clockTimer = null;
		if (!at || this.closed) return;
		// setTimeout holds 2^31-1 ms at most; a later moment is re-armed on the way.
		const delay = Math.min(Math.max(0, at.getTime() - this.clock().getTime()), 2 ** 31 - 1);
		channel.clockTimer = setTimeout(() => {
			channel.clockTimer = null;
			if (channel.viewers.size > 0) this.schedule(channel);
			else channel.validUntil = 0;
		}, delay);
		channel.clockTimer.unref?.();
	}

	private beat(): void {
		for (const channel of this.channels.values())
			for (const viewer of channel.viewers) viewer.write(': ping\n\n');
	}

	private drop(viewer: Viewer): void {
		for (const channel of this.channels.values()) {
			if (channel.viewers.delete(viewer)) {
				viewer.write(sseEvent('closed', '{}'));
				viewer.end();
				this.dropIfUnused(channel);
			}
		}
	}

	private remove(channel: Channel, viewer: Viewer): void {
		channel.viewers.delete(viewer);
		this.dropIfUnused(channel);
	}

	/** A channel nobody watches keeps its cache (for page loads) but no timers. */
	private dropIfUnused(channel: Channel): void {
		if (channel.viewers.size > 0) return;
		if (channel.timer) {
			clearTimeout(channel.timer);
			channel.timer = null;
			channel.current = null;
			channel.dirty = false;
		}
		if (channel.clockTimer) {
			clearTimeout(channel.clockTimer);
			channel.clockTimer = null;
		}
		if (!channel.current && !channel.running) this.channels.delete(keyOf(channel.key));
		if (this.isIdle()) this.notifyIdle();
	}

	private isIdle(): boolean {
		for (const c of this.channels.values()) if (c.running || c.timer) return false;
		return true;
	}

	private notifyIdle(): void {
		const waiting = this.idle;
		this.idle = [];
		for (const resolve of waiting) resolve();
	}
}
