// Serves the built app (adapter-node's handler) over HTTP, with graceful shutdown. With
// HOCTHI_WORKERS > 1 (PostgreSQL only) a primary process runs that many app processes on the one
// port and starts a new one when one dies; they share nothing but the database (live boards agree
// through LISTEN/NOTIFY, login throttling and sessions live in tables).
import cluster from 'node:cluster';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const log = (level, msg) => console.log(JSON.stringify({ level, time: Date.now(), msg }));

/** How many app processes: HOCTHI_WORKERS (a number, or `auto` for one per CPU); 1 on PGlite. */
function workerCount() {
	const asked = process.env.HOCTHI_WORKERS ?? '1';
	const n = asked === 'auto' ? os.availableParallelism() : Number(asked);
	if (!Number.isInteger(n) || n < 1 || n > 64) {
		log(50, `HOCTHI_WORKERS=${asked}: expected a whole number from 1 to 64, or auto`);
		process.exit(2);
	}
	if (n > 1 && !process.env.DATABASE_URL) {
		// One process at a time may open an embedded PGlite data dir.
		log(
			40,
			`HOCTHI_WORKERS=${asked} needs PostgreSQL (DATABASE_URL); embedded PGlite runs one process`
		);
		return 1;
	}
	return n;
}

const workers = cluster.isPrimary ? workerCount() : 1;
if (workers > 1) {
	await runPrimary(workers);
} else {
	await runWorker();
}

/**
 * The first app process starts alone (it migrates and, on an empty database, seeds the demo); the
 * others follow once it listens. A process that dies is replaced, unless they keep dying.
 */
async function runPrimary(count) {
	// The app processes run this file, also when `npm start` (scripts/start.js) started the primary.
	cluster.setupPrimary({ exec: fileURLToPath(import.meta.url) });
	let stopping = false;
	const deaths = [];
	const fork = (index) => {
		const worker = cluster.fork({ HOCTHI_WORKER: String(index) });
		worker.on('exit', (code, signal) => {
			if (stopping) return;
			log(
				50,
				`app process ${index} (pid ${worker.process.pid}) ended (${signal ?? code}); starting another`
			);
			const now = Date.now();
			deaths.push(now);
			while (deaths.length && deaths[0] < now - 60_000) deaths.shift();
			if (deaths.length > 5 * count) {
				log(60, 'app processes keep ending: giving up');
				process.exit(1);
			}
			fork(index);
		});
		return worker;
	};
	const first = fork(1);
	await new Promise((resolve, reject) => {
		first.once('listening', resolve);
		first.once('exit', () => reject(new Error('the first app process ended while starting')));
	}).catch((error) => {
		log(60, error.message);
		process.exit(1);
	});
	for (let i = 2; i <= count; i++) fork(i);
	const shutdown = (signal) => {
		if (stopping) return;
		stopping = true;
		log(30, `${signal}: stopping ${count} app processes`);
		for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
		const check = setInterval(() => {
			if (!Object.keys(cluster.workers ?? {}).length) process.exit(0);
		}, 100);
		check.unref();
	};
	process.on('SIGTERM', () => shutdown('SIGTERM'));
	process.on('SIGINT', () => shutdown('SIGINT'));
}

async function runWorker() {
	const root = process.env.HOCTHI_ROOT ?? process.cwd();
	const buildDir = path.resolve(root, process.env.HOCTHI_BUILD_DIR ?? 'build');

	// Without ORIGIN, adapter-node assumes https; a plain `npm start` on a LAN is http. A proxy in
	// front (nginx with TLS) sends X-Forwarded-Proto, which then wins.
	const plainHttp = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
	if (plainHttp) process.env.PROTOCOL_HEADER = 'x-forwarded-proto';

	// Uploads (lesson images up to 5 MB, attachments and practical-round files up to 20 MB) must reach the app, which refuses
	// what is too large with a clear message; adapter-node's default limit is 512 KB.
	process.env.BODY_SIZE_LIMIT ??= '25M';

	const { handler } = await import(pathToFileURL(path.join(buildDir, 'handler.js')).href);

	const port = Number(process.env.PORT ?? 3000);
	const host = process.env.HOST ?? '0.0.0.0';
	const server = http.createServer((req, res) => {
		if (plainHttp && !req.headers['x-forwarded-proto']) req.headers['x-forwarded-proto'] = 'http';
		// Static files (served before the app's hooks run) are never sniffed either.
		res.setHeader('X-Content-Type-Options', 'nosniff');
		const app = () =>
			handler(req, res, () => {
				res.statusCode = 404;
				res.end('Not found');
			});
		// Autosaves first go to the app's fast lane (src/lib/server/fastlane.ts), which answers them
		// or leaves them, unread, to SvelteKit.
		const fast = globalThis.__hocthiFastLane;
		if (fast && req.method === 'POST')
			fast(req, res).then(
				(answered) => answered || app(),
				(error) => {
					console.log(JSON.stringify({ level: 50, time: Date.now(), msg: `fast lane: ${error}` }));
					if (!res.headersSent) app();
				}
			);
		else app();
	});
	server.keepAliveTimeout = 65_000;
	server.headersTimeout = 66_000;

	// A hall of competitors opens its connections within seconds: a deeper accept queue than Node's
	// 511 (the kernel caps it at net.core.somaxconn).
	server.listen({ port, host, backlog: 4096 }, () => {
		console.log(
			JSON.stringify({
				level: 30,
				time: Date.now(),
				msg: `HọcThi listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`
			})
		);
	});

	let stopping = false;
	function shutdown(signal) {
		if (stopping) return;
		stopping = true;
		console.log(
			JSON.stringify({ level: 30, time: Date.now(), msg: `${signal}: draining requests` })
		);
		// Stop accepting; in-flight requests finish. Live streams (SSE) close on 'hocthi:draining'.
		server.close(async () => {
			process.emit('sveltekit:shutdown', signal);
			// Close the database last (PGlite flushes its data dir and releases the lock).
			await globalThis.__hocthiStop?.();
			process.exit(0);
		});
		server.closeIdleConnections();
		process.emit('hocthi:draining', signal);
		setTimeout(
			() => {
				console.log(
					JSON.stringify({
						level: 40,
						time: Date.now(),
						msg: 'shutdown timeout: exiting with requests still open'
					})
				);
				process.exit(1);
			},
			Number(process.env.SHUTDOWN_TIMEOUT ?? 30) * 1000
		).unref();
	}
	process.on('SIGTERM', () => shutdown('SIGTERM'));
	process.on('SIGINT', () => shutdown('SIGINT'));
}
