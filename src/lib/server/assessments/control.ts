// Organiser controls on a running assessment: extend time for one person or everyone, pause and
// resume in an emergency. Each needs a reason and lands in the audit log and the attempts' logs.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { assessmentOverrides, assessments, attemptEvents, attempts } from '../db/schema';
import { recordAudit } from '../audit/log';
import { requireRole, type Actor, actorRef } from '../auth/actor';
import { Conflict, Invalid, NotFound } from '../errors';
import { m } from '../i18n';
import { selectRows } from '../db/raw';
import { notifyBoardOfAssessment } from '../realtime/notify';

export interface ControlInput {
	assessmentId: number;
	reason: string;
	now: Date;
	ip?: string | null;
}

function requireReason(reason: string): string {
	const trimmed = reason.trim();
	if (trimmed.length < 3) throw new Invalid({ reason: m.control_reason_required() });
	if (trimmed.length > 500) throw new Invalid({ reason: m.control_reason_too_long() });
	return trimmed;
}

/** Who may run an assessment: organisers for rounds, trainers for quizzes, admins for both. */
export function requireController(actor: Actor, kind: 'quiz' | 'round'): void {
	requireRole(
		actor,
		...(kind === 'round' ? (['organiser', 'admin'] as const) : (['trainer', 'admin'] as const))
	);
}

async function load(db: Db, id: number) {
	const [row] = await db.select().from(assessments).where(eq(assessments.id, id));
	if (!row) throw new NotFound();
	return row;
}

/**
 * Gives extra minutes to one person (userId) or to everyone (userId null): stored as an override
 * for future starts, and moves the deadline of open attempts now.
 */
export async function extendTime(
	db: Db,
	actor: Actor,
	input: ControlInput & { userId: number | null; minutes: number }
): Promise<{ attemptsMoved: number }> {
	const assessment = await load(db, input.assessmentId);
	requireController(actor, assessment.kind);
	const reason = requireReason(input.reason);
	if (!Number.isInteger(input.minutes) || input.minutes < 1 || input.minutes > 600)
		throw new Invalid({ minutes: m.control_minutes_invalid() });
	const seconds = input.minutes * 60;
	return db.transaction(async (tx) => {
		if (input.userId !== null) {
			await tx
				.insert(assessmentOverrides)
				.values({
					assessmentId: assessment.id,
					userId: input.userId,
					extraSeconds: seconds,
					reason,
					updatedBy: actorRef(actor),
					updatedAt: input.now
				})
				.onConflictDoUpdate({
					target: [assessmentOverrides.assessmentId, assessmentOverrides.userId],
					set: {
						extraSeconds: sql`${assessmentOverrides.extraSeconds} + ${seconds}`,
						reason,
						updatedBy: actorRef(actor),
						updatedAt: input.now
					}
				});
		} else if (assessment.timeLimitSeconds) {
			await tx
				.update(assessments)
				.set({ timeLimitSeconds: assessment.timeLimitSeconds + seconds, updatedAt: input.now })
				.where(eq(assessments.id, assessment.id));
		}
		// Everyone's close time moves too when the extension is for all, so nobody is cut off by it.
		// A round's board freezes before its close: its viewers learn of the later freeze point.
		if (input.userId === null && assessment.closeAt) {
			await tx
				.update(assessments)
				.set({ closeAt: new Date(assessment.closeAt.getTime() + seconds * 1000) })
				.where(eq(assessments.id, assessment.id));
			await notifyBoardOfAssessment(tx, assessment.id);
		}
		const moved = await selectRows<{ id: string }>(
			tx,
			sql`update ${attempts} set deadline_at = deadline_at + make_interval(secs => ${seconds})
			     where assessment_id = ${assessment.id} and status = 'in_progress' and deadline_at is not null
			       ${input.userId !== null ? sql`and user_id = ${input.userId}` : sql``}
			 returning id`
		);
		if (moved.length) {
			await tx.insert(attemptEvents).values(
				moved.map((r) => ({
					attemptId: String(r.id),
					at: input.now,
					type: 'extend',
					userId: actor.id,
					ip: input.ip ?? null,
					details: { minutes: input.minutes, reason }
				}))
			);
		}
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'assessment.extend_time',
			targetType: 'assessment',
			targetId: assessment.id,
			details: {
				userId: input.userId,
				minutes: input.minutes,
				reason,
				attemptsMoved: moved.length
			},
			ip: input.ip,
			now: input.now
		});
		return { attemptsMoved: moved.length };
	});
}

