// Who may take an assessment: a course quiz, anyone who may see its course; a competition round,
// the competitors registered for it (checked by the competition domain).
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { prepared } from '../db/prepared';
import { assessments } from '../db/schema';
import type { Actor } from '../auth/actor';
import { canSeeCourse } from '../courses/access';
import { isRegisteredForRound } from '../competitions/access';

export type AssessmentRow = typeof assessments.$inferSelect;

export async function canTakeAssessment(
	db: Db,
	actor: Actor,
	assessment: AssessmentRow
): Promise<boolean> {
	if (assessment.kind === 'quiz')
		return assessment.courseId !== null && (await canSeeCourse(db, actor, assessment.courseId));
	return isRegisteredForRound(db, actor, assessment.id);
}

/** Every start reads its assessment: built once (db/prepared.ts). */
const assessmentById = (db: Db) =>
	prepared(db, 'hocthi_assessment_by_id', (db, name) =>
		db
			.select()
			.from(assessments)
			.where(eq(assessments.id, sql.placeholder('id')))
			.prepare(name)
	);

/**
 * The assessment (null if there is none) and whether the actor may take it, as
 * canTakeAssessment decides. The registration for a round is asked at the same time as the
 * assessment is read (a start of a round is one of hundreds within seconds); a quiz asks about
 * its course once the assessment is known.
 */
export async function assessmentToTake(
	db: Db,
	actor: Actor,
	assessmentId: number
): Promise<[AssessmentRow | null, boolean]> {
	const [[assessment], registered] = await Promise.all([
		assessmentById(db).execute({ id: assessmentId }),
		isRegisteredForRound(db, actor, assessmentId)
	]);
	if (!assessment) return [null, false];
	if (assessment.kind !== 'quiz') return [assessment, registered];
	return [assessment, await canTakeAssessment(db, actor, assessment)];
}
