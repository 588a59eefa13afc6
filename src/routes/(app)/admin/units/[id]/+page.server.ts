import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { UnitKind } from '$lib/server/db/schema';
import { act, clientIp, formValues, intParam, requireActor, requireRoles } from '$lib/server/http';
import { deleteUnit, findUnit, listUnits, updateUnit } from '$lib/server/org/units';
import { isInSubtree } from '$lib/server/org/tree';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRoles(event, 'admin');
	const db = event.locals.db;
	const unit = await findUnit(db, intParam(event.params.id));
	if (!unit) error(404, m.error_not_found());
	const all = await listUnits(db);
	const parent = all.find((u) => u.id === unit.parentId);
	const ordered = [...all].sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
	return {
		unit: {
			id: unit.id,
			code: unit.code,
			name: unit.name,
			kind: unit.kind,
			parentCode: parent?.code ?? ''
		},
		// A unit cannot move under itself or its descendants.
		parents: ordered
			.filter((u) => !isInSubtree(u.path, unit.path))
			.map((u) => ({ code: u.code, name: u.name, depth: u.depth }))
	};
};

export const actions: Actions = {
	update: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const result = await act(values, () =>
			updateUnit(event.locals.db, actor, {
				id: intParam(event.params.id),
				code: values.code ?? '',
				name: values.name ?? '',
				kind: (values.kind ?? '') as UnitKind,
				parentCode: values.parentCode || undefined,
				ip: clientIp(event),
				now: new Date()
			})
		);
		if (result && 'status' in result) return result;
		return { saved: true };
	},
	delete: async (event) => {
		const actor = requireActor(event);
		const result = await act({}, () =>
			deleteUnit(event.locals.db, actor, {
				id: intParam(event.params.id),
				ip: clientIp(event),
				now: new Date()
			})
		);
		if (result && 'status' in result) return result;
		redirect(303, '/admin/units');
	}
};
