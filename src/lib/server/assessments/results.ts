// A person's grade for an assessment across attempts (highest, last, average or first), pass or
// fail, and the quiz requirement of a course's completion rule.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { assessments, attempts } from '../db/schema';
import type { GradingMethod } from '../db/schema';
import { m } from '../i18n';

export interface GradedAttempt {
	number: number;
	score: number | null;
	maxScore: number;
	status: string;
}

/** The percentage (0–100) that counts, or null when no attempt is graded yet. */
export function finalPercent(graded: GradedAttempt[], method: GradingMethod): number | null {
	const done = graded
		.filter((a) => a.status === 'submitted' && a.score !== null && a.maxScore > 0)
		.sort((a, b) => a.number - b.number)
		.map((a) => (100 * a.score!) / a.maxScore);
	if (done.length === 0) return null;
	const value =
		method === 'highest'
			? Math.max(...done)
			: method === 'last'
				? done[done.length - 1]
				: method === 'first'
					? done[0]
					: done.reduce((a, b) => a + b, 0) / done.length;
	return Math.round(value * 100) / 100;
}

export interface CompletionCheck {
	key: string;
	label: string;
	met: boolean;
}

/** One check per quiz of the course that is required for completion: passed by the method's grade. */
export async function quizCompletionChecks(
	db: Db,
	userId: number,
	courseId: number
): Promise<CompletionCheck[]> {
	const quizzes = await db
		.select()
		.from(assessments)
		.where(
			and(
				eq(assessments.courseId, courseId),
				eq(assessments.kind, 'quiz'),
				eq(assessments.requiredForCompletion, true),
				eq(assessments.status, 'published')
			)
		);
	if (quizzes.length === 0) return [];
	const rows = await db
		.select({
			assessmentId: attempts.assessmentId,
			number: attempts.number,
			score: attempts.score,
			maxScore: attempts.maxScore,
			status: attempts.status
		})
		.from(attempts)
		.where(
			and(
				eq(attempts.userId, userId),
				inArray(
					attempts.assessmentId,
					quizzes.map((q) => q.id)
				)
			)
		)
		.orderBy(asc(attempts.number));
	return quizzes.map((quiz) => {
		const percent = finalPercent(
			rows.filter((r) => r.assessmentId === quiz.id),
			quiz.gradingMethod
		);
		return {
			key: `quiz:${quiz.id}`,
			label: m.completion_quiz_passed({ title: quiz.title, pass: quiz.passPercent }),
			met: percent !== null && percent >= quiz.passPercent
		};
	});
}
