// Rounds of a competition. Each round owns one assessment of kind 'round' on the attempt engine and
// keeps it in step: timing (a fixed start where everyone ends together, or a window in which each
// competitor starts when ready), time limit, grace, shuffles, and — for a theory round — the
// question draw: rows of "N questions from category X, tags, difficulty, points each" expanded
// into random slots. A practical round's assessment has no slots; its tasks hang on the round.
import {
	and,
	asc,
	count,
	eq,
	inArray,
	isNotNull,
	max,
	notInArray,
	sql,
	type SQL
} from 'drizzle-orm';
import * as v from 'valibot';
import { prepared } from '../db/prepared';
import type { Db } from '../db/client';
import {
	assessmentSlots,
	assessments,
	attempts,
	competitionRounds,
	competitions,
	questionCategories,
	questionVersions,
	questions,
	type ReviewOptions
} from '../db/schema';
import { recordAudit } from '../audit/log';
import { actorRef, type Actor } from '../auth/actor';
import { Conflict, Invalid, NotFound } from '../errors';
import { m } from '../i18n';
import { parseSettings, setSlots, toColumns, type SlotInput } from '../assessments/quizzes';
import { notifyBoard } from '../realtime/notify';
import type { QuestionType } from '../questions/types';
import { findCompetition, requireOrganiser } from './competitions';

export type RoundKind = 'theory' | 'practical';
export type StartMode = 'fixed' | 'window';

/** Competitors see no score, right answer or feedback in a round: results come from the organisers. */
const hidden = { score: false, correctness: false, feedback: false, rightAnswer: false };
/** Question types a theory round never draws (see drawSlots' autoGradedOnly). */
const ROUND_EXCLUDED_TYPES: QuestionType[] = ['description', 'essay'];

export const ROUND_REVIEW: ReviewOptions = {
	during: hidden,
	immediately: hidden,
	later: hidden,
	afterClose: hidden
};

export interface RoundInput {
	name: string;
	kind: RoundKind;
	startMode: StartMode;
	/** Markdown shown before the start (rules of the round). */
	instructions: string;
	/** Fixed: the start. Window: when the window opens. */
	openAt: Date | null;
	/** Window only: when the window closes (a fixed round ends at start + limit). */
	closeAt: Date | null;
	timeLimitMinutes: number;
	graceSeconds: number;
	counts: boolean;
	/** Open to competitors (the assessment is published). */
	published: boolean;
	shuffleQuestions: boolean;
	shuffleChoices: boolean;
}

const validDate = v.nullable(
	v.pipe(
		v.date(),
		v.check((d) => !Number.isNaN(d.getTime()))
	)
);

const roundSchema = v.object({
	name: v.pipe(v.string(), v.trim(), v.minLength(3), v.maxLength(120)),
	kind: v.picklist(['theory', 'practical']),
	startMode: v.picklist(['fixed', 'window']),
	instructions: v.pipe(v.string(), v.maxLength(20_000)),
	openAt: validDate,
	closeAt: validDate,
	timeLimitMinutes: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(600)),
	graceSeconds: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(3600)),
	counts: v.boolean(),
	published: v.boolean(),
	shuffleQuestions: v.boolean(),
	shuffleChoices: v.boolean()
});

function roundFieldMessage(key: string): string {
	switch (key) {
		case 'name':
			return m.comp_round_name_invalid();
		case 'openAt':
		case 'closeAt':
			return m.comp_datetime_invalid();
		case 'timeLimitMinutes':
			return m.comp_time_limit_invalid();
		case 'graceSeconds':
			return m.comp_grace_invalid();
		case 'instructions':
			return m.comp_description_too_long();
		default:
			return m.comp_field_invalid();
	}
}

/** Validates a round's settings, with the rules its start mode implies. */
export function parseRound(input: unknown): RoundInput {
	const result = v.safeParse(roundSchema, input);
	if (!result.success) {
		const fields: Record<string, string> = {};
		for (const issue of result.issues) {
			const key = String(issue.path?.[0]?.key ?? 'form');
			fields[key] ??= roundFieldMessage(key);
		}
		throw new Invalid(fields);
	}
	const r = result.output;
	const fields: Record<string, string> = {};
	if (r.published && !r.openAt)
		fields.openAt = r.startMode === 'fixed' ? m.comp_start_required() : m.comp_open_required();
	if (r.startMode === 'window') {
		if (r.published && !r.closeAt) fields.closeAt = m.comp_close_required();
		if (r.openAt && r.closeAt && r.closeAt <= r.openAt) fields.closeAt = m.comp_close_after_open();
	}
	if (Object.keys(fields).length) throw new Invalid(fields);
	return { ...r, closeAt: r.startMode === 'fixed' ? null : r.closeAt };
}

