import { catalogue } from '$lib/server/courses/learning';
import { requireActor } from '$lib/server/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	return { courses: await catalogue(event.locals.db, actor), now: new Date() };
};
