import { redirect } from '@sveltejs/kit';

import { closeIfOverdue, submitAttempt } from '$lib/server/assessments/engine';
import { attemptView } from '$lib/server/assessments/review';
import { TooLate } from '$lib/server/errors';
import { act, clientIp, guard, requireActor } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const view = await guard(() =>
		attemptView(event.locals.db, actor, { attemptId: event.params.id, now: new Date() })
	);
	if (view.status === 'submitted') redirect(303, `/attempts/${view.id}/review`);
	const unanswered = view.slots
		.filter((s) => s.response === null && s.type !== 'description')
		.map((s) => s.slot);
	return {
		attempt: {
			id: view.id,
			title: view.title,
			deadlineAt: view.deadlineAt,
			serverNow: view.serverNow,
			paused: view.paused
		},
		total: view.slots.filter((s) => s.type !== 'description').length,
		unanswered,
		expired: event.url.searchParams.has('expired')
	};
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireActor(event);
		const db = event.locals.db;
		const now = new Date();
		try {
			await submitAttempt(db, actor, { attemptId: event.params.id, now, ip: clientIp(event) });
		} catch (e) {
			if (!(e instanceof TooLate)) {
				const failure = await act({}, () => Promise.reject(e));
				return failure;
			}
			// Past the deadline and the grace: close it now with what was saved before.
			await guard(() => closeIfOverdue(db, actor, { attemptId: event.params.id, now }));
			redirect(303, `/attempts/${event.params.id}/review?late=1`);
		}
		redirect(303, `/attempts/${event.params.id}/review`);
	}
};
