import type { Actor } from '$lib/server/auth/actor';
import { ROLES, type Role } from '$lib/server/db/schema';
import { guard, requireRoles } from '$lib/server/http';
import { listUnits } from '$lib/server/org/units';
import { listUsers } from '$lib/server/org/users';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load: PageServerLoad = async (event) => {
	const actor: Actor = requireRoles(event, 'admin');
	const params = event.url.searchParams;
	const q = params.get('q') ?? '';
	const unit = params.get('unit') ?? '';
	const roleParam = params.get('role') ?? '';
	const role = (ROLES as readonly string[]).includes(roleParam) ? (roleParam as Role) : undefined;
	const pageNo = Math.max(1, Number(params.get('page')) || 1);
	const db = event.locals.db;
	const { rows, total } = await guard(() =>
		listUsers(db, actor, {
			q,
			unitCode: unit || undefined,
			role,
			limit: PAGE_SIZE,
			offset: (pageNo - 1) * PAGE_SIZE
		})
	);
	const units = (await listUnits(db)).sort((a, b) =>
		a.path.localeCompare(b.path, 'en', { numeric: true })
	);
	return {
		filter: { q, unit, role: role ?? '' },
		users: rows,
		total,
		page: pageNo,
		pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
		units: units.map((u) => ({ code: u.code, name: u.name, depth: u.depth }))
	};
};
