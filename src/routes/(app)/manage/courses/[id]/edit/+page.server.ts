import { courseSettings, updateCourse } from '$lib/server/courses/authoring';
import { act, clientIp, formValues, guard, intParam, requireActor } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const course = await guard(() =>
		courseSettings(event.locals.db, actor, intParam(event.params.id))
	);
	return { course };
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const result = await act(values, () =>
			updateCourse(event.locals.db, actor, {
				id: intParam(event.params.id),
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
		if (result && 'status' in result) return result;
		return { saved: true };
	}
};
