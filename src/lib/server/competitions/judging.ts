// Blind double judging of practical submissions: the competition's judges and its head judge,
// two judges per submission, marks per rubric criterion, the final score (average within the
// margin, else the head judge's decision). Judges know a submission only by its blind code:
// nothing here returns a competitor's name, username, unit or attempt to a judge.
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
	attempts,
	competitionJudges,
	competitionRounds,
	competitions,
	files,
	judgeAssignments,
	judgeScores,
	practicalSubmissions,
	practicalTasks,
	rubricCriteria,
	units,
	users
} from '../db/schema';
import { recordAudit } from '../audit/log';
import { hasRole, requireRole, type Actor } from '../auth/actor';
import { Conflict, Invalid, NotAllowed, NotFound } from '../errors';
import { m } from '../i18n';
import { selectRows } from '../db/raw';
import { formatNumber } from '../../format';
import {
	blindFileName,
	checkPoints,
	chooseJudges,
	FINAL_STEP,
	JUDGES_PER_SUBMISSION,
	MARK_STEP,
	normaliseBlindCode,
	parsePoints,
	settle,
	type Settlement
} from './judging-rules';
import { hasContent } from './practical-score';
import {
	regradeAttempts,
	renderStatement,
	taskAttachments,
	type AttachmentView
} from './practical-shared';

const MAX_COMMENT = 2000;
/** Advisory-lock namespace for a competition's assignments (the one-key space; the engine uses two keys). */
const ASSIGN_LOCK = 0x4a55_4447_0000;

async function competitionBySlug(db: Db, slug: string) {
	const [row] = await db
		.select({
			id: competitions.id,
			slug: competitions.slug,
			title: competitions.title,
			judgeMargin: competitions.judgeMargin
		})
		.from(competitions)
		.where(eq(competitions.slug, slug));
	if (!row) throw new NotFound();
	return row;
}

async function membership(db: Db, actor: Actor, competitionId: number) {
	const [row] = await db
		.select({ isHead: competitionJudges.isHead })
		.from(competitionJudges)
		.where(
			and(
				eq(competitionJudges.competitionId, competitionId),
				eq(competitionJudges.userId, actor.id)
			)
		);
	return { isJudge: !!row, isHead: row?.isHead ?? false };
}

const isOrganiser = (actor: Actor) => hasRole(actor, 'organiser', 'admin');

/** Organisers manage judges; organisers and the head judge run the assignments. */
async function requireJudgingLead(db: Db, actor: Actor, competitionId: number) {
	const member = await membership(db, actor, competitionId);
	if (!isOrganiser(actor) && !member.isHead) throw new NotAllowed();
	return member;
}

// ---------------------------------------------------------------------------------------------
// Judges of a competition

export async function addJudge(
	db: Db,
	actor: Actor,
	input: { slug: string; username: string; isHead: boolean; now: Date; ip?: string | null }
): Promise<void> {
	requireRole(actor, 'organiser', 'admin');
	const competition = await competitionBySlug(db, input.slug);
	const [user] = await db
		.select({ id: users.id, roles: users.roles, active: users.active })
		.from(users)
		.where(eq(users.username, input.username.trim().toLowerCase()));
	if (!user || !user.active || !user.roles.includes('judge'))
		throw new Invalid({ username: m.judge_not_a_judge() });
	await db.transaction(async (tx) => {
		const [existing] = await tx
			.select({ userId: competitionJudges.userId })
			.from(competitionJudges)
			.where(
				and(
					eq(competitionJudges.competitionId, competition.id),
					eq(competitionJudges.userId, user.id)
				)
			);
		if (existing) throw new Invalid({ username: m.judge_already_judge() });
		if (input.isHead)
			await tx
				.update(competitionJudges)
				.set({ isHead: false })
				.where(eq(competitionJudges.competitionId, competition.id));
		await tx
			.insert(competitionJudges)
			.values({ competitionId: competition.id, userId: user.id, isHead: input.isHead });
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'judging.judge.add',
			targetType: 'competition',
			targetId: competition.id,
			details: {
				judge: user.id,
				username: input.username.trim().toLowerCase(),
				isHead: input.isHead
			},
			ip: input.ip,
			now: input.now
		});
	});
}

/** There is one head judge: naming one unnames the other. */
export async function setHeadJudge(
	db: Db,
	actor: Actor,
	input: { slug: string; userId: number; now: Date; ip?: string | null }
): Promise<void> {
	requireRole(actor, 'organiser', 'admin');
	const competition = await competitionBySlug(db, input.slug);
	await db.transaction(async (tx) => {
		await tx
			.update(competitionJudges)
			.set({ isHead: sql`${competitionJudges.userId} = ${input.userId}` })
			.where(eq(competitionJudges.competitionId, competition.id));
		const [head] = await tx
			.select({ userId: competitionJudges.userId })
			.from(competitionJudges)
			.where(
				and(eq(competitionJudges.competitionId, competition.id), eq(competitionJudges.isHead, true))
			);
		if (!head) throw new NotFound();
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'judging.head.set',
			targetType: 'competition',
			targetId: competition.id,
			details: { judge: input.userId },
			ip: input.ip,
			now: input.now
		});
	});
}

