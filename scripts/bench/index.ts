// `npm run bench [-- --quick] [--driver pglite|postgres|both] [--out FILE] [--workers N]
// [--profile DIR]`: prepares a fresh database per driver through the domain functions, starts the
// built server on it and drives it over HTTP from this separate process as realistic competitors
// would.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { markdown, type DriverReport, type ScenarioResult } from './report';
import {
	createTarget,
	ensureBuild,
	startCeilingServer,
	startServer,
	type BenchServer,
	type Driver,
	type Target
} from './server';
import { prepareDatabase, withBenchDb, type Population, type Prepared } from './setup';
import { Competitor } from './competitor';
import { Ledger } from './ledger';
import { lossReport, lossResult } from './loss';
import { round } from './stats';
import { randomUUID } from 'node:crypto';
import { loginBurst } from './scenarios/login';
import { measureRoute, weightResult } from './scenarios/weight';
import {
	capacityRamp,
	openLobbies,
	startBurst,
	steadyAutosave,
	submitStorm
} from './scenarios/competition';
import { liveBoard } from './scenarios/board';
import { pgliteCeiling, postgresCeiling, type Ceiling } from './scenarios/ceiling';
import { pageThroughput } from './scenarios/throughput';
import { slowLink } from './scenarios/slowlink';

interface Plan {
	populations: Array<{ name: string; size: number; steadySeconds: number }>;
	loginSeconds: number;
	startSeconds: number;
	submitSeconds: number;
	savePeriodMs: number;
	capacity: { from: number; to: number; factor: number; stepSeconds: number; limitMs: number };
	ceilingSeconds: number;
	throughputSeconds: number;
	throughputWarmupSeconds: number;
	boardChanges: number;
	slowLink: boolean;
	/** Demo seed steps left out (quick: the learning history, which takes most of the seed's time). */
	skipSeedSteps: string[];
}

const FULL: Plan = {
	populations: [
		{ name: 'province, 620', size: 620, steadySeconds: 120 },
		{ name: '5 × province, 3,000', size: 3000, steadySeconds: 60 }
	],
	loginSeconds: 60,
	startSeconds: 5,
	submitSeconds: 10,
	savePeriodMs: 3000,
	capacity: { from: 200, to: 4000, factor: 1.5, stepSeconds: 10, limitMs: 100 },
	ceilingSeconds: 5,
	throughputSeconds: 10,
	throughputWarmupSeconds: 5,
	boardChanges: 5,
	slowLink: true,
	skipSeedSteps: []
};

const QUICK: Plan = {
	populations: [{ name: 'quick, 100', size: 100, steadySeconds: 10 }],
	loginSeconds: 6,
	startSeconds: 3,
	submitSeconds: 5,
	savePeriodMs: 3000,
	capacity: { from: 100, to: 800, factor: 2, stepSeconds: 3, limitMs: 100 },
	ceilingSeconds: 2,
	throughputSeconds: 3,
	throughputWarmupSeconds: 1,
	boardChanges: 2,
	slowLink: false,
	skipSeedSteps: ['progress']
};

const log = (line: string) => console.error(line);

function note(results: ScenarioResult[], r: ScenarioResult): void {
	results.push(r);
	log(`  ${r.pass === null ? '–' : r.pass ? '✓' : '✗'} ${r.name}: ${r.measured}`);
}

/** Loss check: PostgreSQL is read beside the running server; PGlite only once the server is stopped. */
async function checkLedger(
	target: Target,
	ledger: Ledger,
	population: string
): Promise<ScenarioResult> {
	return withBenchDb({ url: target.databaseUrl, dataDir: target.dataDir }, async (database) =>
		lossResult(population, await lossReport(database, ledger))
	);
}

