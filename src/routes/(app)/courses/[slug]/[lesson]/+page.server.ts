import { markLesson, openLesson } from '$lib/server/courses/learning';
import { act, guard, requireActor } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const lesson = await guard(() =>
		openLesson(event.locals.db, actor, {
			courseSlug: event.params.slug,
			lessonSlug: event.params.lesson,
			now: new Date()
		})
	);
	// Readable offline later: the service worker may keep this page (it is private to this browser).
	event.setHeaders({ 'cache-control': 'private, no-cache' });
	return { lesson };
};

export const actions: Actions = {
	done: async (event) => {
		const actor = requireActor(event);
		const done = (await event.request.formData()).get('done') !== 'false';
		const result = await act({}, () =>
			markLesson(event.locals.db, actor, {
				courseSlug: event.params.slug,
				lessonSlug: event.params.lesson,
				done,
				now: new Date()
			})
		);
		if (result && 'status' in result) return result;
		return { completion: result };
	}
};
