import { requireActor } from '$lib/server/http';
import { findUnit } from '$lib/server/org/units';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const unit = actor.unitId ? await findUnit(event.locals.db, actor.unitId) : null;
	return { unitCode: unit?.code ?? null, userId: actor.id };
};
