// Several app processes (HOCTHI_WORKERS, scripts/server.js) on PostgreSQL: they answer on one port,
// one that dies is replaced while the others go on answering, and SIGTERM stops them all. On
// embedded PGlite, whose data dir one process may open, the server runs one and says why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childPids, freshPostgresDatabase } from '../../scripts/bench/server';
import { startTestServer, type TestServer } from './server';

const postgresUrl = process.env.TEST_DATABASE_URL;

/** Polls until `ok` holds (each try a fresh reading); throws with the last reading otherwise. */
async function until<T>(read: () => T | Promise<T>, ok: (v: T) => boolean, what: string) {
	let last: T | undefined;
	for (let i = 0; i < 600; i++) {
		last = await read();
		if (ok(last)) return last;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`${what}: still ${JSON.stringify(last)}`);
}

describe.skipIf(!postgresUrl)('two app processes on PostgreSQL', () => {
	let server: TestServer;
	let database: { url: string; drop: () => Promise<void> };

	beforeAll(async () => {
		database = await freshPostgresDatabase(postgresUrl!);
		server = await startTestServer('cluster', {
			DATABASE_URL: database.url,
			HOCTHI_WORKERS: '2',
			HOCTHI_DEMO: '0'
		});
	}, 300_000);
	afterAll(async () => {
		await server?.stop();
		await database?.drop();
	});

	it('serves one port from two processes, and replaces one that is killed', async () => {
		const primary = server.child.pid!;
		const listening = () => (server.output.join('').match(/HọcThi listening/g) ?? []).length;
		await until(listening, (n) => n === 2, 'app processes listening');
		const workers = childPids(primary);
		expect(workers).toHaveLength(2);
		const victim = workers[1];
		process.kill(victim, 'SIGKILL');
		// The survivor answers while the replacement starts.
		expect((await fetch(`${server.url}/login`)).status).toBe(200);
		const replaced = await until(
			() => childPids(primary),
			(p) => p.length === 2 && !p.includes(victim),
			'app processes after a kill'
		);
		expect(replaced).toContain(workers[0]);
		await until(listening, (n) => n === 3, 'the replacement listening');
		expect(server.output.join('')).toContain(`(pid ${victim}) ended (SIGKILL); starting another`);
		for (let i = 0; i < 6; i++) expect((await fetch(`${server.url}/login`)).status).toBe(200);
	});

	it('stops every app process on SIGTERM and exits 0', async () => {
		const primary = server.child.pid!;
		const workers = childPids(primary);
		expect(workers).toHaveLength(2);
		server.child.kill('SIGTERM');
		expect(await server.exited).toBe(0);
		for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
	});
});

describe('HOCTHI_WORKERS on embedded PGlite', () => {
	let server: TestServer;
	beforeAll(async () => {
		server = await startTestServer('one-worker', { HOCTHI_WORKERS: '2', HOCTHI_DEMO: '0' });
	}, 300_000);
	afterAll(() => server?.stop());

	it('runs one process and says that several need PostgreSQL', async () => {
		expect((await fetch(`${server.url}/login`)).status).toBe(200);
		expect(childPids(server.child.pid!)).toEqual([]);
		expect(server.output.join('')).toContain('HOCTHI_WORKERS=2 needs PostgreSQL (DATABASE_URL)');
	});
});
