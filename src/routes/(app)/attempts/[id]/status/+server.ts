import { json } from '@sveltejs/kit';
import { attemptClock } from '$lib/server/assessments/engine';
import { NotFound } from '$lib/server/errors';
import type { RequestHandler } from './$types';

/** The clock as the server sees it: deadline (after extensions and pauses), paused, server time. */
export const GET: RequestHandler = async (event) => {
	const actor = event.locals.actor;
	if (!actor) return json({}, { status: 401 });
	try {
		const clock = await attemptClock(event.locals.db, actor, { attemptId: event.params.id });
		return json({ ...clock, serverNow: new Date() }, { headers: { 'cache-control': 'no-store' } });
	} catch (e) {
		if (e instanceof NotFound) return json({}, { status: 404 });
		throw e;
	}
};