async function runPopulation(
	server: BenchServer,
	target: Target,
	prepared: Prepared,
	population: Population,
	plan: Plan,
	steadySeconds: number,
	first: boolean,
	results: ScenarioResult[],
	pendingChecks: Array<() => Promise<ScenarioResult>>
): Promise<number | null> {
	const label = population.name;
	const ledger = new Ledger();
	const competitors = population.usernames.map((u) => new Competitor(server.url, u, population));
	note(
		results,
		await loginBurst(server, { users: competitors, seconds: plan.loginSeconds, label })
	);
	const lobby = await openLobbies(competitors);
	log(
		`  lobby page for ${lobby.count}: p50 ${lobby.p50} ms, p95 ${lobby.p95} ms, ${lobby.errors} errors`
	);
	const reader = competitors[competitors.length - 1];
	if (first) {
		note(
			results,
			await pageThroughput({
				server,
				path: prepared.lessonPath,
				cookie: reader.cookie,
				seconds: plan.throughputSeconds,
				warmupSeconds: plan.throughputWarmupSeconds,
				connections: 32
			})
		);
	}
	note(results, await startBurst(server, competitors, { seconds: plan.startSeconds, label }));
	const started = competitors.filter((c) => c.attemptId);
	if (first && started.length) {
		const competitor = started[0];
		const weights = [
			await measureRoute(server.url, null, 'login', '/login'),
			await measureRoute(server.url, reader, 'lesson', prepared.lessonPath),
			await measureRoute(server.url, competitor, 'attempt', `/attempts/${competitor.attemptId}`),
			await measureRoute(server.url, null, 'board', `/board/${population.slug}`)
		];
		note(results, weightResult(weights, { lesson: 50 * 1024, attempt: 80 * 1024 }));
		if (plan.slowLink)
			note(
				results,
				await slowLink(server.url, [
					{ route: 'lesson', path: prepared.lessonPath, cookie: reader.cookie },
					{ route: 'attempt', path: `/attempts/${competitor.attemptId}`, cookie: competitor.cookie }
				])
			);
	}
	if (!started.length || server.exited()) {
		note(results, {
			name: `competition scenarios (${label})`,
			target: 'run',
			measured: server.exited()
				? `not run: the server exited (${server.exited()}); see its log ${server.logFile}`
				: 'not run: no competitor could start the round',
			pass: false,
			data: {}
		});
		return null;
	}
	note(
		results,
		await steadyAutosave(server, started, ledger, {
			seconds: steadySeconds,
			periodMs: plan.savePeriodMs,
			label
		})
	);
	let sustained: number | null = null;
	if (first) {
		log('  capacity ramp:');
		const ramp = await capacityRamp(server, started, ledger, plan.capacity);
		note(results, ramp.result);
		sustained = ramp.sustained;
	}
	const changers = started.slice(0, plan.boardChanges);
	note(
		results,
		await liveBoard(server, {
			slug: population.slug,
			viewers: population.usernames.length,
			changers,
			ledger,
			label
		})
	);
	note(
		results,
		await submitStorm(started.slice(plan.boardChanges), ledger, {
			seconds: plan.submitSeconds,
			label
		})
	);
	const check = () => checkLedger(target, ledger, label);
	if (target.driver === 'postgres') note(results, await check());
	else pendingChecks.push(check);
	return sustained;
}

