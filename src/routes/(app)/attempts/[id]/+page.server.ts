import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { isEmptyResponse, responseFromForm } from '$lib/attempt/fields';
import { saveFormAnswers } from '$lib/server/assessments/engine';
import { attemptView } from '$lib/server/assessments/review';
import { act, clientIp, guard, requireActor } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 5;

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const view = await guard(() =>
		attemptView(event.locals.db, actor, { attemptId: event.params.id, now: new Date() })
	);
	if (view.status === 'submitted') redirect(303, `/attempts/${view.id}/review`);
	const pages = Math.max(1, Math.ceil(view.slots.length / PAGE_SIZE));
	const page = Math.min(pages, Math.max(1, Number(event.url.searchParams.get('page')) || 1));
	return {
		attempt: {
			id: view.id,
			title: view.title,
			kind: view.kind,
			courseTitle: view.courseTitle,
			number: view.number,
			deadlineAt: view.deadlineAt,
			serverNow: view.serverNow,
			paused: view.paused
		},
		page,
		pages,
		// Only this page's questions carry their content; the rest is just whether it was answered.
		slots: view.slots.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
		overview: view.slots.map((s) => ({
			slot: s.slot,
			answered: s.response !== null,
			page: Math.ceil(s.slot / PAGE_SIZE)
		})),
		seqs: Object.fromEntries(view.slots.map((s) => [s.slot, s.seq]))
	};
};

export const actions: Actions = {
	/** A page of answers posted without JavaScript, then on to another page or the submit page. */
	save: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const db = event.locals.db;
		const view = await guard(() =>
			attemptView(db, actor, { attemptId: event.params.id, now: new Date() })
		);
		const onPage = String(data.get('slots') ?? '')
			.split(',')
			.map(Number)
			.filter((n) => view.slots.some((s) => s.slot === n));
		const answers = onPage.flatMap((slot) => {
			const s = view.slots.find((x) => x.slot === slot)!;
			const response = responseFromForm(
				data,
				slot,
				s.type,
				s.prompts.map((p) => p.index)
			);
			// An untouched question is not an answer (but clearing an earlier answer is).
			if (!response || (isEmptyResponse(response) && s.response === null)) return [];
			return [{ slot, response }];
		});
		const result = await act({}, () =>
			saveFormAnswers(db, actor, {
				attemptId: view.id,
				answers,
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (result && typeof result === 'object' && 'status' in result) return result;
		const target = String(data.get('goto') ?? '');
		if (target === 'submit') redirect(303, `/attempts/${view.id}/submit`);
		const page = Number(target);
		if (!Number.isInteger(page) || page < 1) error(400, m.error_not_found());
		redirect(303, `/attempts/${view.id}?page=${page}`);
	}
};
