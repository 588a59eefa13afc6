import { lessonHistory } from '$lib/server/courses/authoring';
import { courseSettings } from '$lib/server/courses/authoring';
import { guard, intParam, requireActor } from '$lib/server/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const courseId = intParam(event.params.id);
	const lessonId = intParam(event.params.lessonId);
	return guard(async () => {
		const course = await courseSettings(event.locals.db, actor, courseId);
		const history = await lessonHistory(event.locals.db, actor, { courseId, lessonId });
		return { course: { id: course.id, title: course.title }, ...history };
	});
};
