import { json } from '@sveltejs/kit';
import { attemptClock } from '$lib/server/assessments/engine';
import { saveTaskText } from '$lib/server/competitions/practical';
import { Conflict, Invalid, NotFound, TooLate } from '$lib/server/errors';
import { clientIp } from '$lib/server/http';
import { m } from '$lib/paraglide/messages';
import type { RequestHandler } from './$types';

/**
 * Autosave of a task's text answer, spoken like the quiz autosave (slot = task id, an essay
 * response) so the same browser saver serves both: the committed seq, or a final refusal.
 */
export const POST: RequestHandler = async (event) => {
	const actor = event.locals.actor;
	if (!actor) return json({ message: m.error_forbidden() }, { status: 401 });
	let parsed: unknown;
	try {
		parsed = await event.request.json();
	} catch {
		return json({ message: m.engine_bad_body() }, { status: 400 });
	}
	// `null`, `[]`, `"text"`, `42` are JSON too, but not a save.
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
		return json({ message: m.engine_bad_body() }, { status: 400 });
	const body = parsed as { slot?: unknown; seq?: unknown; response?: unknown };
	if (typeof body.slot !== 'number' || typeof body.seq !== 'number')
		return json({ message: m.engine_bad_body() }, { status: 400 });
	const response = body.response as { text?: unknown } | null | undefined;
	const now = new Date();
	try {
		const outcome = await saveTaskText(event.locals.db, actor, {
			attemptId: event.params.attemptId,
			taskId: body.slot,
			seq: body.seq,
			text: response && typeof response === 'object' ? response.text : undefined,
			now,
			ip: clientIp(event)
		});
		const clock = await attemptClock(event.locals.db, actor, {
			attemptId: event.params.attemptId
		});
		return json({ ...outcome, serverNow: now, deadlineAt: clock.deadlineAt, paused: clock.paused });
	} catch (e) {
		if (e instanceof NotFound) return json({ message: m.error_not_found() }, { status: 404 });
		if (e instanceof Conflict || e instanceof TooLate)
			return json({ message: e.message }, { status: 409 });
		if (e instanceof Invalid) return json({ message: e.message }, { status: 400 });
		throw e;
	}
};
