import { fail, redirect } from '@sveltejs/kit';
import { DEFAULT_REVIEW, createQuiz, quizCourses } from '$lib/server/assessments/quizzes';
import { quizFormValues, settingsFromForm } from '$lib/server/assessments/quiz-form';
import { act, clientIp, formValues, guard, requireActor } from '$lib/server/http';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const courses = await guard(() => quizCourses(event.locals.db, actor));
	return {
		courses,
		values: {
			...quizFormValues({
				title: '',
				description: '',
				status: 'draft',
				openAt: null,
				closeAt: null,
				timeLimitMinutes: 20,
				attemptsAllowed: 2,
				gradingMethod: 'highest',
				passPercent: 70,
				shuffleQuestions: true,
				shuffleChoices: true,
				graceSeconds: 60,
				requiredForCompletion: false,
				reviewOptions: DEFAULT_REVIEW
			}),
			courseId: event.url.searchParams.get('course') ?? ''
		}
	};
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const courseId = Number(values.courseId);
		if (!courseId) return fail(400, { values, errors: { courseId: m.quiz_course_missing() } });
		const result = await act(values, () =>
			createQuiz(event.locals.db, actor, {
				courseId,
				settings: settingsFromForm(values),
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (result && 'status' in result) return result;
		redirect(303, `/manage/quizzes/${result.id}/slots?created=1`);
	}
};
