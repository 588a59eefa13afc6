import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { parseTags } from '$lib/questions/form';
import { slotPoolSize } from '$lib/server/assessments/draw';
import { editSlots, managedQuiz, type SlotOp } from '$lib/server/assessments/quizzes';
import { bankCategories } from '$lib/server/questions/categories';
import { listQuestions } from '$lib/server/questions/editor';
import { act, clientIp, formValues, guard, intParam, requireActor } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const db = event.locals.db;
	const quiz = await guard(() => managedQuiz(db, actor, intParam(event.params.id)));
	const tree = await bankCategories(db, actor);
	const q = event.url.searchParams.get('q') ?? '';
	const pools = new Map<string, { size: number; used: number }>();
	const keyOf = (s: (typeof quiz.slots)[number]) =>
		JSON.stringify([s.categoryId, s.includeSubcategories, s.tags, s.difficulty]);
	for (const s of quiz.slots) {
		if (s.kind !== 'random') continue;
		const key = keyOf(s);
		const pool = pools.get(key) ?? {
			size: await slotPoolSize(db, {
				kind: 'random',
				questionId: null,
				categoryId: s.categoryId ?? null,
				includeSubcategories: s.includeSubcategories ?? true,
				tags: s.tags ?? [],
				difficulty: s.difficulty ?? null
			}),
			used: 0
		};
		pool.used++;
		pools.set(key, pool);
	}
	const found = q.trim() ? (await listQuestions(db, actor, { q, limit: 20 })).rows : [];
	return {
		quiz: { id: quiz.id, title: quiz.settings.title, attempts: quiz.attempts.total },
		created: event.url.searchParams.has('created'),
		slots: quiz.slots.map((s) => ({
			position: s.position,
			kind: s.kind,
			label: s.label,
			questionId: s.questionId,
			category: tree.find((c) => c.id === s.categoryId)?.names.join(' / ') ?? s.label,
			includeSubcategories: s.includeSubcategories ?? true,
			tags: s.tags ?? [],
			difficulty: s.difficulty ?? null,
			points: s.points,
			pool: s.kind === 'random' ? (pools.get(keyOf(s)) ?? null) : null
		})),
		categories: tree.map((c) => ({ id: c.id, name: c.name, depth: c.depth, total: c.total })),
		search: {
			q,
			results: found.map((r) => ({
				id: r.id,
				name: r.name,
				type: r.type,
				categoryName: r.categoryName
			}))
		}
	};
};

function points(text: FormDataEntryValue | null): number {
	return Number(String(text ?? '').replace(',', '.'));
}

async function change(event: Parameters<Actions[string]>[0], op: SlotOp, values: object) {
	const actor = requireActor(event);
	const result = await act({ ...values }, () =>
		editSlots(event.locals.db, actor, {
			id: intParam(event.params.id),
			change: op,
			now: new Date(),
			ip: clientIp(event)
		})
	);
	return result ?? { success: m.saved() };
}

export const actions: Actions = {
	addRandom: async (event) => {
		const data = await event.request.formData();
		const values = { ...formValues(data), form: 'random' };
		const count = Number(data.get('count'));
		const categoryId = Number(data.get('categoryId')) || null;
		if (!categoryId)
			return fail(400, { values, errors: { categoryId: m.bank_category_required() } });
		if (!Number.isInteger(count) || count < 1 || count > 100)
			return fail(400, { values, errors: { count: m.quiz_slot_count_invalid() } });
		const difficulty = Number(data.get('difficulty')) || null;
		const slot = {
			kind: 'random' as const,
			categoryId,
			includeSubcategories: data.get('includeSubcategories') === 'on',
			tags: parseTags(String(data.get('tags') ?? '')),
			difficulty,
			points: points(data.get('points'))
		};
		return change(event, { op: 'add', slots: Array.from({ length: count }, () => slot) }, values);
	},
	addFixed: async (event) => {
		const data = await event.request.formData();
		const values = { ...formValues(data), form: 'fixed' };
		return change(
			event,
			{
				op: 'add',
				slots: [
					{
						kind: 'fixed',
						questionId: Number(data.get('questionId')) || null,
						points: points(data.get('points'))
					}
				]
			},
			values
		);
	},
	/** The slot table: new points for every slot, or one slot moved or removed. */
	update: async (event) => {
		const data = await event.request.formData();
		const values = formValues(data);
		const [verb, at] = String(data.get('op') ?? '').split(':');
		const position = Number(at);
		let op: SlotOp;
		if (verb === 'remove') op = { op: 'remove', position };
		else if (verb === 'up' || verb === 'down')
			op = { op: 'move', position, by: verb === 'up' ? -1 : 1 };
		else {
			const pts: Record<number, number> = {};
			for (const [key, value] of data.entries()) {
				const match = /^points_(\d+)$/.exec(key);
				if (match) pts[Number(match[1])] = points(value);
			}
			op = { op: 'points', points: pts };
		}
		return change(event, op, values);
	}
};
