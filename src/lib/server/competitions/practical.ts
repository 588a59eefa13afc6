// Practical rounds: organisers write the tasks (Markdown statement, attachments, rubric);
// competitors answer each task with text and files inside their attempt at the round, on the
// attempt engine's clock (deadline, grace, pause) and with its event log; submit ends the attempt.
import { and, asc, count, desc, eq, inArray, max, sql } from 'drizzle-orm';
import * as v from 'valibot';
import type { Db } from '../db/client';
import {
	assessments,
	attempts,
	competitionRounds,
	competitions,
	files,
	judgeScores,
	practicalSubmissions,
	practicalTasks,
	rubricCriteria
} from '../db/schema';
import type { AttemptStatus } from '../db/schema';
import { recordAudit } from '../audit/log';
import { requireRole, type Actor } from '../auth/actor';
import { Conflict, Invalid, NotFound, TooLate } from '../errors';
import { m } from '../i18n';
import { checkFile, MIB, storeFile, UPLOAD_POLICIES } from '../files/store';
import {
	graceEnd,
	isUuid,
	lockAttempt,
	logEvent,
	refuse,
	submitAttempt,
	type SaveOutcome,
	type SubmitOutcome
} from '../assessments/engine';
import { checkPoints, makeBlindCode, MARK_STEP, parsePoints } from './judging-rules';
import { autoAssign } from './judging';
import {
	regradeAttempts,
	renderStatement,
	taskAttachments,
	type AttachmentView
} from './practical-shared';

export const MAX_ANSWER_TEXT = 20_000;
export const MAX_FILES_PER_TASK = 5;
export const MAX_ATTACHMENTS_PER_TASK = 10;
const MAX_CRITERION_POINTS = 100;

/** What the upload fields tell the competitor: allowed types and the size limit. */
export const SUBMISSION_POLICY = {
	extensions: [...new Set(UPLOAD_POLICIES.submission.kinds.map((k) => k.ext))],
	maxMb: Math.round(UPLOAD_POLICIES.submission.maxBytes / MIB),
	maxFiles: MAX_FILES_PER_TASK
};
export const TASK_POLICY = {
	extensions: [...new Set(UPLOAD_POLICIES.task.kinds.map((k) => k.ext))],
	maxMb: Math.round(UPLOAD_POLICIES.task.maxBytes / MIB)
};

// ---------------------------------------------------------------------------------------------
// Organisers: tasks, attachments, rubric

interface RoundRef {
	competitionId: number;
	competitionSlug: string;
	competitionTitle: string;
	roundId: number;
	roundName: string;
	position: number;
	assessmentId: number;
}

async function practicalRound(db: Db, slug: string, position: number): Promise<RoundRef> {
	if (!Number.isSafeInteger(position)) throw new NotFound();
	const [row] = await db
		.select({
			competitionId: competitions.id,
			competitionSlug: competitions.slug,
			competitionTitle: competitions.title,
			roundId: competitionRounds.id,
			roundName: competitionRounds.name,
			position: competitionRounds.position,
			assessmentId: competitionRounds.assessmentId,
			kind: competitionRounds.kind
		})
		.from(competitionRounds)
		.innerJoin(competitions, eq(competitions.id, competitionRounds.competitionId))
		.where(and(eq(competitions.slug, slug), eq(competitionRounds.position, position)));
	if (!row || row.kind !== 'practical') throw new NotFound();
	return row;
}

async function taskOfRound(db: Db, round: RoundRef, taskId: number) {
	// Ids are PostgreSQL integers: anything larger names no task (and must not reach the query).
	if (!Number.isSafeInteger(taskId) || taskId < 1 || taskId > 2_147_483_647) throw new NotFound();
	const [task] = await db
		.select()
		.from(practicalTasks)
		.where(and(eq(practicalTasks.id, taskId), eq(practicalTasks.roundId, round.roundId)));
	if (!task) throw new NotFound();
	return task;
}

/** Whether judges have started marking a task: then its rubric's points may no longer move. */
async function taskIsScored(db: Db, taskId: number): Promise<boolean> {
	const [row] = await db
		.select({ n: count() })
		.from(judgeScores)
		.innerJoin(practicalSubmissions, eq(practicalSubmissions.id, judgeScores.submissionId))
		.where(eq(practicalSubmissions.taskId, taskId));
	return (row?.n ?? 0) > 0;
}

async function roundAttemptIds(db: Db, round: RoundRef): Promise<string[]> {
	const rows = await db
		.select({ id: attempts.id })
		.from(attempts)
		.where(eq(attempts.assessmentId, round.assessmentId));
	return rows.map((r) => r.id);
}

/** A rubric change moves every attempt's maximum (and an emptied task's scores): regrade them. */
async function regradeRound(db: Db, round: RoundRef): Promise<void> {
	await regradeAttempts(db, {
		competitionId: round.competitionId,
		attemptIds: await roundAttemptIds(db, round)
	});
}

export interface OrganiserTaskRow {
	id: number;
	position: number;
	title: string;
	maxPoints: number;
	criteria: number;
	attachments: number;
	submissions: number;
}

export interface OrganiserRound {
	competition: { id: number; slug: string; title: string };
	round: { id: number; name: string; position: number };
	tasks: OrganiserTaskRow[];
	maxPoints: number;
}

