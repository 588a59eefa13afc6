import { guard, intParam, requireActor } from '$lib/server/http';
import { cadreRecord } from '$lib/server/reports/reports';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const record = await guard(() =>
		cadreRecord(event.locals.db, actor, { userId: intParam(event.params.id), now: new Date() })
	);
	return { record, self: record.cadre.id === actor.id };
};
