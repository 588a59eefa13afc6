// Builders for competition test data, written straight through the schema so that any test
// (setup, boards, judging) can make a competition, its rounds and its competitors in a few lines.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../src/lib/server/db/client';
import {
	assessmentSlots,
	assessments,
	competitionRegistrations,
	competitionRounds,
	competitionTeams,
	competitions,
	type CompetitionStatus,
	type PrizeQuotas,
	type UnitRule
} from '../../../src/lib/server/db/schema';
import type { Actor } from '../../../src/lib/server/auth/actor';
import { ROUND_REVIEW } from '../../../src/lib/server/competitions/rounds';
import type { MadeUnit } from './builders';

let counter = 0;

export const testQuotas: PrizeQuotas = {
	individual: { nhat: 1, nhi: 1, ba: 1, kk: 2 },
	unit: { nhat: 1, nhi: 1, ba: 0, kk: 0 }
};

export async function makeCompetition(
	db: Db,
	input: {
		slug?: string;
		title?: string;
		status?: CompetitionStatus;
		unitRule?: UnitRule;
		unitBestK?: number;
		teamSizeMax?: number;
		eligibleUnitKinds?: string[];
		freezeMinutes?: number;
		judgeMargin?: number;
		prizeQuotas?: PrizeQuotas;
	} = {}
) {
	counter++;
	const [row] = await db
		.insert(competitions)
		.values({
			slug: input.slug ?? `hoi-thi-${counter}`,
			title: input.title ?? `Hội thi thử số ${counter}`,
			status: input.status ?? 'running',
			unitRule: input.unitRule ?? 'best_k',
			unitBestK: input.unitBestK ?? 3,
			teamSizeMax: input.teamSizeMax ?? 5,
			eligibleUnitKinds: input.eligibleUnitKinds ?? [],
			freezeMinutes: input.freezeMinutes ?? 0,
			judgeMargin: input.judgeMargin ?? 2,
			prizeQuotas: input.prizeQuotas ?? testQuotas
		})
		.returning();
	return row;
}

/**
 * A round with its assessment of kind 'round' (one attempt, nothing shown to competitors).
 * Theory rounds take slots as makeAssessment does; practical rounds have none.
 */
export async function makeRound(
	db: Db,
	input: {
		competitionId: number;
		name?: string;
		kind?: 'theory' | 'practical';
		startMode?: 'fixed' | 'window';
		counts?: boolean;
		openAt?: Date | null;
		closeAt?: Date | null;
		timeLimitSeconds?: number | null;
		graceSeconds?: number;
		status?: 'draft' | 'published';
		slots?: Array<{ questionId?: number; categoryId?: number; points?: number }>;
	}
) {
	counter++;
	const existing = await db
		.select({ position: competitionRounds.position })
		.from(competitionRounds)
		.where(eq(competitionRounds.competitionId, input.competitionId));
	const position = existing.reduce((max, r) => Math.max(max, r.position), 0) + 1;
	const name = input.name ?? `Vòng ${position}`;
	const [assessment] = await db
		.insert(assessments)
		.values({
			kind: 'round',
			title: name,
			status: input.status ?? 'published',
			openAt: input.openAt ?? null,
			closeAt: input.closeAt ?? null,
			timeLimitSeconds: input.timeLimitSeconds === undefined ? 1800 : input.timeLimitSeconds,
			attemptsAllowed: 1,
			gradingMethod: 'first',
			passPercent: 0,
			shuffleQuestions: false,
			shuffleChoices: false,
			graceSeconds: input.graceSeconds ?? 60,
			reviewOptions: ROUND_REVIEW
		})
		.returning();
	if (input.slots?.length)
		await db.insert(assessmentSlots).values(
			input.slots.map((s, i) => ({
				assessmentId: assessment.id,
				position: i + 1,
				kind: s.questionId ? ('fixed' as const) : ('random' as const),
				questionId: s.questionId ?? null,
				categoryId: s.categoryId ?? null,
				points: s.points ?? 1
			}))
		);
	const [round] = await db
		.insert(competitionRounds)
		.values({
			competitionId: input.competitionId,
			position,
			name,
			kind: input.kind ?? 'theory',
			startMode: input.startMode ?? 'window',
			assessmentId: assessment.id,
			counts: input.counts ?? true
		})
		.returning();
	return { ...round, assessment };
}

/** Registers a competitor for a unit (theirs by default), optionally in that unit's team. */
export async function registerFor(
	db: Db,
	input: {
		competitionId: number;
		user: Actor;
		unit?: MadeUnit;
		team?: boolean;
		status?: 'registered' | 'withdrawn';
		at?: Date;
	}
) {
	const unitId = input.unit?.id ?? input.user.unitId!;
	let teamId: number | null = null;
	if (input.team) {
		await db
			.insert(competitionTeams)
			.values({ competitionId: input.competitionId, unitId, name: `Đội ${unitId}` })
			.onConflictDoNothing();
		const [team] = await db
			.select({ id: competitionTeams.id })
			.from(competitionTeams)
			.where(
				and(
					eq(competitionTeams.competitionId, input.competitionId),
					eq(competitionTeams.unitId, unitId)
				)
			);
		teamId = team.id;
	}
	await db.insert(competitionRegistrations).values({
		competitionId: input.competitionId,
		userId: input.user.id,
		unitId,
		teamId,
		status: input.status ?? 'registered',
		registeredAt: input.at ?? new Date('2012-09-01T01:00:00Z')
	});
}
