import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { hasRole } from '$lib/server/auth/actor';
import { requireActor } from '$lib/server/http';
import type { LayoutServerLoad } from './$types';

// The question bank is for trainers and admins (each domain call checks the role again).
export const load: LayoutServerLoad = (event) => {
	const actor = requireActor(event);
	if (!hasRole(actor, 'trainer', 'admin')) error(403, m.error_forbidden());
};
