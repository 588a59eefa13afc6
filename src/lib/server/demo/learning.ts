// Demo learning data: the courses in content/, a quiz per course built from its question bank,
// assignments with due dates, and varied, deterministic progress for the 620 cadres (some units
// and some leaders ahead, others behind), with real quiz attempts through the engine.
import fs from 'node:fs';
import path from 'node:path';
import { and, asc, eq, isNull, like } from 'drizzle-orm';
import { SYSTEM_ACTOR } from '../auth/actor';
import {
	attemptSlots,
	courseAssignments,
	courseProgress,
	courses,
	lessonProgress,
	lessons,
	questionCategories,
	questionVersions,
	units,
	users
} from '../db/schema';
import { importCourseFolder } from '../courses/import';
import { createQuiz, setSlots, DEFAULT_REVIEW } from '../assessments/quizzes';
import { startAttempt, submitAttempt } from '../assessments/engine';
import { refreshCompletion } from '../courses/learning';
import { loadActor } from '../org/users';
import { seededRandom } from '../random';
import type { QuestionData, Response } from '../questions/types';
import type { SeedContext } from './seed';
import { DEMO_STAFF, FRESH_ACCOUNTS } from './people';

/** Demo time: the training campaign ran from April to September 2012, before the competition. */
const CAMPAIGN_START = Date.UTC(2012, 3, 2, 1, 0, 0);
const DAY = 24 * 3600_000;

export async function seedCourses(ctx: SeedContext): Promise<void> {
	const root = path.join(ctx.root, 'content');
	if (!fs.existsSync(root)) return;
	for (const dir of fs.readdirSync(root).sort()) {
		if (!fs.existsSync(path.join(root, dir, 'course.md'))) continue;
		const result = await importCourseFolder(ctx.db, SYSTEM_ACTOR, {
			dir: path.join(root, dir),
			now: new Date(CAMPAIGN_START - 30 * DAY)
		});
		ctx.log(
			`course ${result.slug}: ${result.lessons.created} lessons, ${result.questions?.created ?? 0} questions`
		);
	}
}

/** A published quiz per course whose bank exists: one random question per topic, round-robin. */
export async function seedQuizzes(ctx: SeedContext): Promise<void> {
	const all = await ctx.db.select().from(courses).orderBy(asc(courses.id));
	for (const course of all) {
		const [bank] = await ctx.db
			.select()
			.from(questionCategories)
			.where(and(eq(questionCategories.name, course.title), isNull(questionCategories.parentId)));
		if (!bank) continue;
		const topics = await ctx.db
			.select()
			.from(questionCategories)
			.where(eq(questionCategories.parentId, bank.id))
			.orderBy(asc(questionCategories.id));
		const sources = topics.length ? topics : [bank];
		const count = 12;
		const { id } = await createQuiz(ctx.db, SYSTEM_ACTOR, {
			courseId: course.id,
			now: new Date(CAMPAIGN_START - 20 * DAY),
			settings: {
				title: `Kiểm tra cuối khóa: ${course.title}`,
				description: `Bài kiểm tra gồm ${count} câu hỏi rút ngẫu nhiên từ các bài của khóa học. Thời gian làm bài 20 phút; mỗi đồng chí được làm 2 lần, lấy lần cao nhất. Cần đạt từ 70% để hoàn thành khóa học.`,
				status: 'published',
				openAt: null,
				closeAt: null,
				timeLimitMinutes: 20,
				attemptsAllowed: 2,
				gradingMethod: 'highest',
				passPercent: 70,
				shuffleQuestions: true,
				shuffleChoices: true,
				graceSeconds: 60,
				requiredForCompletion: true,
				reviewOptions: DEFAULT_REVIEW
			}
		});
		await setSlots(ctx.db, SYSTEM_ACTOR, {
			id,
			now: new Date(CAMPAIGN_START - 20 * DAY),
			slots: Array.from({ length: count }, (_, i) => ({
				kind: 'random' as const,
				categoryId: sources[i % sources.length].id,
				includeSubcategories: true,
				points: 1
			}))
		});
		ctx.log(`quiz for ${course.slug}: ${count} questions from ${sources.length} topics`);
	}
}

