// Results for organisers (board settings: freeze and publication; the overview; the exports) and
// the official results every logged-in user reads once published.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
	certificates,
	competitionAwards,
	competitions,
	units,
	users,
	type Prize,
	type UnitRule
} from '../db/schema';
import { recordAudit } from '../audit/log';
import { requireRole, type Actor } from '../auth/actor';
import { Invalid, NotFound } from '../errors';
import { m } from '../i18n';
import { notifyBoard } from '../realtime/notify';
import type { CellValue, Column, Sheet } from '../reports/export';
import { formatDuration } from '../../format';
import { freezeState } from './ranking';
import { findCompetition, loadStandings, type CellState, type CompetitionInfo } from './standings';
import { isOrganiser } from './board';
import { publishBlockers } from './awards';
import { prizeLabel as prizeName, unitRuleLabel } from '../../board/view';

export const MAX_FREEZE_MINUTES = 600;

async function organiserCompetition(db: Db, actor: Actor, slug: string): Promise<CompetitionInfo> {
	requireRole(actor, 'organiser', 'admin');
	const competition = await findCompetition(db, { slug });
	if (!competition) throw new NotFound();
	return competition;
}

/** Sets how many minutes before a round's end the public board freezes (0: never). */
export async function setFreezeMinutes(
	db: Db,
	actor: Actor,
	input: { slug: string; minutes: string | number; now: Date; ip?: string | null }
): Promise<void> {
	const competition = await organiserCompetition(db, actor, input.slug);
	const text = String(input.minutes).trim();
	const minutes = Number(text);
	if (text === '' || !Number.isInteger(minutes) || minutes < 0 || minutes > MAX_FREEZE_MINUTES)
		throw new Invalid({ freezeMinutes: m.board_freeze_invalid({ max: MAX_FREEZE_MINUTES }) });
	await db.transaction(async (tx) => {
		await tx
			.update(competitions)
			.set({ freezeMinutes: minutes, updatedAt: input.now })
			.where(eq(competitions.id, competition.id));
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'competition.freeze',
			targetType: 'competition',
			targetId: competition.id,
			details: { slug: competition.slug, from: competition.freezeMinutes, to: minutes },
			ip: input.ip,
			now: input.now
		});
		await notifyBoard(tx, competition.id);
	});
}

/** Publishes the board at /board/<slug> to everyone (no login), or takes it back. */
export async function setBoardPublic(
	db: Db,
	actor: Actor,
	input: { slug: string; boardPublic: boolean; now: Date; ip?: string | null }
): Promise<void> {
	const competition = await organiserCompetition(db, actor, input.slug);
	await db.transaction(async (tx) => {
		await tx
			.update(competitions)
			.set({ boardPublic: input.boardPublic, updatedAt: input.now })
			.where(eq(competitions.id, competition.id));
		await recordAudit(tx, {
			actorId: actor.id,
			action: input.boardPublic ? 'competition.board_publish' : 'competition.board_unpublish',
			targetType: 'competition',
			targetId: competition.id,
			details: { slug: competition.slug },
			ip: input.ip,
			now: input.now
		});
		await notifyBoard(tx, competition.id);
	});
}

export interface ResultsOverview {
	competition: {
		id: number;
		slug: string;
		title: string;
		status: string;
		unitRule: UnitRule;
		unitBestK: number;
		freezeMinutes: number;
		boardPublic: boolean;
		resultsPublishedAt: Date | null;
		prizeQuotas: CompetitionInfo['prizeQuotas'];
	};
	rounds: Array<{ position: number; name: string; kind: string; counts: boolean }>;
	/** The public board is frozen now, as of this moment. */
	frozenAt: Date | null;
	blockers: string[];
}

