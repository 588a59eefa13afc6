import { requireRoles } from '$lib/server/http';
import { countAccounts } from '$lib/server/org/users';
import { listUnits } from '$lib/server/org/units';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRoles(event, 'admin');
	const db = event.locals.db;
	return { unitCount: (await listUnits(db)).length, accounts: await countAccounts(db) };
};
