// Trainers' marking: the queue of essays waiting for a grade, manual grades with comments, and
// regrading every attempt after an answer key is corrected. All audited ("grade changes").
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
	assessments,
	attemptAnswers,
	attemptEvents,
	attemptSlots,
	attempts,
	courses,
	questionVersions
} from '../db/schema';
import { recordAudit } from '../audit/log';
import { requireRole, type Actor, actorRef } from '../auth/actor';
import { Invalid, NotFound } from '../errors';
import { m } from '../i18n';
import { renderText } from '../markdown/render';
import type { QuestionData, Response, TextFormat } from '../questions/types';
import { gradeAttempt } from './engine';

export interface QueueItem {
	attemptId: string;
	assessmentId: number;
	slot: number;
	assessmentTitle: string;
	courseTitle: string | null;
	questionName: string;
	questionVersionId: number;
	stemHtml: string;
	answer: string;
	points: number;
	submittedAt: Date | null;
	/** Not the learner's name: marking is blind. */
	code: string;
}

/** Essays answered and waiting for a grade, oldest first, grouped by question in the page. */
export async function markingQueue(
	db: Db,
	actor: Actor,
	input: { assessmentId?: number; questionVersionId?: number } = {}
): Promise<QueueItem[]> {
	requireRole(actor, 'trainer', 'admin');
	const rows = await db
		.select({
			attemptId: attempts.id,
			assessmentId: assessments.id,
			slot: attemptAnswers.slot,
			assessmentTitle: assessments.title,
			courseTitle: courses.title,
			questionName: questionVersions.name,
			questionVersionId: questionVersions.id,
			stem: questionVersions.stem,
			format: questionVersions.format,
			response: attemptAnswers.response,
			points: attemptSlots.points,
			submittedAt: attempts.submittedAt
		})
		.from(attemptAnswers)
		.innerJoin(attempts, eq(attempts.id, attemptAnswers.attemptId))
		.innerJoin(assessments, eq(assessments.id, attempts.assessmentId))
		.leftJoin(courses, eq(courses.id, assessments.courseId))
		.innerJoin(
			attemptSlots,
			and(
				eq(attemptSlots.attemptId, attemptAnswers.attemptId),
				eq(attemptSlots.slot, attemptAnswers.slot)
			)
		)
		.innerJoin(questionVersions, eq(questionVersions.id, attemptSlots.questionVersionId))
		.where(
			and(
				eq(attempts.status, 'submitted'),
				eq(assessments.kind, 'quiz'),
				eq(attemptAnswers.gradeState, 'needs_grading'),
				input.assessmentId ? eq(assessments.id, input.assessmentId) : undefined,
				input.questionVersionId ? eq(questionVersions.id, input.questionVersionId) : undefined
			)
		)
		.orderBy(asc(questionVersions.id), asc(attempts.submittedAt));
	return rows.map((r) => ({
		attemptId: r.attemptId,
		assessmentId: r.assessmentId,
		slot: r.slot,
		assessmentTitle: r.assessmentTitle,
		courseTitle: r.courseTitle,
		questionName: r.questionName,
		questionVersionId: r.questionVersionId,
		stemHtml: renderText(r.stem, r.format as TextFormat),
		answer: (r.response as Response).type === 'essay' ? (r.response as { text: string }).text : '',
		points: r.points,
		submittedAt: r.submittedAt,
		code: r.attemptId.slice(0, 8).toUpperCase()
	}));
}

/** A trainer's grade (0 to the slot's points) and comment for one answer; the attempt's score follows. */
export async function gradeAnswer(
	db: Db,
	actor: Actor,
	input: {
		attemptId: string;
		slot: number;
		/** Points, 0 to the slot's points… */
		mark?: number;
		/** …or a share of them, 0–1. */
		fraction?: number;
		comment: string;
		now: Date;
		ip?: string | null;
	}
): Promise<{ score: number; maxScore: number }> {
	requireRole(actor, 'trainer', 'admin');
	return db.transaction(async (tx) => {
		const [row] = await tx
			.select({
				points: attemptSlots.points,
				fraction: attemptAnswers.fraction,
				state: attemptAnswers.gradeState,
				status: attempts.status
			})
			.from(attemptSlots)
			.innerJoin(attempts, eq(attempts.id, attemptSlots.attemptId))
			.leftJoin(
				attemptAnswers,
				and(
					eq(attemptAnswers.attemptId, attemptSlots.attemptId),
					eq(attemptAnswers.slot, attemptSlots.slot)
				)
			)
			.where(and(eq(attemptSlots.attemptId, input.attemptId), eq(attemptSlots.slot, input.slot)));
		if (!row || row.status !== 'submitted' || row.state === null) throw new NotFound();
		const mark =
			input.fraction !== undefined
				? Math.round(input.fraction * row.points * 1000) / 1000
				: input.mark;
		if (mark === undefined || !Number.isFinite(mark) || mark < 0 || mark > row.points)
			throw new Invalid({ mark: m.marking_mark_range({ max: row.points }) });
		if (input.comment.length > 5000) throw new Invalid({ comment: m.marking_comment_too_long() });
		const fraction = row.points > 0 ? mark / row.points : 0;
		await tx
			.update(attemptAnswers)
			.set({
				fraction,
				gradeState: fraction >= 1 ? 'correct' : fraction > 0 ? 'partial' : 'incorrect',
				manualComment: input.comment.trim() || null,
				gradedBy: actorRef(actor),
				gradedAt: input.now
			})
			.where(
				and(eq(attemptAnswers.attemptId, input.attemptId), eq(attemptAnswers.slot, input.slot))
			);
		const graded = await gradeAttempt(tx, input.attemptId);
		await tx.insert(attemptEvents).values({
			attemptId: input.attemptId,
			at: input.now,
			type: 'grade',
			slot: input.slot,
			userId: actor.id,
			ip: input.ip ?? null,
			details: {
				mark,
				before: row.fraction === null ? null : row.fraction * row.points
			}
		});
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'grade.manual',
			targetType: 'attempt',
			targetId: input.attemptId,
			details: {
				slot: input.slot,
				mark,
				before: row.fraction === null ? null : row.fraction * row.points,
				score: graded.score
			},
			ip: input.ip,
			now: input.now
		});
		return { score: graded.score, maxScore: graded.maxScore };
	});
}

