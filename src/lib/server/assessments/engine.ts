// THE attempt engine, shared by course quizzes and competition rounds. The server owns time:
// the deadline is stored at start; saves are idempotent (highest seq wins) and acknowledged only
// after commit; every state change and save is appended to attempt_events.
import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
	assessmentOverrides,
	assessments,
	attemptAnswers,
	attemptEvents,
	attemptSlots,
	attempts,
	questionVersions
} from '../db/schema';
import type { AttemptStatus } from '../db/schema';
import { selectRows } from '../db/raw';
import { Conflict, Invalid, NotAllowed, NotFound, TooLate } from '../errors';
import { m } from '../i18n';
import { newSeed, seededRandom } from '../random';
import { gradeResponse } from '../questions/grading';
import { QUESTION_TYPES, type QuestionData, type Response } from '../questions/types';
import type { Actor } from '../auth/actor';
import { drawSlots, slotSpecs } from './draw';
import { assessmentToTake } from './access';
import { computeDeadline, effectiveClose } from './time';
import { refreshCompletion } from '../courses/learning';
import { notifyBoardOfAssessment } from '../realtime/notify';
import { isPracticalAssessment, practicalTotals } from '../competitions/practical-score';

export { computeDeadline, effectiveClose };

export interface StartOutcome {
	attemptId: string;
	/** True when an attempt already in progress was returned instead of a new one. */
	resumed: boolean;
}

async function override(db: Db, assessmentId: number, userId: number) {
	const [row] = await db
		.select()
		.from(assessmentOverrides)
		.where(
			and(
				eq(assessmentOverrides.assessmentId, assessmentId),
				eq(assessmentOverrides.userId, userId)
			)
		);
	return row ?? null;
}

export function graceEnd(deadline: Date | null, graceSeconds: number): number {
	return deadline ? deadline.getTime() + graceSeconds * 1000 : Infinity;
}

export async function logEvent(
	db: Db,
	event: {
		attemptId: string;
		at: Date;
		type: string;
		userId?: number | null;
		ip?: string | null;
		slot?: number;
		seq?: number;
		details?: Record<string, unknown>;
	}
): Promise<void> {
	await db.insert(attemptEvents).values({
		attemptId: event.attemptId,
		at: event.at,
		type: event.type,
		userId: event.userId && event.userId > 0 ? event.userId : null,
		ip: event.ip ?? null,
		slot: event.slot ?? null,
		seq: event.seq ?? null,
		details: event.details ?? null
	});
}

/**
 * Starts an attempt, or returns the one already in progress (double clicks and two tabs get the
 * same attempt). Checks the window, the attempts left and the person's right to take it.
 */
