import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import {
	deleteLesson,
	lessonForEdit,
	previewMarkdown,
	saveLesson,
	UPLOAD_LIMITS,
	uploadLessonFile
} from '$lib/server/courses/authoring';
import { insertBlock } from '$lib/server/courses/outline';
import { failed } from '../../../failed';
import { act, clientIp, formValues, guard, intParam, requireActor } from '$lib/server/http';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const db = event.locals.db;
	const ids = { courseId: intParam(event.params.id), lessonId: intParam(event.params.lessonId) };
	const lesson = await guard(() => lessonForEdit(db, actor, ids));
	return {
		lesson,
		previewHtml: await previewMarkdown(db, actor, { courseId: ids.courseId, body: lesson.body }),
		limits: UPLOAD_LIMITS
	};
};

function ids(event: RequestEvent) {
	return { courseId: intParam(event.params.id), lessonId: intParam(event.params.lessonId) };
}

export const actions: Actions = {
	save: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const result = await act(values, () =>
			saveLesson(event.locals.db, actor, {
				...ids(event),
				title: values.title ?? '',
				slug: values.slug ?? '',
				estimatedMinutes: values.estimatedMinutes ?? '',
				body: values.body ?? '',
				note: values.note ?? '',
				status: values.status === 'published' ? 'published' : 'draft',
				baseRevisionId: values.baseRevisionId ? Number(values.baseRevisionId) : null,
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (failed(result)) return result;
		return { saved: true, changed: result.revisionId !== null };
	},

	/** The preview without JavaScript: the same form, shown again with the text rendered. */
	preview: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const result = await act(values, () =>
			previewMarkdown(event.locals.db, actor, {
				courseId: ids(event).courseId,
				body: values.body ?? ''
			})
		);
		if (failed(result)) return result;
		return { values, previewHtml: result };
	},

	/** Stores the file, then shows the form again with its Markdown inserted where the cursor was. */
	upload: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = formValues(data);
		const file = data.get('file');
		const bytes =
			file instanceof File ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
		const result = await act(values, () =>
			uploadLessonFile(event.locals.db, actor, {
				...ids(event),
				fileName: file instanceof File ? file.name : '',
				bytes,
				alt: values.alt ?? '',
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (failed(result)) return result;
		const cursor =
			values.cursor === '' || values.cursor === undefined ? null : Number(values.cursor);
		const body = insertBlock((values.body ?? '').replace(/\r\n?/g, '\n'), cursor, result.markdown);
		const previewHtml = await previewMarkdown(event.locals.db, actor, {
			courseId: ids(event).courseId,
			body
		});
		return {
			values: { ...values, body, alt: '', cursor: '' },
			previewHtml,
			uploaded: { fileName: result.fileName, image: result.image }
		};
	},

	delete: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		if (values.confirm !== 'yes')
			return fail(400, {
				errors: { confirm: m.author_delete_lesson_confirm_required() } as Record<string, string>,
				values: {} as Record<string, string>
			});
		const result = await act({}, () =>
			deleteLesson(event.locals.db, actor, { ...ids(event), now: new Date(), ip: clientIp(event) })
		);
		if (failed(result)) return result;
		redirect(303, `/manage/courses/${ids(event).courseId}?deleted=1`);
	}
};