class DryRun extends Error {
	constructor(readonly result: { attempts: number; changed: number }) {
		super('dry run');
	}
}

/**
 * Corrects the answer key of a question version that attempts already used (a wrong key found
 * after the quiz), then regrades every submitted attempt that used it. Manual grades stay.
 * With dryRun the same work is done and rolled back: the trainer sees how many attempts change.
 */
export async function correctAnswerKey(
	db: Db,
	actor: Actor,
	input: {
		questionVersionId: number;
		data: QuestionData;
		now: Date;
		ip?: string | null;
		dryRun?: boolean;
	}
): Promise<{ attempts: number; changed: number }> {
	requireRole(actor, 'trainer', 'admin');
	const [version] = await db
		.select()
		.from(questionVersions)
		.where(eq(questionVersions.id, input.questionVersionId));
	if (!version) throw new NotFound();
	if (input.data.type !== version.type) throw new Invalid({ data: m.marking_key_type_changed() });
	try {
		return await db.transaction(async (tx) => {
			await tx
				.update(questionVersions)
				.set({ data: input.data })
				.where(eq(questionVersions.id, version.id));
			const result = await regradeVersion(tx, {
				questionVersionId: version.id,
				actorId: actor.id,
				now: input.now,
				ip: input.ip
			});
			if (input.dryRun) throw new DryRun(result);
			await recordAudit(tx, {
				actorId: actor.id,
				action: 'grade.key_corrected',
				targetType: 'question_version',
				targetId: version.id,
				details: { before: version.data, after: input.data, ...result },
				ip: input.ip,
				now: input.now
			});
			return result;
		});
	} catch (e) {
		if (e instanceof DryRun) return e.result;
		throw e;
	}
}

export interface MarkingGroup {
	assessmentId: number;
	assessmentTitle: string;
	courseTitle: string | null;
	questionVersionId: number;
	questionName: string;
	waiting: number;
}

/** The queue summarised: essays waiting, per quiz and question. */
export async function markingGroups(db: Db, actor: Actor): Promise<MarkingGroup[]> {
	const queue = await markingQueue(db, actor);
	const groups = new Map<string, MarkingGroup>();
	for (const item of queue) {
		const key = `${item.assessmentId}:${item.questionVersionId}`;
		const group = groups.get(key) ?? {
			assessmentId: item.assessmentId,
			assessmentTitle: item.assessmentTitle,
			courseTitle: item.courseTitle,
			questionVersionId: item.questionVersionId,
			questionName: item.questionName,
			waiting: 0
		};
		group.waiting++;
		groups.set(key, group);
	}
	return [...groups.values()];
}

/** Recomputes the scores of every submitted attempt that used a question version. */
export async function regradeVersion(
	db: Db,
	input: { questionVersionId: number; actorId: number; now: Date; ip?: string | null }
): Promise<{ attempts: number; changed: number }> {
	const affected = await db
		.selectDistinct({ id: attempts.id, score: attempts.score })
		.from(attempts)
		.innerJoin(attemptSlots, eq(attemptSlots.attemptId, attempts.id))
		.where(
			and(
				eq(attemptSlots.questionVersionId, input.questionVersionId),
				eq(attempts.status, 'submitted')
			)
		);
	let changed = 0;
	for (const attempt of affected) {
		// gradeAttempt grades every answer again from the current key, leaving manual grades as they are.
		const graded = await gradeAttempt(db, attempt.id);
		if (graded.score !== attempt.score) {
			changed++;
			await db.insert(attemptEvents).values({
				attemptId: attempt.id,
				at: input.now,
				type: 'regrade',
				userId: input.actorId,
				ip: input.ip ?? null,
				details: {
					before: attempt.score,
					after: graded.score,
					questionVersionId: input.questionVersionId
				}
			});
		}
	}
	return { attempts: affected.length, changed };
}