export async function practicalRoundForOrganiser(
	db: Db,
	actor: Actor,
	input: { slug: string; position: number }
): Promise<OrganiserRound> {
	requireRole(actor, 'organiser', 'admin');
	const round = await practicalRound(db, input.slug, input.position);
	const tasks = await db
		.select({
			id: practicalTasks.id,
			position: practicalTasks.position,
			title: practicalTasks.title,
			maxPoints: sql<
				string | null
			>`(select sum(rc.max_points) from ${rubricCriteria} rc where rc.task_id = "practical_tasks"."id")`,
			criteria: sql<number>`(select count(*)::int from ${rubricCriteria} rc where rc.task_id = "practical_tasks"."id")`,
			attachments: sql<number>`(select count(*)::int from ${files} f where f.owner_type = 'task' and f.owner_id = "practical_tasks"."id"::text)`,
			submissions: sql<number>`(select count(*)::int from ${practicalSubmissions} ps where ps.task_id = "practical_tasks"."id")`
		})
		.from(practicalTasks)
		.where(eq(practicalTasks.roundId, round.roundId))
		.orderBy(asc(practicalTasks.position));
	const rows = tasks.map((t) => ({
		...t,
		maxPoints: Number(t.maxPoints ?? 0),
		criteria: Number(t.criteria),
		attachments: Number(t.attachments),
		submissions: Number(t.submissions)
	}));
	return {
		competition: {
			id: round.competitionId,
			slug: round.competitionSlug,
			title: round.competitionTitle
		},
		round: { id: round.roundId, name: round.roundName, position: round.position },
		tasks: rows,
		maxPoints: rows.reduce((sum, t) => sum + t.maxPoints, 0)
	};
}

export interface CriterionView {
	id: number;
	position: number;
	name: string;
	description: string;
	maxPoints: number;
}

export interface OrganiserTask {
	competition: { id: number; slug: string; title: string };
	round: { id: number; name: string; position: number };
	task: {
		id: number;
		position: number;
		title: string;
		statement: string;
		statementHtml: string;
		maxPoints: number;
	};
	attachments: AttachmentView[];
	criteria: CriterionView[];
	/** Judges have marked it: the rubric's points are fixed. */
	scored: boolean;
	submissions: number;
}

async function criteriaOf(db: Db, taskIds: number[]): Promise<Map<number, CriterionView[]>> {
	const out = new Map<number, CriterionView[]>();
	if (!taskIds.length) return out;
	const rows = await db
		.select()
		.from(rubricCriteria)
		.where(inArray(rubricCriteria.taskId, taskIds))
		.orderBy(asc(rubricCriteria.position));
	for (const r of rows) {
		const list = out.get(r.taskId) ?? [];
		list.push({
			id: r.id,
			position: r.position,
			name: r.name,
			description: r.description,
			maxPoints: r.maxPoints
		});
		out.set(r.taskId, list);
	}
	return out;
}

export async function taskForOrganiser(
	db: Db,
	actor: Actor,
	input: { slug: string; position: number; taskId: number }
): Promise<OrganiserTask> {
	requireRole(actor, 'organiser', 'admin');
	const round = await practicalRound(db, input.slug, input.position);
	const task = await taskOfRound(db, round, input.taskId);
	const attachments = (await taskAttachments(db, [task.id])).get(task.id) ?? [];
	const criteria = (await criteriaOf(db, [task.id])).get(task.id) ?? [];
	const [subs] = await db
		.select({ n: count() })
		.from(practicalSubmissions)
		.where(eq(practicalSubmissions.taskId, task.id));
	return {
		competition: {
			id: round.competitionId,
			slug: round.competitionSlug,
			title: round.competitionTitle
		},
		round: { id: round.roundId, name: round.roundName, position: round.position },
		task: {
			id: task.id,
			position: task.position,
			title: task.title,
			statement: task.statement,
			statementHtml: renderStatement(task.statement, attachments),
			maxPoints: criteria.reduce((sum, c) => sum + c.maxPoints, 0)
		},
		attachments: attachments.map(({ id, fileName, size }) => ({ id, fileName, size })),
		criteria,
		scored: await taskIsScored(db, task.id),
		submissions: subs?.n ?? 0
	};
}

const taskSchema = v.object({
	title: v.pipe(v.string(), v.trim(), v.minLength(3), v.maxLength(200)),
	statement: v.pipe(v.string(), v.maxLength(MAX_ANSWER_TEXT))
});

function parseTask(input: { title: unknown; statement: unknown }) {
	const result = v.safeParse(taskSchema, {
		title: input.title ?? '',
		statement: typeof input.statement === 'string' ? input.statement.replace(/\r\n/g, '\n') : ''
	});
	if (result.success) return result.output;
	const fields: Record<string, string> = {};
	for (const issue of result.issues) {
		const key = String(issue.path?.[0]?.key ?? 'title');
		fields[key] ??=
			key === 'statement'
				? m.judge_task_statement_too_long({ max: MAX_ANSWER_TEXT })
				: m.judge_task_title_invalid();
	}
	throw new Invalid(fields);
}

interface OrganiserInput {
	slug: string;
	position: number;
	now: Date;
	ip?: string | null;
}

