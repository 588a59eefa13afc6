// Who a course is for: everyone, or the units (with or without the units below them) and the
// cadres it is assigned to, each assignment with an optional due date. Trainers and admins only;
// the learner side reads the same rows through courses/access.ts.
import { and, asc, desc, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client';
import { courseAssignments, courses, units, users } from '../db/schema';
import { recordAudit } from '../audit/log';
import { actorRef, requireRole, type Actor } from '../auth/actor';
import { Invalid, NotFound } from '../errors';
import { m } from '../i18n';
import { parseDate } from '../../format';

export type Audience = 'everyone' | 'assigned';

export interface AssignmentView {
	id: number;
	kind: 'unit' | 'cadre';
	unitCode: string | null;
	unitName: string | null;
	includeSubtree: boolean;
	username: string | null;
	fullName: string | null;
	dueAt: Date | null;
	assignedAt: Date;
	assignedByName: string | null;
}

export interface Enrolment {
	course: { id: number; slug: string; title: string; status: string };
	audience: Audience;
	assignments: AssignmentView[];
	/** Active accounts that see the course in their catalogue. */
	reach: number;
}

interface Audited {
	now: Date;
	ip?: string | null;
}

function requireAuthor(actor: Actor): Actor {
	return requireRole(actor, 'trainer', 'admin');
}

async function requireCourse(db: Db, id: number) {
	const [course] = await db
		.select({
			id: courses.id,
			slug: courses.slug,
			title: courses.title,
			status: courses.status,
			audience: courses.audience
		})
		.from(courses)
		.where(eq(courses.id, id));
	if (!course) throw new NotFound();
	return course;
}

/** A due date typed as dd/mm/yyyy means the end of that day in Vietnam; '' means none. */
export function parseDueDate(text: string | null | undefined): Date | null {
	const t = (text ?? '').trim();
	if (!t) return null;
	const start = parseDate(t);
	if (!start) throw new Invalid({ due: m.date_invalid() });
	return new Date(start.getTime() + 24 * 3600_000 - 60_000);
}

export async function courseEnrolment(db: Db, actor: Actor, courseId: number): Promise<Enrolment> {
	requireAuthor(actor);
	const course = await requireCourse(db, courseId);
	const target = alias(users, 'target');
	const assigner = alias(users, 'assigner');
	const rows = await db
		.select({
			id: courseAssignments.id,
			unitCode: units.code,
			unitName: units.name,
			includeSubtree: courseAssignments.includeSubtree,
			username: target.username,
			fullName: target.fullName,
			dueAt: courseAssignments.dueAt,
			assignedAt: courseAssignments.assignedAt,
			assignedByName: assigner.fullName
		})
		.from(courseAssignments)
		.leftJoin(units, eq(units.id, courseAssignments.unitId))
		.leftJoin(target, eq(target.id, courseAssignments.userId))
		.leftJoin(assigner, eq(assigner.id, courseAssignments.assignedBy))
		.where(eq(courseAssignments.courseId, courseId))
		.orderBy(asc(units.path), asc(target.fullName), desc(courseAssignments.id));
	const reach =
		course.audience === 'everyone'
			? await db
					.select({ n: sql<number>`count(*)::int` })
					.from(users)
					.where(eq(users.active, true))
			: await db
					.select({ n: sql<number>`count(*)::int` })
					.from(users)
					.leftJoin(units, eq(units.id, users.unitId))
					.where(
						and(
							eq(users.active, true),
							sql`exists (select 1 from ${courseAssignments} ca left join ${units} au on au.id = ca.unit_id
							 where ca.course_id = ${courseId}
							   and (ca.user_id = ${users.id}
							        or ca.unit_id = ${users.unitId}
							        or (ca.include_subtree and ${units.path} like au.path || '%')))`
						)
					);
	return {
		course: { id: course.id, slug: course.slug, title: course.title, status: course.status },
		audience: course.audience,
		assignments: rows.map((r) => ({ ...r, kind: r.unitCode ? 'unit' : 'cadre' })),
		reach: reach[0]?.n ?? 0
	};
}

export async function setAudience(
	db: Db,
	actor: Actor,
	input: Audited & { courseId: number; audience: string }
): Promise<void> {
	requireAuthor(actor);
	if (input.audience !== 'everyone' && input.audience !== 'assigned')
		throw new Invalid({ audience: m.field_invalid() });
	const audience: Audience = input.audience;
	await db.transaction(async (tx) => {
		const course = await requireCourse(tx, input.courseId);
		if (course.audience === audience) return;
		await tx
			.update(courses)
			.set({ audience, updatedBy: actorRef(actor), updatedAt: input.now })
			.where(eq(courses.id, course.id));
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'course.audience',
			targetType: 'course',
			targetId: course.id,
			details: { slug: course.slug, from: course.audience, to: audience },
			ip: input.ip,
			now: input.now
		});
	});
}

