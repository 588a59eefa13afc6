import { json } from '@sveltejs/kit';
import { attemptClock, saveAnswer } from '$lib/server/assessments/engine';
import { Conflict, Invalid, NotFound, TooLate } from '$lib/server/errors';
import { clientIp } from '$lib/server/http';
import { m } from '$lib/paraglide/messages';
import type { RequestHandler } from './$types';

/** The autosave endpoint: answers with the committed seq, or a clear refusal the client treats as final. */
export const POST: RequestHandler = async (event) => {
	const actor = event.locals.actor;
	if (!actor) return json({ message: m.error_forbidden() }, { status: 401 });
	let body: unknown;
	try {
		body = await event.request.json();
	} catch {
		return json({ message: m.engine_bad_body() }, { status: 400 });
	}
	// `null`, `[]`, `"text"`, `42` are JSON too, but not a save.
	if (!body || typeof body !== 'object' || Array.isArray(body))
		return json({ message: m.engine_bad_body() }, { status: 400 });
	const save = body as { slot?: unknown; seq?: unknown; response?: unknown };
	if (typeof save.slot !== 'number' || typeof save.seq !== 'number')
		return json({ message: m.engine_bad_body() }, { status: 400 });
	const now = new Date();
	try {
		const outcome = await saveAnswer(event.locals.db, actor, {
			attemptId: event.params.id,
			slot: save.slot,
			seq: save.seq,
			response: save.response,
			now,
			ip: clientIp(event)
		});
		const { clock: seen, ...saved } = outcome;
		// The save read the clock under its lock; only an older caller's outcome lacks it.
		const clock =
			seen ?? (await attemptClock(event.locals.db, actor, { attemptId: event.params.id }));
		return json({ ...saved, serverNow: now, deadlineAt: clock.deadlineAt, paused: clock.paused });
	} catch (e) {
		if (e instanceof NotFound) return json({ message: m.error_not_found() }, { status: 404 });
		if (e instanceof Conflict || e instanceof TooLate)
			return json({ message: e.message }, { status: 409 });
		if (e instanceof Invalid) return json({ message: e.message }, { status: 400 });
		throw e;
	}
};