export async function createTask(
	db: Db,
	actor: Actor,
	input: OrganiserInput & { title: unknown; statement: unknown }
): Promise<{ id: number }> {
	requireRole(actor, 'organiser', 'admin');
	const values = parseTask(input);
	const round = await practicalRound(db, input.slug, input.position);
	return db.transaction(async (tx) => {
		// Positions are handed out one at a time per round.
		await tx.execute(
			sql`select id from ${competitionRounds} where id = ${round.roundId} for update`
		);
		const [last] = await tx
			.select({ position: max(practicalTasks.position) })
			.from(practicalTasks)
			.where(eq(practicalTasks.roundId, round.roundId));
		const [row] = await tx
			.insert(practicalTasks)
			.values({
				roundId: round.roundId,
				position: (last?.position ?? 0) + 1,
				title: values.title,
				statement: values.statement,
				createdAt: input.now,
				updatedAt: input.now
			})
			.returning({ id: practicalTasks.id });
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'practical.task.create',
			targetType: 'practical_task',
			targetId: row.id,
			details: { round: round.roundId, title: values.title },
			ip: input.ip,
			now: input.now
		});
		return row;
	});
}

export async function updateTask(
	db: Db,
	actor: Actor,
	input: OrganiserInput & { taskId: number; title: unknown; statement: unknown }
): Promise<void> {
	requireRole(actor, 'organiser', 'admin');
	const values = parseTask(input);
	const round = await practicalRound(db, input.slug, input.position);
	const task = await taskOfRound(db, round, input.taskId);
	await db.transaction(async (tx) => {
		await tx
			.update(practicalTasks)
			.set({ title: values.title, statement: values.statement, updatedAt: input.now })
			.where(eq(practicalTasks.id, task.id));
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'practical.task.update',
			targetType: 'practical_task',
			targetId: task.id,
			details: { title: values.title, statementChanged: values.statement !== task.statement },
			ip: input.ip,
			now: input.now
		});
	});
}

/** Removes a task nobody has answered yet; the later tasks move up one place. */
export async function deleteTask(
	db: Db,
	actor: Actor,
	input: OrganiserInput & { taskId: number }
): Promise<void> {
	requireRole(actor, 'organiser', 'admin');
	const round = await practicalRound(db, input.slug, input.position);
	const task = await taskOfRound(db, round, input.taskId);
	await db.transaction(async (tx) => {
		await tx.execute(
			sql`select id from ${competitionRounds} where id = ${round.roundId} for update`
		);
		const [subs] = await tx
			.select({ n: count() })
			.from(practicalSubmissions)
			.where(eq(practicalSubmissions.taskId, task.id));
		if ((subs?.n ?? 0) > 0) throw new Conflict(m.judge_task_has_submissions());
		await tx
			.delete(files)
			.where(and(eq(files.ownerType, 'task'), eq(files.ownerId, String(task.id))));
		await tx.delete(practicalTasks).where(eq(practicalTasks.id, task.id));
		// Two steps: a unique (round, position) index is checked row by row.
		await tx
			.update(practicalTasks)
			.set({ position: sql`-${practicalTasks.position}` })
			.where(
				and(
					eq(practicalTasks.roundId, round.roundId),
					sql`${practicalTasks.position} > ${task.position}`
				)
			);
		await tx
			.update(practicalTasks)
			.set({ position: sql`-${practicalTasks.position} - 1` })
			.where(and(eq(practicalTasks.roundId, round.roundId), sql`${practicalTasks.position} < 0`));
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'practical.task.delete',
			targetType: 'practical_task',
			targetId: task.id,
			details: { round: round.roundId, title: task.title },
			ip: input.ip,
			now: input.now
		});
		await regradeRound(tx, round);
	});
}

/** Swaps a task with the one before ('up') or after ('down') it. */
export async function moveTask(
	db: Db,
	actor: Actor,
	input: OrganiserInput & { taskId: number; direction: 'up' | 'down' }
): Promise<void> {
	requireRole(actor, 'organiser', 'admin');
	const round = await practicalRound(db, input.slug, input.position);
	await db.transaction(async (tx) => {
		await tx.execute(
			sql`select id from ${competitionRounds} where id = ${round.roundId} for update`
		);
		const task = await taskOfRound(tx, round, input.taskId);
		const [neighbour] = await tx
			.select()
			.from(practicalTasks)
			.where(
				and(
					eq(practicalTasks.roundId, round.roundId),
					input.direction === 'up'
						? sql`${practicalTasks.position} < ${task.position}`
						: sql`${practicalTasks.position} > ${task.position}`
				)
			)
			.orderBy(
				input.direction === 'up' ? desc(practicalTasks.position) : asc(practicalTasks.position)
			)
			.limit(1);
		if (!neighbour) return;
		await tx.update(practicalTasks).set({ position: -1 }).where(eq(practicalTasks.id, task.id));
		await tx
			.update(practicalTasks)
			.set({ position: task.position })
			.where(eq(practicalTasks.id, neighbour.id));
		await tx
			.update(practicalTasks)
			.set({ position: neighbour.position, updatedAt: input.now })
			.where(eq(practicalTasks.id, task.id));
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'practical.task.move',
			targetType: 'practical_task',
			targetId: task.id,
			details: { from: task.position, to: neighbour.position },
			ip: input.ip,
			now: input.now
		});
	});
}

