import { redirect } from '@sveltejs/kit';
import { invalidateSession } from '$lib/server/auth/session';
import { deleteSessionCookie } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** Ends the session on the server, not just in the browser. */
export const POST: RequestHandler = async (event) => {
	const token = event.locals.sessionToken;
	if (token) await invalidateSession(event.locals.db, token);
	deleteSessionCookie(event);
	redirect(303, '/login');
};

export const GET: RequestHandler = () => redirect(303, '/');
