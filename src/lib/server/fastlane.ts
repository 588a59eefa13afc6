// The fast lane for autosaves. On competition day nearly every request is one answer saved
// (620 competitors, every few seconds); through SvelteKit each one also builds a web Request and
// Response, runs the hooks and the router, which cost several times the save itself
// (`npm run bench`: ≈ 1 ms of CPU per save, against ≈ 0.2 ms for node:http and the same upsert).
// scripts/server.js offers every POST to this function first. It answers only the plain case: a
// JSON save to /attempts/<uuid>/save with a session that is valid and needs no write, by a user
// who need not change their password. Anything else (no or expired session, a session whose idle
// window slides, another path or content type, a body too large) it declines before reading the
// body, and SvelteKit answers as before. The answer itself comes from the same function as the
// route's (assessments/autosave.ts), with the same headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { m } from '$lib/paraglide/messages';
import { getDb } from './app';
import type { Db } from './db/client';
import { autosave } from './assessments/autosave';
import { peekSessionToken, SESSION_COOKIE } from './auth/session';
import { SECURITY_HEADERS } from './http';
import { LOCALE_COOKIE, localeOf, withLocale } from './locale';
import { logger } from './log';

const SAVE_PATH =
	/^\/attempts\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/save$/;
/** A save is at most a 20,000-character answer in JSON; larger bodies go the long way. */
export const FAST_BODY_LIMIT = 256 * 1024;

/** The first value of cookie `name` in a Cookie header (as the `cookie` package reads it). */
export function readCookie(header: string | undefined, name: string): string | undefined {
	if (!header) return undefined;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
		let value = part.slice(eq + 1).trim();
		if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
		try {
			return value.includes('%') ? decodeURIComponent(value) : value;
		} catch {
			return value;
		}
	}
	return undefined;
}

/** Which requests the fast lane may take, from the request line and headers alone. */
export function fastLaneTarget(req: {
	method?: string;
	url?: string;
	headers: IncomingMessage['headers'];
}): { attemptId: string; token: string } | null {
	if (req.method !== 'POST' || !req.url) return null;
	const match = SAVE_PATH.exec(req.url);
	if (!match) return null;
	if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json'))
		return null;
	const length = req.headers['content-length'];
	if (length !== undefined && !(Number(length) <= FAST_BODY_LIMIT)) return null;
	const token = readCookie(req.headers.cookie, SESSION_COOKIE);
	if (!token) return null;
	return { attemptId: match[1], token };
}

/** The client's address as adapter-node gives it (ADDRESS_HEADER, XFF_DEPTH), or null. */
export function clientAddress(req: IncomingMessage): string | null {
	const header = (process.env.ADDRESS_HEADER ?? '').toLowerCase();
	if (!header) return req.socket.remoteAddress ?? null;
	const value = req.headers[header];
	if (typeof value !== 'string') return null;
	if (header !== 'x-forwarded-for') return value;
	const addresses = value.split(',');
	const depth = Number.parseInt(process.env.XFF_DEPTH ?? '1', 10);
	if (!(depth >= 1) || depth > addresses.length) return null;
	return addresses[addresses.length - depth].trim();
}

function readBody(req: IncomingMessage): Promise<string | null> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= FAST_BODY_LIMIT) chunks.push(chunk);
		});
		req.on('end', () =>
			resolve(size <= FAST_BODY_LIMIT ? Buffer.concat(chunks).toString('utf8') : null)
		);
		req.on('error', reject);
	});
}

function reply(res: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.statusCode = status;
	for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
	// Personal data: never kept by a shared cache (as hooks.server.ts says for signed-in pages).
	res.setHeader('Cache-Control', 'private, no-store');
	res.setHeader('Content-Type', 'application/json');
	res.setHeader('Content-Length', Buffer.byteLength(text));
	res.end(text);
}

/**
 * Answers the request and resolves true, or resolves false without having read the body, for
 * SvelteKit to answer.
 */
export async function fastSave(
	req: IncomingMessage,
	res: ServerResponse,
	open: () => Promise<Db> = getDb
): Promise<boolean> {
	const target = fastLaneTarget(req);
	if (!target) return false;
	const db = await open();
	const actor = await peekSessionToken(db, { token: target.token, now: new Date() });
	if (!actor || actor.mustChangePassword) return false;
	const locale = localeOf(readCookie(req.headers.cookie, LOCALE_COOKIE));
	return withLocale(locale, `http://${req.headers.host ?? 'localhost'}`, async () => {
		try {
			const body = await readBody(req);
			if (body === null) {
				reply(res, 400, { message: m.engine_bad_body() });
				return true;
			}
			const answer = await autosave(db, actor, {
				attemptId: target.attemptId,
				body,
				now: new Date(),
				ip: clientAddress(req)
			});
			reply(res, answer.status, answer.body);
		} catch (error) {
			const id = crypto.randomUUID().slice(0, 8);
			logger.error(
				{ err: error, id, path: req.url, method: req.method, lane: 'fast' },
				'unhandled error'
			);
			if (!res.headersSent) reply(res, 500, { message: m.error_unexpected(), id });
			else res.destroy();
		}
		return true;
	});
}

/** scripts/server.js looks here for the fast lane (the app's modules live in the build). */
export function registerFastLane(): void {
	(globalThis as typeof globalThis & { __hocthiFastLane?: typeof fastSave }).__hocthiFastLane =
		fastSave;
}
