import { redirect, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { m } from '$lib/paraglide/messages';
import { getDb, startApp } from '$lib/server/app';
import { SESSION_COOKIE, validateSessionToken } from '$lib/server/auth/session';
import { deleteSessionCookie, SECURITY_HEADERS, setSessionCookie } from '$lib/server/http';
import { logger } from '$lib/server/log';
import { LOCALE_COOKIE, localeOf, textDirection, withLocale } from '$lib/server/locale';
import { registerFastLane } from '$lib/server/fastlane';

export const init: ServerInit = async () => {
	await startApp();
};

// Autosaves answered in front of SvelteKit by scripts/server.js (see the module).
registerFastLane();

const handleParaglide: Handle = ({ event, resolve }) => {
	const locale = localeOf(event.cookies.get(LOCALE_COOKIE));
	return withLocale(locale, event.url.origin, () =>
		resolve(event, {
			transformPageChunk: ({ html }) =>
				html.replace('%paraglide.lang%', locale).replace('%paraglide.dir%', textDirection(locale))
		})
	);
};

/** Paths a user who must change their password may still reach. */
const PASSWORD_CHANGE_PATHS = ['/account/password', '/logout', '/lang'];

const handleAuth: Handle = async ({ event, resolve }) => {
	const db = await getDb();
	event.locals.db = db;
	event.locals.actor = null;
	event.locals.sessionToken = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const session = await validateSessionToken(db, { token, now: new Date() });
		if (session) {
			event.locals.actor = session.actor;
			event.locals.sessionToken = token;
			if (session.refreshed) setSessionCookie(event, token, session.expiresAt);
		} else {
			deleteSessionCookie(event);
		}
	}
	const actor = event.locals.actor;
	if (
		actor?.mustChangePassword &&
		!PASSWORD_CHANGE_PATHS.some((p) => event.url.pathname.startsWith(p)) &&
		!event.url.pathname.startsWith('/_app')
	) {
		redirect(303, '/account/password');
	}
	return resolve(event);
};

const handleHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	for (const [name, value] of SECURITY_HEADERS) response.headers.set(name, value);
	if (event.url.protocol === 'https:')
		response.headers.set('Strict-Transport-Security', 'max-age=31536000');
	if (event.locals.actor && !response.headers.has('Cache-Control')) {
		// Pages with personal data must not be kept by shared caches.
		response.headers.set('Cache-Control', 'private, no-store');
	}
	return response;
};

/**
 * A NUL (%00) in the path, the query or a url-encoded form names nothing here, and PostgreSQL text
 * cannot hold one: refuse it before any route turns it into a query parameter (a 500 otherwise).
 * Forms enhanced with JavaScript post url-encoded unless they carry files.
 */
const handleNul: Handle = async ({ event, resolve }) => {
	const { request, url } = event;
	if (/%00/i.test(url.pathname)) return refuse(404, m.error_not_found(), request);
	if (/%00/i.test(url.search)) return refuse(400, m.error_bad_request(), request);
	const type = request.headers.get('content-type') ?? '';
	if (request.method === 'POST' && type.startsWith('application/x-www-form-urlencoded')) {
		const body = await request.clone().text();
		if (/%00/i.test(body)) return refuse(400, m.error_nul_in_form(), request);
	}
	return resolve(event);
};

/** A refusal a form action's caller understands: `use:enhance` reads an ActionResult. */
function refuse(status: number, message: string, request: Request): Response {
	if (request.headers.get('x-sveltekit-action') === 'true')
		// The data is devalue's encoding of { message } (a plain object of one string).
		return Response.json(
			{ type: 'failure', status, data: JSON.stringify([{ message: 1 }, message]) },
			{ headers: { 'cache-control': 'no-store' } }
		);
	return new Response(message, {
		status,
		headers: { 'content-type': 'text/plain; charset=utf-8' }
	});
}

export const handle: Handle = sequence(handleHeaders, handleNul, handleParaglide, handleAuth);

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const id = crypto.randomUUID().slice(0, 8);
	if (status >= 500) {
		logger.error(
			{ err: error, id, path: event.url.pathname, method: event.request.method },
			'unhandled error'
		);
		return { message: m.error_unexpected(), id };
	}
	return { message };
};
