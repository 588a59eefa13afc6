// Builders for competition boards: competitions, rounds (each an assessment of kind 'round'),
// teams and registrations, written straight through the schema.
import type { Db } from '../../../src/lib/server/db/client';
import {
	assessmentSlots,
	assessments,
	competitionRegistrations,
	competitionRounds,
	competitionTeams,
	competitions,
	type PrizeQuotas,
	type UnitRule
} from '../../../src/lib/server/db/schema';
import type { Actor } from '../../../src/lib/server/auth/actor';
import { reviewAll, type MadeUnit } from './builders';

let counter = 0;

export const quotas = (
	individual: Partial<PrizeQuotas['individual']> = {},
	unit: Partial<PrizeQuotas['unit']> = {}
): PrizeQuotas => ({
	individual: { nhat: 0, nhi: 0, ba: 0, kk: 0, ...individual },
	unit: { nhat: 0, nhi: 0, ba: 0, kk: 0, ...unit }
});

export async function makeCompetition(
	db: Db,
	input: {
		slug?: string;
		title?: string;
		unitRule?: UnitRule;
		unitBestK?: number;
		freezeMinutes?: number;
		prizeQuotas?: PrizeQuotas;
		boardPublic?: boolean;
		status?: 'draft' | 'registration' | 'running' | 'finished';
	} = {}
) {
	counter++;
	const [row] = await db
		.insert(competitions)
		.values({
			slug: input.slug ?? `hoi-thi-${counter}`,
			title: input.title ?? `Hội thi tin học lần ${counter}`,
			status: input.status ?? 'running',
			unitRule: input.unitRule ?? 'best_k',
			unitBestK: input.unitBestK ?? 3,
			freezeMinutes: input.freezeMinutes ?? 0,
			prizeQuotas: input.prizeQuotas ?? quotas({ nhat: 1, nhi: 1, ba: 1 }, { nhat: 1 }),
			boardPublic: input.boardPublic ?? false
		})
		.returning();
	return row;
}

/** A round and its assessment: fixed questions (theory) or none (practical), open in a window. */
export async function makeRound(
	db: Db,
	input: {
		competitionId: number;
		position: number;
		name?: string;
		kind?: 'theory' | 'practical';
		counts?: boolean;
		openAt: Date;
		closeAt: Date;
		timeLimitSeconds?: number | null;
		questions?: Array<{ questionId: number; points?: number }>;
	}
) {
	const [assessment] = await db
		.insert(assessments)
		.values({
			kind: 'round',
			courseId: null,
			title: input.name ?? `Vòng ${input.position}`,
			status: 'published',
			openAt: input.openAt,
			closeAt: input.closeAt,
			timeLimitSeconds: input.timeLimitSeconds ?? null,
			attemptsAllowed: 1,
			graceSeconds: 30,
			reviewOptions: reviewAll,
			shuffleQuestions: false,
			shuffleChoices: false
		})
		.returning();
	const questions = input.questions ?? [];
	if (questions.length)
		await db.insert(assessmentSlots).values(
			questions.map((q, i) => ({
				assessmentId: assessment.id,
				position: i + 1,
				kind: 'fixed' as const,
				questionId: q.questionId,
				points: q.points ?? 1
			}))
		);
	const [round] = await db
		.insert(competitionRounds)
		.values({
			competitionId: input.competitionId,
			position: input.position,
			name: input.name ?? `Vòng ${input.position}`,
			kind: input.kind ?? 'theory',
			startMode: 'window',
			assessmentId: assessment.id,
			counts: input.counts ?? true
		})
		.returning();
	return { ...round, assessment };
}

export async function makeTeam(db: Db, input: { competitionId: number; unit: MadeUnit }) {
	const [team] = await db
		.insert(competitionTeams)
		.values({
			competitionId: input.competitionId,
			unitId: input.unit.id,
			name: `Đội ${input.unit.code}`
		})
		.returning();
	return team;
}

export async function register(
	db: Db,
	input: {
		competitionId: number;
		cadre: Actor;
		unit: MadeUnit;
		teamId?: number | null;
		status?: 'registered' | 'withdrawn';
		at?: Date;
	}
): Promise<void> {
	await db.insert(competitionRegistrations).values({
		competitionId: input.competitionId,
		userId: input.cadre.id,
		unitId: input.unit.id,
		teamId: input.teamId ?? null,
		status: input.status ?? 'registered',
		registeredAt: input.at ?? new Date('2012-09-01T00:00:00Z')
	});
}