/** What the organisers' results page shows around the live standings. */
export async function resultsOverview(
	db: Db,
	actor: Actor,
	input: { slug: string; now: Date }
): Promise<ResultsOverview> {
	const competition = await organiserCompetition(db, actor, input.slug);
	const standings = (await loadStandings(db, {
		competitionId: competition.id,
		variant: 'live',
		now: input.now,
		roundId: 'total'
	}))!;
	const frozen = freezeState({
		rounds: standings.rounds.filter((r) => r.counts),
		freezeMinutes: competition.freezeMinutes,
		resultsPublishedAt: competition.resultsPublishedAt,
		now: input.now
	});
	return {
		competition: {
			id: competition.id,
			slug: competition.slug,
			title: competition.title,
			status: competition.status,
			unitRule: competition.unitRule,
			unitBestK: competition.unitBestK,
			freezeMinutes: competition.freezeMinutes,
			boardPublic: competition.boardPublic,
			resultsPublishedAt: competition.resultsPublishedAt,
			prizeQuotas: competition.prizeQuotas
		},
		rounds: standings.rounds.map((r) => ({
			position: r.position,
			name: r.name,
			kind: r.kind,
			counts: r.counts
		})),
		frozenAt: frozen?.cutoff ?? null,
		blockers: competition.resultsPublishedAt ? [] : publishBlockers(standings, input.now)
	};
}

// ---------------------------------------------------------------------------------------------
// Official results

export interface OfficialResults {
	title: string;
	slug: string;
	publishedAt: Date | null;
	unitRule: UnitRule;
	unitBestK: number;
	rounds: Array<{ name: string }>;
	prizes: {
		individual: Array<{
			prize: Prize;
			rank: number;
			name: string;
			unit: string;
			score: number;
			/** Only for the winner themselves and organisers. */
			certificateCode: string | null;
		}>;
		unit: Array<{ prize: Prize; rank: number; name: string; score: number }>;
	};
	individuals: Array<{
		rank: number;
		name: string;
		unit: string;
		roundScores: Array<number | null>;
		score: number;
		timeMs: number | null;
		prize: Prize | null;
		self: boolean;
	}>;
	units: Array<{
		rank: number;
		name: string;
		score: number;
		counted: number;
		members: number;
		prize: Prize | null;
	}>;
}

/**
 * The official results, for every logged-in user once published (before that: only that they
 * are not published yet, whoever asks). Prizes come from the published snapshot.
 */
export async function officialResults(
	db: Db,
	actor: Actor,
	input: { slug: string; now: Date }
): Promise<OfficialResults> {
	const competition = await findCompetition(db, { slug: input.slug });
	if (!competition) throw new NotFound();
	const base = {
		title: competition.title,
		slug: competition.slug,
		publishedAt: competition.resultsPublishedAt,
		unitRule: competition.unitRule,
		unitBestK: competition.unitBestK
	};
	if (!competition.resultsPublishedAt)
		return {
			...base,
			rounds: [],
			prizes: { individual: [], unit: [] },
			individuals: [],
			units: []
		};
	const awards = await db
		.select({
			kind: competitionAwards.kind,
			userId: competitionAwards.userId,
			prize: competitionAwards.prize,
			rank: competitionAwards.rank,
			score: competitionAwards.score,
			fullName: users.fullName,
			unitName: units.name
		})
		.from(competitionAwards)
		.leftJoin(users, eq(users.id, competitionAwards.userId))
		.leftJoin(units, eq(units.id, competitionAwards.unitId))
		.where(eq(competitionAwards.competitionId, competition.id))
		.orderBy(competitionAwards.rank, competitionAwards.id);
	const organiser = isOrganiser(actor);
	const certificateOwners = awards
		.filter((a) => a.kind === 'individual' && (organiser || a.userId === actor.id))
		.map((a) => a.userId!);
	const codes = certificateOwners.length
		? await db
				.select({
					userId: certificates.userId,
					subject: certificates.subject,
					code: certificates.code
				})
				.from(certificates)
				.where(
					and(
						inArray(certificates.userId, certificateOwners),
						inArray(
							certificates.subject,
							awards.map((a) => `competition:${competition.id}:${a.prize}`)
						),
						isNull(certificates.revokedAt)
					)
				)
		: [];
	const codeOf = (userId: number, prize: Prize) =>
		codes.find((c) => c.userId === userId && c.subject === `competition:${competition.id}:${prize}`)
			?.code ?? null;

	const standings = (await loadStandings(db, {
		competitionId: competition.id,
		variant: 'live',
		now: input.now,
		roundId: 'total'
	}))!;
	const counted = standings.rounds.map((r, i) => ({ r, i })).filter(({ r }) => r.counts);
	return {
		...base,
		rounds: counted.map(({ r }) => ({ name: r.name })),
		prizes: {
			individual: awards
				.filter((a) => a.kind === 'individual')
				.map((a) => ({
					prize: a.prize,
					rank: a.rank,
					name: a.fullName ?? '',
					unit: a.unitName ?? '',
					score: a.score,
					certificateCode: organiser || a.userId === actor.id ? codeOf(a.userId!, a.prize) : null
				})),
			unit: awards
				.filter((a) => a.kind === 'unit')
				.map((a) => ({ prize: a.prize, rank: a.rank, name: a.unitName ?? '', score: a.score }))
		},
		individuals: standings.individuals.map((c) => ({
			rank: c.rank,
			name: c.fullName,
			unit: c.unitName,
			roundScores: counted.map(({ i }) => c.cells[i].score),
			score: c.score,
			timeMs: c.timeMs,
			prize: c.prize,
			self: c.userId === actor.id
		})),
		units: standings.units.map((u) => ({
			rank: u.rank,
			name: u.unitName,
			score: u.score,
			counted: u.counted,
			members: u.members,
			prize: u.prize
		}))
	};
}