/** Which courses each part of the province was asked to take, and by when. */
const ASSIGNMENTS: Array<{ slug: string; unit: string; due: number | null }> = [
	{ slug: 'tin-hoc-van-phong', unit: 'TU-YB', due: Date.UTC(2012, 5, 30, 16, 59) },
	{ slug: 'quan-tri-mang-co-ban', unit: 'VPTU', due: Date.UTC(2012, 7, 31, 16, 59) },
	...['TP-YB', 'TX-NL', 'HU-LY', 'HU-VY', 'HU-MCC', 'HU-TY', 'HU-TT', 'HU-VC', 'HU-YBI'].map(
		(unit) => ({ slug: 'quan-tri-mang-co-ban', unit, due: Date.UTC(2012, 7, 31, 16, 59) })
	),
	{ slug: 'an-toan-thong-tin', unit: 'TU-YB', due: null }
];

/** How keen a unit is (0–1), so reports show real differences between units. */
function unitEngagement(code: string, random: () => number): number {
	if (['VPTU', 'HU-LY', 'LY-MINHXUAN', 'TP-YB', 'YB-DONGTAM'].includes(code)) return 0.85;
	if (['HU-MCC', 'MCC-KIMNOI', 'TT-BANMU', 'HU-TT'].includes(code)) return 0.35;
	return 0.45 + random() * 0.4;
}

export async function seedProgress(ctx: SeedContext): Promise<void> {
	const db = ctx.db;
	const random = seededRandom(20120915);
	for (const a of ASSIGNMENTS) {
		const [course] = await db
			.select({ id: courses.id })
			.from(courses)
			.where(eq(courses.slug, a.slug));
		const [unit] = await db.select({ id: units.id }).from(units).where(eq(units.code, a.unit));
		if (!course || !unit) continue;
		await db.insert(courseAssignments).values({
			courseId: course.id,
			unitId: unit.id,
			includeSubtree: true,
			dueAt: a.due ? new Date(a.due) : null,
			assignedAt: new Date(CAMPAIGN_START)
		});
	}
	const published = await db
		.select({ id: courses.id, slug: courses.slug })
		.from(courses)
		.where(eq(courses.status, 'published'));
	const lessonRows = await db
		.select({ id: lessons.id, courseId: lessons.courseId })
		.from(lessons)
		.where(eq(lessons.status, 'published'))
		.orderBy(asc(lessons.position));
	const cadres = await db
		.select({
			id: users.id,
			username: users.username,
			isLeader: users.isLeader,
			unitCode: units.code,
			unitPath: units.path
		})
		.from(users)
		.innerJoin(units, eq(units.id, users.unitId))
		.where(like(units.path, '/%'))
		.orderBy(asc(users.id));
	const engagement = new Map<string, number>();
	const lessonProgressRows: Array<typeof lessonProgress.$inferInsert> = [];
	const courseProgressRows: Array<typeof courseProgress.$inferInsert> = [];
	const finishers: Array<{ userId: number; courseId: number; at: number; skill: number }> = [];
	const staff = new Set(DEMO_STAFF.map((p) => p.username));
	for (const cadre of cadres.filter(
		(c) => !staff.has(c.username) && !FRESH_ACCOUNTS.has(c.username)
	)) {
		if (!engagement.has(cadre.unitCode))
			engagement.set(cadre.unitCode, unitEngagement(cadre.unitCode, random));
		// Leaders differ the most: some lead by example, some do not open anything.
		const keen = Math.min(
			1,
			Math.max(
				0,
				engagement.get(cadre.unitCode)! +
					(cadre.isLeader ? (random() < 0.5 ? 0.3 : -0.4) : (random() - 0.5) * 0.3)
			)
		);
		const skill = 0.45 + random() * 0.5;
		for (const course of published) {
			if (random() > keen) continue;
			const courseLessons = lessonRows.filter((l) => l.courseId === course.id);
			if (!courseLessons.length) continue;
			const startedAt =
				CAMPAIGN_START + Math.floor(random() * 120) * DAY + Math.floor(random() * 8) * 3600_000;
			const share = random() < keen ? 1 : random();
			const done = Math.max(1, Math.round(share * courseLessons.length));
			let at = startedAt;
			for (const [i, lesson] of courseLessons.entries()) {
				if (i >= done + 1) break;
				at += Math.floor((0.5 + random() * 3) * DAY);
				const seconds = 600 + Math.floor(random() * 1800);
				lessonProgressRows.push({
					userId: cadre.id,
					lessonId: lesson.id,
					firstOpenedAt: new Date(at),
					lastOpenedAt: new Date(at + seconds * 1000),
					completedAt: i < done ? new Date(at + seconds * 1000) : null,
					secondsSpent: seconds
				});
			}
			courseProgressRows.push({
				userId: cadre.id,
				courseId: course.id,
				startedAt: new Date(startedAt),
				lastLessonId: courseLessons[Math.min(done, courseLessons.length - 1)].id,
				lastActivityAt: new Date(at)
			});
			if (done >= courseLessons.length)
				finishers.push({ userId: cadre.id, courseId: course.id, at: at + DAY, skill });
		}
	}
	for (let i = 0; i < lessonProgressRows.length; i += 500)
		await db.insert(lessonProgress).values(lessonProgressRows.slice(i, i + 500));
	for (let i = 0; i < courseProgressRows.length; i += 500)
		await db.insert(courseProgress).values(courseProgressRows.slice(i, i + 500));

	// Those who read every lesson take the quiz, through the real engine (draws, grading, completion).
	const quizzes = await db.query.assessments.findMany({
		where: (a, { eq: e }) => e(a.kind, 'quiz')
	});
	let taken = 0;
	for (const f of finishers) {
		const quiz = quizzes.find((q) => q.courseId === f.courseId);
		// Not everyone who finished reading has sat the quiz yet: about two in five have.
		if (quiz && random() > 0.4) continue;
		if (!quiz) {
			await refreshCompletion(db, { userId: f.userId, courseId: f.courseId, now: new Date(f.at) });
			continue;
		}
		const actor = await loadActor(db, f.userId);
		const tries = f.skill < 0.7 && random() < 0.6 ? 2 : 1;
		for (let t = 0; t < tries; t++) {
			const start = new Date(f.at + t * 2 * DAY);
			const { attemptId } = await startAttempt(db, actor, { assessmentId: quiz.id, now: start });
			const slots = await db
				.select({ slot: attemptSlots.slot, data: questionVersions.data })
				.from(attemptSlots)
				.innerJoin(questionVersions, eq(questionVersions.id, attemptSlots.questionVersionId))
				.where(eq(attemptSlots.attemptId, attemptId));
			// All answers with the submit, as a page posted without JavaScript would send them.
			const answers = slots.flatMap((slot) => {
				const response = demoAnswer(
					slot.data as QuestionData,
					random() < f.skill + t * 0.15,
					random
				);
				return response ? [{ slot: slot.slot, seq: 1, response }] : [];
			});
			await submitAttempt(db, actor, {
				attemptId,
				now: new Date(start.getTime() + 11 * 60_000),
				answers
			});
			taken++;
		}
	}
	ctx.log(
		`progress: ${courseProgressRows.length} course starts, ${lessonProgressRows.length} lessons, ${taken} quiz attempts`
	);
}

