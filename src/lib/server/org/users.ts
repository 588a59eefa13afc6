// User accounts: listing within scope, creating, editing roles and unit.
import { and, asc, count, eq, ilike, like, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { ROLES, units, users, type Role } from '../db/schema';
import { recordAudit } from '../audit/log';
import { canSeeUnit, hasRole, requireRole, scopeOf, type Actor } from '../auth/actor';
import { checkNewPassword } from '../auth/login';
import { hashPassword } from '../auth/password';
import { invalidateUserSessions } from '../auth/session';
import { accountThrottleState } from '../auth/throttle';
import { Invalid, NotAllowed, NotFound } from '../errors';
import { m } from '../i18n';
import { findUnitByCode } from './units';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export interface UserListItem {
	id: number;
	username: string;
	fullName: string;
	position: string;
	isLeader: boolean;
	roles: Role[];
	active: boolean;
	unitCode: string | null;
	unitName: string | null;
}

export interface UserFilter {
	unitCode?: string;
	/** Include the units below unitCode (default true). */
	subtree?: boolean;
	q?: string;
	role?: Role;
	limit?: number;
	offset?: number;
}

const listColumns = {
	id: users.id,
	username: users.username,
	fullName: users.fullName,
	position: users.position,
	isLeader: users.isLeader,
	roles: users.roles,
	active: users.active,
	unitCode: units.code,
	unitName: units.name
};

/** People the actor may see: all for admin/organiser, the subtree for a leader, nobody else. */
export async function listUsers(
	db: Db,
	actor: Actor,
	filter: UserFilter = {}
): Promise<{ rows: UserListItem[]; total: number }> {
	const scope = scopeOf(actor);
	if (scope.kind === 'self') throw new NotAllowed();
	const conditions: SQL[] = [];
	if (scope.kind === 'subtree') conditions.push(like(units.path, `${scope.pathPrefix}%`));
	if (filter.unitCode) {
		const unit = await findUnitByCode(db, filter.unitCode);
		if (!unit) throw new NotFound();
		if (!canSeeUnit(actor, unit.path)) throw new NotAllowed();
		conditions.push(
			filter.subtree === false ? eq(users.unitId, unit.id) : like(units.path, `${unit.path}%`)
		);
	}
	if (filter.q?.trim()) {
		const q = `%${filter.q.trim().replace(/[%_\\]/g, '\\$&')}%`;
		conditions.push(or(ilike(users.username, q), ilike(users.fullName, q))!);
	}
	if (filter.role) conditions.push(sql`${filter.role} = any(${users.roles})`);
	const where = conditions.length ? and(...conditions) : undefined;
	const rows = await db
		.select(listColumns)
		.from(users)
		.leftJoin(units, eq(units.id, users.unitId))
		.where(where)
		.orderBy(asc(units.path), sql`${users.isLeader} desc`, asc(users.fullName), asc(users.id))
		.limit(Math.min(filter.limit ?? 50, 1000))
		.offset(filter.offset ?? 0);
	const [total] = await db
		.select({ n: count() })
		.from(users)
		.leftJoin(units, eq(units.id, users.unitId))
		.where(where);
	return { rows, total: total?.n ?? 0 };
}

export interface UserDetail extends UserListItem {
	unitId: number | null;
	mustChangePassword: boolean;
	failedLogins: number;
	lockedUntil: Date | null;
	createdAt: Date;
}

export async function getUser(db: Db, actor: Actor, id: number): Promise<UserDetail> {
	const [row] = await db
		.select({
			...listColumns,
			unitId: users.unitId,
			unitPath: units.path,
			mustChangePassword: users.mustChangePassword,
			createdAt: users.createdAt
		})
		.from(users)
		.leftJoin(units, eq(units.id, users.unitId))
		.where(eq(users.id, id));
	if (!row) throw new NotFound();
	const self = row.id === actor.id;
	if (!self && !hasRole(actor, 'admin') && !(row.unitPath && canSeeUnit(actor, row.unitPath)))
		throw new NotAllowed();
	const throttle = await accountThrottleState(db, row.username);
	const { unitPath: _path, ...rest } = row;
	void _path;
	return { ...rest, failedLogins: throttle.failures, lockedUntil: throttle.lockedUntil };
}

export function parseRoles(text: string): Role[] | null {
	const parts = text
		.split(/[;,|\s]+/)
		.map((p) => p.trim().toLowerCase())
		.filter(Boolean);
	if (parts.length === 0) return ['cadre'];
	const roles: Role[] = [];
	for (const part of parts) {
		if (!(ROLES as readonly string[]).includes(part)) return null;
		if (!roles.includes(part as Role)) roles.push(part as Role);
	}
	return roles;
}

export interface UserInput {
	username: string;
	fullName: string;
	unitCode?: string | null;
	position?: string;
	roles: Role[];
	isLeader?: boolean;
	active?: boolean;
}

async function validateUserInput(db: Db, input: UserInput) {
	const fields: Record<string, string> = {};
	const username = input.username.trim().toLowerCase();
	if (!USERNAME_PATTERN.test(username)) fields.username = m.username_invalid();
	const fullName = input.fullName.trim();
	if (!fullName) fields.fullName = m.field_required();
	else if (fullName.length > 120) fields.fullName = m.field_too_long({ max: 120 });
	const position = (input.position ?? '').trim();
	if (position.length > 120) fields.position = m.field_too_long({ max: 120 });
	if (input.roles.length === 0) fields.roles = m.roles_required();
	let unitId: number | null = null;
	if (input.unitCode?.trim()) {
		const unit = await findUnitByCode(db, input.unitCode);
		if (!unit) fields.unitCode = m.unit_unknown({ code: input.unitCode.trim() });
		else unitId = unit.id;
	} else if (input.roles.includes('cadre') || input.isLeader) {
		fields.unitCode = m.unit_required_for_cadre();
	}
	if (Object.keys(fields).length) throw new Invalid(fields);
	return {
		username,
		fullName,
		position,
		unitId,
		roles: input.roles,
		isLeader: !!input.isLeader,
		active: input.active ?? true
	};
}

export async function addUser(
	db: Db,
	actor: Actor,
	input: UserInput & { password?: string; ip?: string | null; now: Date }
): Promise<{ id: number }> {
	requireRole(actor, 'admin');
	const data = await validateUserInput(db, input);
	if (input.password !== undefined) {
		const problem = checkNewPassword(input.password, data.username);
		if (problem) throw new Invalid({ password: problem });
	}
	const passwordHash = input.password ? await hashPassword(input.password) : null;
	return db.transaction(async (tx) => {
		const [existing] = await tx
			.select({ id: users.id })
			.from(users)
			.where(eq(users.username, data.username));
		if (existing) throw new Invalid({ username: m.username_taken({ username: data.username }) });
		const [row] = await tx
			.insert(users)
			.values({
				...data,
				passwordHash,
				mustChangePassword: !!passwordHash,
				createdAt: input.now,
				updatedAt: input.now
			})
			.returning({ id: users.id });
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'user.create',
			targetType: 'user',
			targetId: row.id,
			details: { username: data.username, roles: data.roles, isLeader: data.isLeader },
			ip: input.ip,
			now: input.now
		});
		return row;
	});
}

