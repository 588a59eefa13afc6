// Units: the province's tree of Party agencies, district committees and communes.
import { and, asc, count, eq, like, sql } from 'drizzle-orm';
import * as v from 'valibot';
import type { Db } from '../db/client';
import { UNIT_KINDS, units, users, type UnitKind } from '../db/schema';
import { recordAudit } from '../audit/log';
import { canSeeUnit, requireRole, type Actor } from '../auth/actor';
import { Conflict, Invalid, NotAllowed, NotFound } from '../errors';
import { m } from '../i18n';
import { childPath, isInSubtree } from './tree';

export interface UnitView {
	id: number;
	code: string;
	name: string;
	kind: UnitKind;
	parentId: number | null;
	path: string;
	depth: number;
}

const unitColumns = {
	id: units.id,
	code: units.code,
	name: units.name,
	kind: units.kind,
	parentId: units.parentId,
	path: units.path,
	depth: units.depth
};

/** Every unit, parents before children, siblings by sort order then name. */
export async function listUnits(db: Db): Promise<UnitView[]> {
	return db
		.select(unitColumns)
		.from(units)
		.orderBy(asc(units.depth), asc(units.sortOrder), asc(units.name));
}

export async function findUnitByCode(db: Db, code: string): Promise<UnitView | null> {
	const [row] = await db.select(unitColumns).from(units).where(eq(units.code, code.trim()));
	return row ?? null;
}

export async function findUnit(db: Db, id: number): Promise<UnitView | null> {
	const [row] = await db.select(unitColumns).from(units).where(eq(units.id, id));
	return row ?? null;
}

/** The units an actor may open: their subtree for a leader, all for admin/organiser. */
export async function listVisibleUnits(db: Db, actor: Actor): Promise<UnitView[]> {
	const all = await listUnits(db);
	return all.filter((unit) => canSeeUnit(actor, unit.path));
}

export async function getUnitForActor(db: Db, actor: Actor, code: string): Promise<UnitView> {
	const unit = await findUnitByCode(db, code);
	if (!unit) throw new NotFound();
	if (!canSeeUnit(actor, unit.path)) throw new NotAllowed();
	return unit;
}

const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;

export const unitInput = v.object({
	code: v.pipe(v.string(), v.trim(), v.nonEmpty(), v.regex(CODE_PATTERN)),
	name: v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(200)),
	kind: v.picklist(UNIT_KINDS),
	parentCode: v.optional(v.pipe(v.string(), v.trim()))
});
export type UnitInput = v.InferInput<typeof unitInput>;

function parseUnitInput(input: UnitInput) {
	const result = v.safeParse(unitInput, input);
	if (result.success) return result.output;
	const fields: Record<string, string> = {};
	for (const issue of result.issues) {
		const key = issue.path?.[0]?.key;
		if (typeof key !== 'string' || fields[key]) continue;
		fields[key] =
			key === 'code'
				? m.unit_code_invalid()
				: key === 'name'
					? m.field_required()
					: key === 'kind'
						? m.unit_kind_invalid()
						: m.field_invalid();
	}
	throw new Invalid(fields);
}

export async function createUnit(
	db: Db,
	actor: Actor,
	input: UnitInput & { ip?: string | null; now: Date }
): Promise<UnitView> {
	requireRole(actor, 'admin');
	const data = parseUnitInput(input);
	return db.transaction(async (tx) => {
		if (await findUnitByCode(tx, data.code))
			throw new Invalid({ code: m.unit_code_taken({ code: data.code }) });
		let parent: UnitView | null = null;
		if (data.parentCode) {
			parent = await findUnitByCode(tx, data.parentCode);
			if (!parent)
				throw new Invalid({ parentCode: m.unit_parent_missing({ code: data.parentCode }) });
		}
		const [row] = await tx
			.insert(units)
			.values({
				code: data.code,
				name: data.name,
				kind: data.kind,
				parentId: parent?.id ?? null,
				path: '/',
				depth: parent ? parent.depth + 1 : 0,
				createdAt: input.now,
				updatedAt: input.now
			})
			.returning({ id: units.id });
		const path = childPath(parent?.path ?? null, row.id);
		await tx.update(units).set({ path }).where(eq(units.id, row.id));
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'unit.create',
			targetType: 'unit',
			targetId: row.id,
			details: { code: data.code, name: data.name },
			ip: input.ip,
			now: input.now
		});
		return (await findUnit(tx, row.id))!;
	});
}