/** A plausible answer, right with the given chance (the answer key is read here, on the server, for demo data only). */
function demoAnswer(data: QuestionData, right: boolean, random: () => number): Response | null {
	const pick = <T>(list: T[]): T | undefined => list[Math.floor(random() * list.length)];
	switch (data.type) {
		case 'single': {
			const index = data.choices.findIndex((c) => (right ? c.fraction === 1 : c.fraction <= 0));
			return { type: 'single', choice: index >= 0 ? index : 0 };
		}
		case 'multiple': {
			const good = data.choices.map((c, i) => (c.fraction > 0 ? i : -1)).filter((i) => i >= 0);
			const bad = data.choices.map((c, i) => (c.fraction <= 0 ? i : -1)).filter((i) => i >= 0);
			return {
				type: 'multiple',
				choices: right
					? good
					: [good[0], pick(bad) ?? good[0]].filter((i): i is number => i !== undefined)
			};
		}
		case 'truefalse':
			return { type: 'truefalse', answer: right ? data.answer : !data.answer };
		case 'shortanswer':
			return {
				type: 'shortanswer',
				text: right
					? (data.answers.find((a) => a.fraction === 1)?.text ?? '').replace(/\*/g, '')
					: 'chưa rõ'
			};
		case 'numerical': {
			const value = data.answers.find((a) => a.value !== null && a.fraction === 1)?.value ?? 0;
			return { type: 'numerical', text: String(right ? value : value + 17) };
		}
		case 'matching': {
			const answers: Record<number, string | null> = {};
			const options = data.pairs.map((p) => p.answer);
			data.pairs.forEach((p, i) => {
				if (p.prompt) answers[i] = right ? p.answer : (pick(options) ?? null);
			});
			return { type: 'matching', answers };
		}
		case 'essay':
			return {
				type: 'essay',
				text: 'Theo tôi, cần thực hiện theo đúng quy trình đã học: kiểm tra, ghi nhận, báo cáo lãnh đạo và lưu hồ sơ.'
			};
		default:
			return null;
	}
}
