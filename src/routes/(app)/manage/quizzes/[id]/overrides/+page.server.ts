import { m } from '$lib/paraglide/messages';
import { parseDateTime } from '$lib/format';
import { managedQuiz, removeOverride, setOverride } from '$lib/server/assessments/quizzes';
import { act, clientIp, formValues, guard, intParam, requireActor } from '$lib/server/http';
import { Invalid } from '$lib/server/errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const quiz = await guard(() => managedQuiz(event.locals.db, actor, intParam(event.params.id)));
	return {
		quiz: { id: quiz.id, title: quiz.settings.title, closeAt: quiz.settings.closeAt },
		overrides: quiz.overrides
	};
};

const whole = (text: string | undefined) => (text?.trim() ? Number(text.trim()) : 0);

export const actions: Actions = {
	save: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const result = await act(values, async () => {
			const closeAt = values.closeAt?.trim() ? parseDateTime(values.closeAt) : null;
			if (values.closeAt?.trim() && !closeAt)
				throw new Invalid({ closeAt: m.quiz_datetime_invalid() });
			await setOverride(event.locals.db, actor, {
				assessmentId: intParam(event.params.id),
				username: values.username ?? '',
				extraMinutes: whole(values.extraMinutes),
				extraAttempts: whole(values.extraAttempts),
				closeAt,
				reason: values.reason ?? '',
				now: new Date(),
				ip: clientIp(event)
			});
		});
		return result ?? { success: m.quiz_override_saved() };
	},
	remove: async (event) => {
		const actor = requireActor(event);
		const values: Record<string, string> = {
			...formValues(await event.request.formData()),
			form: 'remove'
		};
		const result = await act(values, () =>
			removeOverride(event.locals.db, actor, {
				assessmentId: intParam(event.params.id),
				username: values.username ?? '',
				reason: values.reason ?? '',
				now: new Date(),
				ip: clientIp(event)
			})
		);
		return result ?? { success: m.quiz_override_removed() };
	}
};
