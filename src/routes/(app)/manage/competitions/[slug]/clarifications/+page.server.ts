import {
	announce,
	answerClarification,
	organiserClarifications
} from '$lib/server/competitions/clarifications';
import { act, clientIp, guard, intParam, requireActor } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	event.depends('comp:clarifications');
	return await guard(() =>
		organiserClarifications(event.locals.db, actor, { slug: event.params.slug })
	);
};

export const actions: Actions = {
	answer: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = {
			form: 'answer',
			id: String(data.get('id') ?? ''),
			answer: String(data.get('answer') ?? ''),
			visibility: String(data.get('visibility') ?? '')
		};
		const result = await act(values, () =>
			answerClarification(event.locals.db, actor, {
				slug: event.params.slug,
				id: intParam(values.id),
				answer: values.answer,
				visibility: values.visibility === 'all' ? 'all' : 'private',
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (result && typeof result === 'object' && 'status' in result) return result;
		return { done: 'answer', visibility: values.visibility };
	},
	announce: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = {
			form: 'announce',
			text: String(data.get('text') ?? ''),
			round: String(data.get('round') ?? '')
		};
		const result = await act(values, () =>
			announce(event.locals.db, actor, {
				slug: event.params.slug,
				text: values.text,
				round: values.round ? intParam(values.round) : null,
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (result && typeof result === 'object' && 'status' in result) return result;
		return { done: 'announce' };
	}
};