/** Stops the clocks: no deadline runs out while paused, and nobody starts. */
export async function pauseAssessment(db: Db, actor: Actor, input: ControlInput): Promise<void> {
	const assessment = await load(db, input.assessmentId);
	requireController(actor, assessment.kind);
	const reason = requireReason(input.reason);
	if (assessment.pausedAt) throw new Conflict(m.control_already_paused());
	await db.transaction(async (tx) => {
		await tx
			.update(assessments)
			.set({ pausedAt: input.now })
			.where(eq(assessments.id, assessment.id));
		await tx.execute(
			sql`insert into ${attemptEvents} (attempt_id, at, type, user_id, ip, details)
			    select id, ${input.now.toISOString()}::timestamptz, 'pause', ${actor.id}, ${input.ip ?? null}, ${JSON.stringify({ reason })}::jsonb
			      from ${attempts} where assessment_id = ${assessment.id} and status = 'in_progress'`
		);
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'assessment.pause',
			targetType: 'assessment',
			targetId: assessment.id,
			details: { reason },
			ip: input.ip,
			now: input.now
		});
	});
}

/** Restarts the clocks: every open deadline moves later by the length of the pause. */
export async function resumeAssessment(
	db: Db,
	actor: Actor,
	input: ControlInput
): Promise<{ pausedMs: number }> {
	const assessment = await load(db, input.assessmentId);
	requireController(actor, assessment.kind);
	const reason = requireReason(input.reason);
	if (!assessment.pausedAt) throw new Conflict(m.control_not_paused());
	const pausedMs = Math.max(0, input.now.getTime() - assessment.pausedAt.getTime());
	await db.transaction(async (tx) => {
		await tx.update(assessments).set({ pausedAt: null }).where(eq(assessments.id, assessment.id));
		await tx.execute(
			sql`update ${attempts} set deadline_at = deadline_at + make_interval(secs => ${pausedMs / 1000}), paused_ms = paused_ms + ${pausedMs}
			     where assessment_id = ${assessment.id} and status = 'in_progress' and started_at <= ${assessment.pausedAt!.toISOString()}::timestamptz`
		);
		if (assessment.closeAt) {
			await tx
				.update(assessments)
				.set({ closeAt: new Date(assessment.closeAt.getTime() + pausedMs) })
				.where(eq(assessments.id, assessment.id));
			await notifyBoardOfAssessment(tx, assessment.id);
		}
		await tx.execute(
			sql`insert into ${attemptEvents} (attempt_id, at, type, user_id, ip, details)
			    select id, ${input.now.toISOString()}::timestamptz, 'resume', ${actor.id}, ${input.ip ?? null}, ${JSON.stringify({ reason, pausedMs })}::jsonb
			      from ${attempts} where assessment_id = ${assessment.id} and status = 'in_progress'`
		);
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'assessment.resume',
			targetType: 'assessment',
			targetId: assessment.id,
			details: { reason, pausedMs },
			ip: input.ip,
			now: input.now
		});
	});
	return { pausedMs };
}

/** Per-person state of an assessment, for a control room: not started, in progress (last save), submitted. */
export async function participantStates(
	db: Db,
	assessmentId: number
): Promise<
	Map<
		number,
		{
			status: 'in_progress' | 'submitted';
			lastSaveAt: Date | null;
			deadlineAt: Date | null;
			score: number | null;
		}
	>
> {
	const rows = await selectRows<Record<string, unknown>>(
		db,
		sql`select distinct on (a.user_id) a.user_id, a.status, a.deadline_at, a.score,
		           (select max(saved_at) from attempt_answers aa where aa.attempt_id = a.id) as last_save
		      from ${attempts} a where a.assessment_id = ${assessmentId}
		     order by a.user_id, a.number desc`
	);
	return new Map(
		rows.map((r) => [
			Number(r.user_id),
			{
				status: r.status as 'in_progress' | 'submitted',
				lastSaveAt: r.last_save ? new Date(r.last_save as string) : null,
				deadlineAt: r.deadline_at ? new Date(r.deadline_at as string) : null,
				score: r.score === null ? null : Number(r.score)
			}
		])
	);
}
