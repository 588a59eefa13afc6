import { redirect } from '@sveltejs/kit';
import { formValuesFromData, formValuesOf, withBlankRows } from '$lib/questions/form';
import { bankCategories } from '$lib/server/questions/categories';
import { getQuestion, questionInputFromForm, updateQuestion } from '$lib/server/questions/editor';
import { requireRole } from '$lib/server/auth/actor';
import { act, clientIp, guard, intParam, requireActor } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const db = event.locals.db;
	const q = await guard(() => getQuestion(db, actor, intParam(event.params.id)));
	const tree = await bankCategories(db, actor);
	return {
		id: q.id,
		name: q.name,
		version: q.version,
		attempts: q.versions.find((v) => v.id === q.versionId)?.attempts ?? 0,
		values: formValuesOf({
			...q.content,
			categoryId: q.categoryId,
			tags: q.tags,
			difficulty: q.difficulty,
			idNumber: q.idNumber
		}),
		categories: tree.map((c) => ({ id: c.id, name: c.name, depth: c.depth }))
	};
};

export const actions: Actions = {
	save: async (event) => {
		const actor = requireActor(event);
		const values = formValuesFromData(await event.request.formData());
		const id = intParam(event.params.id);
		const result = await act({ ...values }, () =>
			updateQuestion(event.locals.db, actor, {
				id,
				question: questionInputFromForm(values),
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (result && 'status' in result) return result;
		redirect(303, `/manage/questions/${id}?saved=${result.newVersion ? 'new' : '1'}`);
	},
	rows: async (event) => {
		const actor = requireActor(event);
		await guard(async () => requireRole(actor, 'trainer', 'admin'));
		const values = formValuesFromData(await event.request.formData());
		return { values: withBlankRows(values, 3) };
	}
};