export async function addTaskAttachment(
	db: Db,
	actor: Actor,
	input: OrganiserInput & { taskId: number; fileName: string; bytes: Uint8Array }
): Promise<{ id: string }> {
	requireRole(actor, 'organiser', 'admin');
	const round = await practicalRound(db, input.slug, input.position);
	const task = await taskOfRound(db, round, input.taskId);
	const checked = await checkFile(input.bytes, input.fileName, UPLOAD_POLICIES.task, 'file');
	return db.transaction(async (tx) => {
		await tx.execute(sql`select id from ${practicalTasks} where id = ${task.id} for update`);
		const [n] = await tx
			.select({ n: count() })
			.from(files)
			.where(and(eq(files.ownerType, 'task'), eq(files.ownerId, String(task.id))));
		if ((n?.n ?? 0) >= MAX_ATTACHMENTS_PER_TASK)
			throw new Invalid({ file: m.judge_too_many_files({ max: MAX_ATTACHMENTS_PER_TASK }) });
		const stored = await storeFile(tx, {
			ownerType: 'task',
			ownerId: task.id,
			bytes: input.bytes,
			checked,
			createdBy: actor.id,
			now: input.now
		});
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'practical.attachment.add',
			targetType: 'practical_task',
			targetId: task.id,
			details: { file: stored.id, fileName: checked.fileName, size: input.bytes.length },
			ip: input.ip,
			now: input.now
		});
		return stored;
	});
}

export async function removeTaskAttachment(
	db: Db,
	actor: Actor,
	input: OrganiserInput & { taskId: number; fileId: string }
): Promise<void> {
	requireRole(actor, 'organiser', 'admin');
	const round = await practicalRound(db, input.slug, input.position);
	const task = await taskOfRound(db, round, input.taskId);
	if (!isUuid(input.fileId)) throw new NotFound();
	await db.transaction(async (tx) => {
		const [gone] = await tx
			.delete(files)
			.where(
				and(
					eq(files.id, input.fileId),
					eq(files.ownerType, 'task'),
					eq(files.ownerId, String(task.id))
				)
			)
			.returning({ fileName: files.fileName });
		if (!gone) throw new NotFound();
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'practical.attachment.remove',
			targetType: 'practical_task',
			targetId: task.id,
			details: { file: input.fileId, fileName: gone.fileName },
			ip: input.ip,
			now: input.now
		});
	});
}

interface CriterionFields {
	name: unknown;
	description: unknown;
	maxPoints: unknown;
}

function parseCriterion(input: CriterionFields) {
	const fields: Record<string, string> = {};
	const name = typeof input.name === 'string' ? input.name.trim() : '';
	const description =
		typeof input.description === 'string' ? input.description.trim().replace(/\r\n/g, '\n') : '';
	const maxPoints = parsePoints(input.maxPoints);
	if (name.length < 2 || name.length > 200) fields.name = m.judge_criterion_name_invalid();
	if (description.length > 2000) fields.description = m.judge_criterion_description_too_long();
	if (!checkPoints(maxPoints, MAX_CRITERION_POINTS, MARK_STEP) || maxPoints === 0)
		fields.maxPoints = m.judge_criterion_max_invalid({ max: MAX_CRITERION_POINTS });
	if (Object.keys(fields).length) throw new Invalid(fields);
	return { name, description, maxPoints: maxPoints! };
}

export async function addCriterion(
	db: Db,
	actor: Actor,
	input: OrganiserInput & { taskId: number } & CriterionFields
): Promise<{ id: number }> {
	requireRole(actor, 'organiser', 'admin');
	const values = parseCriterion(input);
	const round = await practicalRound(db, input.slug, input.position);
	const task = await taskOfRound(db, round, input.taskId);
	return db.transaction(async (tx) => {
		await tx.execute(sql`select id from ${practicalTasks} where id = ${task.id} for update`);
		if (await taskIsScored(tx, task.id)) throw new Conflict(m.judge_rubric_locked());
		const [last] = await tx
			.select({ position: max(rubricCriteria.position) })
			.from(rubricCriteria)
			.where(eq(rubricCriteria.taskId, task.id));
		const [row] = await tx
			.insert(rubricCriteria)
			.values({ taskId: task.id, position: (last?.position ?? 0) + 1, ...values })
			.returning({ id: rubricCriteria.id });
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'practical.rubric.add',
			targetType: 'practical_task',
			targetId: task.id,
			details: { criterion: row.id, ...values },
			ip: input.ip,
			now: input.now
		});
		await regradeRound(tx, round);
		return row;
	});
}

