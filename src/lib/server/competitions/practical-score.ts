// What a practical round's attempt is worth (contract 2): the sum of its submissions' final
// scores, out of the sum of the rubric maxima of the round's tasks. Read by the engine's gradeAttempt.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
	attempts,
	competitionRounds,
	files,
	practicalSubmissions,
	practicalTasks,
	rubricCriteria
} from '../db/schema';

export interface PracticalTotals {
	score: number;
	maxScore: number;
	/** Some submission with something in it has no final score yet. */
	pending: boolean;
}

/** A submission with no text and no file has nothing to judge: it counts 0 and waits for nobody. */
export const hasContent = sql<boolean>`(btrim("practical_submissions"."text") <> '' or exists (
	select 1 from ${files} f where f.owner_type = 'submission'
	   and f.owner_id = "practical_submissions"."id"::text))`;

/** Whether an assessment is a practical round's (its attempts have tasks, not question slots). */
export async function isPracticalAssessment(db: Db, assessmentId: number): Promise<boolean> {
	const [round] = await db
		.select({ id: competitionRounds.id })
		.from(competitionRounds)
		.where(
			and(eq(competitionRounds.assessmentId, assessmentId), eq(competitionRounds.kind, 'practical'))
		);
	return !!round;
}

/** The totals of an attempt at a practical round, or null when the attempt is not one. */
export async function practicalTotals(db: Db, attemptId: string): Promise<PracticalTotals | null> {
	const [round] = await db
		.select({ id: competitionRounds.id })
		.from(attempts)
		.innerJoin(
			competitionRounds,
			and(
				eq(competitionRounds.assessmentId, attempts.assessmentId),
				eq(competitionRounds.kind, 'practical')
			)
		)
		.where(eq(attempts.id, attemptId));
	if (!round) return null;
	const [max] = await db
		.select({ total: sql<string | null>`sum(${rubricCriteria.maxPoints})` })
		.from(rubricCriteria)
		.innerJoin(practicalTasks, eq(practicalTasks.id, rubricCriteria.taskId))
		.where(eq(practicalTasks.roundId, round.id));
	const [sums] = await db
		.select({
			score: sql<string | null>`sum(${practicalSubmissions.finalScore})`,
			pending: sql<number>`count(*) filter (where ${practicalSubmissions.finalScore} is null and ${hasContent})::int`
		})
		.from(practicalSubmissions)
		.where(eq(practicalSubmissions.attemptId, attemptId));
	return {
		score: Number(sums?.score ?? 0),
		maxScore: Number(max?.total ?? 0),
		pending: Number(sums?.pending ?? 0) > 0
	};
}