/** A judge who has marked something stays (their marks are part of the record). */
export async function removeJudge(
	db: Db,
	actor: Actor,
	input: { slug: string; userId: number; now: Date; ip?: string | null }
): Promise<void> {
	requireRole(actor, 'organiser', 'admin');
	const competition = await competitionBySlug(db, input.slug);
	await db.transaction(async (tx) => {
		const ofCompetition = tx
			.select({ id: practicalSubmissions.id })
			.from(practicalSubmissions)
			.innerJoin(practicalTasks, eq(practicalTasks.id, practicalSubmissions.taskId))
			.innerJoin(competitionRounds, eq(competitionRounds.id, practicalTasks.roundId))
			.where(eq(competitionRounds.competitionId, competition.id));
		const [scored] = await tx
			.select({ n: count() })
			.from(judgeScores)
			.where(
				and(eq(judgeScores.judgeId, input.userId), inArray(judgeScores.submissionId, ofCompetition))
			);
		if ((scored?.n ?? 0) > 0) throw new Conflict(m.judge_has_scores());
		const [gone] = await tx
			.delete(competitionJudges)
			.where(
				and(
					eq(competitionJudges.competitionId, competition.id),
					eq(competitionJudges.userId, input.userId)
				)
			)
			.returning({ userId: competitionJudges.userId });
		if (!gone) throw new NotFound();
		const freed = await tx
			.delete(judgeAssignments)
			.where(
				and(
					eq(judgeAssignments.judgeId, input.userId),
					inArray(judgeAssignments.submissionId, ofCompetition)
				)
			)
			.returning({ submissionId: judgeAssignments.submissionId });
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'judging.judge.remove',
			targetType: 'competition',
			targetId: competition.id,
			details: { judge: input.userId, unassigned: freed.length },
			ip: input.ip,
			now: input.now
		});
	});
}

// ---------------------------------------------------------------------------------------------
// Assignments

/**
 * Gives every submitted submission of the competition (with something in it) its two judges,
 * balancing the load. Safe to run again and on several processes (one run at a time).
 */
