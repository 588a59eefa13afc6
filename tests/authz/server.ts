// A server of the authorisation tests' own: the built app on a fresh PGlite data dir seeded with
// the demo data set. The matrix's allowed requests really change things (an organiser closes a
// round, an admin revokes a certificate), so they must not run against the server other journeys
// share.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RunningServer {
	baseURL: string;
	stop(): Promise<void>;
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as net.AddressInfo;
			probe.close(() => resolve(port));
		});
	});
}

/** Starts the built app (the build the shared e2e server made) with the demo data set. */
export async function startDemoServer(name: string): Promise<RunningServer> {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `hocthi-${name}-`));
	const port = await freePort();
	const server: ChildProcess = spawn(process.execPath, ['scripts/server.js'], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			HOCTHI_DEMO: '1',
			HOCTHI_E2E_FIXTURES: '1',
			DATABASE_URL: ''
		},
		stdio: ['ignore', 'pipe', 'inherit']
	});
	const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
	await new Promise<void>((resolve, reject) => {
		server.stdout!.on('data', (chunk: Buffer) => {
			if (chunk.toString().includes('listening on')) resolve();
		});
		server.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
	});
	return {
		baseURL: `http://127.0.0.1:${port}`,
		async stop() {
			if (server.exitCode === null) {
				server.kill('SIGTERM');
				await exited;
			}
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	};
}
