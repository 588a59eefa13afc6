import { boardHub, boardStream, drainingStream, isDraining } from '$lib/server/realtime/boards';
import { boardRequest } from '../request';
import type { RequestHandler } from './$types';

/** The board as Server-Sent Events: the current board at once, then one event per change. */
export const GET: RequestHandler = async (event) => {
	const request = await boardRequest(event, { redirectToLogin: false });
	if (isDraining()) return drainingStream();
	const hub = await boardHub();
	return boardStream(hub, request.key, {
		privileged: request.organiser,
		signal: event.request.signal
	});
};
