import {
	decideSubmission,
	scoreSubmission,
	submissionForJudge
} from '$lib/server/competitions/judging';
import { act, clientIp, formValues, guard, requireActor } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

const failed = (result: unknown) => !!result && typeof result === 'object' && 'status' in result;

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	return {
		submission: await guard(() =>
			submissionForJudge(event.locals.db, actor, { code: event.params.code })
		)
	};
};

export const actions: Actions = {
	score: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const points = Object.fromEntries(
			Object.entries(values)
				.filter(([key]) => /^c\d+$/.test(key))
				.map(([key, value]) => [key.slice(1), value])
		);
		const result = await act({ ...values, form: 'score' }, () =>
			scoreSubmission(event.locals.db, actor, {
				code: event.params.code,
				points,
				comment: values.comment,
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (failed(result)) return result;
		return { scored: true };
	},
	decide: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const result = await act({ ...values, form: 'decide' }, () =>
			decideSubmission(event.locals.db, actor, {
				code: event.params.code,
				score: values.score,
				note: values.note,
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (failed(result)) return result;
		return { decided: true };
	}
};
