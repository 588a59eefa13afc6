import { redirect } from '@sveltejs/kit';
import { act, clientIp, formValues, guard, intParam, requireActor } from '$lib/server/http';
import {
	createTask,
	moveTask,
	practicalRoundForOrganiser,
	TASK_POLICY
} from '$lib/server/competitions/practical';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const view = await guard(() =>
		practicalRoundForOrganiser(event.locals.db, actor, {
			slug: event.params.slug,
			position: intParam(event.params.position)
		})
	);
	return { ...view, policy: TASK_POLICY };
};

export const actions: Actions = {
	create: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const result = await act(values, () =>
			createTask(event.locals.db, actor, {
				slug: event.params.slug,
				position: intParam(event.params.position),
				title: values.title,
				statement: values.statement,
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (result && 'status' in result) return result;
		redirect(
			303,
			`/manage/competitions/${event.params.slug}/rounds/${event.params.position}/tasks/${result.id}`
		);
	},
	move: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const result = await act({}, () =>
			moveTask(event.locals.db, actor, {
				slug: event.params.slug,
				position: intParam(event.params.position),
				taskId: intParam(values.task),
				direction: values.direction === 'up' ? 'up' : 'down',
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (result && typeof result === 'object' && 'status' in result) return result;
		return { moved: true };
	}
};
