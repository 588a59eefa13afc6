import { redirect } from '@sveltejs/kit';
import { act, clientIp, formValues, requireActor, requireRoles } from '$lib/server/http';
import { createUnit, listUnits, memberCounts } from '$lib/server/org/units';
import type { Actions, PageServerLoad } from './$types';
import type { UnitKind } from '$lib/server/db/schema';

export const load: PageServerLoad = async (event) => {
	requireRoles(event, 'admin');
	const db = event.locals.db;
	const [units, counts] = await Promise.all([listUnits(db), memberCounts(db)]);
	const ordered = [...units].sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
	return {
		units: ordered.map((u) => ({
			id: u.id,
			code: u.code,
			name: u.name,
			kind: u.kind,
			depth: u.depth,
			members: counts.get(u.id) ?? 0
		}))
	};
};

export const actions: Actions = {
	create: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = formValues(data);
		const result = await act(values, () =>
			createUnit(event.locals.db, actor, {
				code: values.code ?? '',
				name: values.name ?? '',
				kind: (values.kind ?? '') as UnitKind,
				parentCode: values.parentCode || undefined,
				ip: clientIp(event),
				now: new Date()
			})
		);
		if (result && 'status' in result) return result;
		redirect(303, `/admin/units?created=${encodeURIComponent(values.code ?? '')}`);
	}
};
