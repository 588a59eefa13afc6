// Which board a request asks for, and whether the viewer may see it (page and event stream alike).
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { boardAccess, variantFor } from '$lib/server/competitions/board';
import { NotAllowed, NotFound } from '$lib/server/errors';
import type { BoardKey } from '$lib/server/realtime/hub';

export async function boardRequest(
	event: RequestEvent<{ slug: string }>,
	options: { redirectToLogin: boolean }
): Promise<{ key: BoardKey; organiser: boolean; live: boolean; round: number | null }> {
	const actor = event.locals.actor;
	try {
		const access = await boardAccess(event.locals.db, actor, { slug: event.params.slug });
		const live = event.url.searchParams.get('live') === '1';
		const roundParam = event.url.searchParams.get('round');
		const round = roundParam && /^\d{1,4}$/.test(roundParam) ? Number(roundParam) : null;
		return {
			key: {
				competitionId: access.competitionId,
				variant: variantFor(access.organiser, live),
				round
			},
			organiser: access.organiser,
			live,
			round
		};
	} catch (e) {
		if (e instanceof NotFound) error(404, m.error_not_found());
		if (e instanceof NotAllowed) {
			// Not published: someone who is not logged in may be an organiser who has not logged in yet.
			if (!actor && options.redirectToLogin) {
				const back = event.url.pathname + event.url.search;
				redirect(303, `/login?redirectTo=${encodeURIComponent(back)}`);
			}
			error(403, m.board_not_public());
		}
		throw e;
	}
}
