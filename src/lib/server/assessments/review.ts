// What the browser may see of an attempt: the questions as the learner sees them, their own
// answers, and — only when the review options allow it for the current phase — correctness,
// marks, feedback and the right answers. Never the question data itself.
import { and, asc, eq, sql } from 'drizzle-orm';
import { prepared } from '../db/prepared';
import type { Db } from '../db/client';
import {
	assessments,
	attemptAnswers,
	attemptSlots,
	attempts,
	courses,
	questionVersions
} from '../db/schema';
import type { ReviewFlags, ReviewOptions } from '../db/schema';
import { NotFound } from '../errors';
import type { Actor } from '../auth/actor';
import { renderText } from '../markdown/render';
import { gradeResponse, rightAnswerOf } from '../questions/grading';
import { shuffled, seededRandom } from '../random';
import { roundReview } from '../competitions/access';
import type { QuestionData, QuestionType, Response, TextFormat } from '../questions/types';

export type ReviewPhase = 'during' | 'immediately' | 'later' | 'afterClose';

/** Moodle's phases: during; within 2 minutes of submitting; later while open; after the close. */
export function reviewPhase(input: {
	status: string;
	submittedAt: Date | null;
	closeAt: Date | null;
	now: Date;
}): ReviewPhase {
	if (input.status === 'in_progress') return 'during';
	if (input.closeAt && input.now >= input.closeAt) return 'afterClose';
	if (input.submittedAt && input.now.getTime() - input.submittedAt.getTime() < 2 * 60_000)
		return 'immediately';
	return 'later';
}

export function flagsFor(options: ReviewOptions, phase: ReviewPhase): ReviewFlags {
	return options[phase];
}

export interface ChoiceView {
	/** Index into the question's own choices: what a response refers to. */
	index: number;
	html: string;
}

export interface SlotView {
	slot: number;
	type: QuestionType;
	points: number;
	stemHtml: string;
	choices: ChoiceView[];
	/** Matching: the prompts (by pair index) and the answers to choose from, shuffled. */
	prompts: Array<{ index: number; html: string }>;
	options: string[];
	response: Response | null;
	seq: number;
	/** Present only when allowed by the review options. */
	review?: {
		correctness?: 'correct' | 'partial' | 'incorrect' | 'unanswered' | 'needs_grading';
		mark?: number | null;
		feedback?: string[];
		generalFeedback?: string | null;
		rightAnswer?: string[];
		comment?: string | null;
	};
}

export interface AttemptView {
	id: string;
	assessmentId: number;
	kind: 'quiz' | 'round';
	title: string;
	courseSlug: string | null;
	courseTitle: string | null;
	number: number;
	status: 'in_progress' | 'submitted';
	startedAt: Date;
	deadlineAt: Date | null;
	graceSeconds: number;
	paused: boolean;
	serverNow: Date;
	submittedAt: Date | null;
	/** For a competition round: its competition (where the competitor goes back to). */
	competition: { slug: string; title: string; resultsPublished: boolean } | null;
	phase: ReviewPhase;
	flags: ReviewFlags;
	score: number | null;
	maxScore: number;
	needsGrading: boolean;
	slots: SlotView[];
}

function choicesOf(data: QuestionData, order: number[] | null, format: TextFormat): ChoiceView[] {
	if (data.type !== 'single' && data.type !== 'multiple') return [];
	const indexes = order ?? data.choices.map((_, i) => i);
	return indexes.map((i) => ({ index: i, html: renderText(data.choices[i].text, format) }));
}

// The attempt page's reads (every page of every attempt): built once (db/prepared.ts).
const attemptWithAssessment = (db: Db) =>
	prepared(db, 'hocthi_attempt_with_assessment', (db, name) =>
		db
			.select({
				attempt: attempts,
				assessment: assessments,
				courseSlug: courses.slug,
				courseTitle: courses.title
			})
			.from(attempts)
			.innerJoin(assessments, eq(assessments.id, attempts.assessmentId))
			.leftJoin(courses, eq(courses.id, assessments.courseId))
			.where(eq(attempts.id, sql.placeholder('attemptId')))
			.prepare(name)
	);

const slotsOfAttempt = (db: Db) =>
	prepared(db, 'hocthi_slots_of_attempt', (db, name) =>
		db
			.select({
				slot: attemptSlots.slot,
				points: attemptSlots.points,
				choiceOrder: attemptSlots.choiceOrder,
				type: questionVersions.type,
				stem: questionVersions.stem,
				format: questionVersions.format,
				generalFeedback: questionVersions.generalFeedback,
				data: questionVersions.data,
				response: attemptAnswers.response,
				seq: attemptAnswers.seq,
				fraction: attemptAnswers.fraction,
				gradeState: attemptAnswers.gradeState,
				comment: attemptAnswers.manualComment
			})
			.from(attemptSlots)
			.innerJoin(questionVersions, eq(questionVersions.id, attemptSlots.questionVersionId))
			.leftJoin(
				attemptAnswers,
				and(
					eq(attemptAnswers.attemptId, attemptSlots.attemptId),
					eq(attemptAnswers.slot, attemptSlots.slot)
				)
			)
			.where(eq(attemptSlots.attemptId, sql.placeholder('attemptId')))
			.orderBy(asc(attemptSlots.slot))
			.prepare(name)
	);

