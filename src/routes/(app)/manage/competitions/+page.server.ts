import { redirect } from '@sveltejs/kit';
import { createCompetition, listManagedCompetitions } from '$lib/server/competitions/competitions';
import { act, clientIp, formValues, guard, requireActor } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	return {
		competitions: await guard(() => listManagedCompetitions(event.locals.db, actor))
	};
};

export const actions: Actions = {
	create: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const result = await act(values, () =>
			createCompetition(event.locals.db, actor, {
				slug: (values.slug ?? '').trim().toLowerCase(),
				title: values.title ?? '',
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (result && 'status' in result) return result;
		redirect(303, `/manage/competitions/${result.slug}?created=1`);
	}
};
