import { error, json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { previewMarkdown } from '$lib/server/courses/authoring';
import { Invalid } from '$lib/server/errors';
import { guard, intParam } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** The live preview: Markdown in, the sanitised HTML the published page would show out. */
export const POST: RequestHandler = async (event) => {
	const actor = event.locals.actor;
	if (!actor) error(401, m.error_forbidden());
	const input = (await event.request.json().catch(() => null)) as { body?: unknown } | null;
	if (!input || typeof input.body !== 'string') error(400, m.field_invalid());
	const body = input.body;
	try {
		const html = await guard(() =>
			previewMarkdown(event.locals.db, actor, { courseId: intParam(event.params.id), body })
		);
		return json({ html }, { headers: { 'cache-control': 'no-store' } });
	} catch (e) {
		if (e instanceof Invalid) error(413, Object.values(e.fields).join(' '));
		throw e;
	}
};