export async function updateUnit(
	db: Db,
	actor: Actor,
	input: UnitInput & { id: number; ip?: string | null; now: Date }
): Promise<UnitView> {
	requireRole(actor, 'admin');
	const data = parseUnitInput(input);
	return db.transaction(async (tx) => {
		const unit = await findUnit(tx, input.id);
		if (!unit) throw new NotFound();
		const sameCode = await findUnitByCode(tx, data.code);
		if (sameCode && sameCode.id !== unit.id)
			throw new Invalid({ code: m.unit_code_taken({ code: data.code }) });
		let parent: UnitView | null = null;
		if (data.parentCode) {
			parent = await findUnitByCode(tx, data.parentCode);
			if (!parent)
				throw new Invalid({ parentCode: m.unit_parent_missing({ code: data.parentCode }) });
			if (isInSubtree(parent.path, unit.path))
				throw new Invalid({ parentCode: m.unit_parent_cycle() });
		}
		const newPath = childPath(parent?.path ?? null, unit.id);
		const depthShift = (parent ? parent.depth + 1 : 0) - unit.depth;
		if (newPath !== unit.path) {
			// Move the whole subtree: rewrite the prefix of every descendant's path.
			await tx
				.update(units)
				.set({
					path: sql`${newPath} || substr(${units.path}, ${unit.path.length + 1})`,
					depth: sql`${units.depth} + ${depthShift}`
				})
				.where(like(units.path, `${unit.path}%`));
		}
		await tx
			.update(units)
			.set({
				code: data.code,
				name: data.name,
				kind: data.kind,
				parentId: parent?.id ?? null,
				updatedAt: input.now
			})
			.where(eq(units.id, unit.id));
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'unit.update',
			targetType: 'unit',
			targetId: unit.id,
			details: {
				before: { code: unit.code, name: unit.name, parentId: unit.parentId },
				after: { ...data }
			},
			ip: input.ip,
			now: input.now
		});
		return (await findUnit(tx, unit.id))!;
	});
}

export async function deleteUnit(
	db: Db,
	actor: Actor,
	input: { id: number; ip?: string | null; now: Date }
): Promise<void> {
	requireRole(actor, 'admin');
	await db.transaction(async (tx) => {
		const unit = await findUnit(tx, input.id);
		if (!unit) throw new NotFound();
		const [children] = await tx
			.select({ n: count() })
			.from(units)
			.where(eq(units.parentId, unit.id));
		const [members] = await tx.select({ n: count() }).from(users).where(eq(users.unitId, unit.id));
		if ((children?.n ?? 0) > 0 || (members?.n ?? 0) > 0) throw new Conflict(m.unit_not_empty());
		await tx.delete(units).where(and(eq(units.id, unit.id)));
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'unit.delete',
			targetType: 'unit',
			targetId: unit.id,
			details: { code: unit.code, name: unit.name },
			ip: input.ip,
			now: input.now
		});
	});
}

/** Member counts per unit (own members, not the subtree). */
export async function memberCounts(db: Db): Promise<Map<number, number>> {
	const rows = await db
		.select({ unitId: users.unitId, n: count() })
		.from(users)
		.where(eq(users.active, true))
		.groupBy(users.unitId);
	return new Map(rows.filter((r) => r.unitId !== null).map((r) => [r.unitId as number, r.n]));
}