export async function updateUser(
	db: Db,
	actor: Actor,
	input: UserInput & { id: number; ip?: string | null; now: Date }
): Promise<void> {
	requireRole(actor, 'admin');
	const data = await validateUserInput(db, input);
	await db.transaction(async (tx) => {
		const [before] = await tx.select().from(users).where(eq(users.id, input.id));
		if (!before) throw new NotFound();
		if (data.username !== before.username) {
			const [taken] = await tx
				.select({ id: users.id })
				.from(users)
				.where(eq(users.username, data.username));
			if (taken) throw new Invalid({ username: m.username_taken({ username: data.username }) });
		}
		if (before.id === actor.id && before.roles.includes('admin') && !data.roles.includes('admin')) {
			throw new Invalid({ roles: m.cannot_remove_own_admin() });
		}
		await tx
			.update(users)
			.set({ ...data, updatedAt: input.now })
			.where(eq(users.id, input.id));
		const privilegeChanged =
			[...before.roles].sort().join() !== [...data.roles].sort().join() ||
			before.isLeader !== data.isLeader ||
			before.unitId !== data.unitId ||
			before.active !== data.active;
		// A change of privilege ends the user's sessions: the next login gets a fresh one.
		if (privilegeChanged) await invalidateUserSessions(tx, { userId: input.id });
		await recordAudit(tx, {
			actorId: actor.id,
			action: privilegeChanged ? 'user.privileges' : 'user.update',
			targetType: 'user',
			targetId: input.id,
			details: {
				username: data.username,
				before: {
					roles: before.roles,
					isLeader: before.isLeader,
					unitId: before.unitId,
					active: before.active
				},
				after: {
					roles: data.roles,
					isLeader: data.isLeader,
					unitId: data.unitId,
					active: data.active
				}
			},
			ip: input.ip,
			now: input.now
		});
	});
}

export async function countAccounts(
	db: Db
): Promise<{ total: number; cadres: number; leaders: number }> {
	const [row] = await db
		.select({
			total: count(),
			cadres: sql<number>`count(*) filter (where 'cadre' = any(${users.roles}))::int`,
			leaders: sql<number>`count(*) filter (where ${users.isLeader})::int`
		})
		.from(users)
		.where(eq(users.active, true));
	return { total: row?.total ?? 0, cadres: row?.cadres ?? 0, leaders: row?.leaders ?? 0 };
}

/** The Actor for a user id (seeding, benchmarks and background work acting as that person). */
export async function loadActor(db: Db, userId: number): Promise<Actor> {
	const [row] = await db
		.select({
			id: users.id,
			username: users.username,
			fullName: users.fullName,
			roles: users.roles,
			isLeader: users.isLeader,
			unitId: users.unitId,
			unitPath: units.path,
			unitName: units.name,
			mustChangePassword: users.mustChangePassword
		})
		.from(users)
		.leftJoin(units, eq(units.id, users.unitId))
		.where(eq(users.id, userId));
	if (!row) throw new NotFound();
	return row;
}