// ---------------------------------------------------------------------------------------------
// Exports

const stateMark = (state: CellState) =>
	state === 'running'
		? m.board_state_running()
		: state === 'provisional'
			? m.board_state_provisional()
			: '';

/**
 * The live standings as spreadsheets, for organisers: every competitor with their unit, the
 * score of each round, the total, the time used and the prize (awarded, or projected before
 * publication); and the units.
 */
export async function resultsSheets(
	db: Db,
	actor: Actor,
	input: { slug: string; now: Date }
): Promise<{ competition: CompetitionInfo; sheets: Sheet[] }> {
	const competition = await organiserCompetition(db, actor, input.slug);
	const standings = (await loadStandings(db, {
		competitionId: competition.id,
		variant: 'live',
		now: input.now,
		roundId: 'total'
	}))!;
	const prizeHeader = standings.prizesAwarded ? m.board_col_prize() : m.board_col_prize_projected();
	const roundColumns: Column[] = standings.rounds.map((r) => ({
		header: r.counts ? r.name : `${r.name} (${m.board_not_counted()})`,
		kind: 'number',
		width: 16
	}));
	const individual: Sheet = {
		name: m.board_sheet_individual(),
		columns: [
			{ header: m.board_col_rank(), kind: 'number', width: 8 },
			{ header: m.board_col_name(), kind: 'text', width: 28 },
			{ header: m.board_col_unit(), kind: 'text', width: 36 },
			{ header: m.board_col_unit_code(), kind: 'text', width: 14 },
			...roundColumns,
			{ header: m.board_col_total(), kind: 'number', width: 12 },
			{ header: m.board_col_max(), kind: 'number', width: 12 },
			{ header: m.board_col_time(), kind: 'text', width: 12 },
			{ header: m.board_col_state(), kind: 'text', width: 18 },
			{ header: prizeHeader, kind: 'text', width: 20 }
		],
		rows: standings.individuals.map((c): CellValue[] => {
			const states = c.cells.map((cell) => stateMark(cell.state)).filter(Boolean);
			return [
				c.rank,
				c.fullName,
				c.unitName,
				c.unitCode,
				...c.cells.map((cell) => cell.score),
				c.score,
				c.maxScore,
				c.timeMs === null ? null : formatDuration(c.timeMs),
				[...new Set(states)].join(', ') || null,
				c.prize ? prizeName(c.prize) : null
			];
		})
	};
	const unitSheet: Sheet = {
		name: m.board_sheet_units(),
		columns: [
			{ header: m.board_col_rank(), kind: 'number', width: 8 },
			{ header: m.board_col_unit(), kind: 'text', width: 40 },
			{ header: m.board_col_unit_code(), kind: 'text', width: 14 },
			{
				header: `${m.board_col_unit_score()} (${unitRuleLabel(competition.unitRule, competition.unitBestK)})`,
				kind: 'number',
				width: 22
			},
			{ header: m.board_col_counted(), kind: 'number', width: 14 },
			{ header: m.board_col_members(), kind: 'number', width: 14 },
			{ header: prizeHeader, kind: 'text', width: 20 }
		],
		rows: standings.units.map((u) => [
			u.rank,
			u.unitName,
			u.unitCode,
			u.score,
			u.counted,
			u.members,
			u.prize ? prizeName(u.prize) : null
		])
	};
	return { competition, sheets: [individual, unitSheet] };
}