/** The attempt as its owner may see it now. Others get NotFound, as if it did not exist. */
export async function attemptView(
	db: Db,
	actor: Actor,
	input: { attemptId: string; now: Date }
): Promise<AttemptView> {
	if (!/^[0-9a-f-]{36}$/i.test(input.attemptId)) throw new NotFound();
	const [row] = await attemptWithAssessment(db).execute({ attemptId: input.attemptId });
	if (!row || row.attempt.userId !== actor.id) throw new NotFound();
	return buildView(db, row, input.now);
}

export async function buildView(
	db: Db,
	row: {
		attempt: typeof attempts.$inferSelect;
		assessment: typeof assessments.$inferSelect;
		courseSlug: string | null;
		courseTitle: string | null;
	},
	now: Date,
	forceFlags?: ReviewFlags
): Promise<AttemptView> {
	const { attempt, assessment } = row;
	const phase = reviewPhase({
		status: attempt.status,
		submittedAt: attempt.submittedAt,
		closeAt: assessment.closeAt,
		now
	});
	// A round shows its competitors nothing of their marks before the results are published.
	// Read at the same time as the slots (the attempt page after a start is one of hundreds).
	const [round, slots] = await Promise.all([
		assessment.kind === 'round' ? roundReview(db, { assessmentId: assessment.id, now }) : null,
		slotsOfAttempt(db).execute({ attemptId: attempt.id })
	]);
	const flags =
		forceFlags ??
		(round && attempt.status === 'submitted'
			? round.flags
			: flagsFor(assessment.reviewOptions, phase));
	const views: SlotView[] = slots.map((s) => {
		const data = s.data as QuestionData;
		const format = s.format as TextFormat;
		const response = (s.response as Response | null) ?? null;
		const view: SlotView = {
			slot: s.slot,
			type: s.type,
			points: s.points,
			stemHtml: renderText(s.stem, format),
			choices: choicesOf(data, s.choiceOrder, format),
			prompts:
				data.type === 'matching'
					? data.pairs
							.map((p, i) => ({ index: i, html: renderText(p.prompt, format) }))
							.filter((p, i) => data.pairs[i].prompt !== '')
					: [],
			// Answers to choose from: distinct, in the attempt's stored (shuffled) order.
			options:
				data.type === 'matching'
					? [
							...new Set(
								(
									s.choiceOrder ??
									shuffled(
										data.pairs.map((_, i) => i),
										seededRandom(attempt.seed)
									)
								).map((i) => data.pairs[i].answer)
							)
						]
					: [],
			response,
			seq: s.seq ?? 0
		};
		if (
			attempt.status === 'submitted' &&
			(flags.correctness || flags.score || flags.feedback || flags.rightAnswer)
		) {
			const grade =
				s.gradeState === null && data.type !== 'essay' ? gradeResponse(data, response) : null;
			const state = (s.gradeState ??
				grade?.state ??
				(response ? null : 'unanswered')) as NonNullable<SlotView['review']>['correctness'];
			view.review = {};
			if (flags.correctness) view.review.correctness = state ?? 'unanswered';
			if (flags.score) {
				const fraction = s.fraction ?? grade?.fraction ?? null;
				view.review.mark = fraction === null ? null : Math.round(fraction * s.points * 100) / 100;
			}
			if (flags.feedback) {
				view.review.feedback =
					grade?.feedback ?? (response ? gradeResponse(data, response).feedback : []);
				view.review.generalFeedback = s.generalFeedback
					? renderText(s.generalFeedback, format)
					: null;
				view.review.comment = s.comment;
			}
			if (flags.rightAnswer) view.review.rightAnswer = rightAnswerOf(data);
		}
		return view;
	});
	return {
		id: attempt.id,
		assessmentId: assessment.id,
		kind: assessment.kind,
		title: assessment.title,
		courseSlug: row.courseSlug,
		courseTitle: row.courseTitle,
		number: attempt.number,
		status: attempt.status,
		startedAt: attempt.startedAt,
		deadlineAt: attempt.deadlineAt,
		graceSeconds: assessment.graceSeconds,
		paused: assessment.pausedAt !== null,
		serverNow: now,
		submittedAt: attempt.submittedAt,
		competition: round?.competition ?? null,
		phase,
		flags,
		score: attempt.status === 'submitted' && flags.score ? attempt.score : null,
		maxScore: attempt.maxScore,
		needsGrading: attempt.needsGrading,
		slots: views
	};
}
