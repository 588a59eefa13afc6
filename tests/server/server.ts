// The built app as a child process on a fresh PGlite data dir with the demo data set, for tests
// that need real HTTP, real signals and a real process (shutdown, hostile requests, uploads).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as devalue from 'devalue';
import { Agent, FormData, request } from 'undici';
import { ensureBuild } from '../../scripts/bench/server';

const root = path.resolve(import.meta.dirname, '..', '..');

export interface TestServer {
	url: string;
	child: ChildProcess;
	/** Resolves with the exit code (or the signal's name) once the process is gone. */
	exited: Promise<number | string>;
	output: string[];
	stop(): Promise<void>;
}

/** A port of this worktree's range (4400–4499) that nobody is listening on. */
async function freePort(from: number, to: number): Promise<number> {
	for (
		let port = from + Math.floor(Math.random() * (to - from));
		;
		port = port >= to ? from : port + 1
	) {
		const ok = await new Promise<boolean>((resolve) => {
			const probe = net.createServer();
			probe.once('error', () => resolve(false));
			probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
		});
		if (ok) return port;
	}
}

export async function startTestServer(
	name: string,
	env: Record<string, string> = {}
): Promise<TestServer> {
	ensureBuild();
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `hocthi-${name}-`));
	const port = await freePort(4450, 4499);
	const child = spawn(process.execPath, [path.join(root, 'scripts', 'server.js')], {
		cwd: root,
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			HOCTHI_ROOT: root,
			DATA_DIR: dataDir,
			DATABASE_URL: '',
			HOCTHI_DEMO: '1',
			LOG_LEVEL: 'warn',
			NODE_ENV: 'production',
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const output: string[] = [];
	child.stdout!.on('data', (c: Buffer) => output.push(c.toString()));
	child.stderr!.on('data', (c: Buffer) => output.push(c.toString()));
	const exited = new Promise<number | string>((resolve) =>
		child.once('exit', (code, signal) => resolve(code ?? signal ?? -1))
	);
	const url = `http://127.0.0.1:${port}`;
	for (let i = 0; ; i++) {
		if (child.exitCode !== null) throw new Error(`the server exited early:\n${output.join('')}`);
		try {
			const res = await fetch(`${url}/login`);
			if (res.ok) break;
		} catch {
			// not up yet
		}
		if (i > 900) throw new Error('the server did not start within 180 s');
		await new Promise((r) => setTimeout(r, 200));
	}
	return {
		url,
		child,
		exited,
		output,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
				const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
				await exited;
				clearTimeout(timer);
			}
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

const agent = new Agent({ connections: 16, headersTimeout: 60_000, bodyTimeout: 60_000 });

export interface Answer {
	status: number;
	text: string;
	headers: Record<string, string | string[] | undefined>;
}

/** A browser-like client: one session cookie, same-origin posts. */
export class Client {
	cookie = '';
	constructor(readonly base: string) {}

	async send(
		method: 'GET' | 'POST',
		path: string,
		body?: string | FormData,
		headers: Record<string, string> = {}
	): Promise<Answer> {
		const res = await request(this.base + path, {
			method,
			dispatcher: agent,
			body,
			headers: { origin: this.base, ...(this.cookie ? { cookie: this.cookie } : {}), ...headers }
		});
		const text = await res.body.text();
		const setCookie = res.headers['set-cookie'];
		for (const c of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
			const pair = c.split(';', 1)[0];
			if (pair.startsWith('hocthi_session=')) this.cookie = pair;
		}
		return { status: res.statusCode, text, headers: res.headers };
	}

	get(path: string): Promise<Answer> {
		return this.send('GET', path);
	}

	json(path: string, body: string): Promise<Answer> {
		return this.send('POST', path, body, {
			'content-type': 'application/json',
			accept: 'application/json'
		});
	}

	/** A form action as `use:enhance` posts it: url-encoded fields, or multipart with files. */
	action(path: string, fields: Record<string, string> | FormData): Promise<Answer> {
		const headers: Record<string, string> = {
			accept: 'application/json',
			'x-sveltekit-action': 'true'
		};
		if (fields instanceof FormData) return this.send('POST', path, fields, headers);
		return this.send('POST', path, new URLSearchParams(fields).toString(), {
			...headers,
			'content-type': 'application/x-www-form-urlencoded'
		});
	}

	async logIn(username: string, password = 'HocThi@2012'): Promise<void> {
		const res = await this.action('/login', { username, password, redirectTo: '/' });
		if (!res.text.includes('"redirect"') || !this.cookie)
			throw new Error(`login ${username}: ${res.status} ${res.text.slice(0, 200)}`);
	}

	/** The page's own load data, as the client router fetches it. */
	async pageData<T = Record<string, unknown>>(path: string): Promise<T> {
		const [pathname, search] = path.split('?');
		const res = await this.get(
			`${pathname.replace(/\/$/, '')}/__data.json${search ? '?' + search : ''}`
		);
		const parsed = JSON.parse(res.text.split('\n')[0]) as {
			nodes?: Array<{ type: string; data?: unknown }>;
		};
		const leaf = parsed.nodes?.at(-1);
		if (!leaf || leaf.type !== 'data')
			throw new Error(`${path}: ${res.status} ${res.text.slice(0, 200)}`);
		return devalue.unflatten(leaf.data as number) as T;
	}
}

/** What a form action answered: its kind, the status it carries, and its data (decoded). */
export function actionResult(answer: Answer): {
	type: string;
	status: number;
	data: unknown;
	location?: string;
} {
	const parsed = JSON.parse(answer.text) as {
		type: string;
		status?: number;
		data?: string;
		location?: string;
	};
	return {
		type: parsed.type,
		status: parsed.status ?? answer.status,
		data: typeof parsed.data === 'string' ? devalue.parse(parsed.data) : parsed.data,
		location: parsed.location
	};
}
