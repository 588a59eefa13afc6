import { m } from '$lib/paraglide/messages';
import { gradeAnswer, markingQueue } from '$lib/server/assessments/marking';
import { act, clientIp, formValues, guard, intParam, requireActor } from '$lib/server/http';
import { Invalid } from '$lib/server/errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const versionId = intParam(event.params.versionId);
	const quiz = Number(event.url.searchParams.get('quiz')) || undefined;
	const queue = await guard(() =>
		markingQueue(event.locals.db, actor, { assessmentId: quiz, questionVersionId: versionId })
	);
	return {
		versionId,
		quiz: quiz ?? null,
		question: queue[0]
			? {
					name: queue[0].questionName,
					stemHtml: queue[0].stemHtml,
					title: queue[0].assessmentTitle
				}
			: null,
		answers: queue.map((q) => ({
			attemptId: q.attemptId,
			slot: q.slot,
			code: q.code,
			answer: q.answer,
			points: q.points,
			submittedAt: q.submittedAt
		}))
	};
};

/** '3', '3,5' (points) or '75%' (a share of the slot's points). */
function readMark(text: string): { mark?: number; fraction?: number } {
	const t = text.trim().replace(',', '.');
	const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(t);
	if (percent) return { fraction: Number(percent[1]) / 100 };
	if (!/^\d+(\.\d+)?$/.test(t)) throw new Invalid({ mark: m.quiz_marking_mark_invalid() });
	return { mark: Number(t) };
}

export const actions: Actions = {
	grade: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const result = await act(values, () =>
			gradeAnswer(event.locals.db, actor, {
				attemptId: values.attemptId ?? '',
				slot: Number(values.slot),
				...readMark(values.mark ?? ''),
				comment: values.comment ?? '',
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (result && 'status' in result) return result;
		return {
			success: m.quiz_marking_saved({
				code: String(values.attemptId ?? '')
					.slice(0, 8)
					.toUpperCase()
			})
		};
	}
};
