import { listQuizzes } from '$lib/server/assessments/quizzes';
import { guard, requireActor } from '$lib/server/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	return { quizzes: await guard(() => listQuizzes(event.locals.db, actor)) };
};
