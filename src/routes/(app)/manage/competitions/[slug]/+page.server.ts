import { redirect } from '@sveltejs/kit';
import { UNIT_KINDS } from '$lib/server/db/schema';
import { managedCompetition, updateCompetition } from '$lib/server/competitions/competitions';
import { addRound, listRounds, moveRound } from '$lib/server/competitions/rounds';
import { unansweredCount } from '$lib/server/competitions/clarifications';
import { act, clientIp, guard, intParam, requireActor } from '$lib/server/http';
import { readCompetitionForm, readRoundForm } from '../form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const db = event.locals.db;
	const competition = await guard(() => managedCompetition(db, actor, event.params.slug));
	const rounds = await listRounds(db, competition.id);
	return {
		competition: { ...competition.settings, resultsPublished: competition.resultsPublished },
		unanswered: await unansweredCount(db, competition.id),
		unitKinds: UNIT_KINDS.filter((k) => k !== 'province'),
		rounds: rounds.map((r) => ({
			position: r.position,
			name: r.name,
			kind: r.kind,
			startMode: r.startMode,
			published: r.published,
			openAt: r.openAt,
			closeAt: r.closeAt,
			timeLimitMinutes: r.timeLimitMinutes,
			counts: r.counts,
			questionCount: r.questionCount,
			attempts: r.attempts
		}))
	};
};

export const actions: Actions = {
	save: async (event) => {
		const actor = requireActor(event);
		const { input, values } = readCompetitionForm(await event.request.formData());
		const result = await act(values, () =>
			updateCompetition(event.locals.db, actor, {
				slug: event.params.slug,
				settings: input,
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (result && 'status' in result) return result;
		redirect(303, `/manage/competitions/${result.slug}?saved=1`);
	},
	addRound: async (event) => {
		const actor = requireActor(event);
		const { input, values } = readRoundForm(await event.request.formData());
		const result = await act(values, () =>
			addRound(event.locals.db, actor, {
				slug: event.params.slug,
				round: input,
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (result && 'status' in result) return result;
		redirect(303, `/manage/competitions/${event.params.slug}/rounds/${result.position}?created=1`);
	},
	move: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const direction = data.get('direction') === 'up' ? 'up' : 'down';
		const result = await act({}, () =>
			moveRound(event.locals.db, actor, {
				slug: event.params.slug,
				position: intParam(String(data.get('position'))),
				direction,
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (result && 'status' in result) return result;
		return { moved: true };
	}
};