export async function startAttempt(
	db: Db,
	actor: Actor,
	input: { assessmentId: number; now: Date; ip?: string | null }
): Promise<StartOutcome> {
	const [assessment, allowed] = await assessmentToTake(db, actor, input.assessmentId);
	if (!assessment) throw new NotFound();
	if (!allowed) throw new NotAllowed();
	// A start of a round is one of hundreds within seconds: its statements go out together where
	// one does not need the answer of another (one round trip per batch). The transaction's
	// connection runs them in the order they are sent, which is the order of the calls below:
	// each query is sent when called (`.execute()`; the helpers are async functions).
	return db.transaction(async (tx) => {
		// One start at a time per person and assessment, on every app process; the rest of the
		// batch is read under that lock: the attempt in progress, the person's override, the
		// attempts used so far and the slots to draw.
		const [, [open], personal, [{ n: used }], specs] = await Promise.all([
			tx.execute(sql`select pg_advisory_xact_lock(${assessment.id}, ${actor.id})`).execute(),
			tx
				.select({ id: attempts.id, deadlineAt: attempts.deadlineAt })
				.from(attempts)
				.where(
					and(
						eq(attempts.assessmentId, assessment.id),
						eq(attempts.userId, actor.id),
						eq(attempts.status, 'in_progress')
					)
				)
				.execute(),
			override(tx, assessment.id, actor.id),
			tx
				.select({ n: count() })
				.from(attempts)
				.where(and(eq(attempts.assessmentId, assessment.id), eq(attempts.userId, actor.id)))
				.execute(),
			slotSpecs(tx, assessment.id)
		]);
		if (open) {
			if (
				assessment.pausedAt ||
				input.now.getTime() <= graceEnd(open.deadlineAt, assessment.graceSeconds)
			) {
				return { attemptId: open.id, resumed: true };
			}
			// Its time ran out while nobody was looking: close it with what was saved, then go on.
			await finaliseAttempt(tx, { attemptId: open.id, now: input.now, by: 'sweeper' });
		}
		if (assessment.status !== 'published') throw new Conflict(m.engine_not_published());
		if (assessment.pausedAt) throw new Conflict(m.engine_paused());
		const closeAt = effectiveClose(assessment, personal);
		if (assessment.openAt && input.now < assessment.openAt) throw new Conflict(m.engine_not_open());
		if (closeAt && input.now >= closeAt) throw new TooLate(m.engine_closed());
		if (
			assessment.attemptsAllowed !== null &&
			used >= assessment.attemptsAllowed + (personal?.extraAttempts ?? 0)
		) {
			throw new Conflict(m.engine_no_attempts_left());
		}
		const seed = newSeed();
		const slots = await drawSlots(tx, {
			assessmentId: assessment.id,
			userId: actor.id,
			shuffleQuestions: assessment.shuffleQuestions,
			shuffleChoices: assessment.shuffleChoices,
			random: seededRandom(seed),
			allowEmpty: () =>
				assessment.kind === 'round' ? isPracticalAssessment(tx, assessment.id) : false,
			autoGradedOnly: assessment.kind === 'round',
			specs
		});
		const deadlineAt = computeDeadline({
			startedAt: input.now,
			timeLimitSeconds: assessment.timeLimitSeconds,
			extraSeconds: personal?.extraSeconds ?? 0,
			closeAt
		});
		// The attempt, its slots and its start event in one statement (drizzle's insert builder
		// cost more CPU than PostgreSQL spends on the inserts; npm run bench, start burst). The
		// foreign keys are checked at the end of the statement, when all three rows are there.
		const attemptId = crypto.randomUUID();
		const at = input.now.toISOString();
		const slotRows = JSON.stringify(
			slots.map((s) => ({
				slot: s.slot,
				version: s.questionVersionId,
				points: s.points,
				choices: s.choiceOrder
			}))
		);
		const details = JSON.stringify({
			number: used + 1,
			deadlineAt: deadlineAt?.toISOString() ?? null,
			slots: slots.length
		});
		const ip = input.ip ?? null;
		await tx.execute(sql`with attempt as (
			  insert into ${attempts} (id, assessment_id, user_id, number, status, started_at, deadline_at, max_score, seed, ip)
			  values (${attemptId}::uuid, ${assessment.id}::int, ${actor.id}::int, ${used + 1}::int, 'in_progress',
			          ${at}::timestamptz, ${deadlineAt?.toISOString() ?? null}::timestamptz,
			          ${slots.reduce((sum, s) => sum + s.points, 0)}::numeric, ${seed}::int, ${ip}::text)
			), slot_rows as (
			  insert into ${attemptSlots} (attempt_id, slot, question_version_id, points, choice_order)
			  select ${attemptId}::uuid, x.slot, x.version, x.points, x.choices
			    from jsonb_to_recordset(${slotRows}::jsonb) as x(slot int, version int, points numeric, choices int[])
			)
			insert into ${attemptEvents} (attempt_id, at, type, user_id, ip, details)
			values (${attemptId}::uuid, ${at}::timestamptz, 'start', ${actor.id > 0 ? actor.id : null}::int, ${ip}::text,
			        ${details}::jsonb)`);
		return { attemptId, resumed: false };
	});
}

// ---------------------------------------------------------------------------------------------
// Saving answers (the hot path)

const MAX_TEXT = 20_000;

