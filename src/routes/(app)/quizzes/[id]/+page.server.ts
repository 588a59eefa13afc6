import { redirect } from '@sveltejs/kit';
import { startAttempt } from '$lib/server/assessments/engine';
import { quizIntro } from '$lib/server/assessments/quizzes';
import { act, clientIp, guard, intParam, requireActor } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	return {
		quiz: await guard(() =>
			quizIntro(event.locals.db, actor, { id: intParam(event.params.id), now: new Date() })
		)
	};
};

export const actions: Actions = {
	start: async (event) => {
		const actor = requireActor(event);
		const result = await act({}, () =>
			startAttempt(event.locals.db, actor, {
				assessmentId: intParam(event.params.id),
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (result && 'status' in result) return result;
		redirect(303, `/attempts/${result.attemptId}`);
	}
};
