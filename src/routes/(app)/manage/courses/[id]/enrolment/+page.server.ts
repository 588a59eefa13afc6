import {
	assignCadres,
	assignUnit,
	courseEnrolment,
	removeAssignment,
	searchCadres,
	setAudience
} from '$lib/server/courses/enrolment';
import { listUnits } from '$lib/server/org/units';
import { failed } from '../../failed';
import { act, clientIp, formValues, guard, intParam, requireActor } from '$lib/server/http';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const db = event.locals.db;
	const q = event.url.searchParams.get('q')?.trim() ?? '';
	return guard(async () => {
		const enrolment = await courseEnrolment(db, actor, intParam(event.params.id));
		const units = [...(await listUnits(db))].sort((a, b) =>
			a.path.localeCompare(b.path, 'en', { numeric: true })
		);
		return {
			enrolment,
			units: units.map((u) => ({ code: u.code, name: u.name, depth: u.depth })),
			q,
			matches: q ? await searchCadres(db, actor, { q }) : []
		};
	});
};

async function read(event: RequestEvent) {
	const data = await event.request.formData();
	return {
		actor: requireActor(event),
		data,
		values: formValues(data),
		base: { courseId: intParam(event.params.id), now: new Date(), ip: clientIp(event) }
	};
}

export const actions: Actions = {
	audience: async (event) => {
		const { actor, values, base } = await read(event);
		const result = await act({ ...values, form: 'audience' }, () =>
			setAudience(event.locals.db, actor, { ...base, audience: values.audience ?? '' })
		);
		if (failed(result)) return result;
		return { done: 'audience' };
	},
	assignUnit: async (event) => {
		const { actor, values, base } = await read(event);
		const result = await act({ ...values, form: 'unit' }, () =>
			assignUnit(event.locals.db, actor, {
				...base,
				unitCode: values.unitCode ?? '',
				includeSubtree: values.includeSubtree === 'on',
				due: values.due ?? ''
			})
		);
		if (failed(result)) return result;
		return { done: result.created ? 'unitAssigned' : 'unitUpdated' };
	},
	assignCadres: async (event) => {
		const { actor, values, data, base } = await read(event);
		const userIds = data.getAll('userIds').map((v) => Number(v));
		const result = await act({ ...values, form: 'cadres' }, () =>
			assignCadres(event.locals.db, actor, { ...base, userIds, due: values.due ?? '' })
		);
		if (failed(result)) return result;
		return { done: 'cadresAssigned', count: result.assigned };
	},
	remove: async (event) => {
		const { actor, values, base } = await read(event);
		const result = await act(values, () =>
			removeAssignment(event.locals.db, actor, {
				...base,
				assignmentId: intParam(values.assignmentId)
			})
		);
		if (failed(result)) return result;
		return { done: 'removed' };
	}
};
