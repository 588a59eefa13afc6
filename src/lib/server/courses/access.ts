// Who may see a course: published and open to everyone, or assigned to the cadre, to their unit,
// or to a unit above it with its subtree. Trainers and admins see every course.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { courseAssignments, courses, units } from '../db/schema';
import { hasRole, type Actor } from '../auth/actor';

export function managesCourses(actor: Actor): boolean {
	return hasRole(actor, 'trainer', 'admin');
}

/** SQL condition: course `c` is assigned to the actor (directly, to their unit, or to a unit above with subtree). */
export function assignedToActor(actor: Actor) {
	return sql`exists (
		select 1 from ${courseAssignments} ca left join ${units} au on au.id = ca.unit_id
		 where ca.course_id = ${courses.id}
		   and (ca.user_id = ${actor.id}
		        or (ca.unit_id is not null and ca.unit_id = ${actor.unitId ?? -1})
		        or (ca.unit_id is not null and ca.include_subtree and ${actor.unitPath ?? ''} like au.path || '%')))`;
}

/** SQL condition: the course is visible to the actor as a learner. */
export function visibleToActor(actor: Actor) {
	return sql`(${courses.status} = 'published' and (${courses.audience} = 'everyone' or ${assignedToActor(actor)}))`;
}

export async function canSeeCourse(db: Db, actor: Actor, courseId: number): Promise<boolean> {
	if (managesCourses(actor)) return true;
	const [row] = await db
		.select({ id: courses.id })
		.from(courses)
		.where(and(eq(courses.id, courseId), visibleToActor(actor)));
	return !!row;
}
