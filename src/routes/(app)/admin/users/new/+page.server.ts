import { redirect } from '@sveltejs/kit';
import { act, clientIp, requireActor, requireRoles } from '$lib/server/http';
import { listUnits } from '$lib/server/org/units';
import { addUser } from '$lib/server/org/users';
import { readUserForm } from '../form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRoles(event, 'admin');
	const units = (await listUnits(event.locals.db)).sort((a, b) =>
		a.path.localeCompare(b.path, 'en', { numeric: true })
	);
	return { units: units.map((u) => ({ code: u.code, name: u.name, depth: u.depth })) };
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const { input, values } = readUserForm(data);
		const password = String(data.get('password') ?? '');
		const result = await act(values, () =>
			addUser(event.locals.db, actor, {
				...input,
				active: true,
				password: password || undefined,
				ip: clientIp(event),
				now: new Date()
			})
		);
		if (result && 'status' in result) return result;
		redirect(303, `/admin/users/${result.id}?created=1`);
	}
};
