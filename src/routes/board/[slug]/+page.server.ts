import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { unpackBoard, type PackedBoard } from '$lib/board/view';
import { boardHub } from '$lib/server/realtime/boards';
import { boardRequest } from './request';
import type { PageServerLoad } from './$types';

// The projector view. The board comes from the process's shared cache: a viewer never causes a
// computation of their own.
export const load: PageServerLoad = async (event) => {
	const request = await boardRequest(event, { redirectToLogin: true });
	const hub = await boardHub();
	const snapshot = await hub.snapshot(request.key);
	if (!snapshot.json) error(404, m.error_not_found());
	const query = new URLSearchParams();
	if (request.live) query.set('live', '1');
	if (request.round !== null) query.set('round', String(request.round));
	const search = query.size ? `?${query}` : '';
	return {
		board: unpackBoard(JSON.parse(snapshot.json) as PackedBoard),
		organiser: request.organiser,
		live: request.live,
		round: request.round,
		events: `/board/${event.params.slug}/events${search}`
	};
};
