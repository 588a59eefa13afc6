// Who may see a course: published and open to everyone, or assigned to the cadre, to their unit,
// or to a unit above it with its subtree. Trainers and admins see every course.
import { and, eq, sql, type Placeholder } from 'drizzle-orm';
import type { Db } from '../db/client';
import { courseAssignments, courses, units } from '../db/schema';
import { hasRole, type Actor } from '../auth/actor';

export function managesCourses(actor: Actor): boolean {
	return hasRole(actor, 'trainer', 'admin');
}

/**
 * Who a course is shown to, as SQL values: an actor's own, or placeholders for a query prepared
 * once (LEARNER_PLACEHOLDERS, filled by learnerParams).
 */
export interface Learner {
	userId: number | Placeholder;
	unitId: number | Placeholder;
	unitPath: string | Placeholder;
}

export const LEARNER_PLACEHOLDERS: Learner = {
	userId: sql.placeholder('learnerId'),
	unitId: sql.placeholder('learnerUnitId'),
	unitPath: sql.placeholder('learnerUnitPath')
};

export function learnerParams(actor: Actor) {
	return {
		learnerId: actor.id,
		learnerUnitId: actor.unitId ?? -1,
		learnerUnitPath: actor.unitPath ?? ''
	};
}

const learnerOf = (actor: Actor): Learner => ({
	userId: actor.id,
	unitId: actor.unitId ?? -1,
	unitPath: actor.unitPath ?? ''
});

/** SQL condition: the course is assigned to the learner (directly, to their unit, or to a unit above with subtree). */
export function assignedTo(who: Learner) {
	return sql`exists (
		select 1 from ${courseAssignments} ca left join ${units} au on au.id = ca.unit_id
		 where ca.course_id = ${courses.id}
		   and (ca.user_id = ${who.userId}
		        or (ca.unit_id is not null and ca.unit_id = ${who.unitId})
		        or (ca.unit_id is not null and ca.include_subtree and ${who.unitPath}::text like au.path || '%')))`;
}

/** SQL condition: the course is visible to the learner. */
export function visibleTo(who: Learner) {
	return sql`(${courses.status} = 'published' and (${courses.audience} = 'everyone' or ${assignedTo(who)}))`;
}

/** SQL condition: the course is visible to the actor as a learner. */
export const visibleToActor = (actor: Actor) => visibleTo(learnerOf(actor));

export async function canSeeCourse(db: Db, actor: Actor, courseId: number): Promise<boolean> {
	if (managesCourses(actor)) return true;
	const [row] = await db
		.select({ id: courses.id })
		.from(courses)
		.where(and(eq(courses.id, courseId), visibleToActor(actor)));
	return !!row;
}
