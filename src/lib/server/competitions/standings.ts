// A competition's standings from the database: registrations, the rounds, each competitor's
// attempt per round (score, maximum, time used; provisional while running or not fully graded),
// ranked by the rules in ranking.ts. Four queries whatever the number of competitors, since this
// runs on every change of a board. The frozen variant counts only what was final at the cutoff.
import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
	assessments,
	attempts,
	competitionAwards,
	competitionRegistrations,
	competitionRounds,
	competitions,
	units,
	users,
	type Prize,
	type PrizeQuotas,
	type UnitRule
} from '../db/schema';
import {
	allocatePrizes,
	freezeState,
	nextFreezeChange,
	rankIndividuals,
	rankUnits,
	roundScore,
	scoreUnits,
	type FreezeState
} from './ranking';

export interface CompetitionInfo {
	id: number;
	slug: string;
	title: string;
	status: string;
	unitRule: UnitRule;
	unitBestK: number;
	freezeMinutes: number;
	prizeQuotas: PrizeQuotas;
	boardPublic: boolean;
	resultsPublishedAt: Date | null;
}

const competitionColumns = {
	id: competitions.id,
	slug: competitions.slug,
	title: competitions.title,
	status: competitions.status,
	unitRule: competitions.unitRule,
	unitBestK: competitions.unitBestK,
	freezeMinutes: competitions.freezeMinutes,
	prizeQuotas: competitions.prizeQuotas,
	boardPublic: competitions.boardPublic,
	resultsPublishedAt: competitions.resultsPublishedAt
};

export async function findCompetition(
	db: Db,
	by: { slug: string } | { id: number }
): Promise<CompetitionInfo | null> {
	const [row] = await db
		.select(competitionColumns)
		.from(competitions)
		.where('slug' in by ? eq(competitions.slug, by.slug) : eq(competitions.id, by.id));
	return row ?? null;
}

export interface StandingsRound {
	id: number;
	position: number;
	name: string;
	kind: 'theory' | 'practical';
	counts: boolean;
	assessmentId: number;
	openAt: Date | null;
	closeAt: Date | null;
	/** Fixed freeze point of a round closed early (competition_rounds.freeze_at). */
	freezeAt: Date | null;
	/** The round's maximum: its question points (theory) or its rubric maxima (practical). */
	maxScore: number;
}

/**
 * - 'final': the score counts as it is;
 * - 'provisional': submitted, but not every answer or task is graded yet (or, on a frozen
 *   board, graded only after the freeze: the score is hidden);
 * - 'running': the attempt is in progress (no score yet);
 * - 'none': no attempt.
 */
export type CellState = 'final' | 'provisional' | 'running' | 'none';

export interface Cell {
	score: number | null;
	maxScore: number;
	timeMs: number | null;
	state: CellState;
}

export interface CompetitorStanding {
	userId: number;
	fullName: string;
	unitId: number;
	unitName: string;
	unitCode: string;
	inTeam: boolean;
	/** One per round, in round order. */
	cells: Cell[];
	/** Sum over the rounds in scope (those that count, or the one round shown). */
	score: number;
	maxScore: number;
	/** Sum of the times used in scope; null when no attempt was finished. */
	timeMs: number | null;
	/** Some score in scope is not final (running, or waiting for grading). */
	provisional: boolean;
	rank: number;
	/** The awarded prize once results are published; otherwise what the quotas would give now. */
	prize: Prize | null;
}

export interface UnitStanding {
	unitId: number;
	unitName: string;
	unitCode: string;
	score: number;
	counted: number;
	members: number;
	provisional: boolean;
	rank: number;
	prize: Prize | null;
}

export type Scope = { kind: 'total' } | { kind: 'round'; roundId: number };

export interface Standings {
	competition: CompetitionInfo;
	rounds: StandingsRound[];
	scope: Scope;
	/** Set on a frozen board: what is shown is as of this cutoff. */
	frozen: FreezeState | null;
	/** Prizes are the published awards (true) or a projection from the quotas (false). */
	prizesAwarded: boolean;
	individuals: CompetitorStanding[];
	units: UnitStanding[];
	/** When the board may change by the clock alone (a freeze starting or ending). */
	nextChange: Date | null;
	computedAt: Date;
}

