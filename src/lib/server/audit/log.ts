// Writing and reading the audit log of privileged actions.
import { and, asc, desc, eq, gte, ilike, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditLog, users } from '../db/schema';
import { requireRole, type Actor } from '../auth/actor';

export interface AuditEntry {
	actorId: number | null;
	action: string;
	targetType?: string;
	targetId?: string | number;
	details?: Record<string, unknown>;
	ip?: string | null;
	now: Date;
}

export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
	await db.insert(auditLog).values({
		at: entry.now,
		// Actor id 0 is the CLI operator, who has no account row.
		actorId: entry.actorId && entry.actorId > 0 ? entry.actorId : null,
		action: entry.action,
		targetType: entry.targetType ?? null,
		targetId: entry.targetId === undefined ? null : String(entry.targetId),
		details: entry.actorId === 0 ? { via: 'cli', ...entry.details } : (entry.details ?? {}),
		ip: entry.ip ?? null
	});
}

export interface AuditFilter {
	/** A username (exactly) or part of a full name. */
	actor?: string;
	action?: string;
	from?: Date;
	to?: Date;
	limit?: number;
	offset?: number;
}

export interface AuditView {
	id: number;
	at: Date;
	actorUsername: string | null;
	actorName: string | null;
	action: string;
	targetType: string | null;
	targetId: string | null;
	details: Record<string, unknown>;
	ip: string | null;
}

export async function listAudit(
	db: Db,
	actor: Actor,
	filter: AuditFilter
): Promise<{ rows: AuditView[]; total: number }> {
	requireRole(actor, 'admin');
	const conditions: SQL[] = [];
	const who = filter.actor?.trim();
	if (who) {
		const part = `%${who.replace(/[%_\\]/g, '\\$&')}%`;
		conditions.push(or(eq(users.username, who.toLowerCase()), ilike(users.fullName, part))!);
	}
	if (filter.action)
		conditions.push(sql`${auditLog.action} like ${filter.action.replace(/[%_\\]/g, '\\$&') + '%'}`);
	if (filter.from) conditions.push(gte(auditLog.at, filter.from));
	if (filter.to) conditions.push(lt(auditLog.at, filter.to));
	const where = conditions.length ? and(...conditions) : undefined;
	const rows = await db
		.select({
			id: auditLog.id,
			at: auditLog.at,
			actorUsername: users.username,
			actorName: users.fullName,
			action: auditLog.action,
			targetType: auditLog.targetType,
			targetId: auditLog.targetId,
			details: auditLog.details,
			ip: auditLog.ip
		})
		.from(auditLog)
		.leftJoin(users, eq(users.id, auditLog.actorId))
		.where(where)
		.orderBy(desc(auditLog.at), desc(auditLog.id))
		.limit(Math.min(filter.limit ?? 100, 500))
		.offset(filter.offset ?? 0);
	const [count] = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(auditLog)
		.leftJoin(users, eq(users.id, auditLog.actorId))
		.where(where);
	return { rows, total: count?.n ?? 0 };
}

/** The actions that occur in the log, for the filter's suggestions. */
export async function auditActions(db: Db, actor: Actor): Promise<string[]> {
	requireRole(actor, 'admin');
	const rows = await db
		.selectDistinct({ action: auditLog.action })
		.from(auditLog)
		.orderBy(asc(auditLog.action));
	return rows.map((r) => r.action);
}