/** Checks the shape of a response for the slot's question type; the browser is not trusted. */
export function validateResponse(type: string, value: unknown): Response | null {
	if (!value || typeof value !== 'object' || !(QUESTION_TYPES as readonly string[]).includes(type))
		return null;
	const r = value as Record<string, unknown>;
	if (r.type !== type) return null;
	const isIndex = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < 100;
	switch (type) {
		case 'single':
			return r.choice === null || isIndex(r.choice)
				? { type, choice: r.choice as number | null }
				: null;
		case 'multiple':
			return Array.isArray(r.choices) && r.choices.length <= 100 && r.choices.every(isIndex)
				? { type, choices: r.choices as number[] }
				: null;
		case 'truefalse':
			return r.answer === null || typeof r.answer === 'boolean'
				? { type, answer: r.answer as boolean | null }
				: null;
		case 'shortanswer':
		case 'numerical':
		case 'essay':
			// PostgreSQL (jsonb) cannot hold NUL: a pasted one is dropped rather than failing the save.
			return typeof r.text === 'string' && r.text.length <= MAX_TEXT
				? ({ type, text: r.text.replaceAll('\u0000', '') } as Response)
				: null;
		case 'matching': {
			if (!r.answers || typeof r.answers !== 'object' || Array.isArray(r.answers)) return null;
			const answers: Record<number, string | null> = {};
			for (const [k, v] of Object.entries(r.answers as Record<string, unknown>)) {
				if (!/^\d{1,2}$/.test(k) || !(v === null || (typeof v === 'string' && v.length <= 1000)))
					return null;
				answers[Number(k)] = typeof v === 'string' ? v.replaceAll('\u0000', '') : null;
			}
			return { type, answers };
		}
		default:
			return null;
	}
}

/** The attempt's clock as the save saw it, so that the reply needs no second query. */
export interface SaveClock {
	deadlineAt: Date | null;
	paused: boolean;
}

export type SaveOutcome =
	| { status: 'saved'; seq: number; savedAt: Date; clock?: SaveClock }
	/** An older or equal seq arrived after a newer one: acknowledged, but the newer answer stays. */
	| { status: 'stale'; seq: number; savedAt: Date; clock?: SaveClock };

export interface LockedAttempt {
	userId: number;
	status: AttemptStatus;
	deadlineAt: Date | null;
	graceSeconds: number;
	paused: boolean;
}

/** Locks an attempt row for the rest of the transaction (saves, submits and practical uploads queue on it). */
export async function lockAttempt(db: Db, attemptId: string): Promise<LockedAttempt | null> {
	const [row] = await selectRows<Record<string, unknown>>(
		db,
		sql`select a.user_id, a.status, a.deadline_at, s.grace_seconds, s.paused_at is not null as paused
		      from ${attempts} a join ${assessments} s on s.id = a.assessment_id
		     where a.id = ${attemptId} for update of a`
	);
	if (!row) return null;
	return {
		userId: Number(row.user_id),
		status: row.status as AttemptStatus,
		deadlineAt: row.deadline_at ? new Date(row.deadline_at as string | Date) : null,
		graceSeconds: Number(row.grace_seconds),
		paused: row.paused === true || row.paused === 't'
	};
}

