import { m } from '$lib/paraglide/messages';
import { changeOwnPassword } from '$lib/server/auth/login';
import { act, clientIp, requireActor, setSessionCookie } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event);
	return { mustChange: actor.mustChangePassword };
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const result = await act({}, () =>
			changeOwnPassword(event.locals.db, actor, {
				current: String(data.get('current') ?? ''),
				next: String(data.get('next') ?? ''),
				confirm: String(data.get('confirm') ?? ''),
				ip: clientIp(event),
				userAgent: event.request.headers.get('user-agent'),
				now: new Date()
			})
		);
		if ('status' in result) return result;
		// The old session ended with the old password: carry on in the new one.
		setSessionCookie(event, result.token, result.expiresAt);
		return { success: m.password_changed() };
	}
};
