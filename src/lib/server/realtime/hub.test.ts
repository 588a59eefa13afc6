// The hub's own rules, with a stand-in for the database's LISTEN and fake timers (the real
// LISTEN/NOTIFY is exercised in tests/integration/board.test.ts).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BoardHub, sseEvent, type BoardKey, type Computed, type Viewer } from './hub';
import { BOARD_CHANNEL } from './notify';

function channelSource() {
	const listeners = new Map<string, (payload: string) => void>();
	let unlistened = 0;
	return {
		database: {
			async listen(channel: string, onPayload: (payload: string) => void) {
				listeners.set(channel, onPayload);
				return async () => {
					unlistened++;
					listeners.delete(channel);
				};
			}
		},
		notify: (payload: string) => listeners.get(BOARD_CHANNEL)?.(payload),
		get listening() {
			return listeners.has(BOARD_CHANNEL);
		},
		get unlistened() {
			return unlistened;
		}
	};
}

function viewer(privileged = false) {
	const chunks: string[] = [];
	const state = { ended: false };
	const v: Viewer = {
		privileged,
		write: (chunk) => chunks.push(chunk),
		end: () => (state.ended = true)
	};
	return {
		v,
		chunks,
		boards: () => chunks.filter((c) => c.includes('event: board')),
		get ended() {
			return state.ended;
		}
	};
}

const key: BoardKey = { competitionId: 7, variant: 'public', round: null };
let now = new Date('2012-09-20T02:00:00Z');

function setup(overrides: Partial<Computed> = {}) {
	const source = channelSource();
	let n = 0;
	const computed: Array<{ key: BoardKey; at: Date }> = [];
	const state = { boardPublic: true, ...overrides };
	const hub = new BoardHub({
		database: source.database,
		clock: () => now,
		coalesceMs: 300,
		heartbeatMs: 20_000,
		compute: async (k, at) => {
			computed.push({ key: k, at });
			n++;
			return {
				json: JSON.stringify({ n, competitionId: k.competitionId }),
				boardPublic: state.boardPublic,
				nextChange: state.nextChange ?? null
			};
		}
	});
	return { hub, source, computed, state };
}

beforeEach(() => {
	vi.useFakeTimers();
	now = new Date('2012-09-20T02:00:00Z');
});
afterEach(() => {
	vi.useRealTimers();
});