export async function loadRounds(db: Db, competitionId: number): Promise<StandingsRound[]> {
	const rows = await db
		.select({
			id: competitionRounds.id,
			position: competitionRounds.position,
			name: competitionRounds.name,
			kind: competitionRounds.kind,
			counts: competitionRounds.counts,
			assessmentId: competitionRounds.assessmentId,
			openAt: assessments.openAt,
			closeAt: assessments.closeAt,
			freezeAt: competitionRounds.freezeAt,
			slotPoints: sql<string>`(select coalesce(sum(s.points), 0) from assessment_slots s where s.assessment_id = ${assessments.id})`,
			rubricPoints: sql<string>`(select coalesce(sum(c.max_points), 0) from practical_tasks t join rubric_criteria c on c.task_id = t.id where t.round_id = ${competitionRounds.id})`
		})
		.from(competitionRounds)
		.innerJoin(assessments, eq(assessments.id, competitionRounds.assessmentId))
		.where(eq(competitionRounds.competitionId, competitionId))
		.orderBy(asc(competitionRounds.position));
	return rows.map(({ slotPoints, rubricPoints, ...r }) => ({
		...r,
		maxScore: Number(r.kind === 'practical' ? rubricPoints : slotPoints)
	}));
}

interface AttemptFact {
	userId: number;
	assessmentId: number;
	status: 'in_progress' | 'submitted';
	score: number | null;
	maxScore: number;
	needsGrading: boolean;
	timeUsedMs: number | null;
	submittedAt: Date | null;
	/** When its score became final: submit, the last judge's final score, the last manual grade. */
	finalisedAt: Date | null;
}

/**
 * The attempt that counts per person and round: rounds allow one attempt; when the organisers
 * granted another, the latest counts. On a frozen board, the latest one started before the cutoff.
 */
async function loadAttempts(
	db: Db,
	assessmentIds: number[],
	cutoff: Date | null
): Promise<AttemptFact[]> {
	if (assessmentIds.length === 0) return [];
	// Qualified by hand: in a one-table select Drizzle renders a column unqualified ("id"), which
	// inside the subquery would name practical_submissions' own id.
	const finalisedAt = cutoff
		? sql`greatest("attempts"."submitted_at",
				(select max(p.final_at) from practical_submissions p where p.attempt_id = "attempts"."id"),
				(select max(x.graded_at) from attempt_answers x where x.attempt_id = "attempts"."id" and x.graded_by is not null))`.mapWith(
				attempts.submittedAt
			)
		: sql`null`.mapWith(attempts.submittedAt);
	return db
		.selectDistinctOn([attempts.assessmentId, attempts.userId], {
			userId: attempts.userId,
			assessmentId: attempts.assessmentId,
			status: attempts.status,
			score: attempts.score,
			maxScore: attempts.maxScore,
			needsGrading: attempts.needsGrading,
			timeUsedMs: attempts.timeUsedMs,
			submittedAt: attempts.submittedAt,
			finalisedAt
		})
		.from(attempts)
		.where(
			and(
				inArray(attempts.assessmentId, assessmentIds),
				cutoff ? lt(attempts.startedAt, cutoff) : undefined
			)
		)
		.orderBy(attempts.assessmentId, attempts.userId, desc(attempts.number));
}

/** A cell as the viewer may see it: live, or as it stood at the freeze cutoff. */
export function cellOf(
	attempt: AttemptFact | undefined,
	maxScore: number,
	cutoff: Date | null
): Cell {
	if (!attempt) return { score: null, maxScore, timeMs: null, state: 'none' };
	const max = Math.max(maxScore, attempt.maxScore);
	const submitted =
		attempt.status === 'submitted' &&
		attempt.submittedAt !== null &&
		(!cutoff || attempt.submittedAt < cutoff);
	if (!submitted) return { score: null, maxScore: max, timeMs: null, state: 'running' };
	if (cutoff) {
		const finalBefore =
			!attempt.needsGrading && attempt.finalisedAt !== null && attempt.finalisedAt < cutoff;
		return finalBefore
			? { score: attempt.score ?? 0, maxScore: max, timeMs: attempt.timeUsedMs, state: 'final' }
			: { score: null, maxScore: max, timeMs: attempt.timeUsedMs, state: 'provisional' };
	}
	return {
		score: attempt.score ?? 0,
		maxScore: max,
		timeMs: attempt.timeUsedMs,
		state: attempt.needsGrading ? 'provisional' : 'final'
	};
}

