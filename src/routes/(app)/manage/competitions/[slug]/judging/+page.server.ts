import { act, clientIp, formValues, guard, intParam, requireActor } from '$lib/server/http';
import {
	addJudge,
	assignPending,
	judgingOverview,
	reassignJudge,
	removeJudge,
	setHeadJudge
} from '$lib/server/competitions/judging';
import type { Actions, PageServerLoad } from './$types';

const failed = (result: unknown) => !!result && typeof result === 'object' && 'status' in result;

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	return guard(() => judgingOverview(event.locals.db, actor, { slug: event.params.slug }));
};

export const actions: Actions = {
	addJudge: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const result = await act({ ...values, form: 'judge' }, () =>
			addJudge(event.locals.db, actor, {
				slug: event.params.slug,
				username: values.username ?? '',
				isHead: values.isHead === 'on',
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (failed(result)) return result;
		return { done: 'judge' };
	},
	setHead: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const result = await act({}, () =>
			setHeadJudge(event.locals.db, actor, {
				slug: event.params.slug,
				userId: intParam(values.judge),
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (failed(result)) return result;
		return { done: 'judge' };
	},
	removeJudge: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const result = await act({}, () =>
			removeJudge(event.locals.db, actor, {
				slug: event.params.slug,
				userId: intParam(values.judge),
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (failed(result)) return result;
		return { done: 'judge' };
	},
	assign: async (event) => {
		const actor = requireActor(event);
		const result = await act({}, () =>
			assignPending(event.locals.db, actor, {
				slug: event.params.slug,
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (failed(result)) return result;
		return { assigned: result as number };
	},
	reassign: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const result = await act({ ...values, form: values.code }, () =>
			reassignJudge(event.locals.db, actor, {
				code: values.code ?? '',
				fromJudgeId: Number(values.from),
				toJudgeId: Number(values.to),
				reason: values.reason ?? '',
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (failed(result)) return result;
		return { done: 'reassign' };
	}
};
