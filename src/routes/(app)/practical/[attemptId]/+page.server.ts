import { fail, redirect, type ActionFailure } from '@sveltejs/kit';
import {
	practicalView,
	removeTaskFile,
	saveTaskTexts,
	uploadTaskFile
} from '$lib/server/competitions/practical';
import { act, clientIp, formValues, guard, requireActor, type FormFailure } from '$lib/server/http';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const view = await guard(() =>
		practicalView(event.locals.db, actor, { attemptId: event.params.attemptId, now: new Date() })
	);
	return { view, late: event.url.searchParams.has('late') };
};

const isFailure = (x: unknown): x is ActionFailure<FormFailure> =>
	!!x && typeof x === 'object' && 'status' in x;

/**
 * Whatever button was pressed, the form's work is saved first: text answers (posted only
 * without JavaScript; with it they are autosaved) and any files chosen, task by task.
 */
async function persist(
	event: RequestEvent,
	data: FormData
): Promise<ActionFailure<FormFailure> | { uploaded: number }> {
	const actor = requireActor(event);
	const db = event.locals.db;
	const attemptId = event.params.attemptId;
	const values = formValues(data);
	const texts = Object.entries(values)
		.filter(([key]) => /^t\d+$/.test(key))
		.map(([key, text]) => ({ taskId: Number(key.slice(1)), text }));
	if (texts.length) {
		const saved = await act(values, () =>
			saveTaskTexts(db, actor, { attemptId, texts, now: new Date(), ip: clientIp(event) })
		);
		if (isFailure(saved)) return saved;
	}
	let uploaded = 0;
	for (const [key, value] of data.entries()) {
		if (!/^f\d+$/.test(key) || !(value instanceof File) || value.size === 0) continue;
		const bytes = new Uint8Array(await value.arrayBuffer());
		const result = await act(values, () =>
			uploadTaskFile(db, actor, {
				attemptId,
				taskId: Number(key.slice(1)),
				fileName: value.name,
				bytes,
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (isFailure(result)) {
			// The error belongs to this task's upload field.
			const errors = result.data.errors?.file ? { [key]: result.data.errors.file } : undefined;
			return fail(result.status, { ...result.data, errors, uploaded });
		}
		uploaded++;
	}
	return { uploaded };
}

export const actions: Actions = {
	save: async (event) => {
		const result = await persist(event, await event.request.formData());
		if (isFailure(result)) return result;
		return { saved: true, uploaded: result.uploaded };
	},
	remove: async (event) => {
		const data = await event.request.formData();
		const result = await persist(event, data);
		if (isFailure(result)) return result;
		const actor = requireActor(event);
		const removed = await act(formValues(data), () =>
			removeTaskFile(event.locals.db, actor, {
				attemptId: event.params.attemptId,
				fileId: String(data.get('file') ?? ''),
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (isFailure(removed)) return removed;
		return { removed: true };
	},
	finish: async (event) => {
		const result = await persist(event, await event.request.formData());
		if (isFailure(result)) return result;
		redirect(303, `/practical/${event.params.attemptId}/submit`);
	}
};
