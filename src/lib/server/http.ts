// Glue between routes and domain code: the acting user, client IP, cookies, and error mapping.
import {
	error,
	fail,
	redirect,
	type ActionFailure,
	type Cookies,
	type RequestEvent
} from '@sveltejs/kit';
import { hasRole, type Actor } from './auth/actor';
import type { Role } from './db/schema';
import { SESSION_COOKIE } from './auth/session';
import {
	Conflict,
	ImportFailed,
	Invalid,
	NotAllowed,
	NotFound,
	TooLate,
	type LineError
} from './errors';
import { m } from './i18n';

/** The logged-in actor, or a redirect to the login page that comes back here. */
export function requireActor(event: Pick<RequestEvent, 'locals' | 'url'>): Actor {
	const actor = event.locals.actor;
	if (!actor) {
		const back = event.url.pathname + event.url.search;
		redirect(303, `/login?redirectTo=${encodeURIComponent(back)}`);
	}
	return actor;
}

/**
 * The logged-in actor holding one of `roles`: otherwise a redirect to log in, or 403. For loads
 * whose data has no domain function of its own to check the role; SvelteKit runs a page's load
 * even when its layout refuses (and a client may ask for that load alone), so a layout's check
 * never stands in for the page's.
 */
export function requireRoles(event: Pick<RequestEvent, 'locals' | 'url'>, ...roles: Role[]): Actor {
	const actor = requireActor(event);
	if (!hasRole(actor, ...roles)) error(403, m.error_forbidden());
	return actor;
}

/**
 * A redirect target from user input, kept on this site: a path ('/…'), never '//host' or '/\\host'
 * (which browsers read as another site), nor anything with control characters; '/' otherwise.
 */
export function localPath(target: string | null | undefined): string {
	const t = target ?? '';
	// eslint-disable-next-line no-control-regex
	return t.startsWith('/') && !t.startsWith('//') && !/[\u0000-\u001f\u007f\\]/.test(t) ? t : '/';
}

/** Headers on every response of the app (hooks.server.ts, and the fast lane of autosaves). */
export const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
	['X-Content-Type-Options', 'nosniff'],
	['Referrer-Policy', 'same-origin'],
	['X-Frame-Options', 'DENY'],
	['Permissions-Policy', 'camera=(), microphone=(), geolocation=()'],
	// No other site's window keeps a handle on ours, nor embeds our files (uploads, certificates).
	['Cross-Origin-Opener-Policy', 'same-origin'],
	['Cross-Origin-Resource-Policy', 'same-origin']
];

export function clientIp(event: Pick<RequestEvent, 'getClientAddress'>): string | null {
	try {
		return event.getClientAddress();
	} catch {
		return null;
	}
}

export function setSessionCookie(
	event: { cookies: Cookies; url: URL },
	token: string,
	expiresAt: Date
): void {
	event.cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: event.url.protocol === 'https:',
		expires: expiresAt
	});
}

export function deleteSessionCookie(event: { cookies: Cookies; url: URL }): void {
	event.cookies.delete(SESSION_COOKIE, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: event.url.protocol === 'https:'
	});
}

/** In a load: turns known domain errors into the matching HTTP error page. */
export async function guard<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (e) {
		throwHttp(e);
	}
}

function throwHttp(e: unknown): never {
	if (e instanceof NotAllowed) error(403, m.error_forbidden());
	if (e instanceof NotFound) error(404, m.error_not_found());
	throw e;
}

export type FormFailure = {
	errors?: Record<string, string>;
	message?: string;
	lines?: LineError[];
	values?: Record<string, unknown>;
};

/**
 * In an action: runs the domain call and maps known errors to a form failure that keeps what
 * the user typed (`values`), so nothing is lost.
 */
export async function act<T>(
	values: Record<string, unknown>,
	work: () => Promise<T>
): Promise<T | ActionFailure<FormFailure>> {
	try {
		return await work();
	} catch (e) {
		if (e instanceof Invalid) return fail(400, { errors: e.fields, values });
		if (e instanceof ImportFailed)
			return fail(400, {
				lines: e.errors,
				values,
				message: m.import_failed({ count: e.errors.length })
			});
		if (e instanceof Conflict) return fail(409, { message: e.message, values });
		if (e instanceof TooLate) return fail(409, { message: e.message, values });
		throwHttp(e);
	}
}

/** Form values as strings, dropping files and secrets before they are echoed back. */
export function formValues(data: FormData, omit: string[] = ['password']): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of data.entries()) {
		if (typeof value === 'string' && !omit.includes(key)) out[key] = value;
	}
	return out;
}

/** A positive id from the URL or a form; past PostgreSQL's integer range it names nothing (404). */
export function intParam(value: string | null | undefined): number {
	const n = Number(value);
	if (!Number.isSafeInteger(n) || n <= 0 || n > 2_147_483_647) error(404, m.error_not_found());
	return n;
}
