import { redirect } from '@sveltejs/kit';
import { lobbyView, startRound } from '$lib/server/competitions/lobby';
import {
	askClarification,
	competitorClarifications
} from '$lib/server/competitions/clarifications';
import { act, clientIp, guard, intParam, requireActor } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	event.depends('comp:lobby');
	const db = event.locals.db;
	const lobby = await guard(() =>
		lobbyView(db, actor, { slug: event.params.slug, now: new Date() })
	);
	return {
		lobby,
		clarifications: (await competitorClarifications(db, actor, { slug: event.params.slug })).map(
			(c) => ({
				id: c.id,
				round: c.round,
				question: c.question,
				askedAt: c.askedAt,
				answer: c.answer,
				answeredAt: c.answeredAt,
				mine: c.mine,
				announcement: c.announcement,
				public: c.visibility === 'all'
			})
		)
	};
};

export const actions: Actions = {
	start: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const result = await act({ form: 'start' }, () =>
			startRound(event.locals.db, actor, {
				slug: event.params.slug,
				position: intParam(String(data.get('position'))),
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if ('status' in result) return result;
		redirect(303, result.url);
	},
	ask: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = {
			form: 'ask',
			question: String(data.get('question') ?? ''),
			round: String(data.get('round') ?? '')
		};
		const result = await act(values, () =>
			askClarification(event.locals.db, actor, {
				slug: event.params.slug,
				question: values.question,
				round: values.round ? intParam(values.round) : null,
				now: new Date()
			})
		);
		if (result && typeof result === 'object' && 'status' in result) return result;
		return { done: 'ask' };
	}
};
