import { m } from '$lib/paraglide/messages';
import { getQuestion, setArchived } from '$lib/server/questions/editor';
import { act, clientIp, guard, intParam, requireActor } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const q = await guard(() => getQuestion(event.locals.db, actor, intParam(event.params.id)));
	const { content: _content, ...view } = q;
	return {
		question: view,
		notice: event.url.searchParams.has('created')
			? m.bank_question_created()
			: event.url.searchParams.get('saved') === 'new'
				? m.bank_question_new_version({ version: q.version })
				: event.url.searchParams.has('saved')
					? m.saved()
					: null
	};
};

async function archive(event: Parameters<Actions[string]>[0], archived: boolean) {
	const actor = requireActor(event);
	const result = await act({}, () =>
		setArchived(event.locals.db, actor, {
			id: intParam(event.params.id),
			archived,
			now: new Date(),
			ip: clientIp(event)
		})
	);
	return result ?? { success: archived ? m.bank_archived_done() : m.bank_restored_done() };
}

export const actions: Actions = {
	archive: (event) => archive(event, true),
	restore: (event) => archive(event, false)
};
