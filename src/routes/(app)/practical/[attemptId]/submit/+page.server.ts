import { redirect } from '@sveltejs/kit';
import { closeIfOverdue } from '$lib/server/assessments/engine';
import { submitPractical, submitSummary } from '$lib/server/competitions/practical';
import { TooLate } from '$lib/server/errors';
import { act, clientIp, guard, requireActor } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const summary = await guard(() =>
		submitSummary(event.locals.db, actor, { attemptId: event.params.attemptId, now: new Date() })
	);
	if (summary.status === 'submitted') redirect(303, `/practical/${summary.attemptId}`);
	return { summary, expired: event.url.searchParams.has('expired') };
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireActor(event);
		const db = event.locals.db;
		const now = new Date();
		const attemptId = event.params.attemptId;
		try {
			await submitPractical(db, actor, { attemptId, now, ip: clientIp(event) });
		} catch (e) {
			if (!(e instanceof TooLate)) return act({}, () => Promise.reject(e));
			// Past the deadline and the grace: the attempt closes with what was saved before.
			await guard(() => closeIfOverdue(db, actor, { attemptId, now }));
			redirect(303, `/practical/${attemptId}?late=1`);
		}
		redirect(303, `/practical/${attemptId}`);
	}
};
