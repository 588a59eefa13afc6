import { judgeQueue } from '$lib/server/competitions/judging';
import { guard, requireActor } from '$lib/server/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	return { queue: await guard(() => judgeQueue(event.locals.db, actor)) };
};