/** Names and descriptions may always be clarified; points only until judges start marking. */
export async function updateCriterion(
	db: Db,
	actor: Actor,
	input: OrganiserInput & { taskId: number; criterionId: number } & CriterionFields
): Promise<void> {
	requireRole(actor, 'organiser', 'admin');
	const values = parseCriterion(input);
	const round = await practicalRound(db, input.slug, input.position);
	const task = await taskOfRound(db, round, input.taskId);
	await db.transaction(async (tx) => {
		await tx.execute(sql`select id from ${practicalTasks} where id = ${task.id} for update`);
		const [criterion] = await tx
			.select()
			.from(rubricCriteria)
			.where(and(eq(rubricCriteria.id, input.criterionId), eq(rubricCriteria.taskId, task.id)));
		if (!criterion) throw new NotFound();
		const pointsChange = criterion.maxPoints !== values.maxPoints;
		if (pointsChange && (await taskIsScored(tx, task.id)))
			throw new Conflict(m.judge_rubric_locked());
		await tx.update(rubricCriteria).set(values).where(eq(rubricCriteria.id, criterion.id));
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'practical.rubric.update',
			targetType: 'practical_task',
			targetId: task.id,
			details: { criterion: criterion.id, ...values, previousMax: criterion.maxPoints },
			ip: input.ip,
			now: input.now
		});
		if (pointsChange) await regradeRound(tx, round);
	});
}

export async function deleteCriterion(
	db: Db,
	actor: Actor,
	input: OrganiserInput & { taskId: number; criterionId: number }
): Promise<void> {
	requireRole(actor, 'organiser', 'admin');
	const round = await practicalRound(db, input.slug, input.position);
	const task = await taskOfRound(db, round, input.taskId);
	await db.transaction(async (tx) => {
		await tx.execute(sql`select id from ${practicalTasks} where id = ${task.id} for update`);
		if (await taskIsScored(tx, task.id)) throw new Conflict(m.judge_rubric_locked());
		const [gone] = await tx
			.delete(rubricCriteria)
			.where(and(eq(rubricCriteria.id, input.criterionId), eq(rubricCriteria.taskId, task.id)))
			.returning({ name: rubricCriteria.name, maxPoints: rubricCriteria.maxPoints });
		if (!gone) throw new NotFound();
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'practical.rubric.delete',
			targetType: 'practical_task',
			targetId: task.id,
			details: { criterion: input.criterionId, ...gone },
			ip: input.ip,
			now: input.now
		});
		await regradeRound(tx, round);
	});
}

// ---------------------------------------------------------------------------------------------
// Competitors: their work in their attempt at a practical round

interface PracticalAttempt {
	id: string;
	userId: number;
	status: AttemptStatus;
	number: number;
	startedAt: Date;
	deadlineAt: Date | null;
	submittedAt: Date | null;
	paused: boolean;
	graceSeconds: number;
	roundId: number;
	roundName: string;
	competitionId: number;
	competitionSlug: string;
	competitionTitle: string;
}

/** The actor's own attempt at a practical round; anyone else's looks exactly like a missing one. */
async function ownPracticalAttempt(
	db: Db,
	actor: Actor,
	attemptId: string
): Promise<PracticalAttempt> {
	if (!isUuid(attemptId)) throw new NotFound();
	const [row] = await db
		.select({
			id: attempts.id,
			userId: attempts.userId,
			status: attempts.status,
			number: attempts.number,
			startedAt: attempts.startedAt,
			deadlineAt: attempts.deadlineAt,
			submittedAt: attempts.submittedAt,
			pausedAt: assessments.pausedAt,
			graceSeconds: assessments.graceSeconds,
			roundId: competitionRounds.id,
			roundName: competitionRounds.name,
			kind: competitionRounds.kind,
			competitionId: competitions.id,
			competitionSlug: competitions.slug,
			competitionTitle: competitions.title
		})
		.from(attempts)
		.innerJoin(assessments, eq(assessments.id, attempts.assessmentId))
		.innerJoin(competitionRounds, eq(competitionRounds.assessmentId, attempts.assessmentId))
		.innerJoin(competitions, eq(competitions.id, competitionRounds.competitionId))
		.where(eq(attempts.id, attemptId));
	if (!row || row.userId !== actor.id || row.kind !== 'practical') throw new NotFound();
	const { pausedAt, kind: _kind, ...rest } = row;
	return { ...rest, paused: pausedAt !== null };
}

export interface PracticalTaskView {
	id: number;
	position: number;
	title: string;
	statementHtml: string;
	attachments: AttachmentView[];
	criteria: Array<{ name: string; description: string; maxPoints: number }>;
	maxPoints: number;
	answer: {
		text: string;
		seq: number;
		savedAt: Date | null;
		files: AttachmentView[];
	};
}

export interface PracticalView {
	attemptId: string;
	status: AttemptStatus;
	competition: { slug: string; title: string };
	roundName: string;
	startedAt: Date;
	deadlineAt: Date | null;
	submittedAt: Date | null;
	paused: boolean;
	serverNow: Date;
	tasks: PracticalTaskView[];
	policy: typeof SUBMISSION_POLICY;
}

