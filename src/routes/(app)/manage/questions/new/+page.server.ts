import { redirect } from '@sveltejs/kit';
import { blankForm, formValuesFromData, withBlankRows } from '$lib/questions/form';
import { QUESTION_TYPES, type QuestionType } from '$lib/questions/types';
import { bankCategories } from '$lib/server/questions/categories';
import { createQuestion, questionInputFromForm } from '$lib/server/questions/editor';
import { requireRole } from '$lib/server/auth/actor';
import { act, clientIp, guard, requireActor } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const typeParam = event.url.searchParams.get('type') ?? '';
	const type = (QUESTION_TYPES as readonly string[]).includes(typeParam)
		? (typeParam as QuestionType)
		: null;
	const category = event.url.searchParams.get('category') ?? '';
	const tree = await guard(() => bankCategories(event.locals.db, actor));
	return {
		type,
		category,
		values: type ? blankForm(type, category) : null,
		categories: tree.map((c) => ({ id: c.id, name: c.name, depth: c.depth }))
	};
};

export const actions: Actions = {
	save: async (event) => {
		const actor = requireActor(event);
		const values = formValuesFromData(await event.request.formData());
		const result = await act({ ...values }, () =>
			createQuestion(event.locals.db, actor, {
				question: questionInputFromForm(values),
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (result && 'status' in result) return result;
		redirect(303, `/manage/questions/${result.id}?created=1`);
	},
	/** More answer rows, keeping everything typed (works without JavaScript). */
	rows: async (event) => {
		const actor = requireActor(event);
		await guard(async () => requireRole(actor, 'trainer', 'admin'));
		const values = formValuesFromData(await event.request.formData());
		return { values: withBlankRows(values, 3) };
	}
};
