import { m } from '$lib/paraglide/messages';
import { formValuesFromData, formValuesOf, withBlankRows } from '$lib/questions/form';
import { correctAnswerKey } from '$lib/server/assessments/marking';
import { getVersion, questionInputFromForm } from '$lib/server/questions/editor';
import { requireRole } from '$lib/server/auth/actor';
import { act, clientIp, guard, intParam, requireActor } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const version = await guard(() =>
		getVersion(event.locals.db, actor, intParam(event.params.versionId))
	);
	return {
		version: {
			id: version.id,
			questionId: version.questionId,
			number: version.version,
			name: version.content.name,
			attempts: version.attempts
		},
		values: formValuesOf({
			...version.content,
			categoryId: version.categoryId,
			tags: [],
			difficulty: null,
			idNumber: null
		})
	};
};

async function run(event: Parameters<Actions[string]>[0], dryRun: boolean) {
	const actor = requireActor(event);
	const values = formValuesFromData(await event.request.formData());
	const result = await act({ ...values }, () =>
		correctAnswerKey(event.locals.db, actor, {
			questionVersionId: intParam(event.params.versionId),
			data: questionInputFromForm(values).data,
			dryRun,
			now: new Date(),
			ip: clientIp(event)
		})
	);
	if (result && 'status' in result) return result;
	return dryRun
		? { values, preview: result }
		: { success: m.quiz_marking_key_done({ attempts: result.attempts, changed: result.changed }) };
}

export const actions: Actions = {
	/** What the correction would change, without changing it. */
	preview: (event) => run(event, true),
	confirm: (event) => run(event, false),
	rows: async (event) => {
		const actor = requireActor(event);
		await guard(async () => requireRole(actor, 'trainer', 'admin'));
		const values = formValuesFromData(await event.request.formData());
		return { values: withBlankRows(values, 3) };
	}
};
