import { m } from '$lib/paraglide/messages';
import {
	bankCategories,
	createCategory,
	deleteCategory,
	moveCategory,
	renameCategory
} from '$lib/server/questions/categories';
import { act, clientIp, formValues, guard, requireActor } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const tree = await guard(() => bankCategories(event.locals.db, actor));
	return {
		categories: tree.map((c) => ({
			id: c.id,
			name: c.name,
			depth: c.depth,
			parentId: c.parentId,
			path: c.path,
			own: c.own,
			total: c.total
		}))
	};
};

const idOf = (data: FormData) => Number(data.get('id')) || 0;
const parentOf = (data: FormData) => Number(data.get('parentId')) || null;

export const actions: Actions = {
	create: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = { ...formValues(data), form: 'create' };
		const result = await act(values, () =>
			createCategory(event.locals.db, actor, {
				name: String(data.get('name') ?? ''),
				parentId: parentOf(data),
				now: new Date(),
				ip: clientIp(event)
			})
		);
		return result && 'status' in result ? result : { success: m.bank_category_created() };
	},
	rename: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = { ...formValues(data), form: 'rename' };
		const result = await act(values, () =>
			renameCategory(event.locals.db, actor, {
				id: idOf(data),
				name: String(data.get('name') ?? ''),
				now: new Date(),
				ip: clientIp(event)
			})
		);
		return result ?? { success: m.saved() };
	},
	move: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = { ...formValues(data), form: 'move' };
		const result = await act(values, () =>
			moveCategory(event.locals.db, actor, {
				id: idOf(data),
				parentId: parentOf(data),
				now: new Date(),
				ip: clientIp(event)
			})
		);
		return result ?? { success: m.bank_category_moved() };
	},
	delete: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = { ...formValues(data), form: 'delete' };
		const result = await act(values, () =>
			deleteCategory(event.locals.db, actor, {
				id: idOf(data),
				now: new Date(),
				ip: clientIp(event)
			})
		);
		return result ?? { success: m.bank_category_deleted() };
	}
};
