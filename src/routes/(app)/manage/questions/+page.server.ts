import { QUESTION_TYPES, type QuestionType } from '$lib/questions/types';
import { bankCategories } from '$lib/server/questions/categories';
import { listQuestions, listTags } from '$lib/server/questions/editor';
import { guard, requireActor } from '$lib/server/http';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const db = event.locals.db;
	const params = event.url.searchParams;
	const categoryId = Number(params.get('category')) || null;
	const typeParam = params.get('type') ?? '';
	const type = (QUESTION_TYPES as readonly string[]).includes(typeParam)
		? (typeParam as QuestionType)
		: null;
	const difficulty = [1, 2, 3].includes(Number(params.get('difficulty')))
		? Number(params.get('difficulty'))
		: null;
	const filter = {
		category: categoryId ? String(categoryId) : '',
		only: params.get('only') === 'on',
		type: type ?? '',
		tag: params.get('tag') ?? '',
		difficulty: difficulty ? String(difficulty) : '',
		q: params.get('q') ?? '',
		archived: params.get('archived') === 'on'
	};
	const pageNo = Math.max(1, Number(params.get('page')) || 1);
	const { rows, total } = await guard(() =>
		listQuestions(db, actor, {
			categoryId,
			includeSubcategories: !filter.only,
			type,
			tag: filter.tag || null,
			difficulty,
			q: filter.q,
			archived: filter.archived,
			limit: PAGE_SIZE,
			offset: (pageNo - 1) * PAGE_SIZE
		})
	);
	const tree = await bankCategories(db, actor);
	return {
		filter,
		questions: rows.map((r) => ({
			id: r.id,
			name: r.name,
			type: r.type,
			categoryName: r.categoryName,
			tags: r.tags,
			difficulty: r.difficulty,
			version: r.version
		})),
		total,
		page: pageNo,
		pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
		categories: tree.map((c) => ({ id: c.id, name: c.name, depth: c.depth, total: c.total })),
		tags: await listTags(db)
	};
};
