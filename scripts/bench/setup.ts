// Prepares the benchmark's database before the server starts, through the domain functions: the
// demo seed, extra cadres for the five-times-the-province run, and one running competition per
// population with a theory round open now for every one of its cadres.
import path from 'node:path';
import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import { migrateDatabase, openDatabase, type Database } from '../../src/lib/server/db/client';
import {
	competitions,
	courses,
	lessons,
	questionVersions,
	questions,
	units,
	users
} from '../../src/lib/server/db/schema';
import { SYSTEM_ACTOR } from '../../src/lib/server/auth/actor';
import { hashPassword } from '../../src/lib/server/auth/password';
import { isDatabaseEmpty, seedDemo } from '../../src/lib/server/demo/seed';
import { DEMO_PASSWORD, demoCadres } from '../../src/lib/server/demo/people';
import {
	createCompetition,
	updateCompetition
} from '../../src/lib/server/competitions/competitions';
import { importRegistrations } from '../../src/lib/server/competitions/registration';
import { addRound, findRound } from '../../src/lib/server/competitions/rounds';
import { setSlots } from '../../src/lib/server/assessments/quizzes';
import { DEFAULT_QUOTAS } from '../../src/lib/server/competitions/competitions';

const root = path.resolve(import.meta.dirname, '..', '..');

export interface DatabaseTarget {
	url?: string;
	dataDir?: string;
}

/** One group of competitors: their own competition, its round 1 open now for all of them. */
export interface Population {
	name: string;
	slug: string;
	position: number;
	usernames: string[];
	/** Question type per slot (1-based), as the round draws them (fixed, not shuffled). */
	slotTypes: Array<'single' | 'truefalse'>;
}

export interface Prepared {
	populations: Population[];
	/** A published lesson page, for page weight, throughput and the slow link. */
	lessonPath: string;
	seedMs: number;
}

/** Runs `work` on the target database (PGlite: only while the server is not running). */
export async function withBenchDb<T>(
	target: DatabaseTarget,
	work: (database: Database) => Promise<T>
): Promise<T> {
	const database = await openDatabase({ url: target.url, dataDir: target.dataDir, max: 4 });
	try {
		return await work(database);
	} finally {
		await database.close();
	}
}

export const benchUsername = (i: number) => `bench.${String(i).padStart(4, '0')}`;

/** Adds `count` cadres (bench.0001…) spread over the commune units, with the demo password. */
async function addCadres(database: Database, count: number, now: Date): Promise<string[]> {
	if (count <= 0) return [];
	const db = database.db;
	const communes = await db
		.select({ id: units.id })
		.from(units)
		.where(eq(units.kind, 'commune'))
		.orderBy(asc(units.id));
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const rows = Array.from({ length: count }, (_, k) => ({
		username: benchUsername(k + 1),
		fullName: `Cán bộ thử tải ${k + 1}`,
		unitId: communes[k % communes.length].id,
		position: 'Chuyên viên',
		roles: ['cadre' as const],
		isLeader: false,
		passwordHash,
		createdAt: now,
		updatedAt: now
	}));
	await db.transaction(async (tx) => {
		for (let i = 0; i < rows.length; i += 500)
			await tx.insert(users).values(rows.slice(i, i + 500));
	});
	return rows.map((r) => r.username);
}

