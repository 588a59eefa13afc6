import { json } from '@sveltejs/kit';
import { autosave } from '$lib/server/assessments/autosave';
import { clientIp } from '$lib/server/http';
import { m } from '$lib/paraglide/messages';
import type { RequestHandler } from './$types';

/**
 * The autosave endpoint. Most saves are answered before they reach SvelteKit, by the fast lane
 * (src/lib/server/fastlane.ts) through the same function; what it leaves (no session, a session
 * to refresh, a password to change, another content type) comes here.
 */
export const POST: RequestHandler = async (event) => {
	const actor = event.locals.actor;
	if (!actor) return json({ message: m.error_forbidden() }, { status: 401 });
	let text: string;
	try {
		text = await event.request.text();
	} catch {
		return json({ message: m.engine_bad_body() }, { status: 400 });
	}
	const reply = await autosave(event.locals.db, actor, {
		attemptId: event.params.id,
		body: text,
		now: new Date(),
		ip: clientIp(event)
	});
	return json(reply.body, { status: reply.status });
};
