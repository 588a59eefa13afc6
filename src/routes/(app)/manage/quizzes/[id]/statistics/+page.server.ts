import { quizStatistics } from '$lib/server/assessments/statistics';
import { guard, intParam, requireActor } from '$lib/server/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	return {
		stats: await guard(() => quizStatistics(event.locals.db, actor, intParam(event.params.id)))
	};
};
