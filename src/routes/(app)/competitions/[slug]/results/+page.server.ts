import { officialResults } from '$lib/server/competitions/results';
import { guard, requireActor } from '$lib/server/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	return {
		results: await guard(() =>
			officialResults(event.locals.db, actor, { slug: event.params.slug, now: new Date() })
		)
	};
};
