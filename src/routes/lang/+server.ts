import { redirect } from '@sveltejs/kit';
import { cookieMaxAge, cookieName, isLocale } from '$lib/paraglide/runtime';
import { localPath } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** Switches the UI language (a plain form post, so it works without JavaScript). */
export const POST: RequestHandler = async ({ request, cookies }) => {
	const data = await request.formData();
	const locale = String(data.get('locale') ?? '');
	if (isLocale(locale)) {
		cookies.set(cookieName, locale, {
			path: '/',
			maxAge: cookieMaxAge,
			httpOnly: false,
			sameSite: 'lax'
		});
	}
	redirect(303, localPath(String(data.get('redirectTo') ?? '/')));
};
