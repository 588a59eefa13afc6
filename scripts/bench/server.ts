// Starts the built HọcThi server as a child process on a fresh database, for the benchmark.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

export type Driver = 'pglite' | 'postgres';

export interface BenchServer {
	driver: Driver;
	url: string;
	pid: number;
	databaseUrl?: string;
	/** Current and peak resident memory of the server process, in MiB (and the current in KiB). */
	memory(): { rssMiB: number; peakMiB: number; rssKiB: number };
	/** CPU time (user + system) the server process has used so far, in seconds. */
	cpuSeconds(): number;
	logFile: string;
	/** Null while running; the exit code or signal once it has exited. */
	exited(): string | null;
	stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '..', '..');

/** Builds when the sources are newer than the build (scripts/build.js), so nothing runs stale code. */
export function ensureBuild(): void {
	const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.js')], {
		cwd: root,
		stdio: ['ignore', 'inherit', 'inherit']
	});
	if (result.status !== 0) throw new Error('build failed');
}

/** The fields of /proc/<pid>/stat after the command name (state, ppid, …), or null if gone. */
function statFields(pid: number): string[] | null {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	} catch {
		return null;
	}
}

/** The processes whose parent is `pid` (the app processes of a HOCTHI_WORKERS primary). */
export function childPids(pid: number): number[] {
	return fs
		.readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.map(Number)
		.filter((child) => Number(statFields(child)?.[1]) === pid);
}

/** utime + stime of a process and its children, at the usual 100 ticks per second. */
function readCpu(pid: number): number {
	let ticks = 0;
	for (const p of [pid, ...childPids(pid)]) {
		const fields = statFields(p);
		if (fields) ticks += Number(fields[11]) + Number(fields[12]);
	}
	return ticks / 100;
}

/** Resident memory of a process and its children (their peaks summed: an upper bound). */
function readStatus(pid: number): { rssMiB: number; peakMiB: number; rssKiB: number } {
	let rss = 0;
	let peak = 0;
	for (const p of [pid, ...childPids(pid)]) {
		try {
			const status = fs.readFileSync(`/proc/${p}/status`, 'utf8');
			const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
			rss += kb('VmRSS');
			peak += kb('VmHWM');
		} catch {
			// gone
		}
	}
	return { rssMiB: Math.round(rss / 1024), peakMiB: Math.round(peak / 1024), rssKiB: rss };
}

/** A fresh PostgreSQL database on the server of `baseUrl`, dropped by the returned function. */
export async function freshPostgresDatabase(
	baseUrl: string
): Promise<{ url: string; drop: () => Promise<void> }> {
	const name = `hocthi_bench_${Date.now()}`;
	const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database "${name}"`);
	await admin.end();
	const url = new URL(baseUrl);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		drop: async () => {
			const dropper = postgres(baseUrl, { max: 1, onnotice: () => {} });
			await dropper.unsafe(`drop database if exists "${name}" with (force)`);
			await dropper.end();
		}
	};
}

/** A fresh, empty database for one driver: a PGlite data dir or a PostgreSQL database. */
export interface Target {
	driver: Driver;
	dataDir?: string;
	databaseUrl?: string;
	drop(): Promise<void>;
}

export async function createTarget(driver: Driver, postgresUrl?: string): Promise<Target> {
	if (driver === 'postgres') {
		if (!postgresUrl) throw new Error('the postgres driver needs DATABASE_URL (or --postgres URL)');
		const fresh = await freshPostgresDatabase(postgresUrl);
		return { driver, databaseUrl: fresh.url, drop: fresh.drop };
	}
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocthi-bench-'));
	return {
		driver,
		dataDir,
		drop: async () => fs.rmSync(dataDir, { recursive: true, force: true })
	};
}

/** Starts the built server on the target's database (already prepared or empty: it migrates and seeds). */
export async function startServer(input: {
	target: Target;
	port: number;
	env?: Record<string, string>;
	/** Extra node flags for the server, e.g. --cpu-prof. */
	nodeArgs?: string[];
	/** Where the server's stdout (its log) goes. */
	logFile?: string;
}): Promise<BenchServer> {
	ensureBuild();
	const { driver, dataDir, databaseUrl } = input.target;
	const child: ChildProcess = spawn(
		process.execPath,
		[...(input.nodeArgs ?? []), path.join(root, 'scripts', 'server.js')],
		{
			cwd: root,
			env: {
				...process.env,
				...input.env,
				PORT: String(input.port),
				HOST: '127.0.0.1',
				HOCTHI_ROOT: root,
				HOCTHI_DEMO: '1',
				LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
				NODE_ENV: 'production',
				...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir!, DATABASE_URL: '' })
			},
			// The server's log (pino, on stdout) goes to a file: the reason if it dies mid-run.
			stdio: ['ignore', fs.openSync(input.logFile ?? '/dev/null', 'a'), 'inherit']
		}
	);
	const url = `http://127.0.0.1:${input.port}`;
	for (let i = 0; ; i++) {
		if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
		try {
			const res = await fetch(`${url}/login`);
			if (res.ok) break;
		} catch {
			// not up yet
		}
		if (i > 600) throw new Error('the server did not start within 120 s');
		await new Promise((r) => setTimeout(r, 200));
	}
	return {
		driver,
		url,
		pid: child.pid!,
		databaseUrl,
		memory: () => readStatus(child.pid!),
		logFile: input.logFile ?? '/dev/null',
		cpuSeconds: () => readCpu(child.pid!),
		exited: () =>
			child.exitCode !== null || child.signalCode !== null
				? String(child.exitCode ?? child.signalCode)
				: null,
		async stop() {
			const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
			child.kill('SIGTERM');
			await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
			if (child.exitCode === null) child.kill('SIGKILL');
		}
	};
}
