// `npm run test:chaos [-- --driver pglite|postgres|both] [--users N] [--kills N] [--pg-restarts N]
// [--postgres URL --pg-restart "COMMAND"] [--seed N]`: tens of virtual competitors answer an open
// competition round over HTTP while the app process is killed with SIGKILL at random moments and
// started again on the same data, and PostgreSQL is restarted under load. After every fault, every
// acknowledged save must be in the database, no deadline may move, and the clients' replays must
// land. Exits 1 on any loss.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { Competitor } from './competitor';
import { ChaosServer, PrivateCluster, freePort } from './server';
import { checkAcknowledged, openPglite, openPostgres, type Check, type Store } from './verify';

type Driver = 'pglite' | 'postgres';

const SLUG = 'hoi-thi-cntt-2012';

interface DriverSummary {
	driver: Driver;
	kills: number;
	pgRestarts: number;
	competitors: number;
	sent: number;
	acknowledged: number;
	replayed: number;
	checked: number;
	lost: string[];
	deadlineMoved: string[];
	refused: string[];
	stuck: string[];
	crashes: string[];
}

/** What to undo if the run is interrupted (Ctrl-C): the app, the private cluster, temp dirs. */
const cleanups = new Set<() => Promise<void>>();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** mulberry32: the run is repeatable from --seed (fault moments and answers). */
function seeded(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function say(line: string): void {
	console.error(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

async function registeredUsernames(store: Store): Promise<string[]> {
	const rows = await store.query<{ username: string }>(
		`select u.username from competition_registrations r
		   join competitions c on c.id = r.competition_id
		   join users u on u.id = r.user_id
		  where c.slug = $1 and r.status = 'registered'
		  order by u.username`,
		[SLUG]
	);
	return rows.map((r) => r.username);
}

/** Each competitor's answers not yet acknowledged at this moment: these must land after the fault. */
function pendingNow(
	competitors: Competitor[]
): Array<{ c: Competitor; slot: number; seq: number }> {
	return competitors.flatMap((c) => c.pendingSeqs().map(([slot, seq]) => ({ c, slot, seq })));
}

async function replaysLanded(
	waiting: Array<{ c: Competitor; slot: number; seq: number }>,
	ms: number
): Promise<string[]> {
	const until = Date.now() + ms;
	for (;;) {
		const open = waiting.filter(
			({ c, slot, seq }) => (c.acked.get(slot)?.seq ?? 0) < seq && c.stillPending(slot, seq)
		);
		if (!open.length) return [];
		if (Date.now() > until)
			return open.map(
				({ c, slot, seq }) => `${c.username} slot ${slot} seq ${seq} never acknowledged`
			);
		await sleep(200);
	}
}

function absorb(summary: DriverSummary, check: Check, label: string): void {
	summary.checked += check.checked;
	summary.lost.push(...check.lost.map((l) => `${label}: ${l}`));
	summary.deadlineMoved.push(...check.deadlineMoved.map((l) => `${label}: ${l}`));
	say(
		`  ${label}: ${check.checked} acknowledged answers checked, ${check.lost.length} lost, ${check.deadlineMoved.length} deadlines moved`
	);
}

async function runDriver(
	driver: Driver,
	options: {
		port: number;
		users: number;
		kills: number;
		pgRestarts: number;
		random: () => number;
		postgresUrl?: string;
		pgRestartCommand?: string;
		clusterPort: number;
	}
): Promise<DriverSummary> {
	const summary: DriverSummary = {
		driver,
		kills: 0,
		pgRestarts: 0,
		competitors: 0,
		sent: 0,
		acknowledged: 0,
		replayed: 0,
		checked: 0,
		lost: [],
		deadlineMoved: [],
		refused: [],
		stuck: [],
		crashes: []
	};
	const random = options.random;
	let cluster: PrivateCluster | null = null;
	let dataDir: string | undefined;
	let databaseUrl: string | undefined;
	let adminUrl: string | undefined;
	const dbName = `hocthi_chaos_${process.pid}_${Date.now()}`;
	if (driver === 'postgres') {
		if (options.postgresUrl) adminUrl = options.postgresUrl;
		else {
			say('postgres: creating a private PostgreSQL cluster');
			cluster = await PrivateCluster.create(options.clusterPort);
			adminUrl = cluster.url;
		}
		const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database "${dbName}"`);
		await admin.end();
		const url = new URL(adminUrl);
		url.pathname = `/${dbName}`;
		databaseUrl = url.toString();
	} else {
		dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocthi-chaos-'));
	}
	const server = new ChaosServer({ port: await freePort(options.port), databaseUrl, dataDir });
	const cleanup = async () => {
		await server.stop().catch(() => {});
		await cluster?.destroy().catch(() => {});
		if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
	};
	cleanups.add(cleanup);
	const competitors: Competitor[] = [];
	let answering = false;
	let loop: Promise<void>;
	try {
		say(`${driver}: starting the server and seeding the demo data set…`);
		await server.start();
		let usernames: string[];
		if (driver === 'pglite') {
			// One process per data dir: stop the server to read who is registered.
			await server.stop();
			const store = await openPglite(dataDir!);
			usernames = await registeredUsernames(store);
			await store.close();
			await server.start();
		} else {
			const store = openPostgres(databaseUrl!);
			usernames = await registeredUsernames(store);
			await store.close();
		}
		usernames = usernames.slice(0, options.users);
		say(`${driver}: ${usernames.length} competitors log in and start the theory round`);
		for (const username of usernames)
			competitors.push(
				new Competitor(server.url, username, seeded(Math.floor(random() * 2 ** 31)))
			);
		summary.competitors = competitors.length;
		// Logins hash passwords (bounded on the server): a few at a time.
		for (let i = 0; i < competitors.length; i += 6)
			await Promise.all(
				competitors.slice(i, i + 6).map(async (c) => {
					await c.logIn();
					await c.startRound(SLUG);
				})
			);
		const deadlines = new Map<string, string>();

		// The load: every competitor clicks an answer every 0.3–1.2 s.
		answering = true;
		loop = Promise.all(
			competitors.map(async (c) => {
				while (answering) {
					c.answerOne();
					await sleep(300 + random() * 900);
				}
			})
		).then(() => undefined);

		const faults: Array<'kill' | 'pg'> = [
			...Array<'kill'>(options.kills).fill('kill'),
			...Array<'pg'>(driver === 'postgres' ? options.pgRestarts : 0).fill('pg')
		];
		for (const [i, fault] of faults.entries()) {
			await sleep(1500 + random() * 4000);
			const label = `fault ${i + 1}/${faults.length}`;
			if (fault === 'kill') {
				const pid = server.pid;
				await server.kill9();
				summary.kills++;
				const waiting = pendingNow(competitors);
				say(`${label}: kill -9 of the app (pid ${pid}); ${waiting.length} answers unacknowledged`);
				// Nothing can be acknowledged while the app is down: the check sees every ack.
				const store = driver === 'pglite' ? await openPglite(dataDir!) : openPostgres(databaseUrl!);
				try {
					absorb(summary, await checkAcknowledged(store, competitors, deadlines), label);
				} finally {
					await store.close();
				}
				await sleep(random() * 1500);
				await server.start();
				say(`${label}: app restarted (pid ${server.pid}); waiting for the replays`);
				summary.stuck.push(...(await replaysLanded(waiting, 60_000)));
			} else {
				const waiting = pendingNow(competitors);
				const failedBefore = competitors.reduce((n, c) => n + c.stats.failures, 0);
				say(`${label}: restarting PostgreSQL under load`);
				if (cluster) {
					// Down for a moment, as a real restart or failover is: saves fail meanwhile.
					await cluster.ctl('stop');
					await sleep(1000 + random() * 2000);
					await cluster.ctl('start');
				} else {
					const result = spawnSync('sh', ['-c', options.pgRestartCommand!], { stdio: 'inherit' });
					if (result.status !== 0) throw new Error(`${options.pgRestartCommand} failed`);
				}
				summary.pgRestarts++;
				summary.stuck.push(...(await replaysLanded(waiting, 60_000)));
				// The answers queued during the restart landed only if the pool came back.
				const after = pendingNow(competitors);
				summary.stuck.push(...(await replaysLanded(after, 60_000)));
				const failed = competitors.reduce((n, c) => n + c.stats.failures, 0) - failedBefore;
				const kinds: Record<string, number> = {};
				for (const c of competitors)
					for (const [k, n] of Object.entries(c.stats.failureKinds)) kinds[k] = (kinds[k] ?? 0) + n;
				say(`${label}: failures so far by kind ${JSON.stringify(kinds)}`);
				say(
					`${label}: ${failed} save requests failed while the database was away, and were sent again`
				);
				const store = openPostgres(databaseUrl!);
				try {
					absorb(summary, await checkAcknowledged(store, competitors, deadlines), label);
				} finally {
					await store.close();
				}
			}
		}
		await sleep(2000);
		answering = false;
		await loop;
		for (const c of competitors)
			if (!(await c.drained(60_000)))
				summary.stuck.push(`${c.username}: answers still pending at the end`);
		for (const c of competitors) c.stop();
		await server.stop();
		const store = driver === 'pglite' ? await openPglite(dataDir!) : openPostgres(databaseUrl!);
		try {
			absorb(summary, await checkAcknowledged(store, competitors, deadlines), 'final');
		} finally {
			await store.close();
		}
		summary.crashes.push(...server.unexpectedExits);
		for (const c of competitors) {
			summary.sent += c.stats.sent;
			summary.acknowledged += c.stats.acknowledged;
			summary.replayed += c.stats.replayed;
			summary.refused.push(...c.stats.refused.map((r) => `${c.username}: ${r}`));
			summary.deadlineMoved.push(
				...c.deadlineChanges.map((d) => `${c.username} (as told by the server): ${d}`)
			);
		}
		if (summary.stuck.length || summary.lost.length)
			say(`${driver}: the server's last log lines:\n${server.log.slice(-30).join('\n')}`);
		return summary;
	} catch (error) {
		say(`${driver}: ${(error as Error).message}\n${server.log.slice(-30).join('\n')}`);
		throw error;
	} finally {
		answering = false;
		for (const c of competitors) c.stop();
		await server.stop().catch(() => {});
		if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
		if (adminUrl) {
			const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
			await admin.unsafe(`drop database if exists "${dbName}" with (force)`).catch(() => {});
			await admin.end();
		}
		await cluster?.destroy().catch(() => {});
		cleanups.delete(cleanup);
	}
}

export async function main(argv: string[]): Promise<number> {
	const { values } = parseArgs({
		args: argv.filter((a) => a !== '--'),
		options: {
			driver: { type: 'string', default: 'both' },
			users: { type: 'string', default: '30' },
			kills: { type: 'string', default: '5' },
			'pg-restarts': { type: 'string', default: '2' },
			postgres: { type: 'string' },
			'pg-restart': { type: 'string' },
			seed: { type: 'string' },
			port: { type: 'string', default: '4400' }
		}
	});
	const drivers: Driver[] =
		values.driver === 'both' ? ['pglite', 'postgres'] : [values.driver as Driver];
	if (drivers.some((d) => d !== 'pglite' && d !== 'postgres')) {
		console.error('--driver pglite|postgres|both');
		return 2;
	}
	if (values.postgres && !values['pg-restart']) {
		console.error(
			'with --postgres URL, say how to restart that server: --pg-restart "pg_ctlcluster 15 main restart"'
		);
		return 2;
	}
	if (drivers.includes('postgres') && !values.postgres && !PrivateCluster.available()) {
		console.error(
			'no PostgreSQL binaries found: pass --postgres URL --pg-restart COMMAND, or --driver pglite'
		);
		return 2;
	}
	for (const signal of ['SIGINT', 'SIGTERM'] as const)
		process.once(signal, () => {
			say(`${signal}: cleaning up`);
			void Promise.all([...cleanups].map((c) => c())).finally(() => process.exit(130));
		});
	const seed = Number(values.seed ?? Math.floor(Math.random() * 2 ** 31));
	say(`seed ${seed} (repeat with --seed ${seed})`);
	const random = seeded(seed);
	const summaries: DriverSummary[] = [];
	let port = Number(values.port);
	for (const driver of drivers) {
		summaries.push(
			await runDriver(driver, {
				port: port++,
				users: Number(values.users),
				kills: Number(values.kills),
				pgRestarts: Number(values['pg-restarts']),
				random,
				postgresUrl: values.postgres,
				pgRestartCommand: values['pg-restart'],
				clusterPort: port + 30
			})
		);
	}
	let failed = false;
	console.log('\nChaos run summary');
	console.log(
		'| driver | competitors | kill -9 | PostgreSQL restarts | saves sent | acknowledged | replayed after a fault | acknowledged answers checked (summed over the checks) | lost | deadlines moved | refused | replays stuck | app crashes |'
	);
	console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
	for (const s of summaries) {
		console.log(
			`| ${s.driver} | ${s.competitors} | ${s.kills} | ${s.pgRestarts} | ${s.sent} | ${s.acknowledged} | ${s.replayed} | ${s.checked} | ${s.lost.length} | ${s.deadlineMoved.length} | ${s.refused.length} | ${s.stuck.length} | ${s.crashes.length} |`
		);
		for (const [what, list] of [
			['lost', s.lost],
			['deadline moved', s.deadlineMoved],
			['refused', s.refused],
			['stuck', s.stuck],
			['app crashed', s.crashes]
		] as const)
			for (const line of list.slice(0, 20)) console.log(`  ${s.driver} ${what}: ${line}`);
		if (s.lost.length || s.deadlineMoved.length || s.refused.length || s.stuck.length)
			failed = true;
		if (s.kills < 5 && Number(values.kills) >= 5) failed = true;
	}
	console.log(failed ? '\nFAILED' : '\nOK: lost=0');
	return failed ? 1 : 0;
}