async function runDriver(
	driver: Driver,
	plan: Plan,
	port: number,
	postgresUrl: string | undefined,
	options: { profileDir?: string; workers: string }
): Promise<DriverReport> {
	const { profileDir } = options;
	const results: ScenarioResult[] = [];
	const target = await createTarget(driver, postgresUrl);
	try {
		log(`— ${driver}: preparing a fresh database (migrations, demo seed, bench competitions)…`);
		const t0 = performance.now();
		const prepared = await prepareDatabase(
			{ url: target.databaseUrl, dataDir: target.dataDir },
			{ sizes: plan.populations, now: new Date(), skipSeedSteps: plan.skipSeedSteps }
		);
		log(
			`  prepared in ${((performance.now() - t0) / 1000).toFixed(1)} s (demo seed ${(prepared.seedMs / 1000).toFixed(1)} s)`
		);
		const ceiling: Ceiling =
			driver === 'postgres'
				? await postgresCeiling(target.databaseUrl!, plan.ceilingSeconds)
				: await pgliteCeiling(target.dataDir!, plan.ceilingSeconds);
		log(`  raw ceiling: ${ceiling.savesPerSecond} upserts/s (concurrency ${ceiling.concurrency})`);
		const server = await startServer({
			target,
			port,
			logFile: path.join(os.tmpdir(), `hocthi-bench-${driver}-server.log`),
			// A V8 CPU profile of the server per run (open it in Chrome DevTools), for finding where time goes.
			nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : [],
			env: { HOCTHI_WORKERS: driver === 'postgres' ? options.workers : '1' }
		});
		log(`  server log: ${server.logFile}`);
		const pendingChecks: Array<() => Promise<ScenarioResult>> = [];
		let sustained: number | null = null;
		try {
			for (const [i, p] of prepared.populations.entries()) {
				if (server.exited()) break;
				log(`  population: ${p.name}`);
				const s = await runPopulation(
					server,
					target,
					prepared,
					p,
					plan,
					plan.populations[i].steadySeconds,
					i === 0,
					results,
					pendingChecks
				);
				sustained ??= s;
			}
		} finally {
			await server.stop();
		}
		for (const check of pendingChecks) note(results, await check());
		// The same ramp against the least a web server must do per save, on the same machine.
		log('  capacity ramp of a bare node:http server (one upsert per save, nothing else):');
		const bare = await startCeilingServer(target, port + 100);
		let bareKnee: number;
		try {
			const first = prepared.populations[0];
			const stand = first.usernames.map((u) => {
				const c = new Competitor(bare.url, u, first);
				c.attemptId = randomUUID();
				return c;
			});
			const ramp = await capacityRamp(bare, stand, new Ledger(), plan.capacity);
			bareKnee = ramp.sustained;
			note(results, {
				...ramp.result,
				name: `HTTP ceiling: the same ramp against a bare node:http server doing one upsert per save (no framework, session, checks or event log), ${stand.length} clients`,
				target: 'for reference',
				pass: null
			});
		} finally {
			await bare.stop();
		}
		const ratio = sustained !== null ? sustained / Math.max(1, ceiling.savesPerSecond) : 0;
		note(results, {
			name: `limit ratio: saves/s over HTTP (capacity knee) over the raw ceiling (${driver === 'postgres' ? 'postgres.js' : 'PGlite in process'} upserts, no HTTP), same run`,
			target: 'saves/s over the ceiling ≥ 0.5',
			measured: `${sustained ?? '—'} / ${ceiling.savesPerSecond} = ${round(ratio, 2)}; over the HTTP ceiling: ${sustained ?? '—'} / ${bareKnee} = ${bareKnee > 0 ? round((sustained ?? 0) / bareKnee, 2) : '— (no step held)'}`,
			pass: ratio >= 0.5,
			data: { sustained, ceiling, httpCeiling: bareKnee }
		});
	} finally {
		await target.drop();
	}
	return { driver, results };
}

export async function main(argv: string[]): Promise<number> {
	const { values } = parseArgs({
		args: argv.filter((a) => a !== '--'),
		options: {
			quick: { type: 'boolean' },
			driver: { type: 'string' },
			out: { type: 'string', default: 'bench-results.json' },
			postgres: { type: 'string' },
			profile: { type: 'string' },
			workers: { type: 'string' }
		}
	});
	const postgresUrl = values.postgres ?? process.env.DATABASE_URL ?? process.env.BENCH_DATABASE_URL;
	const drivers: Driver[] =
		values.driver === 'both'
			? ['pglite', 'postgres']
			: values.driver === 'postgres' || (!values.driver && postgresUrl)
				? ['postgres']
				: ['pglite'];
	// The server started here picks its driver from what we pass, not from our own environment.
	delete process.env.DATABASE_URL;
	const quick = !!values.quick;
	const profileDir = values.profile;
	// App processes on PostgreSQL (HOCTHI_WORKERS; PGlite runs one whatever is asked).
	const workers = values.workers ?? '1';
	const plan = quick ? QUICK : FULL;
	const reports: DriverReport[] = [];
	const load = () =>
		os
			.loadavg()
			.map((l) => l.toFixed(2))
			.join(' ');
	// A fresh clone builds first (about a minute here); the run's own time starts after.
	const built = performance.now();
	ensureBuild();
	log(`build ready in ${((performance.now() - built) / 1000).toFixed(1)} s`);
	const loadBefore = load();
	const t0 = performance.now();
	let port = 4300;
	for (const driver of drivers)
		reports.push(await runDriver(driver, plan, port++, postgresUrl, { profileDir, workers }));
	const minutes = ((performance.now() - t0) / 60_000).toFixed(1);
	const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}${quick ? ', --quick' : ''}${workers !== '1' ? `, ${workers} app processes on PostgreSQL` : ''}; load average ${loadBefore} before, ${load()} after; ${minutes} min`;
	console.log(markdown(reports, machine));
	fs.writeFileSync(
		values.out!,
		JSON.stringify({ machine, quick, at: new Date().toISOString(), reports }, null, 2)
	);
	log(`results written to ${values.out}`);
	// A missed target is a finding for the table, not a failure of the run.
	return 0;
}
