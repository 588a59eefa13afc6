import { canSeeUnit } from '$lib/server/auth/actor';
import { guard, requireActor } from '$lib/server/http';
import { getUnitForActor, listUnits } from '$lib/server/org/units';
import { listUsers } from '$lib/server/org/users';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const db = event.locals.db;
	const unit = await guard(() => getUnitForActor(db, actor, event.params.code));
	const all = await listUnits(db);
	const parent = all.find((u) => u.id === unit.parentId);
	const { rows } = await guard(() =>
		listUsers(db, actor, { unitCode: unit.code, subtree: false, limit: 1000 })
	);
	return {
		unit: { code: unit.code, name: unit.name, kind: unit.kind },
		parent:
			parent && canSeeUnit(actor, parent.path) ? { code: parent.code, name: parent.name } : null,
		children: all
			.filter((u) => u.parentId === unit.id)
			.map((u) => ({ code: u.code, name: u.name })),
		members: rows.map((u) => ({
			id: u.id,
			fullName: u.fullName,
			position: u.position,
			isLeader: u.isLeader,
			username: u.username
		}))
	};
};
