import { resetPassword, unlockAccount } from '$lib/server/auth/login';
import { act, clientIp, guard, intParam, requireActor, requireRoles } from '$lib/server/http';
import { listUnits } from '$lib/server/org/units';
import { getUser, updateUser } from '$lib/server/org/users';
import { m } from '$lib/paraglide/messages';
import { readUserForm } from '../form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireRoles(event, 'admin');
	const db = event.locals.db;
	const user = await guard(() => getUser(db, actor, intParam(event.params.id)));
	const units = (await listUnits(db)).sort((a, b) =>
		a.path.localeCompare(b.path, 'en', { numeric: true })
	);
	return {
		user: {
			id: user.id,
			username: user.username,
			fullName: user.fullName,
			unitCode: user.unitCode ?? '',
			position: user.position,
			roles: user.roles,
			isLeader: user.isLeader,
			active: user.active,
			mustChangePassword: user.mustChangePassword,
			failedLogins: user.failedLogins,
			lockedUntil: user.lockedUntil && user.lockedUntil > new Date() ? user.lockedUntil : null
		},
		units: units.map((u) => ({ code: u.code, name: u.name, depth: u.depth }))
	};
};

export const actions: Actions = {
	update: async (event) => {
		const actor = requireActor(event);
		const { input, values } = readUserForm(await event.request.formData());
		const result = await act(values, () =>
			updateUser(event.locals.db, actor, {
				...input,
				id: intParam(event.params.id),
				ip: clientIp(event),
				now: new Date()
			})
		);
		return result ?? { success: m.saved() };
	},
	reset: async (event) => {
		const actor = requireActor(event);
		const password = String((await event.request.formData()).get('password') ?? '');
		const result = await act({}, () =>
			resetPassword(event.locals.db, actor, {
				userId: intParam(event.params.id),
				password,
				ip: clientIp(event),
				now: new Date()
			})
		);
		return result ?? { success: m.password_reset_done() };
	},
	unlock: async (event) => {
		const actor = requireActor(event);
		const result = await act({}, () =>
			unlockAccount(event.locals.db, actor, {
				userId: intParam(event.params.id),
				ip: clientIp(event),
				now: new Date()
			})
		);
		return result ?? { success: m.account_unlocked() };
	}
};
