// Who may take an assessment: a course quiz, anyone who may see its course; a competition round,
// the competitors registered for it (checked by the competition domain).
import type { Db } from '../db/client';
import type { assessments } from '../db/schema';
import type { Actor } from '../auth/actor';
import { canSeeCourse } from '../courses/access';
import { isRegisteredForRound } from '../competitions/access';

export async function canTakeAssessment(
	db: Db,
	actor: Actor,
	assessment: typeof assessments.$inferSelect
): Promise<boolean> {
	if (assessment.kind === 'quiz')
		return assessment.courseId !== null && (await canSeeCourse(db, actor, assessment.courseId));
	return isRegisteredForRound(db, actor, assessment.id);
}
