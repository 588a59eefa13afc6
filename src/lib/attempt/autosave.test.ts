import { describe, expect, it } from 'vitest';
import { AttemptSaver, type SaveState } from './autosave';

class MemoryStorage implements Storage {
	private map = new Map<string, string>();
	get length() {
		return this.map.size;
	}
	clear() {
		this.map.clear();
	}
	getItem(key: string) {
		return this.map.get(key) ?? null;
	}
	key(i: number) {
		return [...this.map.keys()][i] ?? null;
	}
	removeItem(key: string) {
		this.map.delete(key);
	}
	setItem(key: string, value: string) {
		this.map.set(key, value);
	}
}

/** A server that acknowledges (or fails while "offline"), recording what it got. */
function fakeServer() {
	const received: Array<{ slot: number; seq: number }> = [];
	const server = {
		online: true,
		received,
		fetch: (async (_url: string, init?: RequestInit) => {
			if (!server.online) throw new TypeError('Failed to fetch');
			const body = JSON.parse(String(init?.body)) as { slot: number; seq: number };
			received.push(body);
			return new Response(
				JSON.stringify({
					status: 'saved',
					seq: body.seq,
					serverNow: '2012-09-20T01:00:00Z',
					deadlineAt: null,
					paused: false
				}),
				{ status: 200 }
			);
		}) as typeof fetch
	};
	return server;
}

const choice = (n: number) => ({ type: 'single' as const, choice: n });

describe('AttemptSaver', () => {
	it('numbers saves per slot after the server’s seq and clears them once acknowledged', async () => {
		const storage = new MemoryStorage();
		const server = fakeServer();
		const states: SaveState[] = [];
		const saver = new AttemptSaver({
			attemptId: 'a1',
			serverSeqs: { 1: 4 },
			endpoint: '/save',
			onState: (s) => states.push(s),
			storage,
			fetcher: server.fetch
		});
		saver.save(1, choice(2));
		saver.save(2, choice(0));
		expect(await saver.drain()).toBe(true);
		expect(server.received).toEqual([
			{ slot: 1, seq: 5, response: choice(2) },
			{ slot: 2, seq: 1, response: choice(0) }
		]);
		expect(storage.getItem('hocthi:attempt:a1')).toBeNull();
		expect(states.at(-1)?.kind).toBe('saved');
	});

	it('keeps answers while offline, survives a reload, and replays them', async () => {
		const storage = new MemoryStorage();
		const server = fakeServer();
		server.online = false;
		const states: SaveState[] = [];
		const first = new AttemptSaver({
			attemptId: 'a2',
			serverSeqs: {},
			endpoint: '/save',
			onState: (s) => states.push(s),
			storage,
			fetcher: server.fetch
		});
		first.save(3, choice(1));
		first.save(3, choice(2));
		await first.flush();
		expect(states.some((s) => s.kind === 'offline')).toBe(true);
		expect(JSON.parse(storage.getItem('hocthi:attempt:a2')!)).toEqual({
			3: { seq: 2, response: choice(2) }
		});

		// The page is reloaded (the server still has nothing) and the connection is back.
		server.online = true;
		const second = new AttemptSaver({
			attemptId: 'a2',
			serverSeqs: {},
			endpoint: '/save',
			onState: () => {},
			storage,
			fetcher: server.fetch
		});
		expect(second.unacknowledged()).toEqual({ 3: choice(2) });
		second.reconnect();
		expect(await second.drain()).toBe(true);
		expect(server.received).toEqual([{ slot: 3, seq: 2, response: choice(2) }]);
		// A later answer continues the numbering.
		second.save(3, choice(0));
		await second.drain();
		expect(server.received.at(-1)).toMatchObject({ seq: 3 });
	});

	it('drops local answers the server already has', () => {
		const storage = new MemoryStorage();
		storage.setItem('hocthi:attempt:a3', JSON.stringify({ 1: { seq: 2, response: choice(1) } }));
		const saver = new AttemptSaver({
			attemptId: 'a3',
			serverSeqs: { 1: 2 },
			endpoint: '/save',
			onState: () => {},
			storage,
			fetcher: fakeServer().fetch
		});
		expect(saver.pendingCount).toBe(0);
	});

	it('stops for good when the server says the attempt is closed', async () => {
		const states: SaveState[] = [];
		const closed = (async () =>
			new Response(JSON.stringify({ message: 'Bài đã nộp' }), { status: 409 })) as typeof fetch;
		const saver = new AttemptSaver({
			attemptId: 'a4',
			serverSeqs: {},
			endpoint: '/save',
			onState: (s) => states.push(s),
			storage: new MemoryStorage(),
			fetcher: closed
		});
		saver.save(1, choice(0));
		expect(await saver.drain()).toBe(false);
		expect(states.at(-1)).toEqual({ kind: 'closed', message: 'Bài đã nộp' });
	});

	it('does not send an unchanged answer again (a blur after typing fires another change)', async () => {
		const server = fakeServer();
		const saver = new AttemptSaver({
			attemptId: 'a5',
			serverSeqs: {},
			endpoint: '/save',
			onState: () => {},
			storage: new MemoryStorage(),
			fetcher: server.fetch
		});
		saver.save(1, { type: 'shortanswer', text: 'ping' });
		saver.save(1, { type: 'shortanswer', text: 'ping' });
		await saver.drain();
		saver.save(1, { type: 'shortanswer', text: 'ping' });
		saver.save(1, { type: 'shortanswer', text: 'tracert' });
		expect(await saver.drain()).toBe(true);
		expect(server.received.map((r) => r.seq)).toEqual([1, 2]);
	});
});
