import { redirect } from '@sveltejs/kit';
import {
	courseOutline,
	createLesson,
	createSection,
	deleteSection,
	moveLesson,
	moveLessonToSection,
	moveSection,
	renameSection,
	setCourseStatus
} from '$lib/server/courses/authoring';
import { failed } from '../failed';
import { act, clientIp, formValues, guard, intParam, requireActor } from '$lib/server/http';
import type { Direction } from '$lib/server/courses/outline';
import type { ActionFailure } from '@sveltejs/kit';
import type { FormFailure } from '$lib/server/http';
import type { RequestEvent } from './$types';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	return {
		outline: await guard(() => courseOutline(event.locals.db, actor, intParam(event.params.id)))
	};
};

/** The form, the acting user and what every outline action passes to the domain. */
async function read(event: RequestEvent) {
	const actor = requireActor(event);
	const values = formValues(await event.request.formData());
	const base = { courseId: intParam(event.params.id), now: new Date(), ip: clientIp(event) };
	return { actor, values, base, db: event.locals.db };
}

/** An action's answer: the failure to show, or nothing (the page reloads its outline). */
async function settle<T>(work: Promise<T | ActionFailure<FormFailure>>) {
	const result = await work;
	if (failed(result)) return result;
}

const direction = (value: string | undefined): Direction => (value === 'up' ? 'up' : 'down');
const optionalId = (value: string | undefined) => (value ? intParam(value) : null);

export const actions: Actions = {
	publish: async (event) => {
		const { actor, values, base, db } = await read(event);
		const status = values.status === 'published' ? 'published' : 'draft';
		return settle(
			act(values, () =>
				setCourseStatus(db, actor, { id: base.courseId, status, now: base.now, ip: base.ip })
			)
		);
	},
	addSection: async (event) => {
		const { actor, values, base, db } = await read(event);
		return settle(
			act({ ...values, form: 'addSection' }, () =>
				createSection(db, actor, { ...base, title: values.title ?? '' })
			)
		);
	},
	renameSection: async (event) => {
		const { actor, values, base, db } = await read(event);
		const sectionId = intParam(values.sectionId);
		return settle(
			act({ ...values, form: `section-${sectionId}` }, () =>
				renameSection(db, actor, { ...base, sectionId, title: values.title ?? '' })
			)
		);
	},
	deleteSection: async (event) => {
		const { actor, values, base, db } = await read(event);
		return settle(
			act(values, () =>
				deleteSection(db, actor, { ...base, sectionId: intParam(values.sectionId) })
			)
		);
	},
	moveSection: async (event) => {
		const { actor, values, base, db } = await read(event);
		return settle(
			act(values, () =>
				moveSection(db, actor, {
					...base,
					sectionId: intParam(values.sectionId),
					direction: direction(values.direction)
				})
			)
		);
	},
	addLesson: async (event) => {
		const { actor, values, base, db } = await read(event);
		const result = await act({ ...values, form: 'addLesson' }, () =>
			createLesson(db, actor, {
				...base,
				title: values.title ?? '',
				sectionId: optionalId(values.sectionId)
			})
		);
		if (failed(result)) return result;
		redirect(303, `/manage/courses/${base.courseId}/lessons/${result.id}`);
	},
	moveLesson: async (event) => {
		const { actor, values, base, db } = await read(event);
		return settle(
			act(values, () =>
				moveLesson(db, actor, {
					...base,
					lessonId: intParam(values.lessonId),
					direction: direction(values.direction)
				})
			)
		);
	},
	moveLessonTo: async (event) => {
		const { actor, values, base, db } = await read(event);
		return settle(
			act(values, () =>
				moveLessonToSection(db, actor, {
					...base,
					lessonId: intParam(values.lessonId),
					sectionId: optionalId(values.sectionId)
				})
			)
		);
	}
};