/** The competitor's practical round: the tasks and what they have saved so far. Never a score. */
export async function practicalView(
	db: Db,
	actor: Actor,
	input: { attemptId: string; now: Date }
): Promise<PracticalView> {
	const attempt = await ownPracticalAttempt(db, actor, input.attemptId);
	const tasks = await db
		.select()
		.from(practicalTasks)
		.where(eq(practicalTasks.roundId, attempt.roundId))
		.orderBy(asc(practicalTasks.position));
	const taskIds = tasks.map((t) => t.id);
	const attachments = await taskAttachments(db, taskIds);
	const criteria = await criteriaOf(db, taskIds);
	const submissions = await db
		.select({
			id: practicalSubmissions.id,
			taskId: practicalSubmissions.taskId,
			text: practicalSubmissions.text,
			seq: practicalSubmissions.seq,
			savedAt: practicalSubmissions.savedAt
		})
		.from(practicalSubmissions)
		.where(eq(practicalSubmissions.attemptId, attempt.id));
	const uploaded = await submissionFiles(
		db,
		submissions.map((s) => s.id)
	);
	return {
		attemptId: attempt.id,
		status: attempt.status,
		competition: { slug: attempt.competitionSlug, title: attempt.competitionTitle },
		roundName: attempt.roundName,
		startedAt: attempt.startedAt,
		deadlineAt: attempt.deadlineAt,
		submittedAt: attempt.submittedAt,
		paused: attempt.paused,
		serverNow: input.now,
		policy: SUBMISSION_POLICY,
		tasks: tasks.map((t) => {
			const own = attachments.get(t.id) ?? [];
			const rubric = criteria.get(t.id) ?? [];
			const sub = submissions.find((s) => s.taskId === t.id);
			return {
				id: t.id,
				position: t.position,
				title: t.title,
				statementHtml: renderStatement(t.statement, own),
				attachments: own.map(({ id, fileName, size }) => ({ id, fileName, size })),
				criteria: rubric.map((c) => ({
					name: c.name,
					description: c.description,
					maxPoints: c.maxPoints
				})),
				maxPoints: rubric.reduce((sum, c) => sum + c.maxPoints, 0),
				answer: {
					text: sub?.text ?? '',
					seq: sub?.seq ?? 0,
					savedAt: sub?.seq ? sub.savedAt : null,
					files: sub ? (uploaded.get(sub.id) ?? []) : []
				}
			};
		})
	};
}

/** The files of several submissions, by submission id, in upload order. */
export async function submissionFiles(
	db: Db,
	submissionIds: string[]
): Promise<Map<string, AttachmentView[]>> {
	const out = new Map<string, AttachmentView[]>();
	if (!submissionIds.length) return out;
	const rows = await db
		.select({ id: files.id, ownerId: files.ownerId, fileName: files.fileName, size: files.size })
		.from(files)
		.where(and(eq(files.ownerType, 'submission'), inArray(files.ownerId, submissionIds)))
		.orderBy(asc(files.createdAt), asc(files.id));
	for (const row of rows) {
		const list = out.get(row.ownerId) ?? [];
		list.push({ id: row.id, fileName: row.fileName, size: row.size });
		out.set(row.ownerId, list);
	}
	return out;
}

type Refusal = { reason: 'submitted' | 'too_late'; error: Error };

/**
 * Locks the actor's attempt for a change to their work: the same rules as answer saves (their own
 * attempt, still in progress, not past deadline plus grace unless the round is paused).
 */
async function openForWork(
	tx: Db,
	actor: Actor,
	input: { attemptId: string; now: Date }
): Promise<{ refusal: Refusal | null }> {
	const attempt = await lockAttempt(tx, input.attemptId);
	if (!attempt || attempt.userId !== actor.id) throw new NotFound();
	if (attempt.status !== 'in_progress')
		return {
			refusal: { reason: 'submitted', error: new Conflict(m.engine_already_submitted()) }
		};
	if (!attempt.paused && input.now.getTime() > graceEnd(attempt.deadlineAt, attempt.graceSeconds))
		return { refusal: { reason: 'too_late', error: new TooLate(m.engine_time_over()) } };
	return { refusal: null };
}

/** A task of the round this attempt belongs to. */
async function taskOfAttempt(tx: Db, attemptId: string, taskId: number) {
	// Ids are PostgreSQL integers: anything larger names no task (and must not reach the query).
	if (!Number.isSafeInteger(taskId) || taskId < 1 || taskId > 2_147_483_647) throw new NotFound();
	const [task] = await tx
		.select({ id: practicalTasks.id })
		.from(practicalTasks)
		.innerJoin(competitionRounds, eq(competitionRounds.id, practicalTasks.roundId))
		.innerJoin(attempts, eq(attempts.assessmentId, competitionRounds.assessmentId))
		.where(and(eq(practicalTasks.id, taskId), eq(attempts.id, attemptId)));
	if (!task) throw new NotFound();
	return task;
}

async function unusedBlindCode(tx: Db): Promise<string> {
	for (;;) {
		const code = makeBlindCode();
		const [taken] = await tx
			.select({ id: practicalSubmissions.id })
			.from(practicalSubmissions)
			.where(eq(practicalSubmissions.blindCode, code));
		if (!taken) return code;
	}
}

/** The submission of a task in an attempt, created (with its blind code) on first use. */
async function ensureSubmission(
	tx: Db,
	input: { taskId: number; attemptId: string; userId: number; now: Date }
): Promise<{ id: string }> {
	const [existing] = await tx
		.select({ id: practicalSubmissions.id })
		.from(practicalSubmissions)
		.where(
			and(
				eq(practicalSubmissions.taskId, input.taskId),
				eq(practicalSubmissions.attemptId, input.attemptId)
			)
		);
	if (existing) return existing;
	const [row] = await tx
		.insert(practicalSubmissions)
		.values({
			taskId: input.taskId,
			attemptId: input.attemptId,
			userId: input.userId,
			blindCode: await unusedBlindCode(tx),
			savedAt: input.now
		})
		.returning({ id: practicalSubmissions.id });
	return row;
}

