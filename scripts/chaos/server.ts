// The app process under fault injection: the built server on a data dir (PGlite) or database
// (PostgreSQL) that outlives it, so it can be killed with SIGKILL and started again on the same data.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureBuild } from '../bench/server';

const root = path.resolve(import.meta.dirname, '..', '..');

export class ChaosServer {
	private child: ChildProcess | null = null;
	readonly url: string;
	/** Server log lines (stderr and stdout), kept for the report when something goes wrong. */
	readonly log: string[] = [];
	/** Exits nobody asked for (a crash when the database restarts, say), with the log before them. */
	readonly unexpectedExits: string[] = [];

	constructor(
		private readonly options: {
			port: number;
			/** PostgreSQL database URL, or a PGlite data dir. */
			databaseUrl?: string;
			dataDir?: string;
		}
	) {
		this.url = `http://127.0.0.1:${options.port}`;
	}

	get pid(): number | null {
		return this.child?.pid ?? null;
	}

	async start(): Promise<void> {
		ensureBuild();
		const child = spawn(process.execPath, [path.join(root, 'scripts', 'server.js')], {
			cwd: root,
			env: {
				...process.env,
				PORT: String(this.options.port),
				HOST: '127.0.0.1',
				HOCTHI_ROOT: root,
				HOCTHI_DEMO: '1',
				LOG_LEVEL: 'warn',
				NODE_ENV: 'production',
				...(this.options.databaseUrl
					? { DATABASE_URL: this.options.databaseUrl }
					: { DATA_DIR: this.options.dataDir!, DATABASE_URL: '' })
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		const keep = (chunk: Buffer) => {
			for (const line of chunk.toString().split('\n')) {
				if (!line) continue;
				this.log.push(line.slice(0, 500));
			}
			if (this.log.length > 400) this.log.splice(0, this.log.length - 400);
		};
		child.stdout!.on('data', keep);
		child.stderr!.on('data', keep);
		child.once('exit', (code, signal) => {
			// Only kill9() and stop() end the app on purpose; anything else is a finding.
			if (this.child === child && signal !== 'SIGKILL') {
				this.unexpectedExits.push(`exit ${code ?? signal}: ${this.log.slice(-15).join('\n')}`);
				console.error(
					`[chaos] the app exited by itself (${code ?? signal}):\n${this.log.slice(-15).join('\n')}`
				);
			}
		});
		this.child = child;
		for (let i = 0; ; i++) {
			if (child.exitCode !== null)
				throw new Error(
					`the server exited with ${child.exitCode}:\n${this.log.slice(-20).join('\n')}`
				);
			try {
				const res = await fetch(`${this.url}/login`);
				if (res.ok) return;
			} catch {
				// not up yet
			}
			if (i > 900) throw new Error('the server did not start within 180 s');
			await new Promise((r) => setTimeout(r, 200));
		}
	}

	/** SIGKILL: no shutdown hook runs, nothing is flushed by the app. */
	async kill9(): Promise<void> {
		const child = this.child;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		this.child = null;
		child.kill('SIGKILL');
		await exited;
	}

	async stop(): Promise<void> {
		const child = this.child;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		this.child = null;
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
		await exited;
		clearTimeout(timer);
	}
}

/**
 * A throwaway PostgreSQL cluster of the run's own (initdb, trust auth, its own port and socket
 * dir), so restarting PostgreSQL under load does not disturb anyone else's database on this machine.
 */
export class PrivateCluster {
	private constructor(
		readonly dir: string,
		readonly port: number,
		private readonly bin: string,
		private readonly runAs: string | null
	) {}

	get url(): string {
		return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
	}

	static available(): boolean {
		return findPgBin() !== null;
	}

	static async create(wanted: number): Promise<PrivateCluster> {
		const port = await freePort(wanted);
		const bin = findPgBin();
		if (!bin) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql');
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocthi-chaos-pg-'));
		// PostgreSQL refuses to run as root: run it as the packaged 'postgres' user then.
		const runAs = process.getuid?.() === 0 ? 'postgres' : null;
		if (runAs) spawnSync('chown', ['-R', `${runAs}:${runAs}`, dir]);
		const cluster = new PrivateCluster(dir, port, bin, runAs);
		cluster.run('initdb', [
			'-D',
			path.join(dir, 'data'),
			'-U',
			'postgres',
			'--auth=trust',
			'-E',
			'UTF8',
			'--no-sync'
		]);
		await cluster.ctl('start');
		return cluster;
	}

	private run(tool: string, args: string[]): string {
		const exe = path.join(this.bin, tool);
		const result = this.runAs
			? spawnSync('runuser', ['-u', this.runAs, '--', exe, ...args], { encoding: 'utf8' })
			: spawnSync(exe, args, { encoding: 'utf8' });
		if (result.status !== 0)
			throw new Error(`${tool} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
		return result.stdout;
	}

	/** pg_ctl start | restart (fast: open connections are cut, as on a real restart) | stop. */
	async ctl(action: 'start' | 'restart' | 'stop'): Promise<void> {
		const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=100`;
		this.run('pg_ctl', [
			action,
			'-D',
			path.join(this.dir, 'data'),
			'-w',
			'-t',
			'60',
			...(action === 'stop' || action === 'restart' ? ['-m', 'fast'] : []),
			...(action === 'stop' ? [] : ['-o', options, '-l', path.join(this.dir, 'postgres.log')])
		]);
	}

	async destroy(): Promise<void> {
		try {
			await this.ctl('stop');
		} finally {
			fs.rmSync(this.dir, { recursive: true, force: true });
		}
	}
}

function findPgBin(): string | null {
	const base = '/usr/lib/postgresql';
	if (!fs.existsSync(base)) return null;
	const versions = fs
		.readdirSync(base)
		.filter((v) => fs.existsSync(path.join(base, v, 'bin', 'pg_ctl')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(base, versions[0], 'bin') : null;
}

/** The first port from `from` up that nobody listens on (another run's cluster, say). */
export async function freePort(from: number, to = from + 40): Promise<number> {
	for (let port = from; port <= to; port++) {
		const free = await new Promise<boolean>((resolve) => {
			const probe = net.createServer();
			probe.once('error', () => resolve(false));
			probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
		});
		if (free) return port;
	}
	throw new Error(`no free port in ${from}–${to}`);
}
