import { redirect } from '@sveltejs/kit';
import { courseSettings, lessonRevision, restoreRevision } from '$lib/server/courses/authoring';
import { failed } from '../../../../../failed';
import { act, clientIp, guard, intParam, requireActor } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const courseId = intParam(event.params.id);
	const lessonId = intParam(event.params.lessonId);
	const revisionId = intParam(event.params.revisionId);
	return guard(async () => {
		const course = await courseSettings(event.locals.db, actor, courseId);
		const revision = await lessonRevision(event.locals.db, actor, {
			courseId,
			lessonId,
			revisionId
		});
		return { course: { id: course.id, title: course.title }, revision };
	});
};

export const actions: Actions = {
	restore: async (event) => {
		const actor = requireActor(event);
		const courseId = intParam(event.params.id);
		const lessonId = intParam(event.params.lessonId);
		const result = await act({}, () =>
			restoreRevision(event.locals.db, actor, {
				courseId,
				lessonId,
				revisionId: intParam(event.params.revisionId),
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (failed(result)) return result;
		redirect(303, `/manage/courses/${courseId}/lessons/${lessonId}?restored=1`);
	}
};
