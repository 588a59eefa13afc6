import { listCompetitionsFor } from '$lib/server/competitions/competitions';
import { requireActor } from '$lib/server/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	return { competitions: await listCompetitionsFor(event.locals.db, actor) };
};
