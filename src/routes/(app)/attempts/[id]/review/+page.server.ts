import { redirect } from '@sveltejs/kit';
import { attemptView } from '$lib/server/assessments/review';
import { guard, requireActor } from '$lib/server/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const view = await guard(() =>
		attemptView(event.locals.db, actor, { attemptId: event.params.id, now: new Date() })
	);
	if (view.status !== 'submitted') redirect(303, `/attempts/${view.id}`);
	return { view, late: event.url.searchParams.has('late') };
};
