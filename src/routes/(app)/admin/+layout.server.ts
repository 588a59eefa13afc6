import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { hasRole } from '$lib/server/auth/actor';
import { requireActor } from '$lib/server/http';
import type { LayoutServerLoad } from './$types';

// Admin pages: every load here needs the admin role (actions check it again in the domain).
export const load: LayoutServerLoad = (event) => {
	const actor = requireActor(event);
	if (!hasRole(actor, 'admin')) error(403, m.error_forbidden());
};
