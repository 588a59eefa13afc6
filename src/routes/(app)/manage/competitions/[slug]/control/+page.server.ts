import {
	closeRoundNow,
	controlRoom,
	extendRoundTime,
	openRoundNow,
	pauseRound,
	resumeRound
} from '$lib/server/competitions/control-room';
import { act, clientIp, guard, intParam, requireActor } from '$lib/server/http';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	event.depends('comp:control');
	const param = event.url.searchParams.get('round');
	const room = await guard(() =>
		controlRoom(event.locals.db, actor, {
			slug: event.params.slug,
			position: param ? intParam(param) : null,
			now: new Date()
		})
	);
	const r = room.round;
	return {
		competition: room.competition,
		rounds: room.rounds,
		round: {
			position: r.position,
			name: r.name,
			kind: r.kind,
			startMode: r.startMode,
			published: r.published,
			openAt: r.openAt,
			closeAt: r.closeAt,
			timeLimitMinutes: r.timeLimitMinutes,
			paused: r.paused,
			pausedAt: r.pausedAt
		},
		units: room.units,
		totals: room.totals,
		serverNow: room.serverNow
	};
};

async function read(event: RequestEvent, form: string) {
	const data = await event.request.formData();
	const values: Record<string, string> = { form };
	for (const [key, value] of data.entries()) if (typeof value === 'string') values[key] = value;
	return {
		values,
		base: {
			slug: event.params.slug,
			position: intParam(values.position),
			reason: values.reason ?? '',
			now: new Date(),
			ip: clientIp(event)
		}
	};
}

export const actions: Actions = {
	extend: async (event) => {
		const actor = requireActor(event);
		const { values, base } = await read(event, 'extend');
		const result = await act(values, () =>
			extendRoundTime(event.locals.db, actor, {
				...base,
				username: values.who ? values.who : null,
				minutes: Number(values.minutes)
			})
		);
		if ('status' in result) return result;
		return { done: 'extend', moved: result.attemptsMoved, who: values.who ?? '' };
	},
	pause: async (event) => {
		const actor = requireActor(event);
		const { values, base } = await read(event, 'pause');
		const result = await act(values, () => pauseRound(event.locals.db, actor, base));
		if (result && typeof result === 'object' && 'status' in result) return result;
		return { done: 'pause' };
	},
	resume: async (event) => {
		const actor = requireActor(event);
		const { values, base } = await read(event, 'pause');
		const result = await act(values, () => resumeRound(event.locals.db, actor, base));
		if ('status' in result) return result;
		return { done: 'resume' };
	},
	open: async (event) => {
		const actor = requireActor(event);
		const { values, base } = await read(event, 'open');
		const result = await act(values, () => openRoundNow(event.locals.db, actor, base));
		if (result && typeof result === 'object' && 'status' in result) return result;
		return { done: 'open' };
	},
	close: async (event) => {
		const actor = requireActor(event);
		const { values, base } = await read(event, 'close');
		const result = await act(values, () => closeRoundNow(event.locals.db, actor, base));
		if ('status' in result) return result;
		return { done: 'close', cut: result.attemptsCut };
	}
};
