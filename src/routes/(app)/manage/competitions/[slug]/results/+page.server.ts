import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { unpackBoard, type PackedBoard } from '$lib/board/view';
import { publishResults } from '$lib/server/competitions/awards';
import {
	resultsOverview,
	setBoardPublic,
	setFreezeMinutes
} from '$lib/server/competitions/results';
import { act, clientIp, formValues, guard, requireActor } from '$lib/server/http';
import { boardHub } from '$lib/server/realtime/boards';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const overview = await guard(() =>
		resultsOverview(event.locals.db, actor, { slug: event.params.slug, now: new Date() })
	);
	const hub = await boardHub();
	const snapshot = await hub.snapshot({
		competitionId: overview.competition.id,
		variant: 'live',
		round: null
	});
	if (!snapshot.json) error(404, m.error_not_found());
	const { id: _id, ...competition } = overview.competition;
	return {
		competition,
		rounds: overview.rounds,
		frozenAt: overview.frozenAt,
		blockers: overview.blockers,
		board: unpackBoard(JSON.parse(snapshot.json) as PackedBoard),
		events: `/board/${competition.slug}/events?live=1`
	};
};

export const actions: Actions = {
	freeze: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = formValues(data);
		const result = await act(values, () =>
			setFreezeMinutes(event.locals.db, actor, {
				slug: event.params.slug,
				minutes: values.freezeMinutes ?? '',
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (result && typeof result === 'object' && 'status' in result) return result;
		return { done: 'freeze' as const };
	},
	board: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const boardPublic = data.get('boardPublic') === 'true';
		const result = await act({}, () =>
			setBoardPublic(event.locals.db, actor, {
				slug: event.params.slug,
				boardPublic,
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (result && typeof result === 'object' && 'status' in result) return result;
		return { done: boardPublic ? ('board_public' as const) : ('board_private' as const) };
	},
	publish: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		if (data.get('confirm') !== 'yes')
			return fail(400, { errors: { confirm: m.board_publish_confirm_required() }, values: {} });
		const result = await act({}, () =>
			publishResults(event.locals.db, actor, {
				slug: event.params.slug,
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if ('status' in result) return result;
		return { done: 'publish' as const, published: result };
	}
};
