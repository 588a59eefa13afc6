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

/**
 * The whole machine's CPU time so far, in seconds summed over its cores (from /proc/stat): busy
 * (user, system, irq…) and all. Busy minus the server's and the client's own share is what the
 * rest of the machine used: PostgreSQL when it runs here.
 */
export function machineCpu(): { busy: number; total: number; cores: number } {
	const first = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
	const ticks = first.trim().split(/\s+/).slice(1, 9).map(Number);
	const total = ticks.reduce((a, b) => a + b, 0);
	const idle = ticks[3] + ticks[4];
	return { busy: (total - idle) / 100, total: total / 100, cores: os.cpus().length };
}

export interface CpuShare {
	/** Percent of one core each, over the measured time. */
	server: number;
	client: number;
	/** Everything else that ran: PostgreSQL when it runs on this machine, and the kernel's share. */
	rest: number;
	/** Percent of the whole machine (all cores) that was busy. */
	machineBusy: number;
}

/** Starts measuring who used the CPU: call the returned function at the end of the phase. */
export function cpuMeter(server: Pick<BenchServer, 'cpuSeconds'>): () => CpuShare {
	const m0 = machineCpu();
	const s0 = server.cpuSeconds();
	const c0 = process.cpuUsage();
	return () => {
		const m1 = machineCpu();
		const wall = (m1.total - m0.total) / m1.cores;
		const used = process.cpuUsage(c0);
		const serverS = server.cpuSeconds() - s0;
		const clientS = (used.user + used.system) / 1e6;
		const busy = m1.busy - m0.busy;
		const pct = (x: number) => Math.round((100 * x) / Math.max(wall, 1e-9));
		return {
			server: pct(serverS),
			client: pct(clientS),
			rest: pct(Math.max(0, busy - serverS - clientS)),
			machineBusy: Math.round((100 * busy) / Math.max(m1.total - m0.total, 1e-9))
		};
	};
}

/** One line for the table: who used the machine's cores. */
export function formatCpu(c: CpuShare): string {
	return `CPU (100 % = one core): server ${c.server} %, PostgreSQL and the rest ${c.rest} %, bench client ${c.client} %; machine ${c.machineBusy} % busy`;
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

/**
 * The yardstick server (http-ceiling-server.js): node:http and one upsert per save on the target's
 * database, nothing else. PGlite: only while the app server is not running.
 */
export async function startCeilingServer(
	target: Target,
	port: number
): Promise<{ url: string; cpuSeconds(): number; stop(): Promise<void> }> {
	const child = spawn(
		process.execPath,
		[path.join(root, 'scripts', 'bench', 'http-ceiling-server.js')],
		{
			cwd: root,
			env: {
				...process.env,
				PORT: String(port),
				...(target.databaseUrl
					? { DATABASE_URL: target.databaseUrl }
					: { DATA_DIR: target.dataDir!, DATABASE_URL: '' })
			},
			stdio: ['ignore', 'pipe', 'inherit']
		}
	);
	await new Promise<void>((resolve, reject) => {
		child.once('exit', (code) => reject(new Error(`the ceiling server exited with ${code}`)));
		child.stdout!.once('data', () => resolve());
	});
	child.removeAllListeners('exit');
	return {
		url: `http://127.0.0.1:${port}`,
		cpuSeconds: () => readCpu(child.pid!),
		async stop() {
			const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
			child.kill('SIGTERM');
			await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
			if (child.exitCode === null) child.kill('SIGKILL');
		}
	};
}