describe('board hub', () => {
	it('listens once, and computes a board once for any number of viewers', async () => {
		const { hub, source, computed } = setup();
		await hub.start();
		expect(source.listening).toBe(true);
		const viewers = Array.from({ length: 50 }, () => viewer());
		for (const x of viewers) hub.subscribe(key, x.v);
		await vi.runOnlyPendingTimersAsync();
		expect(computed).toHaveLength(1);
		expect(viewers.every((x) => x.boards().length === 1)).toBe(true);
		expect(viewers[0].chunks[0]).toBe('retry: 5000\n\n');
		expect(viewers[49].boards()[0]).toBe(sseEvent('board', '{"n":1,"competitionId":7}', 1));
		// A page load in between reuses the cached board.
		expect((await hub.snapshot(key)).json).toBe('{"n":1,"competitionId":7}');
		expect(computed).toHaveLength(1);
		await hub.close();
	});

	it('coalesces a storm of changes into one computation, and ignores other competitions', async () => {
		const { hub, source, computed } = setup();
		await hub.start();
		const x = viewer();
		hub.subscribe(key, x.v);
		await vi.runOnlyPendingTimersAsync();
		for (let i = 0; i < 40; i++) source.notify('7');
		source.notify('8');
		source.notify('not a number');
		expect(computed).toHaveLength(1);
		await vi.advanceTimersByTimeAsync(300);
		expect(computed).toHaveLength(2);
		expect(x.boards()).toHaveLength(2);
		await hub.settled();
		expect(computed).toHaveLength(2);
		await hub.close();
	});

	it('a change during a computation makes exactly one more', async () => {
		const source = channelSource();
		let release!: () => void;
		let calls = 0;
		const hub = new BoardHub({
			database: source.database,
			clock: () => now,
			coalesceMs: 0,
			compute: async () => {
				calls++;
				if (calls === 2) await new Promise<void>((r) => (release = r));
				return { json: `{"n":${calls}}`, boardPublic: true, nextChange: null };
			}
		});
		await hub.start();
		const x = viewer();
		hub.subscribe(key, x.v);
		await vi.runOnlyPendingTimersAsync();
		source.notify('7');
		await vi.runOnlyPendingTimersAsync();
		expect(calls).toBe(2);
		source.notify('7');
		source.notify('7');
		await vi.runOnlyPendingTimersAsync();
		expect(calls).toBe(2);
		release();
		await vi.advanceTimersByTimeAsync(1);
		expect(calls).toBe(3);
		expect(x.boards().map((b) => /"n":(\d)/.exec(b)![1])).toEqual(['1', '2', '3']);
		await hub.close();
	});

	it('forgets the cache of an unwatched board on a change, so the next page load is fresh', async () => {
		const { hub, source, computed } = setup();
		await hub.start();
		await hub.snapshot(key);
		await hub.snapshot(key);
		expect(computed).toHaveLength(1);
		source.notify('7');
		await vi.runOnlyPendingTimersAsync();
		expect(computed).toHaveLength(1);
		expect((await hub.snapshot(key)).json).toContain('"n":2');
		await hub.close();
	});

	it('recomputes by the clock when the freeze starts, without any write', async () => {
		const { hub, computed, state } = setup({
			nextChange: new Date('2012-09-20T02:10:00Z')
		});
		await hub.start();
		const x = viewer();
		hub.subscribe(key, x.v);
		await vi.advanceTimersByTimeAsync(0);
		expect(computed).toHaveLength(1);
		state.nextChange = null;
		now = new Date('2012-09-20T02:10:00Z');
		await vi.advanceTimersByTimeAsync(10 * 60_000 + 300);
		expect(computed).toHaveLength(2);
		expect(x.boards()).toHaveLength(2);
		await hub.close();
	});

	it('ends the public’s streams when the board is unpublished; organisers stay', async () => {
		const { hub, source, state } = setup();
		await hub.start();
		const anon = viewer(false);
		const organiser = viewer(true);
		hub.subscribe(key, anon.v);
		hub.subscribe(key, organiser.v);
		await vi.runOnlyPendingTimersAsync();
		state.boardPublic = false;
		source.notify('7');
		await vi.advanceTimersByTimeAsync(300);
		expect(anon.ended).toBe(true);
		expect(anon.chunks.at(-1)).toBe(sseEvent('closed', '{}'));
		expect(organiser.ended).toBe(false);
		expect(organiser.boards()).toHaveLength(2);
		// A newcomer who is not an organiser is turned away at once.
		const late = viewer(false);
		hub.subscribe(key, late.v);
		await vi.runOnlyPendingTimersAsync();
		expect(late.ended).toBe(true);
		expect(hub.viewerCount).toBe(1);
		await hub.close();
	});

	it('sends heartbeats, forgets viewers who leave, and ends every stream on close', async () => {
		const { hub, source } = setup();
		await hub.start();
		const a = viewer();
		const b = viewer();
		const leaveA = hub.subscribe(key, a.v);
		hub.subscribe({ ...key, variant: 'live' }, b.v);
		await vi.advanceTimersByTimeAsync(1);
		const pings = (x: ReturnType<typeof viewer>) => x.chunks.filter((c) => c === ': ping\n\n');
		expect(pings(a)).toHaveLength(0);
		await vi.advanceTimersByTimeAsync(20_000);
		expect(pings(a)).toHaveLength(1);
		leaveA();
		expect(hub.viewerCount).toBe(1);
		await vi.advanceTimersByTimeAsync(20_000);
		expect(pings(a)).toHaveLength(1);
		expect(pings(b)).toHaveLength(2);
		await hub.close();
		expect(b.ended).toBe(true);
		expect(source.unlistened).toBe(1);
		const after = viewer();
		hub.subscribe(key, after.v);
		expect(after.ended).toBe(true);
	});

	it('does not cache a failed computation', async () => {
		const source = channelSource();
		let fail = true;
		const errors: unknown[] = [];
		const hub = new BoardHub({
			database: source.database,
			coalesceMs: 0,
			onError: (e) => errors.push(e),
			compute: async () => {
				if (fail) throw new Error('database gone');
				return { json: '{}', boardPublic: true, nextChange: null };
			}
		});
		await hub.start();
		await expect(hub.snapshot(key)).rejects.toThrow('database gone');
		fail = false;
		expect((await hub.snapshot(key)).json).toBe('{}');
		expect(errors).toHaveLength(1);
		await hub.close();
	});
});