/** Assigns the course to a unit (again: updates its subtree flag and due date). */
export async function assignUnit(
	db: Db,
	actor: Actor,
	input: Audited & { courseId: number; unitCode: string; includeSubtree: boolean; due?: string }
): Promise<{ id: number; created: boolean }> {
	requireAuthor(actor);
	const dueAt = parseDueDate(input.due);
	const code = input.unitCode.trim();
	if (!code) throw new Invalid({ unitCode: m.author_unit_required() });
	return db.transaction(async (tx) => {
		const course = await requireCourse(tx, input.courseId);
		const [unit] = await tx.select().from(units).where(eq(units.code, code));
		if (!unit) throw new Invalid({ unitCode: m.unit_unknown({ code }) });
		const [existing] = await tx
			.select({ id: courseAssignments.id })
			.from(courseAssignments)
			.where(and(eq(courseAssignments.courseId, course.id), eq(courseAssignments.unitId, unit.id)));
		let id: number;
		if (existing) {
			id = existing.id;
			await tx
				.update(courseAssignments)
				.set({ includeSubtree: input.includeSubtree, dueAt })
				.where(eq(courseAssignments.id, id));
		} else {
			[{ id }] = await tx
				.insert(courseAssignments)
				.values({
					courseId: course.id,
					unitId: unit.id,
					includeSubtree: input.includeSubtree,
					dueAt,
					assignedBy: actorRef(actor),
					assignedAt: input.now
				})
				.returning({ id: courseAssignments.id });
		}
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'course.assign',
			targetType: 'course',
			targetId: course.id,
			details: {
				slug: course.slug,
				unit: unit.code,
				includeSubtree: input.includeSubtree,
				dueAt: dueAt?.toISOString() ?? null,
				updated: !!existing
			},
			ip: input.ip,
			now: input.now
		});
		return { id, created: !existing };
	});
}

/** Assigns the course to chosen cadres (again: updates the due date). */
export async function assignCadres(
	db: Db,
	actor: Actor,
	input: Audited & { courseId: number; userIds: number[]; due?: string }
): Promise<{ assigned: number }> {
	requireAuthor(actor);
	const dueAt = parseDueDate(input.due);
	const ids = [...new Set(input.userIds.filter((id) => Number.isSafeInteger(id) && id > 0))];
	if (!ids.length) throw new Invalid({ userIds: m.author_pick_cadres() });
	return db.transaction(async (tx) => {
		const course = await requireCourse(tx, input.courseId);
		const people = await tx
			.select({ id: users.id, username: users.username })
			.from(users)
			.where(and(inArray(users.id, ids), eq(users.active, true)));
		if (people.length !== ids.length) throw new Invalid({ userIds: m.author_cadre_unknown() });
		const existing = await tx
			.select({ id: courseAssignments.id, userId: courseAssignments.userId })
			.from(courseAssignments)
			.where(
				and(eq(courseAssignments.courseId, course.id), inArray(courseAssignments.userId, ids))
			);
		for (const person of people) {
			const same = existing.find((e) => e.userId === person.id);
			if (same)
				await tx.update(courseAssignments).set({ dueAt }).where(eq(courseAssignments.id, same.id));
			else
				await tx.insert(courseAssignments).values({
					courseId: course.id,
					userId: person.id,
					includeSubtree: false,
					dueAt,
					assignedBy: actorRef(actor),
					assignedAt: input.now
				});
		}
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'course.assign',
			targetType: 'course',
			targetId: course.id,
			details: {
				slug: course.slug,
				cadres: people.map((p) => p.username),
				dueAt: dueAt?.toISOString() ?? null
			},
			ip: input.ip,
			now: input.now
		});
		return { assigned: people.length };
	});
}

export async function removeAssignment(
	db: Db,
	actor: Actor,
	input: Audited & { courseId: number; assignmentId: number }
): Promise<void> {
	requireAuthor(actor);
	await db.transaction(async (tx) => {
		const course = await requireCourse(tx, input.courseId);
		const [removed] = await tx
			.delete(courseAssignments)
			.where(
				and(eq(courseAssignments.id, input.assignmentId), eq(courseAssignments.courseId, course.id))
			)
			.returning({ unitId: courseAssignments.unitId, userId: courseAssignments.userId });
		if (!removed) throw new NotFound();
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'course.unassign',
			targetType: 'course',
			targetId: course.id,
			details: { slug: course.slug, assignmentId: input.assignmentId, ...removed },
			ip: input.ip,
			now: input.now
		});
	});
}

export interface CadreMatch {
	id: number;
	username: string;
	fullName: string;
	unitName: string | null;
}

/** Active accounts whose username or name contains the text, to assign a course to. */
export async function searchCadres(
	db: Db,
	actor: Actor,
	input: { q: string; limit?: number }
): Promise<CadreMatch[]> {
	requireAuthor(actor);
	const q = input.q.trim();
	if (q.length < 2) return [];
	const pattern = `%${q.replace(/[%_\\]/g, '\\$&')}%`;
	return db
		.select({
			id: users.id,
			username: users.username,
			fullName: users.fullName,
			unitName: units.name
		})
		.from(users)
		.leftJoin(units, eq(units.id, users.unitId))
		.where(
			and(
				eq(users.active, true),
				or(ilike(users.username, pattern), ilike(users.fullName, pattern))
			)
		)
		.orderBy(asc(users.username))
		.limit(Math.min(input.limit ?? 20, 50));
}