/**
 * The board shows the competition total once a counting round has a score the viewer may see;
 * before that (a practice round only, or counting rounds still running or being judged), the
 * latest round that has one.
 */
export function defaultScope(rounds: StandingsRound[], attempted: Set<number>): Scope {
	const counting = rounds.filter((r) => r.counts);
	if (counting.some((r) => attempted.has(r.id)) || rounds.every((r) => !attempted.has(r.id)))
		return { kind: 'total' };
	const latest = [...rounds].reverse().find((r) => attempted.has(r.id))!;
	return { kind: 'round', roundId: latest.id };
}

export async function loadStandings(
	db: Db,
	input: {
		competitionId: number;
		/** 'public': frozen while a freeze holds; 'live': what organisers see. */
		variant: 'public' | 'live';
		now: Date;
		/** A single round's board, or the competition total; absent: the default scope. */
		roundId?: number | 'total';
	}
): Promise<Standings | null> {
	const competition = await findCompetition(db, { id: input.competitionId });
	if (!competition) return null;
	const rounds = await loadRounds(db, competition.id);
	const clock = {
		rounds: rounds.filter((r) => r.counts),
		freezeMinutes: competition.freezeMinutes,
		resultsPublishedAt: competition.resultsPublishedAt,
		now: input.now
	};
	const frozen = input.variant === 'public' ? freezeState(clock) : null;
	const cutoff = frozen?.cutoff ?? null;
	const registrations = await db
		.select({
			userId: competitionRegistrations.userId,
			fullName: users.fullName,
			unitId: competitionRegistrations.unitId,
			unitName: units.name,
			unitCode: units.code,
			teamId: competitionRegistrations.teamId
		})
		.from(competitionRegistrations)
		.innerJoin(users, eq(users.id, competitionRegistrations.userId))
		.innerJoin(units, eq(units.id, competitionRegistrations.unitId))
		.where(
			and(
				eq(competitionRegistrations.competitionId, competition.id),
				eq(competitionRegistrations.status, 'registered')
			)
		);
	const facts = await loadAttempts(
		db,
		rounds.map((r) => r.assessmentId),
		cutoff
	);
	const roundByAssessment = new Map(rounds.map((r, i) => [r.assessmentId, i]));
	const byUser = new Map<number, Array<AttemptFact | undefined>>();
	const registered = new Set(registrations.map((r) => r.userId));
	for (const fact of facts) {
		if (!registered.has(fact.userId)) continue;
		const index = roundByAssessment.get(fact.assessmentId)!;
		const list = byUser.get(fact.userId) ?? new Array(rounds.length).fill(undefined);
		list[index] = fact;
		byUser.set(fact.userId, list);
	}
	const cellRows = registrations.map((reg) => {
		const list = byUser.get(reg.userId) ?? [];
		return rounds.map((r, i) => cellOf(list[i], r.maxScore, cutoff));
	});
	if (input.variant === 'public') hideJudgingInProgress(rounds, cellRows);
	const scored = new Set(
		rounds.filter((_, i) => cellRows.some((cells) => cells[i].score !== null)).map((r) => r.id)
	);
	const scope: Scope =
		input.roundId === 'total'
			? { kind: 'total' }
			: input.roundId !== undefined && rounds.some((r) => r.id === input.roundId)
				? { kind: 'round', roundId: input.roundId }
				: defaultScope(rounds, scored);
	const inScope = rounds.map((r) => (scope.kind === 'total' ? r.counts : r.id === scope.roundId));

	const awards = competition.resultsPublishedAt ? await loadAwards(db, competition.id) : null;
	const unranked = registrations.map((reg, row) => {
		const cells = cellRows[row];
		let score = 0;
		let maxScore = 0;
		let timeMs: number | null = null;
		let provisional = false;
		cells.forEach((cell, i) => {
			if (!inScope[i]) return;
			maxScore += cell.maxScore;
			score += cell.score ?? 0;
			if (cell.timeMs !== null && cell.state !== 'running') timeMs = (timeMs ?? 0) + cell.timeMs;
			if (cell.state === 'provisional' || cell.state === 'running') provisional = true;
		});
		return {
			userId: reg.userId,
			fullName: reg.fullName,
			name: reg.fullName,
			unitId: reg.unitId,
			unitName: reg.unitName,
			unitCode: reg.unitCode,
			inTeam: reg.teamId !== null,
			cells,
			score: roundScore(score),
			maxScore: roundScore(maxScore),
			timeMs: timeMs as number | null,
			provisional
		};
	});
	const quotas = competition.prizeQuotas;
	const individuals: CompetitorStanding[] = allocatePrizes(
		rankIndividuals(unranked),
		quotas.individual
	).map(({ name: _name, ...entry }) => ({
		...entry,
		prize: awards ? (awards.individual.get(entry.userId) ?? null) : entry.prize
	}));

	const unitInfo = new Map(registrations.map((r) => [r.unitId, r]));
	const unitProvisional = new Set(unranked.filter((c) => c.provisional).map((c) => c.unitId));
	const unitScores = scoreUnits(
		unranked.map((c) => ({ unitId: c.unitId, inTeam: c.inTeam, score: c.score })),
		competition.unitRule,
		competition.unitBestK
	).map((u) => ({
		...u,
		name: unitInfo.get(u.unitId)!.unitName,
		unitName: unitInfo.get(u.unitId)!.unitName,
		unitCode: unitInfo.get(u.unitId)!.unitCode,
		provisional: unitProvisional.has(u.unitId)
	}));
	const unitStandings: UnitStanding[] = allocatePrizes(rankUnits(unitScores), quotas.unit).map(
		({ name: _name, ...u }) => ({
			...u,
			prize: awards ? (awards.unit.get(u.unitId) ?? null) : u.prize
		})
	);
	return {
		competition,
		rounds,
		scope,
		frozen,
		prizesAwarded: awards !== null,
		individuals,
		units: unitStandings,
		nextChange: input.variant === 'public' ? nextFreezeChange(clock) : null,
		computedAt: input.now
	};
}

