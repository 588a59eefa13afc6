// Builders for practical rounds: competitions, rounds (each with its assessment on the attempt
// engine), registrations, tasks with rubrics and judges written through the schema; attempts are
// started through the lobby, as a competitor starts them.
import { eq } from 'drizzle-orm';
import type { Db } from '../../../src/lib/server/db/client';
import {
	assessments,
	competitionJudges,
	competitionRegistrations,
	competitionRounds,
	competitions,
	practicalTasks,
	rubricCriteria
} from '../../../src/lib/server/db/schema';
import type { Actor } from '../../../src/lib/server/auth/actor';
import { startRound } from '../../../src/lib/server/competitions/lobby';
import { reviewAll } from './builders';

let counter = 0;

export async function makeCompetition(
	db: Db,
	input: { slug?: string; title?: string; judgeMargin?: number } = {}
) {
	counter++;
	const [row] = await db
		.insert(competitions)
		.values({
			slug: input.slug ?? `hoi-thi-${counter}-${Math.random().toString(36).slice(2, 6)}`,
			title: input.title ?? `Hội thi thử ${counter}`,
			status: 'running',
			judgeMargin: input.judgeMargin ?? 2,
			prizeQuotas: {
				individual: { nhat: 1, nhi: 1, ba: 1, kk: 1 },
				unit: { nhat: 1, nhi: 0, ba: 0, kk: 0 }
			}
		})
		.returning();
	return row;
}

/** A round and its assessment: published, one attempt each, open from openAt. */
export async function makeRound(
	db: Db,
	input: {
		competitionId: number;
		kind?: 'theory' | 'practical';
		position?: number;
		name?: string;
		openAt: Date;
		closeAt?: Date | null;
		timeLimitSeconds?: number | null;
		graceSeconds?: number;
	}
) {
	const kind = input.kind ?? 'practical';
	const [assessment] = await db
		.insert(assessments)
		.values({
			kind: 'round',
			title: input.name ?? 'Vòng thi thực hành',
			status: 'published',
			openAt: input.openAt,
			closeAt: input.closeAt ?? null,
			timeLimitSeconds: input.timeLimitSeconds === undefined ? 3600 : input.timeLimitSeconds,
			attemptsAllowed: 1,
			graceSeconds: input.graceSeconds ?? 60,
			shuffleQuestions: false,
			shuffleChoices: false,
			reviewOptions: reviewAll
		})
		.returning();
	const [round] = await db
		.insert(competitionRounds)
		.values({
			competitionId: input.competitionId,
			position: input.position ?? 1,
			name: input.name ?? (kind === 'practical' ? 'Vòng thi thực hành' : 'Vòng thi lý thuyết'),
			kind,
			startMode: 'window',
			assessmentId: assessment.id
		})
		.returning();
	return { round, assessment };
}

export async function register(
	db: Db,
	input: { competitionId: number; user: Actor; now: Date }
): Promise<void> {
	await db.insert(competitionRegistrations).values({
		competitionId: input.competitionId,
		userId: input.user.id,
		unitId: input.user.unitId!,
		registeredAt: input.now
	});
}

export async function makeTask(
	db: Db,
	input: {
		roundId: number;
		position: number;
		title?: string;
		statement?: string;
		criteria?: Array<{ name: string; maxPoints: number; description?: string }>;
	}
) {
	const [task] = await db
		.insert(practicalTasks)
		.values({
			roundId: input.roundId,
			position: input.position,
			title: input.title ?? `Đề bài ${input.position}`,
			statement: input.statement ?? 'Hãy sửa lỗi trong sơ đồ mạng đính kèm.'
		})
		.returning();
	const criteria = [];
	for (const [i, c] of (input.criteria ?? []).entries()) {
		const [row] = await db
			.insert(rubricCriteria)
			.values({
				taskId: task.id,
				position: i + 1,
				name: c.name,
				description: c.description ?? '',
				maxPoints: c.maxPoints
			})
			.returning();
		criteria.push(row);
	}
	return { task, criteria };
}

export async function makeJudge(
	db: Db,
	input: { competitionId: number; user: Actor; isHead?: boolean }
): Promise<void> {
	await db.insert(competitionJudges).values({
		competitionId: input.competitionId,
		userId: input.user.id,
		isHead: input.isHead ?? false
	});
}

/**
 * Starts the competitor's attempt at a round as the lobby's start button does (registration,
 * running competition, window and the one attempt are checked there and by the engine).
 */
export async function startRoundAttempt(
	db: Db,
	actor: Actor,
	input: { assessmentId: number; now: Date }
): Promise<string> {
	const [round] = await db
		.select({ slug: competitions.slug, position: competitionRounds.position })
		.from(competitionRounds)
		.innerJoin(competitions, eq(competitions.id, competitionRounds.competitionId))
		.where(eq(competitionRounds.assessmentId, input.assessmentId));
	const started = await startRound(db, actor, {
		slug: round.slug,
		position: round.position,
		now: input.now
	});
	return started.attemptId;
}

/** Minimal files whose bytes are what their names say. */
export const SAMPLE_FILES = {
	pdf: () =>
		new TextEncoder().encode(
			'%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'
		),
	/** A 1×1 PNG. */
	png: () =>
		Uint8Array.from(
			Buffer.from(
				'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
				'base64'
			)
		),
	/** A classic libpcap capture header with no packets. */
	pcap: () =>
		Uint8Array.from([
			0xd4, 0xc3, 0xb2, 0xa1, 0x02, 0x00, 0x04, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1,
			0, 0, 0
		]),
	/** A Windows program's first bytes. */
	exe: () =>
		Uint8Array.from([
			0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 0xff, 0xff, 0, 0
		])
};