export async function autoAssign(
	db: Db,
	input: { competitionId: number; now: Date }
): Promise<number> {
	return db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(${ASSIGN_LOCK + input.competitionId})`);
		const judges = await tx
			.select({ id: competitionJudges.userId, isHead: competitionJudges.isHead })
			.from(competitionJudges)
			.where(eq(competitionJudges.competitionId, input.competitionId))
			.orderBy(asc(competitionJudges.userId));
		if (!judges.length) return 0;
		const subs = await tx
			.select({ id: practicalSubmissions.id, userId: practicalSubmissions.userId })
			.from(practicalSubmissions)
			.innerJoin(practicalTasks, eq(practicalTasks.id, practicalSubmissions.taskId))
			.innerJoin(competitionRounds, eq(competitionRounds.id, practicalTasks.roundId))
			.innerJoin(attempts, eq(attempts.id, practicalSubmissions.attemptId))
			.where(
				and(
					eq(competitionRounds.competitionId, input.competitionId),
					eq(attempts.status, 'submitted'),
					hasContent
				)
			)
			.orderBy(
				asc(attempts.submittedAt),
				asc(practicalTasks.position),
				asc(practicalSubmissions.id)
			);
		if (!subs.length) return 0;
		const assigned = await tx
			.select({ submissionId: judgeAssignments.submissionId, judgeId: judgeAssignments.judgeId })
			.from(judgeAssignments)
			.where(
				inArray(
					judgeAssignments.submissionId,
					subs.map((s) => s.id)
				)
			);
		const load = new Map(judges.map((j) => [j.id, 0]));
		for (const a of assigned)
			if (load.has(a.judgeId)) load.set(a.judgeId, load.get(a.judgeId)! + 1);
		let made = 0;
		for (const sub of subs) {
			const already = assigned.filter((a) => a.submissionId === sub.id).map((a) => a.judgeId);
			if (already.length >= JUDGES_PER_SUBMISSION) continue;
			const chosen = chooseJudges(
				judges.map((j) => ({ ...j, load: load.get(j.id)! })),
				{ already, exclude: [sub.userId] }
			);
			for (const judgeId of chosen) {
				await tx
					.insert(judgeAssignments)
					.values({ submissionId: sub.id, judgeId, assignedAt: input.now })
					.onConflictDoNothing();
				load.set(judgeId, load.get(judgeId)! + 1);
				made++;
			}
		}
		return made;
	});
}

/** The organisers' or head judge's "assign now" (also picks up attempts closed by the sweeper). */
export async function assignPending(
	db: Db,
	actor: Actor,
	input: { slug: string; now: Date; ip?: string | null }
): Promise<number> {
	const competition = await competitionBySlug(db, input.slug);
	await requireJudgingLead(db, actor, competition.id);
	const made = await autoAssign(db, { competitionId: competition.id, now: input.now });
	await recordAudit(db, {
		actorId: actor.id,
		action: 'judging.assign',
		targetType: 'competition',
		targetId: competition.id,
		details: { assignments: made },
		ip: input.ip,
		now: input.now
	});
	return made;
}

interface SubmissionRef {
	id: string;
	code: string;
	attemptId: string;
	userId: number;
	attemptStatus: string;
	taskId: number;
	taskTitle: string;
	taskPosition: number;
	statement: string;
	roundName: string;
	competitionId: number;
	competitionTitle: string;
	judgeMargin: number;
	finalScore: number | null;
	finalBy: number | null;
	finalNote: string | null;
	text: string;
}

async function submissionByCode(db: Db, code: string, lock = false): Promise<SubmissionRef> {
	const normal = normaliseBlindCode(code);
	if (!normal) throw new NotFound();
	const query = db
		.select({
			id: practicalSubmissions.id,
			code: practicalSubmissions.blindCode,
			attemptId: practicalSubmissions.attemptId,
			userId: practicalSubmissions.userId,
			attemptStatus: attempts.status,
			taskId: practicalTasks.id,
			taskTitle: practicalTasks.title,
			taskPosition: practicalTasks.position,
			statement: practicalTasks.statement,
			roundName: competitionRounds.name,
			competitionId: competitions.id,
			competitionTitle: competitions.title,
			judgeMargin: competitions.judgeMargin,
			finalScore: practicalSubmissions.finalScore,
			finalBy: practicalSubmissions.finalBy,
			finalNote: practicalSubmissions.finalNote,
			text: practicalSubmissions.text
		})
		.from(practicalSubmissions)
		.innerJoin(attempts, eq(attempts.id, practicalSubmissions.attemptId))
		.innerJoin(practicalTasks, eq(practicalTasks.id, practicalSubmissions.taskId))
		.innerJoin(competitionRounds, eq(competitionRounds.id, practicalTasks.roundId))
		.innerJoin(competitions, eq(competitions.id, competitionRounds.competitionId))
		.where(eq(practicalSubmissions.blindCode, normal));
	const [row] = lock ? await query.for('update', { of: practicalSubmissions }) : await query;
	// Work still in progress is nobody's business but its author's.
	if (!row || row.attemptStatus !== 'submitted') throw new NotFound();
	return row;
}

async function isAssigned(db: Db, submissionId: string, judgeId: number): Promise<boolean> {
	const [row] = await db
		.select({ judgeId: judgeAssignments.judgeId })
		.from(judgeAssignments)
		.where(
			and(eq(judgeAssignments.submissionId, submissionId), eq(judgeAssignments.judgeId, judgeId))
		);
	return !!row;
}

/** Swaps a judge who has not marked a submission yet for another judge of the competition. */
export async function reassignJudge(
	db: Db,
	actor: Actor,
	input: {
		code: string;
		fromJudgeId: number;
		toJudgeId: number;
		reason: string;
		now: Date;
		ip?: string | null;
	}
): Promise<void> {
	const reason = input.reason.trim();
	if (reason.length < 3 || reason.length > 500)
		throw new Invalid({ reason: m.judge_reason_required() });
	await db.transaction(async (tx) => {
		const sub = await submissionByCode(tx, input.code, true);
		await requireJudgingLead(tx, actor, sub.competitionId);
		if (!(await isAssigned(tx, sub.id, input.fromJudgeId)))
			throw new Invalid({ fromJudgeId: m.judge_not_assigned() });
		const [scored] = await tx
			.select({ judgeId: judgeScores.judgeId })
			.from(judgeScores)
			.where(and(eq(judgeScores.submissionId, sub.id), eq(judgeScores.judgeId, input.fromJudgeId)));
		if (scored) throw new Conflict(m.judge_reassign_scored());
		const [target] = await tx
			.select({ userId: competitionJudges.userId })
			.from(competitionJudges)
			.where(
				and(
					eq(competitionJudges.competitionId, sub.competitionId),
					eq(competitionJudges.userId, input.toJudgeId)
				)
			);
		if (!target || input.toJudgeId === sub.userId)
			throw new Invalid({ toJudgeId: m.judge_reassign_target_invalid() });
		if (await isAssigned(tx, sub.id, input.toJudgeId))
			throw new Invalid({ toJudgeId: m.judge_already_assigned() });
		await tx
			.delete(judgeAssignments)
			.where(
				and(
					eq(judgeAssignments.submissionId, sub.id),
					eq(judgeAssignments.judgeId, input.fromJudgeId)
				)
			);
		await tx
			.insert(judgeAssignments)
			.values({ submissionId: sub.id, judgeId: input.toJudgeId, assignedAt: input.now });
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'judging.reassign',
			targetType: 'practical_submission',
			targetId: sub.code,
			details: { from: input.fromJudgeId, to: input.toJudgeId, reason },
			ip: input.ip,
			now: input.now
		});
	});
}

// ---------------------------------------------------------------------------------------------
// Marks and final scores

async function totalsOf(db: Db, submissionId: string) {
	return db
		.select({
			judgeId: judgeScores.judgeId,
			total: judgeScores.total,
			points: judgeScores.points,
			comment: judgeScores.comment,
			scoredAt: judgeScores.scoredAt
		})
		.from(judgeScores)
		.where(eq(judgeScores.submissionId, submissionId))
		.orderBy(asc(judgeScores.scoredAt), asc(judgeScores.judgeId));
}

async function criteriaOfTask(db: Db, taskId: number) {
	return db
		.select({
			id: rubricCriteria.id,
			name: rubricCriteria.name,
			description: rubricCriteria.description,
			maxPoints: rubricCriteria.maxPoints
		})
		.from(rubricCriteria)
		.where(eq(rubricCriteria.taskId, taskId))
		.orderBy(asc(rubricCriteria.position));
}

/** Recomputes a submission's final score from its marks (unless the head judge decided it). */
async function settleSubmission(tx: Db, sub: SubmissionRef, now: Date): Promise<Settlement> {
	const totals = (await totalsOf(tx, sub.id)).map((s) => s.total);
	const settlement = settle(totals, sub.judgeMargin);
	if (sub.finalBy !== null) return settlement;
	const final = settlement.state === 'final' ? settlement.score : null;
	if (final !== sub.finalScore) {
		await tx
			.update(practicalSubmissions)
			.set({
				finalScore: final,
				finalAt: final === null ? null : now,
				finalBy: null,
				finalNote: null
			})
			.where(eq(practicalSubmissions.id, sub.id));
		await regradeAttempts(tx, { competitionId: sub.competitionId, attemptIds: [sub.attemptId] });
	}
	return settlement;
}

/**
 * A judge's marks for a submission assigned to them: each criterion from 0 to its maximum in
 * half points, and a comment. May be changed until the head judge has decided the submission.
 */
export async function scoreSubmission(
	db: Db,
	actor: Actor,
	input: {
		code: string;
		points: Record<string, unknown>;
		comment: unknown;
		now: Date;
		ip?: string | null;
	}
): Promise<Settlement> {
	const comment = typeof input.comment === 'string' ? input.comment.trim() : '';
	return db.transaction(async (tx) => {
		const sub = await submissionByCode(tx, input.code, true);
		if (!(await isAssigned(tx, sub.id, actor.id))) throw new NotFound();
		if (sub.finalBy !== null) throw new Conflict(m.judge_already_decided());
		const criteria = await criteriaOfTask(tx, sub.taskId);
		if (!criteria.length) throw new Conflict(m.judge_no_rubric());
		const fields: Record<string, string> = {};
		const points: Record<string, number> = {};
		for (const c of criteria) {
			const value = parsePoints(input.points[String(c.id)]);
			if (!checkPoints(value, c.maxPoints, MARK_STEP))
				fields[`c${c.id}`] = m.judge_points_invalid({
					max: formatNumber(c.maxPoints),
					step: formatNumber(MARK_STEP)
				});
			else points[String(c.id)] = value;
		}
		if (comment.length > MAX_COMMENT)
			fields.comment = m.judge_comment_too_long({ max: MAX_COMMENT });
		if (Object.keys(fields).length) throw new Invalid(fields);
		const total = Object.values(points).reduce((sum, p) => sum + p, 0);
		await tx
			.insert(judgeScores)
			.values({
				submissionId: sub.id,
				judgeId: actor.id,
				points,
				total,
				comment,
				scoredAt: input.now
			})
			.onConflictDoUpdate({
				target: [judgeScores.submissionId, judgeScores.judgeId],
				set: { points, total, comment, scoredAt: input.now }
			});
		// Marks are overwritten when changed: the audit log keeps every version.
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'judging.score',
			targetType: 'practical_submission',
			targetId: sub.code,
			details: { points, total, comment },
			ip: input.ip,
			now: input.now
		});
		return settleSubmission(tx, sub, input.now);
	});
}

/**
 * The head judge's final score for a submission whose two marks differ by more than the margin
 * (or a change to an earlier decision), with a note saying why. Audited.
 */
export async function decideSubmission(
	db: Db,
	actor: Actor,
	input: { code: string; score: unknown; note: unknown; now: Date; ip?: string | null }
): Promise<void> {
	const note = typeof input.note === 'string' ? input.note.trim() : '';
	await db.transaction(async (tx) => {
		const sub = await submissionByCode(tx, input.code, true);
		const member = await membership(tx, actor, sub.competitionId);
		if (!member.isHead) throw new NotFound();
		const marks = await totalsOf(tx, sub.id);
		const settlement = settle(
			marks.map((s) => s.total),
			sub.judgeMargin
		);
		if (settlement.state !== 'flagged' && sub.finalBy === null)
			throw new Conflict(m.judge_not_flagged());
		const criteria = await criteriaOfTask(tx, sub.taskId);
		const maxPoints = criteria.reduce((sum, c) => sum + c.maxPoints, 0);
		const score = parsePoints(input.score);
		const fields: Record<string, string> = {};
		if (!checkPoints(score, maxPoints, FINAL_STEP))
			fields.score = m.judge_points_invalid({
				max: formatNumber(maxPoints),
				step: formatNumber(FINAL_STEP)
			});
		if (note.length < 3 || note.length > MAX_COMMENT) fields.note = m.judge_note_required();
		if (Object.keys(fields).length) throw new Invalid(fields);
		await tx
			.update(practicalSubmissions)
			.set({ finalScore: score, finalBy: actor.id, finalAt: input.now, finalNote: note })
			.where(eq(practicalSubmissions.id, sub.id));
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'judging.decide',
			targetType: 'practical_submission',
			targetId: sub.code,
			details: {
				score,
				note,
				marks: marks.map((s) => ({ judge: s.judgeId, total: s.total })),
				previous: sub.finalScore
			},
			ip: input.ip,
			now: input.now
		});
		await regradeAttempts(tx, { competitionId: sub.competitionId, attemptIds: [sub.attemptId] });
	});
}

// ---------------------------------------------------------------------------------------------
// What judges see: blind codes, tasks, rubrics and the work itself — never who did it

export type JudgingState = 'waiting' | 'final' | 'flagged' | 'decided';

function stateOf(settlement: Settlement, decided: boolean): JudgingState {
	return decided ? 'decided' : settlement.state;
}

export interface QueueItem {
	code: string;
	competitionTitle: string;
	roundName: string;
	taskTitle: string;
	maxPoints: number;
	myTotal: number | null;
	state: JudgingState;
}

export interface FlaggedItem {
	code: string;
	competitionTitle: string;
	taskTitle: string;
	totals: number[];
	margin: number;
}

export interface JudgeQueue {
	toScore: QueueItem[];
	scored: QueueItem[];
	flagged: FlaggedItem[];
}

interface BlindRow extends Record<string, unknown> {
	id: string;
	code: string;
	competition_title: string;
	round_name: string;
	task_title: string;
	max_points: string | number | null;
	margin: string | number;
	final_by: number | null;
	/** '9.00,4.00': the marks in the order they were given. */
	totals: string | null;
	my_total: string | number | null;
}

const totalsOfRow = (row: BlindRow) => (row.totals ? row.totals.split(',').map(Number) : []);

const num = (x: string | number | null | undefined) =>
	x === null || x === undefined ? null : Number(x);

export async function judgeQueue(db: Db, actor: Actor): Promise<JudgeQueue> {
	requireRole(actor, 'judge');
	const base = sql`select s.id, s.blind_code as code, c.title as competition_title, r.name as round_name,
	         t.title as task_title, c.judge_margin as margin, s.final_by,
	         (select sum(rc.max_points) from ${rubricCriteria} rc where rc.task_id = t.id) as max_points,
	         (select string_agg(js.total::text, ',' order by js.scored_at, js.judge_id) from ${judgeScores} js
		           where js.submission_id = s.id) as totals,
	         (select js.total from ${judgeScores} js where js.submission_id = s.id and js.judge_id = ${actor.id}) as my_total
	    from ${practicalSubmissions} s
	    join ${attempts} a on a.id = s.attempt_id and a.status = 'submitted'
	    join ${practicalTasks} t on t.id = s.task_id
	    join ${competitionRounds} r on r.id = t.round_id
	    join ${competitions} c on c.id = r.competition_id`;
	const mine = await selectRows<BlindRow>(
		db,
		sql`${base} join ${judgeAssignments} ja on ja.submission_id = s.id and ja.judge_id = ${actor.id}
		   order by c.id, r.position, t.position, s.blind_code`
	);
	const headed = await selectRows<BlindRow>(
		db,
		sql`${base} join ${competitionJudges} cj on cj.competition_id = c.id and cj.user_id = ${actor.id} and cj.is_head
		   where s.final_by is null
		   order by c.id, r.position, t.position, s.blind_code`
	);
	const item = (row: BlindRow): QueueItem => {
		const totals = totalsOfRow(row);
		return {
			code: row.code,
			competitionTitle: row.competition_title,
			roundName: row.round_name,
			taskTitle: row.task_title,
			maxPoints: num(row.max_points) ?? 0,
			myTotal: num(row.my_total),
			state: stateOf(settle(totals, Number(row.margin)), row.final_by !== null)
		};
	};
	const items = mine.map(item);
	return {
		toScore: items.filter((i) => i.myTotal === null),
		scored: items.filter((i) => i.myTotal !== null),
		flagged: headed
			.filter((row) => settle(totalsOfRow(row), Number(row.margin)).state === 'flagged')
			.map((row) => ({
				code: row.code,
				competitionTitle: row.competition_title,
				taskTitle: row.task_title,
				totals: totalsOfRow(row),
				margin: Number(row.margin)
			}))
	};
}

export interface JudgeMarks {
	judge: string;
	mine: boolean;
	points: Record<string, number>;
	total: number;
	comment: string;
	scoredAt: Date;
}

export interface SubmissionForJudge {
	code: string;
	competitionTitle: string;
	roundName: string;
	task: { title: string; position: number; statementHtml: string; attachments: AttachmentView[] };
	criteria: Array<{ id: number; name: string; description: string; maxPoints: number }>;
	maxPoints: number;
	text: string;
	/** Offered under blind names (the code and a number). */
	files: AttachmentView[];
	assigned: boolean;
	isHead: boolean;
	mine: JudgeMarks | null;
	/** Every judge's marks: for the head judge only. */
	marks: JudgeMarks[];
	state: JudgingState;
	margin: number;
	final: { score: number; note: string | null; byHead: boolean } | null;
	step: number;
	finalStep: number;
}

/** A submission as an assigned judge (or the competition's head judge) sees it: by code only. */
export async function submissionForJudge(
	db: Db,
	actor: Actor,
	input: { code: string }
): Promise<SubmissionForJudge> {
	const sub = await submissionByCode(db, input.code);
	const assigned = await isAssigned(db, sub.id, actor.id);
	const member = await membership(db, actor, sub.competitionId);
	if (!assigned && !member.isHead) throw new NotFound();
	const attachments = (await taskAttachments(db, [sub.taskId])).get(sub.taskId) ?? [];
	const criteria = await criteriaOfTask(db, sub.taskId);
	const uploaded = await db
		.select({ id: files.id, fileName: files.fileName, size: files.size })
		.from(files)
		.where(and(eq(files.ownerType, 'submission'), eq(files.ownerId, sub.id)))
		.orderBy(asc(files.createdAt), asc(files.id));
	const scores = await totalsOf(db, sub.id);
	const judgeNames = scores.length
		? await db
				.select({ id: users.id, fullName: users.fullName })
				.from(users)
				.where(
					inArray(
						users.id,
						scores.map((s) => s.judgeId)
					)
				)
		: [];
	const marks: JudgeMarks[] = scores.map((s) => ({
		judge: judgeNames.find((j) => j.id === s.judgeId)?.fullName ?? '',
		mine: s.judgeId === actor.id,
		points: s.points,
		total: s.total,
		comment: s.comment,
		scoredAt: s.scoredAt
	}));
	const settlement = settle(
		scores.map((s) => s.total),
		sub.judgeMargin
	);
	return {
		code: sub.code,
		competitionTitle: sub.competitionTitle,
		roundName: sub.roundName,
		task: {
			title: sub.taskTitle,
			position: sub.taskPosition,
			statementHtml: renderStatement(sub.statement, attachments),
			attachments: attachments.map(({ id, fileName, size }) => ({ id, fileName, size }))
		},
		criteria,
		maxPoints: criteria.reduce((sum, c) => sum + c.maxPoints, 0),
		text: sub.text,
		files: uploaded.map((f, i) => ({
			id: f.id,
			fileName: blindFileName(sub.code, i + 1, f.fileName),
			size: f.size
		})),
		assigned,
		isHead: member.isHead,
		mine: marks.find((x) => x.mine) ?? null,
		marks: member.isHead ? marks : [],
		state: stateOf(settlement, sub.finalBy !== null),
		margin: sub.judgeMargin,
		final:
			sub.finalScore === null
				? null
				: { score: sub.finalScore, note: sub.finalNote, byHead: sub.finalBy !== null },
		step: MARK_STEP,
		finalStep: FINAL_STEP
	};
}

/**
 * How a submission's file is offered to this actor, or null if it is not theirs to see: its author
 * gets it under its own name; its judges and the head judge under a blind name; organisers who are
 * not judges of the competition under its own name.
 */
export async function submissionFileAccess(
	db: Db,
	actor: Actor,
	input: { submissionId: string; fileId: string }
): Promise<{ fileName: string | null } | null> {
	if (!/^[0-9a-f-]{36}$/i.test(input.submissionId)) return null;
	const [sub] = await db
		.select({
			id: practicalSubmissions.id,
			code: practicalSubmissions.blindCode,
			userId: practicalSubmissions.userId,
			status: attempts.status,
			competitionId: competitionRounds.competitionId
		})
		.from(practicalSubmissions)
		.innerJoin(attempts, eq(attempts.id, practicalSubmissions.attemptId))
		.innerJoin(practicalTasks, eq(practicalTasks.id, practicalSubmissions.taskId))
		.innerJoin(competitionRounds, eq(competitionRounds.id, practicalTasks.roundId))
		.where(eq(practicalSubmissions.id, input.submissionId));
	if (!sub) return null;
	if (sub.userId === actor.id) return { fileName: null };
	const member = await membership(db, actor, sub.competitionId);
	// A judge of the competition sees only blind names, even one who is also an organiser.
	if (member.isJudge) {
		if (sub.status !== 'submitted') return null;
		if (!member.isHead && !isOrganiser(actor) && !(await isAssigned(db, sub.id, actor.id)))
			return null;
		const ordered = await db
			.select({ id: files.id, fileName: files.fileName })
			.from(files)
			.where(and(eq(files.ownerType, 'submission'), eq(files.ownerId, sub.id)))
			.orderBy(asc(files.createdAt), asc(files.id));
		const index = ordered.findIndex((f) => f.id === input.fileId);
		if (index < 0) return null;
		return { fileName: blindFileName(sub.code, index + 1, ordered[index].fileName) };
	}
	if (isOrganiser(actor)) return { fileName: null };
	return null;
}

// ---------------------------------------------------------------------------------------------
// The organisers' and head judge's overview

export interface OverviewJudge {
	userId: number;
	username: string;
	fullName: string;
	isHead: boolean;
	assigned: number;
	scored: number;
}

export interface OverviewSubmission {
	code: string;
	roundName: string;
	taskTitle: string;
	maxPoints: number;
	judges: Array<{ userId: number; fullName: string; total: number | null }>;
	state: JudgingState;
	final: number | null;
	finalNote: string | null;
	/** Only for organisers who are not judges of the competition: the blind is theirs to lift. */
	competitor: { fullName: string; unitName: string } | null;
}

export interface JudgingOverview {
	competition: { id: number; slug: string; title: string; judgeMargin: number };
	canManageJudges: boolean;
	isHead: boolean;
	showsCompetitors: boolean;
	judges: OverviewJudge[];
	candidates: Array<{ username: string; fullName: string }>;
	submissions: OverviewSubmission[];
	progress: { total: number; final: number; flagged: number; waiting: number; unassigned: number };
}

export async function judgingOverview(
	db: Db,
	actor: Actor,
	input: { slug: string }
): Promise<JudgingOverview> {
	const competition = await competitionBySlug(db, input.slug);
	const member = await requireJudgingLead(db, actor, competition.id);
	const canManageJudges = isOrganiser(actor);
	const showsCompetitors = canManageJudges && !member.isJudge;
	const judges = await selectRows<{
		user_id: number;
		username: string;
		full_name: string;
		is_head: boolean | string;
		assigned: number | string;
		scored: number | string;
	}>(
		db,
		sql`select u.id as user_id, u.username, u.full_name, cj.is_head,
		       (select count(*) from ${judgeAssignments} ja join ${practicalSubmissions} s on s.id = ja.submission_id
		          join ${practicalTasks} t on t.id = s.task_id join ${competitionRounds} r on r.id = t.round_id
		         where ja.judge_id = u.id and r.competition_id = ${competition.id}) as assigned,
		       (select count(*) from ${judgeScores} js join ${practicalSubmissions} s on s.id = js.submission_id
		          join ${practicalTasks} t on t.id = s.task_id join ${competitionRounds} r on r.id = t.round_id
		         where js.judge_id = u.id and r.competition_id = ${competition.id}) as scored
		  from ${competitionJudges} cj join ${users} u on u.id = cj.user_id
		 where cj.competition_id = ${competition.id}
		 order by cj.is_head desc, u.full_name`
	);
	const candidates = canManageJudges
		? await db
				.select({ username: users.username, fullName: users.fullName })
				.from(users)
				.where(
					and(
						eq(users.active, true),
						sql`${users.roles} @> array['judge']::text[]`,
						sql`not exists (select 1 from ${competitionJudges} cj where cj.competition_id = ${competition.id} and cj.user_id = ${users.id})`
					)
				)
				.orderBy(asc(users.fullName))
		: [];
	const subs = await db
		.select({
			id: practicalSubmissions.id,
			code: practicalSubmissions.blindCode,
			roundName: competitionRounds.name,
			taskTitle: practicalTasks.title,
			taskId: practicalTasks.id,
			finalScore: practicalSubmissions.finalScore,
			finalBy: practicalSubmissions.finalBy,
			finalNote: practicalSubmissions.finalNote,
			competitorName: users.fullName,
			unitName: units.name
		})
		.from(practicalSubmissions)
		.innerJoin(attempts, eq(attempts.id, practicalSubmissions.attemptId))
		.innerJoin(practicalTasks, eq(practicalTasks.id, practicalSubmissions.taskId))
		.innerJoin(competitionRounds, eq(competitionRounds.id, practicalTasks.roundId))
		.innerJoin(users, eq(users.id, practicalSubmissions.userId))
		.leftJoin(units, eq(units.id, users.unitId))
		.where(
			and(
				eq(competitionRounds.competitionId, competition.id),
				eq(attempts.status, 'submitted'),
				hasContent
			)
		)
		.orderBy(
			asc(competitionRounds.position),
			asc(practicalTasks.position),
			asc(practicalSubmissions.blindCode)
		);
	const ids = subs.map((s) => s.id);
	const assignments = ids.length
		? await db
				.select({
					submissionId: judgeAssignments.submissionId,
					userId: judgeAssignments.judgeId,
					fullName: users.fullName,
					total: judgeScores.total
				})
				.from(judgeAssignments)
				.innerJoin(users, eq(users.id, judgeAssignments.judgeId))
				.leftJoin(
					judgeScores,
					and(
						eq(judgeScores.submissionId, judgeAssignments.submissionId),
						eq(judgeScores.judgeId, judgeAssignments.judgeId)
					)
				)
				.where(inArray(judgeAssignments.submissionId, ids))
				.orderBy(asc(judgeAssignments.assignedAt), asc(users.fullName))
		: [];
	const scores = ids.length
		? await db
				.select({ submissionId: judgeScores.submissionId, total: judgeScores.total })
				.from(judgeScores)
				.where(inArray(judgeScores.submissionId, ids))
				.orderBy(asc(judgeScores.scoredAt), asc(judgeScores.judgeId))
		: [];
	const taskMax = new Map<number, number>();
	const taskIds = [...new Set(subs.map((s) => s.taskId))];
	if (taskIds.length) {
		const rows = await db
			.select({ taskId: rubricCriteria.taskId, max: sql<string>`sum(${rubricCriteria.maxPoints})` })
			.from(rubricCriteria)
			.where(inArray(rubricCriteria.taskId, taskIds))
			.groupBy(rubricCriteria.taskId);
		for (const r of rows) taskMax.set(r.taskId, Number(r.max));
	}
	const submissions: OverviewSubmission[] = subs.map((s) => {
		const totals = scores.filter((x) => x.submissionId === s.id).map((x) => x.total);
		return {
			code: s.code,
			roundName: s.roundName,
			taskTitle: s.taskTitle,
			maxPoints: taskMax.get(s.taskId) ?? 0,
			judges: assignments
				.filter((a) => a.submissionId === s.id)
				.map((a) => ({ userId: a.userId, fullName: a.fullName, total: a.total })),
			state: stateOf(settle(totals, competition.judgeMargin), s.finalBy !== null),
			final: s.finalScore,
			finalNote: s.finalNote,
			competitor: showsCompetitors
				? { fullName: s.competitorName, unitName: s.unitName ?? '' }
				: null
		};
	});
	return {
		competition,
		canManageJudges,
		isHead: member.isHead,
		showsCompetitors,
		judges: judges.map((j) => ({
			userId: Number(j.user_id),
			username: j.username,
			fullName: j.full_name,
			isHead: j.is_head === true || j.is_head === 't',
			assigned: Number(j.assigned),
			scored: Number(j.scored)
		})),
		candidates,
		submissions,
		progress: {
			total: submissions.length,
			final: submissions.filter((s) => s.state === 'final' || s.state === 'decided').length,
			flagged: submissions.filter((s) => s.state === 'flagged').length,
			waiting: submissions.filter((s) => s.state === 'waiting').length,
			unassigned: submissions.filter((s) => s.judges.length < JUDGES_PER_SUBMISSION).length
		}
	};
}
