import { redirect } from '@sveltejs/kit';
import { scopeOf } from '$lib/server/auth/actor';
import { guard, requireActor } from '$lib/server/http';
import { defaultReportUnit } from '$lib/server/reports/reports';
import type { PageServerLoad } from './$types';

// Leaders land on their unit, admins and organisers on the province, a cadre on their own record.
export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	if (scopeOf(actor).kind === 'self') redirect(303, `/reports/cadres/${actor.id}`);
	const unit = await guard(() => defaultReportUnit(event.locals.db, actor));
	redirect(303, `/reports/${unit.code}`);
};