/**
 * Judging is blind: while any attempt of a practical round waits for its scores, the public
 * board shows none of that round's scores, so that a judge cannot match the marks they gave to
 * a name on the board. Organisers' live standings show everything.
 */
export function hideJudgingInProgress(rounds: StandingsRound[], cellRows: Cell[][]): void {
	rounds.forEach((round, i) => {
		if (round.kind !== 'practical') return;
		const judging = cellRows.some(
			(cells) => cells[i].state === 'provisional' || cells[i].state === 'running'
		);
		if (!judging) return;
		for (const cells of cellRows)
			if (cells[i].state === 'final') cells[i] = { ...cells[i], score: null, state: 'provisional' };
			else if (cells[i].state === 'provisional') cells[i] = { ...cells[i], score: null };
	});
}

async function loadAwards(db: Db, competitionId: number) {
	const rows = await db
		.select({
			kind: competitionAwards.kind,
			userId: competitionAwards.userId,
			unitId: competitionAwards.unitId,
			prize: competitionAwards.prize
		})
		.from(competitionAwards)
		.where(eq(competitionAwards.competitionId, competitionId));
	const individual = new Map<number, Prize>();
	const unit = new Map<number, Prize>();
	for (const r of rows) {
		if (r.kind === 'individual' && r.userId !== null) individual.set(r.userId, r.prize);
		if (r.kind === 'unit' && r.unitId !== null) unit.set(r.unitId, r.prize);
	}
	return { individual, unit };
}
