import { redirect } from '@sveltejs/kit';
import { createCourse } from '$lib/server/courses/authoring';
import { failed } from '../failed';
import { act, clientIp, formValues, requireActor } from '$lib/server/http';
import type { Actions } from './$types';

export const actions: Actions = {
	default: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const result = await act(values, () =>
			createCourse(event.locals.db, actor, {
				slug: values.slug ?? '',
				title: values.title ?? '',
				summary: values.summary ?? '',
				category: values.category ?? '',
				estimatedHours: values.estimatedHours ?? '',
				description: values.description ?? '',
				ip: clientIp(event),
				now: new Date()
			})
		);
		if (failed(result)) return result;
		redirect(303, `/manage/courses/${result.id}?created=1`);
	}
};
