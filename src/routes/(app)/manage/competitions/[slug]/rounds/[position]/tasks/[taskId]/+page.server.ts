import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { act, clientIp, formValues, guard, intParam, requireActor } from '$lib/server/http';
import {
	addCriterion,
	addTaskAttachment,
	deleteCriterion,
	deleteTask,
	removeTaskAttachment,
	TASK_POLICY,
	taskForOrganiser,
	updateCriterion,
	updateTask
} from '$lib/server/competitions/practical';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

function ref(event: RequestEvent) {
	return {
		slug: event.params.slug,
		position: intParam(event.params.position),
		taskId: intParam(event.params.taskId),
		now: new Date(),
		ip: clientIp(event)
	};
}

const failed = (result: unknown) => !!result && typeof result === 'object' && 'status' in result;

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const view = await guard(() =>
		taskForOrganiser(event.locals.db, actor, {
			slug: event.params.slug,
			position: intParam(event.params.position),
			taskId: intParam(event.params.taskId)
		})
	);
	return { ...view, policy: TASK_POLICY };
};

export const actions: Actions = {
	update: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const result = await act(values, () =>
			updateTask(event.locals.db, actor, {
				...ref(event),
				title: values.title,
				statement: values.statement
			})
		);
		if (failed(result)) return result;
		return { saved: 'task' };
	},
	delete: async (event) => {
		const actor = requireActor(event);
		const result = await act({}, () => deleteTask(event.locals.db, actor, ref(event)));
		if (failed(result)) return result;
		redirect(
			303,
			`/manage/competitions/${event.params.slug}/rounds/${event.params.position}/tasks`
		);
	},
	attach: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const file = data.get('file');
		if (!(file instanceof File) || file.size === 0)
			return fail(400, { errors: { file: m.judge_file_required() } as Record<string, string> });
		const bytes = new Uint8Array(await file.arrayBuffer());
		const result = await act({}, () =>
			addTaskAttachment(event.locals.db, actor, { ...ref(event), fileName: file.name, bytes })
		);
		if (failed(result)) return result;
		return { saved: 'attachment' };
	},
	detach: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const result = await act({}, () =>
			removeTaskAttachment(event.locals.db, actor, { ...ref(event), fileId: values.file ?? '' })
		);
		if (failed(result)) return result;
		return { saved: 'attachment' };
	},
	addCriterion: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const result = await act({ ...values, form: 'new' }, () =>
			addCriterion(event.locals.db, actor, {
				...ref(event),
				name: values.name,
				description: values.description,
				maxPoints: values.maxPoints
			})
		);
		if (failed(result)) return result;
		return { saved: 'rubric' };
	},
	updateCriterion: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const result = await act({ ...values, form: values.criterion }, () =>
			updateCriterion(event.locals.db, actor, {
				...ref(event),
				criterionId: intParam(values.criterion),
				name: values.name,
				description: values.description,
				maxPoints: values.maxPoints
			})
		);
		if (failed(result)) return result;
		return { saved: 'rubric' };
	},
	deleteCriterion: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const result = await act({ form: values.criterion }, () =>
			deleteCriterion(event.locals.db, actor, {
				...ref(event),
				criterionId: intParam(values.criterion)
			})
		);
		if (failed(result)) return result;
		return { saved: 'rubric' };
	}
};
