import { m } from '$lib/paraglide/messages';
import { managedQuiz, updateQuiz } from '$lib/server/assessments/quizzes';
import { quizFormValues, settingsFromForm } from '$lib/server/assessments/quiz-form';
import { act, clientIp, formValues, guard, intParam, requireActor } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const quiz = await guard(() => managedQuiz(event.locals.db, actor, intParam(event.params.id)));
	return {
		quiz: {
			id: quiz.id,
			title: quiz.settings.title,
			courseTitle: quiz.courseTitle,
			slots: quiz.slots.length,
			overrides: quiz.overrides.length,
			attempts: quiz.attempts
		},
		values: quizFormValues(quiz.settings)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const result = await act(values, () =>
			updateQuiz(event.locals.db, actor, {
				id: intParam(event.params.id),
				settings: settingsFromForm(values),
				now: new Date(),
				ip: clientIp(event)
			})
		);
		return result ?? { success: m.saved() };
	}
};
