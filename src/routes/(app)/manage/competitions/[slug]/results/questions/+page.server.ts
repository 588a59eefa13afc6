import { questionStatistics } from '$lib/server/competitions/statistics';
import { guard, requireActor } from '$lib/server/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	return guard(() => questionStatistics(event.locals.db, actor, { slug: event.params.slug }));
};
