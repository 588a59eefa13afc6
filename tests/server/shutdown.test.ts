// Graceful shutdown of the built server (scripts/server.js): on SIGTERM a request already being
// handled still gets its answer, a live board stream (SSE) ends cleanly, and the process exits 0.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './server';

let server: TestServer;

beforeAll(async () => {
	server = await startTestServer('shutdown');
}, 300_000);
afterAll(() => server?.stop());

/** Opens the projector board's event stream; resolves once its first event has arrived. */
function openBoardStream(url: string) {
	return new Promise<{
		ended: Promise<'end' | 'aborted' | 'error'>;
		firstChunk: string;
		status: number;
	}>((resolve, reject) => {
		const req = http.get(
			`${url}/board/hoi-thi-cntt-2012/events`,
			{ headers: { accept: 'text/event-stream' } },
			(res) => {
				let first = true;
				const ended = new Promise<'end' | 'aborted' | 'error'>((done) => {
					res.on('end', () => done('end'));
					res.on('aborted', () => done('aborted'));
					res.on('error', () => done('error'));
				});
				res.on('data', (chunk: Buffer) => {
					if (!first) return;
					first = false;
					resolve({ ended, firstChunk: chunk.toString(), status: res.statusCode ?? 0 });
				});
			}
		);
		req.on('error', reject);
	});
}

/**
 * A slow request: its headers reach the server (which answers 100 Continue, so it is in flight
 * there) but its body is sent only when `finish` is called — like a form posted over a slow link.
 */
function startSlowLogin(url: string) {
	const body = new URLSearchParams({
		username: 'canbo',
		password: 'HocThi@2012',
		redirectTo: '/'
	}).toString();
	const u = new URL(`${url}/login`);
	const req = http.request({
		host: u.hostname,
		port: u.port,
		path: u.pathname,
		method: 'POST',
		headers: {
			origin: url,
			accept: 'application/json',
			'x-sveltekit-action': 'true',
			'content-type': 'application/x-www-form-urlencoded',
			'content-length': Buffer.byteLength(body),
			expect: '100-continue'
		}
	});
	const inFlight = new Promise<void>((resolve) => req.once('continue', () => resolve()));
	const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
		req.on('response', (res) => {
			let text = '';
			res.on('data', (c: Buffer) => (text += c.toString()));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
			res.on('error', reject);
		});
		req.on('error', reject);
	});
	req.flushHeaders();
	return {
		inFlight,
		answer,
		finish: () => req.end(body)
	};
}

describe('graceful shutdown on SIGTERM', () => {
	it('finishes the in-flight request, ends the board stream cleanly, and exits 0', async () => {
		const stream = await openBoardStream(server.url);
		expect(stream.status).toBe(200);
		expect(stream.firstChunk).toMatch(/^(event|data|retry|:)/m);

		const slow = startSlowLogin(server.url);
		await slow.inFlight;

		server.child.kill('SIGTERM');
		// The stream ends with the chunked terminator (a clean end), not a reset connection.
		expect(await stream.ended).toBe('end');

		// Only now does the slow request's body arrive: it is still answered, and logs in.
		slow.finish();
		const answer = await slow.answer;
		expect(answer.status).toBe(200);
		expect(JSON.parse(answer.body)).toMatchObject({ type: 'redirect' });

		expect(await server.exited).toBe(0);
		// New connections are refused once the server has stopped listening.
		await expect(fetch(`${server.url}/login`)).rejects.toThrow();
	});
});
