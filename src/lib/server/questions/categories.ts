// The category tree of the question bank: create, rename, move (a subtree with it), delete when
// empty, and the tree as pages and the CLI show it. Paths are materialised ('/3/8/').
import { and, eq, isNull, like, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { assessmentSlots, questionCategories, questions } from '../db/schema';
import { recordAudit } from '../audit/log';
import { requireRole, type Actor } from '../auth/actor';
import { Conflict, Invalid, NotFound } from '../errors';
import { m } from '../i18n';

export interface CategoryNode {
	id: number;
	name: string;
	parentId: number | null;
	path: string;
	depth: number;
	/** Names from the root down to this category. */
	names: string[];
	/** Questions (not archived) in this category itself. */
	own: number;
	/** Questions (not archived) here and in every subcategory. */
	total: number;
}

/** Every category in tree order (siblings by name, Vietnamese collation), with question counts. */
export async function categoryTree(db: Db): Promise<CategoryNode[]> {
	const rows = await db
		.select({
			id: questionCategories.id,
			name: questionCategories.name,
			parentId: questionCategories.parentId,
			path: questionCategories.path,
			own: sql<number>`(select count(*)::int from ${questions} q where q.category_id = "question_categories"."id" and not q.archived)`
		})
		.from(questionCategories);
	return orderTree(rows);
}

/** The category tree as the bank's pages show it: trainers' and admins' only. */
export async function bankCategories(db: Db, actor: Actor): Promise<CategoryNode[]> {
	requireRole(actor, 'trainer', 'admin');
	return categoryTree(db);
}

/** Orders flat rows as a tree (pure): parents before children, siblings by name. */
export function orderTree(
	rows: Array<{ id: number; name: string; parentId: number | null; path: string; own: number }>
): CategoryNode[] {
	const children = new Map<number | null, typeof rows>();
	for (const row of rows) {
		const list = children.get(row.parentId) ?? [];
		list.push(row);
		children.set(row.parentId, list);
	}
	const collator = new Intl.Collator('vi');
	const out: CategoryNode[] = [];
	const walk = (parentId: number | null, names: string[], depth: number): number => {
		let sum = 0;
		for (const row of (children.get(parentId) ?? []).sort((a, b) =>
			collator.compare(a.name, b.name)
		)) {
			const node: CategoryNode = {
				...row,
				depth,
				names: [...names, row.name],
				total: row.own
			};
			out.push(node);
			node.total += walk(row.id, node.names, depth + 1);
			sum += node.total;
		}
		return sum;
	};
	walk(null, [], 0);
	return out;
}

const MAX_NAME = 200;

function cleanName(name: string): string {
	const trimmed = name.trim().replace(/\s+/g, ' ');
	if (!trimmed) throw new Invalid({ name: m.bank_category_name_required() });
	if (trimmed.length > MAX_NAME) throw new Invalid({ name: m.bank_category_too_long() });
	return trimmed;
}

async function load(db: Db, id: number) {
	const [row] = await db.select().from(questionCategories).where(eq(questionCategories.id, id));
	if (!row) throw new NotFound();
	return row;
}

async function requireFreeName(db: Db, parentId: number | null, name: string, except?: number) {
	const [taken] = await db
		.select({ id: questionCategories.id })
		.from(questionCategories)
		.where(
			and(
				parentId === null
					? isNull(questionCategories.parentId)
					: eq(questionCategories.parentId, parentId),
				sql`lower(${questionCategories.name}) = lower(${name})`,
				except ? ne(questionCategories.id, except) : undefined
			)
		);
	if (taken) throw new Invalid({ name: m.bank_category_exists({ name }) });
}

export async function createCategory(
	db: Db,
	actor: Actor,
	input: { name: string; parentId: number | null; now: Date; ip?: string | null }
): Promise<{ id: number }> {
	requireRole(actor, 'trainer', 'admin');
	const name = cleanName(input.name);
	return db.transaction(async (tx) => {
		const parent = input.parentId ? await load(tx, input.parentId) : null;
		await requireFreeName(tx, parent?.id ?? null, name);
		const [row] = await tx
			.insert(questionCategories)
			.values({ name, parentId: parent?.id ?? null, path: '/', createdAt: input.now })
			.returning({ id: questionCategories.id });
		await tx
			.update(questionCategories)
			.set({ path: `${parent?.path ?? '/'}${row.id}/` })
			.where(eq(questionCategories.id, row.id));
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'question_category.create',
			targetType: 'question_category',
			targetId: row.id,
			details: { name, parentId: parent?.id ?? null },
			ip: input.ip,
			now: input.now
		});
		return row;
	});
}