export function isUuid(id: string): boolean {
	return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

async function upsertAnswer(
	db: Db,
	input: { attemptId: string; slot: number; seq: number; response: Response; now: Date }
): Promise<SaveOutcome> {
	const [saved] = await db
		.insert(attemptAnswers)
		.values({
			attemptId: input.attemptId,
			slot: input.slot,
			seq: input.seq,
			response: input.response,
			savedAt: input.now
		})
		.onConflictDoUpdate({
			target: [attemptAnswers.attemptId, attemptAnswers.slot],
			set: {
				seq: input.seq,
				response: input.response,
				savedAt: input.now,
				fraction: null,
				gradeState: null,
				gradedBy: null,
				gradedAt: null
			},
			setWhere: sql`${attemptAnswers.seq} < ${input.seq}`
		})
		.returning({ seq: attemptAnswers.seq, savedAt: attemptAnswers.savedAt });
	if (saved) return { status: 'saved', seq: saved.seq, savedAt: saved.savedAt };
	const [current] = await db
		.select({ seq: attemptAnswers.seq, savedAt: attemptAnswers.savedAt })
		.from(attemptAnswers)
		.where(and(eq(attemptAnswers.attemptId, input.attemptId), eq(attemptAnswers.slot, input.slot)));
	return { status: 'stale', seq: current.seq, savedAt: current.savedAt };
}

async function slotType(db: Db, attemptId: string, slot: number): Promise<string | null> {
	const [row] = await db
		.select({ type: questionVersions.type })
		.from(attemptSlots)
		.innerJoin(questionVersions, eq(questionVersions.id, attemptSlots.questionVersionId))
		.where(and(eq(attemptSlots.attemptId, attemptId), eq(attemptSlots.slot, slot)));
	return row?.type ?? null;
}

async function slotTypes(db: Db, attemptId: string): Promise<Map<number, string>> {
	const rows = await db
		.select({ slot: attemptSlots.slot, type: questionVersions.type })
		.from(attemptSlots)
		.innerJoin(questionVersions, eq(questionVersions.id, attemptSlots.questionVersionId))
		.where(eq(attemptSlots.attemptId, attemptId));
	return new Map(rows.map((r) => [r.slot, r.type]));
}

/** Refusals of saves and submits are logged too, so a dispute can be settled from the log. */
export async function refuse(
	db: Db,
	input: {
		attemptId: string;
		now: Date;
		userId: number;
		ip?: string | null;
		type: string;
		slot?: number;
		seq?: number;
		reason: string;
	},
	error: Error
): Promise<never> {
	await logEvent(db, {
		attemptId: input.attemptId,
		at: input.now,
		type: input.type,
		userId: input.userId,
		ip: input.ip,
		slot: input.slot,
		seq: input.seq,
		details: { reason: input.reason }
	});
	throw error;
}

/**
 * The hot path of a save in ONE statement (one round trip, its own transaction): lock the attempt
 * row, check owner, status, time and the slot's question type, upsert the answer if its seq is
 * newer, and append the save event. It only ever stores a fresh, allowed save; anything else
 * (stale seq, refusal, bad response, unknown attempt) returns null and takes the general path
 * below, which decides and logs it. The lock is taken in the first CTE, so a submit committing
 * meanwhile is seen (READ COMMITTED re-reads the locked row) and the save is then not stored.
 */
async function saveFresh(
	db: Db,
	actor: Actor,
	input: {
		attemptId: string;
		slot: number;
		seq: number;
		response: unknown;
		now: Date;
		ip?: string | null;
	}
): Promise<SaveOutcome | null> {
	const claimed = (input.response as { type?: unknown } | null)?.type;
	if (typeof claimed !== 'string' || !Number.isSafeInteger(input.slot)) return null;
	const response = validateResponse(claimed, input.response);
	if (!response) return null;
	const now = input.now.toISOString();
	const json = JSON.stringify(response);
	const [row] = await selectRows<Record<string, unknown>>(
		db,
		sql`with target as (
		      select a.user_id, a.status, a.deadline_at, s.grace_seconds, s.paused_at is not null as paused,
		             qv.type as slot_type
		        from ${attempts} a
		        join ${assessments} s on s.id = a.assessment_id
		        left join ${attemptSlots} sl on sl.attempt_id = a.id and sl.slot = ${input.slot}
		        left join ${questionVersions} qv on qv.id = sl.question_version_id
		       where a.id = ${input.attemptId}::uuid
		         for update of a
		    ), allowed as (
		      select 1 from target
		       where user_id = ${actor.id} and status = 'in_progress' and slot_type = ${response.type}
		         and (paused or deadline_at is null
		              or ${now}::timestamptz <= deadline_at + grace_seconds * interval '1 second')
		    ), saved as (
		      insert into ${attemptAnswers} (attempt_id, slot, seq, response, saved_at)
		      select ${input.attemptId}::uuid, ${input.slot}::int, ${input.seq}::int, ${json}::jsonb, ${now}::timestamptz
		        from allowed
		      on conflict (attempt_id, slot) do update
		         set seq = excluded.seq, response = excluded.response, saved_at = excluded.saved_at,
		             fraction = null, grade_state = null, graded_by = null, graded_at = null
		       where ${attemptAnswers}.seq < excluded.seq
		      returning seq, saved_at
		    ), logged as (
		      insert into ${attemptEvents} (attempt_id, at, type, user_id, ip, slot, seq, details)
		      select ${input.attemptId}::uuid, ${now}::timestamptz, 'save', ${actor.id > 0 ? actor.id : null}::int,
		             ${input.ip ?? null}::text, ${input.slot}::int, ${input.seq}::int, jsonb_build_object('response', ${json}::jsonb)
		        from saved
		    )
		    select saved.seq, saved.saved_at, target.deadline_at, target.paused
		      from saved, target`
	);
	if (!row) return null;
	return {
		status: 'saved',
		seq: Number(row.seq),
		savedAt: new Date(row.saved_at as string | Date),
		clock: {
			deadlineAt: row.deadline_at ? new Date(row.deadline_at as string | Date) : null,
			paused: row.paused === true || row.paused === 't'
		}
	};
}

/**
 * Saves one answer. Idempotent: the same (slot, seq) twice is fine; an older seq never overwrites
 * a newer one. Refused after submit (Conflict) and after deadline + grace (TooLate).
 */
export async function saveAnswer(
	db: Db,
	actor: Actor,
	input: {
		attemptId: string;
		slot: number;
		seq: number;
		response: unknown;
		now: Date;
		ip?: string | null;
	}
): Promise<SaveOutcome> {
	if (!isUuid(input.attemptId)) throw new NotFound();
	if (!Number.isSafeInteger(input.seq) || input.seq < 0 || input.seq > 2_000_000_000)
		throw new Invalid({ seq: m.engine_bad_seq() });
	// Slots are small positive integers; anything else (NaN, 1.5, 1e20) names no slot.
	if (!Number.isSafeInteger(input.slot) || input.slot < 1 || input.slot > 100_000)
		throw new Invalid({ slot: m.engine_bad_slot() });
	const fast = await saveFresh(db, actor, input);
	if (fast) return fast;
	let outcome: SaveOutcome | null = null;
	let refusal: { type: string; reason: string; error: Error } | null = null;
	await db.transaction(async (tx) => {
		const attempt = await lockAttempt(tx, input.attemptId);
		// Someone else's attempt looks exactly like a missing one.
		if (!attempt || attempt.userId !== actor.id) throw new NotFound();
		if (attempt.status !== 'in_progress') {
			refusal = {
				type: 'save_rejected',
				reason: 'submitted',
				error: new Conflict(m.engine_already_submitted())
			};
			return;
		}
		if (
			!attempt.paused &&
			input.now.getTime() > graceEnd(attempt.deadlineAt, attempt.graceSeconds)
		) {
			refusal = {
				type: 'save_rejected',
				reason: 'too_late',
				error: new TooLate(m.engine_time_over())
			};
			return;
		}
		const type = await slotType(tx, input.attemptId, input.slot);
		const response = type ? validateResponse(type, input.response) : null;
		if (!response) throw new Invalid({ response: m.engine_bad_response() });
		outcome = {
			...(await upsertAnswer(tx, {
				attemptId: input.attemptId,
				slot: input.slot,
				seq: input.seq,
				response,
				now: input.now
			})),
			clock: { deadlineAt: attempt.deadlineAt, paused: attempt.paused }
		};
		await logEvent(tx, {
			attemptId: input.attemptId,
			at: input.now,
			type: outcome.status === 'saved' ? 'save' : 'save_stale',
			userId: actor.id,
			ip: input.ip,
			slot: input.slot,
			seq: input.seq,
			details: outcome.status === 'saved' ? { response } : { kept: outcome.seq }
		});
	});
	if (refusal) {
		const r = refusal as { type: string; reason: string; error: Error };
		await refuse(
			db,
			{
				attemptId: input.attemptId,
				now: input.now,
				userId: actor.id,
				ip: input.ip,
				type: r.type,
				slot: input.slot,
				seq: input.seq,
				reason: r.reason
			},
			r.error
		);
	}
	return outcome!;
}

/**
 * Saves the answers of one page posted without JavaScript. The server numbers them after the
 * highest seq so far: a plain form post is always the person's latest action.
 */
export async function saveFormAnswers(
	db: Db,
	actor: Actor,
	input: {
		attemptId: string;
		answers: Array<{ slot: number; response: unknown }>;
		now: Date;
		ip?: string | null;
	}
): Promise<number> {
	if (!isUuid(input.attemptId)) throw new NotFound();
	let refusal: { reason: string; error: Error } | null = null;
	const saved = await db.transaction(async (tx) => {
		const attempt = await lockAttempt(tx, input.attemptId);
		if (!attempt || attempt.userId !== actor.id) throw new NotFound();
		if (attempt.status !== 'in_progress') {
			refusal = { reason: 'submitted', error: new Conflict(m.engine_already_submitted()) };
			return 0;
		}
		if (
			!attempt.paused &&
			input.now.getTime() > graceEnd(attempt.deadlineAt, attempt.graceSeconds)
		) {
			refusal = { reason: 'too_late', error: new TooLate(m.engine_time_over()) };
			return 0;
		}
		let n = 0;
		for (const answer of input.answers) {
			const type = await slotType(tx, input.attemptId, answer.slot);
			const response = type ? validateResponse(type, answer.response) : null;
			if (!response) throw new Invalid({ response: m.engine_bad_response() });
			const [current] = await tx
				.select({ seq: attemptAnswers.seq })
				.from(attemptAnswers)
				.where(
					and(eq(attemptAnswers.attemptId, input.attemptId), eq(attemptAnswers.slot, answer.slot))
				);
			const seq = (current?.seq ?? 0) + 1;
			await upsertAnswer(tx, {
				attemptId: input.attemptId,
				slot: answer.slot,
				seq,
				response,
				now: input.now
			});
			await logEvent(tx, {
				attemptId: input.attemptId,
				at: input.now,
				type: 'save',
				userId: actor.id,
				ip: input.ip,
				slot: answer.slot,
				seq,
				details: { response, with: 'form' }
			});
			n++;
		}
		return n;
	});
	if (refusal) {
		const r = refusal as { reason: string; error: Error };
		await refuse(
			db,
			{
				attemptId: input.attemptId,
				now: input.now,
				userId: actor.id,
				ip: input.ip,
				type: 'save_rejected',
				reason: r.reason
			},
			r.error
		);
	}
	return saved;
}

/** The clock of an attempt as the browser shows it (deadline may move: extensions, pauses). */
export async function attemptClock(
	db: Db,
	actor: Actor,
	input: { attemptId: string }
): Promise<{ status: AttemptStatus; deadlineAt: Date | null; paused: boolean }> {
	if (!isUuid(input.attemptId)) throw new NotFound();
	const [row] = await db
		.select({
			userId: attempts.userId,
			status: attempts.status,
			deadlineAt: attempts.deadlineAt,
			pausedAt: assessments.pausedAt
		})
		.from(attempts)
		.innerJoin(assessments, eq(assessments.id, attempts.assessmentId))
		.where(eq(attempts.id, input.attemptId));
	if (!row || row.userId !== actor.id) throw new NotFound();
	return { status: row.status, deadlineAt: row.deadlineAt, paused: row.pausedAt !== null };
}

// ---------------------------------------------------------------------------------------------
// Submitting, finalising, grading

export interface SubmitOutcome {
	status: 'submitted' | 'already_submitted';
	score: number | null;
	maxScore: number;
}

/**
 * Submits an attempt. A no-JS form may carry the last answers: they are saved first, in the same
 * transaction. Submitting twice is harmless. Within the grace period after the deadline it is
 * accepted; later it is refused (the sweeper closes the attempt with what was saved).
 */
export async function submitAttempt(
	db: Db,
	actor: Actor,
	input: {
		attemptId: string;
		now: Date;
		ip?: string | null;
		answers?: Array<{ slot: number; seq: number; response: unknown }>;
	}
): Promise<SubmitOutcome> {
	if (!isUuid(input.attemptId)) throw new NotFound();
	let late = false;
	const result = await db.transaction(async (tx): Promise<SubmitOutcome | null> => {
		const attempt = await lockAttempt(tx, input.attemptId);
		if (!attempt || attempt.userId !== actor.id) throw new NotFound();
		if (attempt.status !== 'in_progress') {
			const [row] = await tx
				.select({ score: attempts.score, maxScore: attempts.maxScore })
				.from(attempts)
				.where(eq(attempts.id, input.attemptId));
			return { status: 'already_submitted', score: row.score, maxScore: row.maxScore };
		}
		if (
			!attempt.paused &&
			input.now.getTime() > graceEnd(attempt.deadlineAt, attempt.graceSeconds)
		) {
			late = true;
			return null;
		}
		if (input.answers?.length) {
			const types = await slotTypes(tx, input.attemptId);
			const events: Array<typeof attemptEvents.$inferInsert> = [];
			for (const answer of input.answers) {
				const type = types.get(answer.slot);
				const response = type ? validateResponse(type, answer.response) : null;
				if (!response) throw new Invalid({ response: m.engine_bad_response() });
				const saved = await upsertAnswer(tx, {
					attemptId: input.attemptId,
					slot: answer.slot,
					seq: answer.seq,
					response,
					now: input.now
				});
				events.push({
					attemptId: input.attemptId,
					at: input.now,
					type: saved.status === 'saved' ? 'save' : 'save_stale',
					userId: actor.id,
					ip: input.ip ?? null,
					slot: answer.slot,
					seq: answer.seq,
					details: { response, with: 'submit' }
				});
			}
			await tx.insert(attemptEvents).values(events);
		}
		const graded = await finaliseAttempt(tx, {
			attemptId: input.attemptId,
			now: input.now,
			by: 'user',
			actorId: actor.id,
			ip: input.ip
		});
		return { status: 'submitted', score: graded.score, maxScore: graded.maxScore };
	});
	if (late) {
		await refuse(
			db,
			{
				attemptId: input.attemptId,
				now: input.now,
				userId: actor.id,
				ip: input.ip,
				type: 'submit_rejected',
				reason: 'too_late'
			},
			new TooLate(m.engine_time_over())
		);
	}
	return result!;
}

/** Grades every slot of an attempt from its saved answers and stores the score. */
export async function gradeAttempt(
	db: Db,
	attemptId: string
): Promise<{ score: number; maxScore: number; needsGrading: boolean }> {
	const slots = await db
		.select({
			slot: attemptSlots.slot,
			points: attemptSlots.points,
			data: questionVersions.data,
			response: attemptAnswers.response,
			gradedBy: attemptAnswers.gradedBy,
			manualFraction: attemptAnswers.fraction
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
		.where(eq(attemptSlots.attemptId, attemptId))
		.orderBy(asc(attemptSlots.slot));
	let score = 0;
	let maxScore = 0;
	let needsGrading = false;
	const updates: Array<{ slot: number; fraction: number | null; state: string }> = [];
	for (const s of slots) {
		maxScore += s.points;
		// A trainer's manual grade stands until the answer changes.
		if (s.gradedBy !== null && s.manualFraction !== null) {
			score += s.points * s.manualFraction;
			continue;
		}
		const grade = gradeResponse(s.data as QuestionData, (s.response as Response | null) ?? null);
		if (grade.state === 'needs_grading') needsGrading = true;
		score += s.points * (grade.fraction ?? 0);
		if (s.response) updates.push({ slot: s.slot, fraction: grade.fraction, state: grade.state });
	}
	// A practical round has no slots: its worth is the judges' final scores of its submissions.
	const practical = await practicalTotals(db, attemptId);
	if (practical) {
		score += practical.score;
		maxScore += practical.maxScore;
		needsGrading ||= practical.pending;
	}
	if (updates.length) {
		// One statement for every answer of the attempt (the submit storm's hot spot).
		const values = sql.join(
			updates.map((u) => sql`(${u.slot}::int, ${u.fraction}::numeric, ${u.state}::text)`),
			sql`, `
		);
		await db.execute(
			sql`update ${attemptAnswers} set fraction = v.fraction, grade_state = v.state
			      from (values ${values}) as v(slot, fraction, state)
			     where ${attemptAnswers.attemptId} = ${attemptId} and ${attemptAnswers.slot} = v.slot`
		);
	}
	score = Math.round(score * 1000) / 1000;
	await db
		.update(attempts)
		.set({ score, maxScore, needsGrading })
		.where(eq(attempts.id, attemptId));
	// A course quiz's grade can complete (or reopen) the course.
	const [owner] = await db
		.select({
			userId: attempts.userId,
			courseId: assessments.courseId,
			kind: assessments.kind,
			submittedAt: attempts.submittedAt,
			status: attempts.status
		})
		.from(attempts)
		.innerJoin(assessments, eq(assessments.id, attempts.assessmentId))
		.where(eq(attempts.id, attemptId));
	if (owner?.kind === 'quiz' && owner.courseId && owner.status === 'submitted') {
		await refreshCompletion(db, {
			userId: owner.userId,
			courseId: owner.courseId,
			now: owner.submittedAt ?? new Date()
		});
	}
	return { score, maxScore, needsGrading };
}

/** Closes an attempt (by the person, the sweeper or an organiser) and grades it. Call in a transaction holding its lock. */
export async function finaliseAttempt(
	db: Db,
	input: {
		attemptId: string;
		now: Date;
		by: 'user' | 'sweeper' | 'organiser';
		actorId?: number;
		ip?: string | null;
	}
): Promise<{ score: number; maxScore: number }> {
	const [attempt] = await db.select().from(attempts).where(eq(attempts.id, input.attemptId));
	// Time used stops at the deadline for the sweeper: a competitor is not charged for the grace period.
	const end =
		input.by === 'sweeper' && attempt.deadlineAt
			? Math.min(input.now.getTime(), attempt.deadlineAt.getTime())
			: input.now.getTime();
	const timeUsedMs = Math.max(0, end - attempt.startedAt.getTime() - attempt.pausedMs);
	await db
		.update(attempts)
		.set({ status: 'submitted', submittedAt: input.now, finishedBy: input.by, timeUsedMs })
		.where(eq(attempts.id, input.attemptId));
	const graded = await gradeAttempt(db, input.attemptId);
	await notifyBoardOfAssessment(db, attempt.assessmentId);
	await logEvent(db, {
		attemptId: input.attemptId,
		at: input.now,
		type: input.by === 'user' ? 'submit' : 'finalise',
		userId: input.actorId ?? (input.by === 'user' ? attempt.userId : null),
		ip: input.ip,
		details: { by: input.by, score: graded.score, maxScore: graded.maxScore, timeUsedMs }
	});
	return graded;
}

/** Closes one person's attempt whose time (and grace) has run out, with what was saved, as the sweeper would. */
export async function closeIfOverdue(
	db: Db,
	actor: Actor,
	input: { attemptId: string; now: Date }
): Promise<boolean> {
	if (!isUuid(input.attemptId)) throw new NotFound();
	return db.transaction(async (tx) => {
		const attempt = await lockAttempt(tx, input.attemptId);
		if (!attempt || attempt.userId !== actor.id) throw new NotFound();
		if (
			attempt.status !== 'in_progress' ||
			attempt.paused ||
			input.now.getTime() <= graceEnd(attempt.deadlineAt, attempt.graceSeconds)
		)
			return false;
		await finaliseAttempt(tx, { attemptId: input.attemptId, now: input.now, by: 'sweeper' });
		return true;
	});
}

/** Finalises attempts whose deadline plus grace has passed. Safe on several processes at once. */
export async function sweepOverdue(db: Db, input: { now: Date; limit?: number }): Promise<number> {
	let closed = 0;
	await db.transaction(async (tx) => {
		const due = await selectRows<{ id: string }>(
			tx,
			sql`select a.id from ${attempts} a join ${assessments} s on s.id = a.assessment_id
			     where a.status = 'in_progress' and s.paused_at is null and a.deadline_at is not null
			       and a.deadline_at + make_interval(secs => s.grace_seconds) < ${input.now.toISOString()}::timestamptz
			     order by a.deadline_at limit ${input.limit ?? 200}
			     for update of a skip locked`
		);
		for (const row of due) {
			await finaliseAttempt(tx, { attemptId: String(row.id), now: input.now, by: 'sweeper' });
			closed++;
		}
	});
	return closed;
}
