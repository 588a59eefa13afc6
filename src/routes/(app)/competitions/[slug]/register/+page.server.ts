import { registrationsView } from '$lib/server/competitions/registration';
import { registrationActions } from '$lib/server/competitions/registration-actions';
import { guard, requireActor } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	return {
		view: await guard(() => registrationsView(event.locals.db, actor, { slug: event.params.slug }))
	};
};

export const actions: Actions = registrationActions;