/** Fixed: open at the start, close at start + limit (everyone ends together). Window: as given. */
export function roundWindow(
	r: Pick<RoundInput, 'startMode' | 'openAt' | 'closeAt' | 'timeLimitMinutes'>
): {
	openAt: Date | null;
	closeAt: Date | null;
} {
	if (r.startMode === 'fixed')
		return {
			openAt: r.openAt,
			closeAt: r.openAt ? new Date(r.openAt.getTime() + r.timeLimitMinutes * 60_000) : null
		};
	return { openAt: r.openAt, closeAt: r.closeAt };
}

/** The round's assessment columns, through the engine's own settings check. */
function assessmentColumns(r: RoundInput, window: { openAt: Date | null; closeAt: Date | null }) {
	const settings = parseSettings({
		title: r.name,
		description: r.instructions,
		status: r.published ? 'published' : 'draft',
		openAt: window.openAt,
		closeAt: window.closeAt,
		timeLimitMinutes: r.timeLimitMinutes,
		attemptsAllowed: 1,
		gradingMethod: 'first',
		passPercent: 0,
		shuffleQuestions: r.kind === 'theory' && r.shuffleQuestions,
		shuffleChoices: r.kind === 'theory' && r.shuffleChoices,
		graceSeconds: r.graceSeconds,
		requiredForCompletion: false,
		reviewOptions: ROUND_REVIEW
	});
	return toColumns(settings);
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface RoundSummary {
	id: number;
	position: number;
	name: string;
	kind: RoundKind;
	startMode: StartMode;
	counts: boolean;
	assessmentId: number;
	published: boolean;
	openAt: Date | null;
	closeAt: Date | null;
	timeLimitMinutes: number | null;
	graceSeconds: number;
	paused: boolean;
	pausedAt: Date | null;
	questionCount: number;
	attempts: number;
}

const roundColumns = {
	id: competitionRounds.id,
	position: competitionRounds.position,
	name: competitionRounds.name,
	kind: competitionRounds.kind,
	startMode: competitionRounds.startMode,
	counts: competitionRounds.counts,
	assessmentId: competitionRounds.assessmentId,
	status: assessments.status,
	openAt: assessments.openAt,
	closeAt: assessments.closeAt,
	timeLimitSeconds: assessments.timeLimitSeconds,
	graceSeconds: assessments.graceSeconds,
	pausedAt: assessments.pausedAt,
	description: assessments.description,
	shuffleQuestions: assessments.shuffleQuestions,
	shuffleChoices: assessments.shuffleChoices
};

type RoundRow = {
	id: number;
	position: number;
	name: string;
	kind: RoundKind;
	startMode: StartMode;
	counts: boolean;
	assessmentId: number;
	status: 'draft' | 'published';
	openAt: Date | null;
	closeAt: Date | null;
	timeLimitSeconds: number | null;
	graceSeconds: number;
	pausedAt: Date | null;
	description: string;
	shuffleQuestions: boolean;
	shuffleChoices: boolean;
};

async function roundRows(db: Db, competitionId: number, position?: number): Promise<RoundRow[]> {
	if (position !== undefined) return roundAt(db).execute({ competitionId, position });
	return db
		.select(roundColumns)
		.from(competitionRounds)
		.innerJoin(assessments, eq(assessments.id, competitionRounds.assessmentId))
		.where(
			position === undefined
				? eq(competitionRounds.competitionId, competitionId)
				: and(
						eq(competitionRounds.competitionId, competitionId),
						eq(competitionRounds.position, position)
					)
		)
		.orderBy(asc(competitionRounds.position));
}

/** One round by its position (every start looks it up): built once (db/prepared.ts). */
const roundAt = (db: Db) =>
	prepared(db, 'hocthi_round_at', (db, name) =>
		db
			.select(roundColumns)
			.from(competitionRounds)
			.innerJoin(assessments, eq(assessments.id, competitionRounds.assessmentId))
			.where(
				and(
					eq(competitionRounds.competitionId, sql.placeholder('competitionId')),
					eq(competitionRounds.position, sql.placeholder('position'))
				)
			)
			.prepare(name)
	);

/** One round by its competition's slug and its position: looked up beside the competition itself. */
const roundOfSlugAt = (db: Db) =>
	prepared(db, 'hocthi_round_of_slug_at', (db, name) =>
		db
			.select(roundColumns)
			.from(competitionRounds)
			.innerJoin(assessments, eq(assessments.id, competitionRounds.assessmentId))
			.innerJoin(competitions, eq(competitions.id, competitionRounds.competitionId))
			.where(
				and(
					eq(competitions.slug, sql.placeholder('slug')),
					eq(competitionRounds.position, sql.placeholder('position'))
				)
			)
			.prepare(name)
	);

function summarise(row: RoundRow, questionCount: number, attemptCount: number): RoundSummary {
	return {
		id: row.id,
		position: row.position,
		name: row.name,
		kind: row.kind,
		startMode: row.startMode,
		counts: row.counts,
		assessmentId: row.assessmentId,
		published: row.status === 'published',
		openAt: row.openAt,
		closeAt: row.closeAt,
		timeLimitMinutes: row.timeLimitSeconds ? Math.round(row.timeLimitSeconds / 60) : null,
		graceSeconds: row.graceSeconds,
		paused: row.pausedAt !== null,
		pausedAt: row.pausedAt,
		questionCount,
		attempts: attemptCount
	};
}

/** The rounds of a competition in order, with their slot and attempt counts. */
export async function listRounds(db: Db, competitionId: number): Promise<RoundSummary[]> {
	const rows = await roundRows(db, competitionId);
	if (!rows.length) return [];
	const ids = rows.map((r) => r.assessmentId);
	const slotCounts = await db
		.select({ id: assessmentSlots.assessmentId, n: count() })
		.from(assessmentSlots)
		.where(inArray(assessmentSlots.assessmentId, ids))
		.groupBy(assessmentSlots.assessmentId);
	const attemptCounts = await db
		.select({ id: attempts.assessmentId, n: count() })
		.from(attempts)
		.where(inArray(attempts.assessmentId, ids))
		.groupBy(attempts.assessmentId);
	const slotsBy = new Map(slotCounts.map((r) => [r.id, r.n]));
	const attemptsBy = new Map(attemptCounts.map((r) => [r.id, r.n]));
	return rows.map((r) =>
		summarise(r, slotsBy.get(r.assessmentId) ?? 0, attemptsBy.get(r.assessmentId) ?? 0)
	);
}

/** One round of a competition by position; NotFound when there is none. */
export async function findRound(db: Db, competitionId: number, position: number) {
	const [row] = await roundRows(db, competitionId, position);
	if (!row) throw new NotFound();
	return row;
}

/**
 * The round at `position` of the competition with this slug, or null. Callers check that it
 * belongs to the competition they were allowed to see (the two are read at the same time).
 */
export async function roundOfSlug(db: Db, slug: string, position: number) {
	const [row] = await roundOfSlugAt(db).execute({ slug, position });
	return row ?? null;
}

// ---------------------------------------------------------------------------------------------
// Question draw

export interface DrawRow {
	count: number;
	categoryId: number;
	includeSubcategories: boolean;
	tags: string[];
	/** 1 easy, 2 medium, 3 hard; null = any. */
	difficulty: number | null;
	points: number;
}

const TAG_PATTERN = /^[\p{L}\p{N}_.-]{1,50}$/u;

/** 'de, mang-lan-wan' → ['de', 'mang-lan-wan']; null when a tag is malformed. */
export function parseTags(text: string): string[] | null {
	const tags = text
		.split(/[\s,;]+/)
		.map((t) => t.trim().toLowerCase())
		.filter(Boolean);
	if (tags.some((t) => !TAG_PATTERN.test(t))) return null;
	return [...new Set(tags)];
}

/** The draw as typed in the form (one entry per row, blank rows already dropped). */
export interface DrawRowInput {
	/** The row's number in the form (blank rows are skipped); by default its place in the list. */
	row?: number;
	count: string;
	categoryId: string;
	includeSubcategories: boolean;
	tags: string;
	difficulty: string;
	points: string;
}

/** Checks every row; errors are keyed `row_<n>` (1-based, as the form numbers them). */
export function parseDrawRows(rows: DrawRowInput[]): DrawRow[] {
	const errors: Record<string, string> = {};
	const out: DrawRow[] = [];
	if (rows.length === 0) throw new Invalid({ draw: m.comp_draw_empty() });
	rows.forEach((r, i) => {
		const row = r.row ?? i + 1;
		const n = Number(r.count);
		const categoryId = Number(r.categoryId);
		const points = Number(String(r.points).replace(',', '.'));
		const difficulty = r.difficulty === '' ? null : Number(r.difficulty);
		const tags = parseTags(r.tags);
		if (!Number.isInteger(n) || n < 1 || n > 100) errors[`row_${row}`] = m.comp_draw_count({ row });
		else if (!Number.isInteger(categoryId) || categoryId <= 0)
			errors[`row_${row}`] = m.comp_draw_category({ row });
		else if (difficulty !== null && ![1, 2, 3].includes(difficulty))
			errors[`row_${row}`] = m.comp_draw_difficulty({ row });
		else if (!(points > 0 && points <= 100)) errors[`row_${row}`] = m.comp_draw_points({ row });
		else if (tags === null) errors[`row_${row}`] = m.comp_draw_tags({ row });
		else
			out.push({
				count: n,
				categoryId,
				includeSubcategories: r.includeSubcategories,
				tags: tags,
				difficulty,
				points
			});
	});
	if (Object.keys(errors).length) throw new Invalid(errors);
	const total = out.reduce((s, r) => s + r.count, 0);
	if (total > 200) throw new Invalid({ draw: m.comp_draw_too_many({ total }) });
	return out;
}

/** Each row becomes `count` random slots with the same filter. */
export function expandDraw(rows: DrawRow[]): SlotInput[] {
	return rows.flatMap((r) =>
		Array.from({ length: r.count }, () => ({
			kind: 'random' as const,
			categoryId: r.categoryId,
			includeSubcategories: r.includeSubcategories,
			tags: r.tags,
			difficulty: r.difficulty,
			points: r.points
		}))
	);
}

/** The rows back from the slots: consecutive slots with the same filter make one row. */
export function groupSlots(
	slots: Array<{
		kind: 'fixed' | 'random';
		categoryId: number | null;
		includeSubcategories: boolean;
		tags: string[];
		difficulty: number | null;
		points: number;
	}>
): DrawRow[] {
	const rows: DrawRow[] = [];
	for (const s of slots) {
		if (s.kind !== 'random' || s.categoryId === null) continue;
		const last = rows.at(-1);
		if (
			last &&
			last.categoryId === s.categoryId &&
			last.includeSubcategories === s.includeSubcategories &&
			last.difficulty === s.difficulty &&
			last.points === s.points &&
			last.tags.join(',') === s.tags.join(',')
		)
			last.count++;
		else
			rows.push({
				count: 1,
				categoryId: s.categoryId,
				includeSubcategories: s.includeSubcategories,
				tags: [...s.tags],
				difficulty: s.difficulty,
				points: s.points
			});
	}
	return rows;
}

/** The questions a row may draw from (the same filter the engine's draw applies). */
export async function drawPool(db: Db, row: Omit<DrawRow, 'count' | 'points'>): Promise<number[]> {
	const conditions: SQL[] = [
		eq(questions.archived, false),
		isNotNull(questions.currentVersionId),
		// What the engine draws for a round: no description, no essay (nothing to mark by hand).
		notInArray(questionVersions.type, ROUND_EXCLUDED_TYPES),
		row.includeSubcategories
			? sql`${questions.categoryId} in (select c.id from ${questionCategories} c, ${questionCategories} root where root.id = ${row.categoryId} and c.path like root.path || '%')`
			: eq(questions.categoryId, row.categoryId)
	];
	if (row.tags.length)
		conditions.push(
			sql`${questions.tags} @> array[${sql.join(
				row.tags.map((t) => sql`${t}`),
				sql`, `
			)}]::text[]`
		);
	if (row.difficulty) conditions.push(eq(questions.difficulty, row.difficulty));
	const rows = await db
		.select({ id: questions.id })
		.from(questions)
		.innerJoin(questionVersions, eq(questionVersions.id, questions.currentVersionId))
		.where(and(...conditions));
	return rows.map((r) => r.id);
}

/** Refuses a draw the bank cannot fill: a row asking more than its pool, or all rows more than their union. */
async function checkPools(db: Db, rows: DrawRow[], numbers: number[]): Promise<void> {
	const errors: Record<string, string> = {};
	const union = new Set<number>();
	for (const [i, r] of rows.entries()) {
		const pool = await drawPool(db, r);
		pool.forEach((id) => union.add(id));
		if (pool.length < r.count)
			errors[`row_${numbers[i]}`] = m.comp_draw_pool_small({
				row: numbers[i],
				wanted: r.count,
				available: pool.length
			});
	}
	if (Object.keys(errors).length) throw new Invalid(errors);
	const total = rows.reduce((s, r) => s + r.count, 0);
	if (union.size < total)
		throw new Invalid({ draw: m.comp_draw_union_small({ total, available: union.size }) });
}

// ---------------------------------------------------------------------------------------------
// Writing

async function audit(
	db: Db,
	actor: Actor,
	action: string,
	roundId: number,
	details: Record<string, unknown>,
	input: { now: Date; ip?: string | null }
) {
	await recordAudit(db, {
		actorId: actor.id,
		action,
		targetType: 'competition_round',
		targetId: roundId,
		details,
		ip: input.ip,
		now: input.now
	});
}

export async function addRound(
	db: Db,
	actor: Actor,
	input: { slug: string; round: unknown; now: Date; ip?: string | null }
): Promise<{ position: number }> {
	requireOrganiser(actor);
	const round = parseRound(input.round);
	return db.transaction(async (tx) => {
		const competition = await findCompetition(tx, input.slug);
		if (competition.status === 'finished') throw new Conflict(m.comp_finished_locked());
		// Positions are per competition: one writer at a time.
		await tx.execute(
			sql`select pg_advisory_xact_lock(hashtext('competition_rounds'), ${competition.id})`
		);
		const [{ last }] = await tx
			.select({ last: max(competitionRounds.position) })
			.from(competitionRounds)
			.where(eq(competitionRounds.competitionId, competition.id));
		const position = (last ?? 0) + 1;
		const [assessment] = await tx
			.insert(assessments)
			.values({
				kind: 'round',
				courseId: null,
				...assessmentColumns(round, roundWindow(round)),
				createdBy: actorRef(actor),
				createdAt: input.now,
				updatedAt: input.now
			})
			.returning({ id: assessments.id });
		const [row] = await tx
			.insert(competitionRounds)
			.values({
				competitionId: competition.id,
				position,
				name: round.name,
				kind: round.kind,
				startMode: round.startMode,
				assessmentId: assessment.id,
				counts: round.counts
			})
			.returning({ id: competitionRounds.id });
		await audit(
			tx,
			actor,
			'competition.round_create',
			row.id,
			{ competition: competition.slug, position, name: round.name, kind: round.kind },
			input
		);
		await notifyBoard(tx, competition.id);
		return { position };
	});
}

export async function updateRound(
	db: Db,
	actor: Actor,
	input: { slug: string; position: number; round: unknown; now: Date; ip?: string | null }
): Promise<void> {
	requireOrganiser(actor);
	await db.transaction(async (tx) => {
		const competition = await findCompetition(tx, input.slug);
		const before = await findRound(tx, competition.id, input.position);
		// A round's kind is chosen when it is added: a theory draw and practical tasks do not convert.
		const round = parseRound({ ...(input.round as object), kind: before.kind });
		let window = roundWindow(round);
		// A pause moved the fixed end later; keep that unless the start or the limit changed.
		if (
			round.startMode === 'fixed' &&
			before.startMode === 'fixed' &&
			before.openAt?.getTime() === round.openAt?.getTime() &&
			before.timeLimitSeconds === round.timeLimitMinutes * 60 &&
			before.closeAt
		)
			window = { openAt: round.openAt, closeAt: before.closeAt };
		await tx
			.update(assessments)
			.set({ ...assessmentColumns(round, window), updatedAt: input.now })
			.where(eq(assessments.id, before.assessmentId));
		// New times set by hand: the freeze follows the close again (an early close's point goes).
		const timesChanged =
			before.openAt?.getTime() !== window.openAt?.getTime() ||
			before.closeAt?.getTime() !== window.closeAt?.getTime();
		await tx
			.update(competitionRounds)
			.set({
				name: round.name,
				startMode: round.startMode,
				counts: round.counts,
				...(timesChanged ? { freezeAt: null } : {})
			})
			.where(eq(competitionRounds.id, before.id));
		await audit(
			tx,
			actor,
			'competition.round_update',
			before.id,
			{
				competition: competition.slug,
				position: before.position,
				name: round.name,
				published: round.published,
				openAt: window.openAt?.toISOString() ?? null,
				closeAt: window.closeAt?.toISOString() ?? null,
				timeLimitMinutes: round.timeLimitMinutes,
				counts: round.counts
			},
			input
		);
		await notifyBoard(tx, competition.id);
	});
}

/** Moves a round one place up or down (swapping with its neighbour). */
export async function moveRound(
	db: Db,
	actor: Actor,
	input: { slug: string; position: number; direction: 'up' | 'down'; now: Date; ip?: string | null }
): Promise<{ position: number }> {
	requireOrganiser(actor);
	return db.transaction(async (tx) => {
		const competition = await findCompetition(tx, input.slug);
		await tx.execute(
			sql`select pg_advisory_xact_lock(hashtext('competition_rounds'), ${competition.id})`
		);
		const round = await findRound(tx, competition.id, input.position);
		const target = input.direction === 'up' ? input.position - 1 : input.position + 1;
		const [other] = await roundRows(tx, competition.id, target);
		if (!other) return { position: input.position };
		// Through a free position: (competition, position) is unique at every statement.
		await tx
			.update(competitionRounds)
			.set({ position: -1 })
			.where(eq(competitionRounds.id, round.id));
		await tx
			.update(competitionRounds)
			.set({ position: input.position })
			.where(eq(competitionRounds.id, other.id));
		await tx
			.update(competitionRounds)
			.set({ position: target })
			.where(eq(competitionRounds.id, round.id));
		await audit(
			tx,
			actor,
			'competition.round_move',
			round.id,
			{ competition: competition.slug, from: input.position, to: target },
			input
		);
		await notifyBoard(tx, competition.id);
		return { position: target };
	});
}

/** Removes a round nobody has started; the rounds after it move up. */
export async function deleteRound(
	db: Db,
	actor: Actor,
	input: { slug: string; position: number; now: Date; ip?: string | null }
): Promise<void> {
	requireOrganiser(actor);
	await db.transaction(async (tx) => {
		const competition = await findCompetition(tx, input.slug);
		await tx.execute(
			sql`select pg_advisory_xact_lock(hashtext('competition_rounds'), ${competition.id})`
		);
		const round = await findRound(tx, competition.id, input.position);
		const [{ n }] = await tx
			.select({ n: count() })
			.from(attempts)
			.where(eq(attempts.assessmentId, round.assessmentId));
		if (n > 0) throw new Conflict(m.comp_round_has_attempts({ count: n }));
		await tx.delete(competitionRounds).where(eq(competitionRounds.id, round.id));
		await tx.delete(assessments).where(eq(assessments.id, round.assessmentId));
		const later = await tx
			.select({ id: competitionRounds.id, position: competitionRounds.position })
			.from(competitionRounds)
			.where(
				and(
					eq(competitionRounds.competitionId, competition.id),
					sql`${competitionRounds.position} > ${input.position}`
				)
			)
			.orderBy(asc(competitionRounds.position));
		for (const r of later)
			await tx
				.update(competitionRounds)
				.set({ position: r.position - 1 })
				.where(eq(competitionRounds.id, r.id));
		await audit(
			tx,
			actor,
			'competition.round_delete',
			round.id,
			{ competition: competition.slug, position: input.position, name: round.name },
			input
		);
		await notifyBoard(tx, competition.id);
	});
}

/** Sets a theory round's question draw; the bank must be able to fill it. */
export async function setRoundDraw(
	db: Db,
	actor: Actor,
	input: { slug: string; position: number; rows: DrawRowInput[]; now: Date; ip?: string | null }
): Promise<{ questions: number }> {
	requireOrganiser(actor);
	const rows = parseDrawRows(input.rows);
	// Every row passed the checks, so rows and the form's rows line up one to one.
	const numbers = input.rows.map((r, i) => r.row ?? i + 1);
	return db.transaction(async (tx) => {
		const competition = await findCompetition(tx, input.slug);
		const round = await findRound(tx, competition.id, input.position);
		if (round.kind !== 'theory') throw new Conflict(m.comp_draw_practical());
		const categories = await tx
			.select({ id: questionCategories.id })
			.from(questionCategories)
			.where(
				inArray(
					questionCategories.id,
					rows.map((r) => r.categoryId)
				)
			);
		const known = new Set(categories.map((c) => c.id));
		const missing = rows.findIndex((r) => !known.has(r.categoryId));
		if (missing >= 0)
			throw new Invalid({
				[`row_${numbers[missing]}`]: m.comp_draw_category({ row: numbers[missing] })
			});
		await checkPools(tx, rows, numbers);
		const slots = expandDraw(rows);
		await setSlots(tx, actor, { id: round.assessmentId, slots, now: input.now, ip: input.ip });
		await audit(
			tx,
			actor,
			'competition.round_draw',
			round.id,
			{
				competition: competition.slug,
				position: round.position,
				rows: rows.length,
				questions: slots.length
			},
			input
		);
		return { questions: slots.length };
	});
}

// ---------------------------------------------------------------------------------------------
// The round settings page

export interface CategoryOption {
	id: number;
	label: string;
	depth: number;
	questions: number;
}

export interface ManagedRound {
	competition: { slug: string; title: string; status: string };
	round: RoundSummary & {
		instructions: string;
		shuffleQuestions: boolean;
		shuffleChoices: boolean;
	};
	draw: Array<DrawRow & { available: number }>;
	categories: CategoryOption[];
	roundCount: number;
}

export async function managedRound(
	db: Db,
	actor: Actor,
	input: { slug: string; position: number }
): Promise<ManagedRound> {
	requireOrganiser(actor);
	const competition = await findCompetition(db, input.slug);
	const row = await findRound(db, competition.id, input.position);
	const all = await listRounds(db, competition.id);
	const summary = all.find((r) => r.id === row.id)!;
	const slots = await db
		.select()
		.from(assessmentSlots)
		.where(eq(assessmentSlots.assessmentId, row.assessmentId))
		.orderBy(asc(assessmentSlots.position));
	const draw = groupSlots(slots);
	const drawWithPools = await Promise.all(
		draw.map(async (r) => ({ ...r, available: (await drawPool(db, r)).length }))
	);
	const categories =
		row.kind === 'theory'
			? await db
					.select({
						id: questionCategories.id,
						name: questionCategories.name,
						parentId: questionCategories.parentId,
						path: questionCategories.path
					})
					.from(questionCategories)
					.orderBy(asc(questionCategories.path))
			: [];
	// Questions a draw could take, per category (without its subcategories).
	const counts =
		row.kind === 'theory'
			? await db
					.select({ categoryId: questions.categoryId, n: count() })
					.from(questions)
					.innerJoin(questionVersions, eq(questionVersions.id, questions.currentVersionId))
					.where(
						and(
							eq(questions.archived, false),
							notInArray(questionVersions.type, ROUND_EXCLUDED_TYPES)
						)
					)
					.groupBy(questions.categoryId)
			: [];
	const own = new Map(counts.map((c) => [c.categoryId, c.n]));
	const byId = new Map(categories.map((c) => [c.id, c]));
	const labelOf = (c: (typeof categories)[number]): string => {
		const names: string[] = [];
		for (
			let node: typeof c | undefined = c;
			node;
			node = node.parentId ? byId.get(node.parentId) : undefined
		)
			names.unshift(node.name);
		return names.join(' / ');
	};
	const subtreeCount = (c: (typeof categories)[number]) =>
		categories
			.filter((d) => d.path.startsWith(c.path))
			.reduce((s, d) => s + (own.get(d.id) ?? 0), 0);
	const ordered = [...categories].sort((a, b) =>
		a.path.localeCompare(b.path, 'en', { numeric: true })
	);
	return {
		competition: { slug: competition.slug, title: competition.title, status: competition.status },
		round: {
			...summary,
			instructions: row.description,
			shuffleQuestions: row.shuffleQuestions,
			shuffleChoices: row.shuffleChoices
		},
		draw: drawWithPools,
		categories: ordered.map((c) => ({
			id: c.id,
			label: labelOf(c),
			depth: c.path.split('/').filter(Boolean).length - 1,
			questions: subtreeCount(c)
		})),
		roundCount: all.length
	};
}
