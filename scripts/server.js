// Serves the built app (adapter-node's handler) over HTTP, with graceful shutdown.
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

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
	handler(req, res, () => {
		res.statusCode = 404;
		res.end('Not found');
	});
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
	console.log(JSON.stringify({ level: 30, time: Date.now(), msg: `${signal}: draining requests` }));
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
