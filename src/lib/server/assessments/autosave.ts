// The autosave of one answer over HTTP (POST /attempts/[id]/save, JSON): the route and the fast
// lane in front of SvelteKit (src/lib/server/fastlane.ts) answer through this one function.
import { m } from '$lib/paraglide/messages';
import type { Actor } from '../auth/actor';
import type { Db } from '../db/client';
import { Conflict, Invalid, NotFound, TooLate } from '../errors';
import { attemptClock, saveAnswer } from './engine';

export interface JsonReply {
	status: number;
	body: unknown;
}

/**
 * Answers with the committed seq and the clock, or a clear refusal the client treats as final.
 * Errors other than the engine's refusals are thrown (a 500 for the caller to log).
 */
export async function autosave(
	db: Db,
	actor: Actor,
	input: { attemptId: string; body: string; now: Date; ip: string | null }
): Promise<JsonReply> {
	let body: unknown;
	try {
		body = JSON.parse(input.body);
	} catch {
		return { status: 400, body: { message: m.engine_bad_body() } };
	}
	// `null`, `[]`, `"text"`, `42` are JSON too, but not a save.
	if (!body || typeof body !== 'object' || Array.isArray(body))
		return { status: 400, body: { message: m.engine_bad_body() } };
	const save = body as { slot?: unknown; seq?: unknown; response?: unknown };
	if (typeof save.slot !== 'number' || typeof save.seq !== 'number')
		return { status: 400, body: { message: m.engine_bad_body() } };
	try {
		const outcome = await saveAnswer(db, actor, {
			attemptId: input.attemptId,
			slot: save.slot,
			seq: save.seq,
			response: save.response,
			now: input.now,
			ip: input.ip
		});
		const { clock: seen, ...saved } = outcome;
		// The save read the clock under its lock; only an older caller's outcome lacks it.
		const clock = seen ?? (await attemptClock(db, actor, { attemptId: input.attemptId }));
		return {
			status: 200,
			body: { ...saved, serverNow: input.now, deadlineAt: clock.deadlineAt, paused: clock.paused }
		};
	} catch (e) {
		if (e instanceof NotFound) return { status: 404, body: { message: m.error_not_found() } };
		if (e instanceof Conflict || e instanceof TooLate)
			return { status: 409, body: { message: e.message } };
		if (e instanceof Invalid) return { status: 400, body: { message: e.message } };
		throw e;
	}
}