async function createPopulation(
	database: Database,
	input: { name: string; slug: string; usernames: string[]; now: Date }
): Promise<Population> {
	const db = database.db;
	const actor = SYSTEM_ACTOR;
	const { slug, now } = input;
	const title = `Thử tải — ${input.name}`;
	await createCompetition(db, actor, { slug, title, now });
	const settings = (status: 'registration' | 'running') => ({
		slug,
		title,
		description: 'Hội thi dựng cho phép đo hiệu năng.',
		status,
		unitRule: 'best_k',
		unitBestK: 3,
		teamSizeMax: 5,
		eligibleUnitKinds: [],
		// No freeze: every submission changes the public board, which the live-board scenario needs.
		freezeMinutes: 0,
		judgeMargin: 2,
		prizeQuotas: DEFAULT_QUOTAS
	});
	await updateCompetition(db, actor, { slug, settings: settings('registration'), now });
	await importRegistrations(db, actor, {
		slug,
		text: ['username,team', ...input.usernames.map((u) => `${u},`)].join('\n'),
		fileName: 'bench.csv',
		now
	});
	await addRound(db, actor, {
		slug,
		now,
		round: {
			name: 'Vòng lý thuyết (thử tải)',
			kind: 'theory',
			startMode: 'window',
			instructions: 'Mười câu trắc nghiệm.',
			openAt: new Date(now.getTime() - 60_000),
			closeAt: new Date(now.getTime() + 12 * 3600_000),
			timeLimitMinutes: 600,
			graceSeconds: 60,
			counts: true,
			published: true,
			shuffleQuestions: false,
			shuffleChoices: false
		}
	});
	const [competition] = await db.select().from(competitions).where(eq(competitions.slug, slug));
	const round = await findRound(db, competition.id, 1);
	const pool = await db
		.select({ id: questions.id, type: questionVersions.type })
		.from(questions)
		.innerJoin(questionVersions, eq(questionVersions.id, questions.currentVersionId))
		.where(
			and(
				inArray(questionVersions.type, ['single', 'truefalse']),
				eq(questions.archived, false),
				isNotNull(questions.categoryId)
			)
		)
		.orderBy(asc(questions.id))
		.limit(10);
	if (pool.length < 10)
		throw new Error('the demo bank has fewer than 10 single/true-false questions');
	await setSlots(db, actor, {
		id: round.assessmentId,
		now,
		slots: pool.map((q) => ({ kind: 'fixed' as const, questionId: q.id, points: 1 }))
	});
	await updateCompetition(db, actor, { slug, settings: settings('running'), now });
	await db
		.update(competitions)
		.set({ boardPublic: true })
		.where(eq(competitions.id, competition.id));
	return {
		name: input.name,
		slug,
		position: 1,
		usernames: input.usernames,
		slotTypes: pool.map((q) => q.type as 'single' | 'truefalse')
	};
}

/**
 * Migrates and seeds a fresh database as the server would, then adds what the scenarios need.
 * `sizes` are the population sizes: the first is drawn from the demo cadres, larger ones add
 * bench cadres.
 */
export async function prepareDatabase(
	target: DatabaseTarget,
	input: { sizes: Array<{ name: string; size: number }>; now: Date; skipSeedSteps?: string[] }
): Promise<Prepared> {
	return withBenchDb(target, async (database) => {
		const started = performance.now();
		await migrateDatabase(database, path.join(root, 'drizzle'));
		if (await isDatabaseEmpty(database.db)) {
			await seedDemo(
				{ db: database.db, now: input.now, root, log: () => {} },
				{ skip: input.skipSeedSteps }
			);
		}
		const seedMs = performance.now() - started;
		const cadres = demoCadres().map((c) => c.username);
		const largest = Math.max(...input.sizes.map((s) => s.size));
		const extra = await addCadres(database, largest - cadres.length, input.now);
		const everyone = [...cadres, ...extra];
		const populations: Population[] = [];
		for (const [i, s] of input.sizes.entries()) {
			populations.push(
				await createPopulation(database, {
					name: s.name,
					slug: `thu-tai-${i + 1}`,
					usernames: everyone.slice(0, s.size),
					now: input.now
				})
			);
		}
		const [lesson] = await database.db
			.select({ course: courses.slug, lesson: lessons.slug })
			.from(lessons)
			.innerJoin(courses, eq(courses.id, lessons.courseId))
			.where(and(eq(courses.status, 'published'), eq(lessons.status, 'published')))
			.orderBy(asc(courses.id), asc(lessons.id))
			.limit(1);
		return {
			populations,
			lessonPath: `/courses/${lesson.course}/${lesson.lesson}`,
			seedMs
		};
	});
}
