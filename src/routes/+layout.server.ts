import { isDemo } from '$lib/server/demo/seed';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	const actor = locals.actor;
	return {
		user: actor
			? {
					fullName: actor.fullName,
					username: actor.username,
					roles: actor.roles,
					isLeader: actor.isLeader,
					unitName: actor.unitName
				}
			: null,
		demo: await isDemo(locals.db)
	};
};