export async function renameCategory(
	db: Db,
	actor: Actor,
	input: { id: number; name: string; now: Date; ip?: string | null }
): Promise<void> {
	requireRole(actor, 'trainer', 'admin');
	const name = cleanName(input.name);
	await db.transaction(async (tx) => {
		const category = await load(tx, input.id);
		await requireFreeName(tx, category.parentId, name, category.id);
		await tx.update(questionCategories).set({ name }).where(eq(questionCategories.id, category.id));
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'question_category.rename',
			targetType: 'question_category',
			targetId: category.id,
			details: { before: category.name, after: name },
			ip: input.ip,
			now: input.now
		});
	});
}

/** Moves a category, with everything below it, under another parent (or to the top). */
export async function moveCategory(
	db: Db,
	actor: Actor,
	input: { id: number; parentId: number | null; now: Date; ip?: string | null }
): Promise<void> {
	requireRole(actor, 'trainer', 'admin');
	await db.transaction(async (tx) => {
		const category = await load(tx, input.id);
		const parent = input.parentId ? await load(tx, input.parentId) : null;
		if (parent && parent.path.startsWith(category.path))
			throw new Invalid({ parentId: m.bank_category_move_into_itself() });
		if ((parent?.id ?? null) === category.parentId) return;
		await requireFreeName(tx, parent?.id ?? null, category.name, category.id);
		const newPath = `${parent?.path ?? '/'}${category.id}/`;
		await tx.execute(
			sql`update ${questionCategories}
			       set path = ${newPath} || substr(path, ${category.path.length + 1}),
			           parent_id = case when id = ${category.id} then ${parent?.id ?? null}::int else parent_id end
			     where path like ${category.path + '%'}`
		);
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'question_category.move',
			targetType: 'question_category',
			targetId: category.id,
			details: { name: category.name, from: category.parentId, to: parent?.id ?? null },
			ip: input.ip,
			now: input.now
		});
	});
}

/** Deletes a category that holds nothing: no questions (even archived), no subcategories, no slots. */
export async function deleteCategory(
	db: Db,
	actor: Actor,
	input: { id: number; now: Date; ip?: string | null }
): Promise<void> {
	requireRole(actor, 'trainer', 'admin');
	await db.transaction(async (tx) => {
		const category = await load(tx, input.id);
		const [inUse] = await tx
			.select({
				children: sql<number>`(select count(*)::int from ${questionCategories} c where c.parent_id = ${category.id})`,
				questions: sql<number>`(select count(*)::int from ${questions} q where q.category_id = ${category.id})`,
				slots: sql<number>`(select count(*)::int from ${assessmentSlots} s where s.category_id = ${category.id})`
			})
			.from(questionCategories)
			.where(eq(questionCategories.id, category.id));
		if (inUse.children || inUse.questions || inUse.slots)
			throw new Conflict(m.bank_category_not_empty());
		await tx.delete(questionCategories).where(eq(questionCategories.id, category.id));
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'question_category.delete',
			targetType: 'question_category',
			targetId: category.id,
			details: { name: category.name },
			ip: input.ip,
			now: input.now
		});
	});
}

/** The category at a path of names ('A/B' → A's child B), or null. Names compare exactly. */
export async function categoryByNames(
	db: Db,
	names: string[]
): Promise<{ id: number; path: string } | null> {
	let parent: { id: number; path: string } | null = null;
	for (const name of names) {
		const [found]: Array<{ id: number; path: string }> = await db
			.select({ id: questionCategories.id, path: questionCategories.path })
			.from(questionCategories)
			.where(
				and(
					eq(questionCategories.name, name),
					parent ? eq(questionCategories.parentId, parent.id) : isNull(questionCategories.parentId)
				)
			);
		if (!found) return null;
		parent = found;
	}
	return parent;
}

/** Ids of a category and all its subcategories. */
export async function subtreeIds(db: Db, categoryId: number): Promise<number[]> {
	const root = await load(db, categoryId);
	const rows = await db
		.select({ id: questionCategories.id })
		.from(questionCategories)
		.where(like(questionCategories.path, `${root.path}%`));
	return rows.map((r) => r.id);
}
