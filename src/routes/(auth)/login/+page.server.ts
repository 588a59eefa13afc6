import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { logIn } from '$lib/server/auth/login';
import { invalidateSession } from '$lib/server/auth/session';
import { clientIp, localPath, setSessionCookie } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.actor) redirect(303, localPath(url.searchParams.get('redirectTo')));
	return { redirectTo: localPath(url.searchParams.get('redirectTo')) };
};

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		const username = String(data.get('username') ?? '').trim();
		const password = String(data.get('password') ?? '');
		const values = { username };
		const errors: Record<string, string> = {};
		if (!username) errors.username = m.login_username_required();
		if (!password) errors.password = m.login_password_required();
		if (Object.keys(errors).length) return fail(400, { errors, values });

		const outcome = await logIn(event.locals.db, {
			username,
			password,
			ip: clientIp(event),
			userAgent: event.request.headers.get('user-agent'),
			now: new Date()
		});
		if (outcome.kind === 'throttled') {
			const seconds = Math.ceil(outcome.retryAfterMs / 1000);
			event.setHeaders({ 'Retry-After': String(seconds) });
			return fail(429, { message: m.login_throttled({ seconds }), values });
		}
		if (outcome.kind === 'invalid') return fail(400, { message: m.login_invalid(), values });
		// A new session at every login: any session id the browser had before is dropped.
		if (event.locals.sessionToken)
			await invalidateSession(event.locals.db, event.locals.sessionToken);
		setSessionCookie(event, outcome.session.token, outcome.session.expiresAt);
		redirect(
			303,
			outcome.mustChangePassword
				? '/account/password'
				: localPath(String(data.get('redirectTo') ?? '/'))
		);
	}
};