function checkText(text: unknown): string {
	if (typeof text !== 'string' || text.length > MAX_ANSWER_TEXT)
		throw new Invalid({ text: m.judge_answer_too_long({ max: MAX_ANSWER_TEXT }) });
	// PostgreSQL text cannot hold NUL: a pasted one is dropped rather than failing the save.
	return text.replace(/\r\n/g, '\n').replaceAll('\u0000', '');
}

async function logRefusal(
	db: Db,
	actor: Actor,
	input: { attemptId: string; now: Date; ip?: string | null; type: string; seq?: number },
	refusal: Refusal
): Promise<never> {
	return refuse(
		db,
		{
			attemptId: input.attemptId,
			now: input.now,
			userId: actor.id,
			ip: input.ip,
			type: input.type,
			seq: input.seq,
			reason: refusal.reason
		},
		refusal.error
	);
}

/**
 * Autosaves the text answer of one task. Like answer saves: idempotent, the highest seq wins,
 * acknowledged after commit, refused (and logged) after submit or after deadline plus grace.
 */
export async function saveTaskText(
	db: Db,
	actor: Actor,
	input: {
		attemptId: string;
		taskId: number;
		seq: number;
		text: unknown;
		now: Date;
		ip?: string | null;
	}
): Promise<SaveOutcome> {
	if (!isUuid(input.attemptId)) throw new NotFound();
	if (!Number.isSafeInteger(input.seq) || input.seq < 1 || input.seq > 2_000_000_000)
		throw new Invalid({ seq: m.engine_bad_seq() });
	const text = checkText(input.text);
	let refusal: Refusal | null = null;
	let outcome: SaveOutcome | null = null;
	await db.transaction(async (tx) => {
		refusal = (await openForWork(tx, actor, input)).refusal;
		if (refusal) return;
		await taskOfAttempt(tx, input.attemptId, input.taskId);
		const [saved] = await tx
			.insert(practicalSubmissions)
			.values({
				taskId: input.taskId,
				attemptId: input.attemptId,
				userId: actor.id,
				blindCode: await unusedBlindCode(tx),
				text,
				seq: input.seq,
				savedAt: input.now
			})
			.onConflictDoUpdate({
				target: [practicalSubmissions.taskId, practicalSubmissions.attemptId],
				set: { text, seq: input.seq, savedAt: input.now },
				setWhere: sql`${practicalSubmissions.seq} < ${input.seq}`
			})
			.returning({ seq: practicalSubmissions.seq, savedAt: practicalSubmissions.savedAt });
		if (saved) outcome = { status: 'saved', seq: saved.seq, savedAt: saved.savedAt };
		else {
			const [current] = await tx
				.select({ seq: practicalSubmissions.seq, savedAt: practicalSubmissions.savedAt })
				.from(practicalSubmissions)
				.where(
					and(
						eq(practicalSubmissions.taskId, input.taskId),
						eq(practicalSubmissions.attemptId, input.attemptId)
					)
				);
			outcome = { status: 'stale', seq: current.seq, savedAt: current.savedAt };
		}
		await logEvent(tx, {
			attemptId: input.attemptId,
			at: input.now,
			type: outcome.status === 'saved' ? 'save' : 'save_stale',
			userId: actor.id,
			ip: input.ip,
			seq: input.seq,
			details:
				outcome.status === 'saved'
					? { task: input.taskId, text }
					: { task: input.taskId, kept: outcome.seq }
		});
	});
	if (refusal) await logRefusal(db, actor, { ...input, type: 'save_rejected' }, refusal);
	return outcome!;
}

/**
 * Saves the text answers posted by a form without JavaScript. The server numbers them after the
 * highest seq so far (a plain post is the person's latest action); unchanged answers are skipped.
 */
export async function saveTaskTexts(
	db: Db,
	actor: Actor,
	input: {
		attemptId: string;
		texts: Array<{ taskId: number; text: unknown }>;
		now: Date;
		ip?: string | null;
	}
): Promise<number> {
	if (!isUuid(input.attemptId)) throw new NotFound();
	const texts = input.texts.map((t) => ({ taskId: t.taskId, text: checkText(t.text) }));
	let refusal: Refusal | null = null;
	const saved = await db.transaction(async (tx) => {
		refusal = (await openForWork(tx, actor, input)).refusal;
		if (refusal) return 0;
		let n = 0;
		for (const { taskId, text } of texts) {
			await taskOfAttempt(tx, input.attemptId, taskId);
			const [current] = await tx
				.select({ text: practicalSubmissions.text, seq: practicalSubmissions.seq })
				.from(practicalSubmissions)
				.where(
					and(
						eq(practicalSubmissions.taskId, taskId),
						eq(practicalSubmissions.attemptId, input.attemptId)
					)
				);
			if ((current?.text ?? '') === text) continue;
			const seq = (current?.seq ?? 0) + 1;
			const sub = await ensureSubmission(tx, {
				taskId,
				attemptId: input.attemptId,
				userId: actor.id,
				now: input.now
			});
			await tx
				.update(practicalSubmissions)
				.set({ text, seq, savedAt: input.now })
				.where(eq(practicalSubmissions.id, sub.id));
			await logEvent(tx, {
				attemptId: input.attemptId,
				at: input.now,
				type: 'save',
				userId: actor.id,
				ip: input.ip,
				seq,
				details: { task: taskId, text, with: 'form' }
			});
			n++;
		}
		return n;
	});
	if (refusal) await logRefusal(db, actor, { ...input, type: 'save_rejected' }, refusal);
	return saved;
}

