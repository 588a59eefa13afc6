import { requireActor } from '$lib/server/http';
import type { LayoutServerLoad } from './$types';

// Everything in (app) needs a logged-in user; each page checks roles and units itself.
export const load: LayoutServerLoad = (event) => {
	requireActor(event);
};
