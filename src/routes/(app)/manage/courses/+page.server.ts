import { listManagedCourses } from '$lib/server/courses/authoring';
import { guard, requireActor } from '$lib/server/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	return { courses: await guard(() => listManagedCourses(event.locals.db, actor)) };
};