/** Adds a file to the competitor's answer to a task: checked by content, size-limited, logged. */
export async function uploadTaskFile(
	db: Db,
	actor: Actor,
	input: {
		attemptId: string;
		taskId: number;
		fileName: string;
		bytes: Uint8Array;
		now: Date;
		ip?: string | null;
	}
): Promise<{ id: string }> {
	if (!isUuid(input.attemptId)) throw new NotFound();
	const checked = await checkFile(input.bytes, input.fileName, UPLOAD_POLICIES.submission, 'file');
	let refusal: Refusal | null = null;
	const stored = await db.transaction(async (tx) => {
		refusal = (await openForWork(tx, actor, input)).refusal;
		if (refusal) return null;
		await taskOfAttempt(tx, input.attemptId, input.taskId);
		const sub = await ensureSubmission(tx, {
			taskId: input.taskId,
			attemptId: input.attemptId,
			userId: actor.id,
			now: input.now
		});
		const [n] = await tx
			.select({ n: count() })
			.from(files)
			.where(and(eq(files.ownerType, 'submission'), eq(files.ownerId, sub.id)));
		if ((n?.n ?? 0) >= MAX_FILES_PER_TASK)
			throw new Invalid({ file: m.judge_too_many_files({ max: MAX_FILES_PER_TASK }) });
		const file = await storeFile(tx, {
			ownerType: 'submission',
			ownerId: sub.id,
			bytes: input.bytes,
			checked,
			createdBy: actor.id,
			now: input.now
		});
		await logEvent(tx, {
			attemptId: input.attemptId,
			at: input.now,
			type: 'upload',
			userId: actor.id,
			ip: input.ip,
			details: {
				task: input.taskId,
				file: file.id,
				fileName: checked.fileName,
				size: input.bytes.length,
				type: checked.kind.ext
			}
		});
		return file;
	});
	if (refusal) await logRefusal(db, actor, { ...input, type: 'save_rejected' }, refusal);
	return stored!;
}

export async function removeTaskFile(
	db: Db,
	actor: Actor,
	input: { attemptId: string; fileId: string; now: Date; ip?: string | null }
): Promise<void> {
	if (!isUuid(input.attemptId) || !isUuid(input.fileId)) throw new NotFound();
	let refusal: Refusal | null = null;
	await db.transaction(async (tx) => {
		refusal = (await openForWork(tx, actor, input)).refusal;
		if (refusal) return;
		const [file] = await tx
			.select({ id: files.id, fileName: files.fileName, taskId: practicalSubmissions.taskId })
			.from(files)
			.innerJoin(practicalSubmissions, sql`${files.ownerId} = ${practicalSubmissions.id}::text`)
			.where(
				and(
					eq(files.id, input.fileId),
					eq(files.ownerType, 'submission'),
					eq(practicalSubmissions.attemptId, input.attemptId)
				)
			);
		if (!file) throw new NotFound();
		await tx.delete(files).where(eq(files.id, file.id));
		await logEvent(tx, {
			attemptId: input.attemptId,
			at: input.now,
			type: 'upload_removed',
			userId: actor.id,
			ip: input.ip,
			details: { task: file.taskId, file: file.id, fileName: file.fileName }
		});
	});
	if (refusal) await logRefusal(db, actor, { ...input, type: 'save_rejected' }, refusal);
}

export interface SubmitSummary {
	attemptId: string;
	status: AttemptStatus;
	competition: { slug: string; title: string };
	roundName: string;
	deadlineAt: Date | null;
	paused: boolean;
	serverNow: Date;
	tasks: Array<{ id: number; position: number; title: string; chars: number; files: number }>;
}

/** What the competitor is about to hand in, task by task (for the confirmation page). */
export async function submitSummary(
	db: Db,
	actor: Actor,
	input: { attemptId: string; now: Date }
): Promise<SubmitSummary> {
	const view = await practicalView(db, actor, input);
	return {
		attemptId: view.attemptId,
		status: view.status,
		competition: view.competition,
		roundName: view.roundName,
		deadlineAt: view.deadlineAt,
		paused: view.paused,
		serverNow: view.serverNow,
		tasks: view.tasks.map((t) => ({
			id: t.id,
			position: t.position,
			title: t.title,
			chars: t.answer.text.trim().length,
			files: t.answer.files.length
		}))
	};
}

/**
 * Hands in the practical work: the engine submits the attempt (within deadline plus grace; later
 * refused and logged as 'submit_rejected'), then judges are assigned to the new submissions.
 */
export async function submitPractical(
	db: Db,
	actor: Actor,
	input: { attemptId: string; now: Date; ip?: string | null }
): Promise<SubmitOutcome> {
	const attempt = await ownPracticalAttempt(db, actor, input.attemptId);
	const outcome = await submitAttempt(db, actor, input);
	if (outcome.status === 'submitted')
		await autoAssign(db, { competitionId: attempt.competitionId, now: input.now });
	return outcome;
}
