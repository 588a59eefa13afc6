import { redirect } from '@sveltejs/kit';
import {
	deleteRound,
	managedRound,
	setRoundDraw,
	updateRound
} from '$lib/server/competitions/rounds';
import { toLocalInput } from '$lib/server/competitions/local-time';
import { act, clientIp, guard, intParam, requireActor } from '$lib/server/http';
import { readDrawForm, readRoundForm } from '../../../form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const view = await guard(() =>
		managedRound(event.locals.db, actor, {
			slug: event.params.slug,
			position: intParam(event.params.position)
		})
	);
	const r = view.round;
	return {
		competition: view.competition,
		round: {
			position: r.position,
			name: r.name,
			kind: r.kind,
			startMode: r.startMode,
			published: r.published,
			counts: r.counts,
			questionCount: r.questionCount,
			attempts: r.attempts,
			openAt: r.openAt,
			closeAt: r.closeAt,
			paused: r.paused
		},
		// The form's values, times as Vietnam wall-clock times.
		values: {
			name: r.name,
			startMode: r.startMode,
			instructions: r.instructions,
			openAt: toLocalInput(r.openAt),
			closeAt: r.startMode === 'window' ? toLocalInput(r.closeAt) : '',
			timeLimitMinutes: String(r.timeLimitMinutes ?? ''),
			graceSeconds: String(r.graceSeconds),
			counts: r.counts,
			published: r.published,
			shuffleQuestions: r.shuffleQuestions,
			shuffleChoices: r.shuffleChoices
		},
		draw: view.draw,
		categories: view.categories
	};
};

const position = (params: { position: string }) => intParam(params.position);

export const actions: Actions = {
	save: async (event) => {
		const actor = requireActor(event);
		const { input, values } = readRoundForm(await event.request.formData());
		const result = await act(values, () =>
			updateRound(event.locals.db, actor, {
				slug: event.params.slug,
				position: position(event.params),
				round: input,
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (result && typeof result === 'object' && 'status' in result) return result;
		return { saved: 'round' };
	},
	draw: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const rows = readDrawForm(data);
		const values: Record<string, string> = { form: 'draw' };
		for (const [key, value] of data.entries()) if (typeof value === 'string') values[key] = value;
		const result = await act(values, () =>
			setRoundDraw(event.locals.db, actor, {
				slug: event.params.slug,
				position: position(event.params),
				rows,
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if ('status' in result) return result;
		return { saved: 'draw', questions: result.questions };
	},
	delete: async (event) => {
		const actor = requireActor(event);
		const result = await act({ form: 'delete' }, () =>
			deleteRound(event.locals.db, actor, {
				slug: event.params.slug,
				position: position(event.params),
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (result && typeof result === 'object' && 'status' in result) return result;
		redirect(303, `/manage/competitions/${event.params.slug}?deleted=1`);
	}
};
