import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveAnswer, startAttempt, submitAttempt } from '../../src/lib/server/assessments/engine';
import {
	correctAnswerKey,
	gradeAnswer,
	markingGroups,
	markingQueue
} from '../../src/lib/server/assessments/marking';
import {
	createQuiz,
	editSlots,
	managedQuiz,
	quizIntro,
	removeOverride,
	setOverride,
	updateQuiz
} from '../../src/lib/server/assessments/quizzes';
import { quizFormValues, settingsFromForm } from '../../src/lib/server/assessments/quiz-form';
import { quizStatistics } from '../../src/lib/server/assessments/statistics';
import { attemptView } from '../../src/lib/server/assessments/review';
import { slotPoolSize } from '../../src/lib/server/assessments/draw';
import {
	attemptEvents,
	attemptSlots,
	attempts,
	auditLog,
	courseProgress,
	questionVersions
} from '../../src/lib/server/db/schema';
import { Invalid, NotAllowed } from '../../src/lib/server/errors';
import type { Actor } from '../../src/lib/server/auth/actor';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import {
	makeAssessment,
	makeCadre,
	makeCategory,
	makeCourse,
	makeQuestion,
	makeUnit,
	makeUser,
	reviewAll,
	singleChoice
} from './helpers/builders';

let database: TestDatabase;
let trainer: Actor;
let unit: Awaited<ReturnType<typeof makeUnit>>;
let courseId: number;
const t0 = new Date('2012-09-20T01:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

beforeAll(async () => {
	database = await createTestDatabase();
	trainer = await makeUser(database.db, { roles: ['trainer'] });
	unit = await makeUnit(database.db, { code: 'QA' });
	courseId = (await makeCourse(database.db, { title: 'An toàn thông tin' })).id;
});
afterAll(() => database.close());

const formSettings = (extra: Record<string, string> = {}) => ({
	title: 'Kiểm tra an toàn thông tin',
	description: 'Gồm **3** câu.',
	status: 'published',
	openAt: '15/09/2012 07:30',
	closeAt: '30/09/2012 17:00',
	timeLimitMinutes: '15',
	attemptsAllowed: '2',
	gradingMethod: 'average',
	passPercent: '60',
	graceSeconds: '30',
	shuffleQuestions: 'on',
	review_immediately_score: 'on',
	review_afterClose_rightAnswer: 'on',
	...extra
});

describe('quiz settings from the form', () => {
	it('reads Vietnam dates, every setting and the review matrix; refuses bad dates', async () => {
		const db = database.db;
		const { id } = await createQuiz(db, trainer, {
			courseId,
			settings: settingsFromForm(formSettings()),
			now: t0
		});
		const quiz = await managedQuiz(db, trainer, id);
		expect(quiz.settings).toMatchObject({
			openAt: new Date('2012-09-15T00:30:00Z'),
			closeAt: new Date('2012-09-30T10:00:00Z'),
			timeLimitMinutes: 15,
			attemptsAllowed: 2,
			gradingMethod: 'average',
			passPercent: 60,
			graceSeconds: 30,
			shuffleQuestions: true,
			shuffleChoices: false,
			requiredForCompletion: false
		});
		expect(quiz.settings.reviewOptions.immediately).toEqual({
			score: true,
			correctness: false,
			feedback: false,
			rightAnswer: false
		});
		expect(quiz.settings.reviewOptions.afterClose.rightAnswer).toBe(true);
		// The form shows what was saved, the same way it was typed.
		expect(quizFormValues(quiz.settings)).toMatchObject({
			openAt: '15/09/2012 07:30',
			closeAt: '30/09/2012 17:00',
			review_immediately_score: 'on',
			shuffleQuestions: 'on'
		});
		expect(() => settingsFromForm(formSettings({ openAt: '31/02/2012 07:00' }))).toThrow(Invalid);
		expect(() => settingsFromForm(formSettings({ closeAt: '30/09/2012 25:00' }))).toThrow(Invalid);
		await expect(
			updateQuiz(db, trainer, {
				id,
				settings: settingsFromForm(formSettings({ closeAt: '14/09/2012 07:00' })),
				now: t0
			})
		).rejects.toThrow(Invalid);
		await updateQuiz(db, trainer, {
			id,
			settings: settingsFromForm(formSettings({ attemptsAllowed: '', timeLimitMinutes: '' })),
			now: t0
		});
		expect((await managedQuiz(db, trainer, id)).settings).toMatchObject({
			attemptsAllowed: null,
			timeLimitMinutes: null
		});
	});
});

describe('the slot editor', () => {
	it('adds random draws by tag and difficulty, fixed questions, moves, removes and sets points', async () => {
		const db = database.db;
		const root = await makeCategory(db, { name: 'Mật khẩu' });
		const sub = await makeCategory(db, { name: 'Mật khẩu mạnh', parent: root });
		const hard = [];
		for (let i = 0; i < 3; i++)
			hard.push(
				(
					await makeQuestion(db, {
						categoryId: i ? sub.id : root.id,
						data: singleChoice(0),
						tags: ['mat-khau', 'kho'],
						difficulty: 3
					})
				).questionId
			);
		await makeQuestion(db, {
			categoryId: sub.id,
			data: singleChoice(0),
			tags: ['mat-khau'],
			difficulty: 1
		});
		const essay = await makeQuestion(db, { categoryId: root.id, data: { type: 'essay' } });
		const { id } = await createQuiz(db, trainer, {
			courseId,
			settings: settingsFromForm(formSettings({ openAt: '', closeAt: '' })),
			now: t0
		});
		const random = {
			kind: 'random' as const,
			categoryId: root.id,
			includeSubcategories: true,
			tags: ['mat-khau'],
			difficulty: 3,
			points: 1
		};
		expect(await slotPoolSize(db, { ...random, questionId: null })).toBe(3);
		expect(
			await slotPoolSize(db, { ...random, questionId: null, includeSubcategories: false })
		).toBe(1);
		expect(await slotPoolSize(db, { ...random, questionId: null, difficulty: null })).toBe(4);
		await editSlots(db, trainer, { id, change: { op: 'add', slots: [random, random] }, now: t0 });
		await editSlots(db, trainer, {
			id,
			change: { op: 'add', slots: [{ kind: 'fixed', questionId: essay.questionId, points: 4 }] },
			now: t0
		});
		await editSlots(db, trainer, { id, change: { op: 'move', position: 3, by: -1 }, now: t0 });
		await editSlots(db, trainer, { id, change: { op: 'points', points: { 1: 2.5 } }, now: t0 });
		let slots = (await managedQuiz(db, trainer, id)).slots;
		expect(slots.map((s) => [s.kind, s.points])).toEqual([
			['random', 2.5],
			['fixed', 4],
			['random', 1]
		]);
		await expect(
			editSlots(db, trainer, { id, change: { op: 'points', points: { 2: 0 } }, now: t0 })
		).rejects.toThrow(Invalid);
		await expect(
			editSlots(db, trainer, {
				id,
				change: { op: 'add', slots: [{ kind: 'fixed', questionId: 999_999, points: 1 }] },
				now: t0
			})
		).rejects.toThrow(Invalid);
		await editSlots(db, trainer, { id, change: { op: 'remove', position: 2 }, now: t0 });
		slots = (await managedQuiz(db, trainer, id)).slots;
		expect(slots.map((s) => s.kind)).toEqual(['random', 'random']);
		const cadre = await makeCadre(db, unit);
		await expect(
			editSlots(db, cadre, { id, change: { op: 'remove', position: 1 }, now: t0 })
		).rejects.toThrow(NotAllowed);
		// A cadre's attempt draws two different hard questions tagged mat-khau.
		const { attemptId } = await startAttempt(db, cadre, { assessmentId: id, now: t0 });
		const drawn = await db
			.select({ questionId: questionVersions.questionId })
			.from(attemptSlots)
			.innerJoin(questionVersions, eq(questionVersions.id, attemptSlots.questionVersionId))
			.where(eq(attemptSlots.attemptId, attemptId));
		expect(new Set(drawn.map((d) => d.questionId)).size).toBe(2);
		for (const d of drawn) expect(hard).toContain(d.questionId);
	});

	it('draws unseen questions first, then the least recently seen', async () => {
		const db = database.db;
		const cat = await makeCategory(db, { name: 'Vòng quay' });
		const ids: number[] = [];
		for (let i = 0; i < 3; i++)
			ids.push((await makeQuestion(db, { categoryId: cat.id, data: singleChoice(0) })).questionId);
		const quiz = await makeAssessment(db, {
			courseId,
			attemptsAllowed: null,
			slots: [{ categoryId: cat.id }]
		});
		const cadre = await makeCadre(db, unit);
		const seen: number[] = [];
		for (let n = 0; n < 5; n++) {
			const { attemptId } = await startAttempt(db, cadre, {
				assessmentId: quiz.id,
				now: at(n * 100)
			});
			const [slot] = await db
				.select({ questionId: questionVersions.questionId })
				.from(attemptSlots)
				.innerJoin(questionVersions, eq(questionVersions.id, attemptSlots.questionVersionId))
				.where(eq(attemptSlots.attemptId, attemptId));
			seen.push(slot.questionId);
			await submitAttempt(db, cadre, { attemptId, now: at(n * 100 + 10) });
		}
		// Three attempts meet the three questions; then the oldest come round again, in order.
		expect(new Set(seen.slice(0, 3)).size).toBe(3);
		expect(seen.slice(3)).toEqual(seen.slice(0, 2));
	});
});

describe('overrides', () => {
	it('gives one person extra time and an attempt, and removes it with a reason, all audited', async () => {
		const db = database.db;
		const cat = await makeCategory(db, { name: 'Ngoại lệ' });
		const q = await makeQuestion(db, { categoryId: cat.id, data: singleChoice(0) });
		const quiz = await makeAssessment(db, {
			courseId,
			attemptsAllowed: 1,
			timeLimitSeconds: 600,
			slots: [{ questionId: q.questionId }]
		});
		const cadre = await makeCadre(db, unit);
		await setOverride(db, trainer, {
			assessmentId: quiz.id,
			username: cadre.username,
			extraMinutes: 10,
			extraAttempts: 1,
			closeAt: null,
			reason: 'Khiếm thị, cần thêm giờ',
			now: t0
		});
		expect(await quizIntro(db, cadre, { id: quiz.id, now: t0 })).toMatchObject({
			attemptsLeft: 2,
			timeLimitMinutes: 20
		});
		await expect(
			removeOverride(db, trainer, {
				assessmentId: quiz.id,
				username: cadre.username,
				reason: '',
				now: t0
			})
		).rejects.toThrow(Invalid);
		await removeOverride(db, trainer, {
			assessmentId: quiz.id,
			username: cadre.username,
			reason: 'Nhập nhầm người',
			now: at(5)
		});
		expect(await quizIntro(db, cadre, { id: quiz.id, now: at(6) })).toMatchObject({
			attemptsLeft: 1,
			timeLimitMinutes: 10
		});
		const audit = await db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.targetType, 'assessment'), eq(auditLog.targetId, String(quiz.id))))
			.orderBy(asc(auditLog.id));
		expect(audit.map((a) => [a.action, a.details.reason])).toEqual([
			['quiz.override', 'Khiếm thị, cần thêm giờ'],
			['quiz.override_removed', 'Nhập nhầm người']
		]);
	});
});

describe('grading, statistics and review', () => {
	it('grades essays from the queue, recomputes the score and completion, and reports item statistics', async () => {
		const db = database.db;
		const course = await makeCourse(db, { title: 'Soạn thảo văn bản' });
		const cat = await makeCategory(db, { name: 'Soạn thảo' });
		const mc = await makeQuestion(db, {
			categoryId: cat.id,
			data: singleChoice(1, 3),
			name: 'Phím lưu'
		});
		const essay = await makeQuestion(db, {
			categoryId: cat.id,
			data: { type: 'essay' },
			name: 'Quy trình'
		});
		const quiz = await makeAssessment(db, {
			courseId: course.id,
			passPercent: 50,
			requiredForCompletion: true,
			slots: [{ questionId: mc.questionId }, { questionId: essay.questionId, points: 3 }]
		});
		// Four cadres: choices 1 (right), 1, 0, 2; essays of various quality.
		const picks = [1, 1, 0, 2];
		const ids: string[] = [];
		for (const [i, choice] of picks.entries()) {
			const cadre = await makeCadre(db, unit, { fullName: `Người Làm ${i}` });
			const { attemptId } = await startAttempt(db, cadre, { assessmentId: quiz.id, now: at(i) });
			await saveAnswer(db, cadre, {
				attemptId,
				slot: 1,
				seq: 1,
				response: { type: 'single', choice },
				now: at(i + 1)
			});
			await saveAnswer(db, cadre, {
				attemptId,
				slot: 2,
				seq: 1,
				response: { type: 'essay', text: `Bài viết ${i}` },
				now: at(i + 2)
			});
			await submitAttempt(db, cadre, { attemptId, now: at(i + 3) });
			ids.push(attemptId);
		}
		expect(await markingGroups(db, trainer)).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					assessmentId: quiz.id,
					questionVersionId: essay.versionId,
					waiting: 4
				})
			])
		);
		const queue = await markingQueue(db, trainer, {
			assessmentId: quiz.id,
			questionVersionId: essay.versionId
		});
		expect(queue.map((q) => q.answer)).toEqual([
			'Bài viết 0',
			'Bài viết 1',
			'Bài viết 2',
			'Bài viết 3'
		]);
		expect(JSON.stringify(queue)).not.toContain('Người Làm');
		// Marks: 3 points, 2 points, 75 % (2.25), 0.
		await gradeAnswer(db, trainer, {
			attemptId: ids[0],
			slot: 2,
			mark: 3,
			comment: 'Đủ ý',
			now: at(100)
		});
		await gradeAnswer(db, trainer, {
			attemptId: ids[1],
			slot: 2,
			mark: 2,
			comment: '',
			now: at(101)
		});
		expect(
			await gradeAnswer(db, trainer, {
				attemptId: ids[2],
				slot: 2,
				fraction: 0.75,
				comment: '',
				now: at(102)
			})
		).toEqual({ score: 2.25, maxScore: 4 });
		await expect(
			gradeAnswer(db, trainer, {
				attemptId: ids[3],
				slot: 2,
				fraction: 1.5,
				comment: '',
				now: at(103)
			})
		).rejects.toThrow(Invalid);
		await gradeAnswer(db, trainer, {
			attemptId: ids[3],
			slot: 2,
			mark: 0,
			comment: 'Lạc đề',
			now: at(103)
		});
		expect(await markingQueue(db, trainer, { assessmentId: quiz.id })).toEqual([]);
		const scores = await db
			.select({ id: attempts.id, score: attempts.score, needsGrading: attempts.needsGrading })
			.from(attempts)
			.where(eq(attempts.assessmentId, quiz.id));
		expect(new Map(scores.map((s) => [s.id, [s.score, s.needsGrading]]))).toEqual(
			new Map([
				[ids[0], [4, false]],
				[ids[1], [3, false]],
				[ids[2], [2.25, false]],
				[ids[3], [0, false]]
			])
		);
		// Grading completed the course for the first cadre (4/4 ≥ 50 %), not for the last (0/4).
		const [owner0] = await db
			.select({ userId: attempts.userId })
			.from(attempts)
			.where(eq(attempts.id, ids[0]));
		const [progress0] = await db
			.select()
			.from(courseProgress)
			.where(and(eq(courseProgress.userId, owner0.userId), eq(courseProgress.courseId, course.id)));
		expect(progress0?.completedAt).not.toBeNull();
		const events = await db
			.select()
			.from(attemptEvents)
			.where(and(eq(attemptEvents.attemptId, ids[2]), eq(attemptEvents.type, 'grade')));
		expect(events[0].details).toMatchObject({ mark: 2.25 });

		const stats = await quizStatistics(db, trainer, quiz.id);
		expect(stats.attempts).toBe(4);
		expect(stats.meanPercent).toBe(Math.round(((4 + 3 + 2.25 + 0) / 16) * 1000) / 10);
		const mcStats = stats.items.find((i) => i.versionId === mc.versionId)!;
		expect(mcStats).toMatchObject({ n: 4, facility: 0.5 });
		expect(mcStats.options.map((o) => [o.count, o.fraction])).toEqual([
			[1, 0],
			[2, 1],
			[1, 0]
		]);
		const essayStats = stats.items.find((i) => i.versionId === essay.versionId)!;
		// Essay fractions are stored to 7 places (2/3 → 0.6666667).
		expect(essayStats.facility).toBeCloseTo((1 + 2 / 3 + 0.75 + 0) / 4, 6);
		// mc x = 1 1 0 0, rest (essay share) = 1, 2/3, .75, 0: positive discrimination.
		expect(mcStats.discrimination).toBeGreaterThan(0.2);
		await expect(quizStatistics(db, await makeCadre(db, unit), quiz.id)).rejects.toThrow(
			NotAllowed
		);
	});

	it('previews a key correction without changing anything, then regrades on confirm', async () => {
		const db = database.db;
		const cat = await makeCategory(db, { name: 'Đáp án sai' });
		const q = await makeQuestion(db, { categoryId: cat.id, data: singleChoice(0, 3) });
		const quiz = await makeAssessment(db, { courseId, slots: [{ questionId: q.questionId }] });
		const ids: string[] = [];
		for (const choice of [0, 1, 1]) {
			const cadre = await makeCadre(db, unit);
			const { attemptId } = await startAttempt(db, cadre, { assessmentId: quiz.id, now: t0 });
			await saveAnswer(db, cadre, {
				attemptId,
				slot: 1,
				seq: 1,
				response: { type: 'single', choice },
				now: at(1)
			});
			await submitAttempt(db, cadre, { attemptId, now: at(2) });
			ids.push(attemptId);
		}
		const score = async () =>
			(
				await db
					.select({ score: attempts.score })
					.from(attempts)
					.where(eq(attempts.assessmentId, quiz.id))
					.orderBy(asc(attempts.startedAt), asc(attempts.id))
			)
				.map((r) => r.score)
				.sort();
		expect(await score()).toEqual([0, 0, 1]);
		const preview = await correctAnswerKey(db, trainer, {
			questionVersionId: q.versionId,
			data: singleChoice(1, 3),
			dryRun: true,
			now: at(10)
		});
		expect(preview).toEqual({ attempts: 3, changed: 3 });
		expect(await score()).toEqual([0, 0, 1]);
		const [version] = await db
			.select()
			.from(questionVersions)
			.where(eq(questionVersions.id, q.versionId));
		expect(version.data).toEqual(singleChoice(0, 3));
		expect(
			await db.select().from(auditLog).where(eq(auditLog.action, 'grade.key_corrected'))
		).toEqual([]);
		expect(
			await correctAnswerKey(db, trainer, {
				questionVersionId: q.versionId,
				data: singleChoice(1, 3),
				now: at(20)
			})
		).toEqual({ attempts: 3, changed: 3 });
		expect(await score()).toEqual([0, 1, 1]);
		const regrades = await db.select().from(attemptEvents).where(eq(attemptEvents.type, 'regrade'));
		expect(regrades).toHaveLength(3);
	});

	it('shows the right answer only in the phases the review options allow', async () => {
		const db = database.db;
		const cat = await makeCategory(db, { name: 'Xem lại' });
		const q = await makeQuestion(db, { categoryId: cat.id, data: singleChoice(0, 2) });
		const quiz = await makeAssessment(db, {
			courseId,
			closeAt: at(3600),
			reviewOptions: {
				...reviewAll,
				immediately: { score: true, correctness: false, feedback: false, rightAnswer: false },
				later: { score: false, correctness: true, feedback: false, rightAnswer: false },
				afterClose: { score: true, correctness: true, feedback: true, rightAnswer: true }
			},
			slots: [{ questionId: q.questionId }]
		});
		const cadre = await makeCadre(db, unit);
		const { attemptId } = await startAttempt(db, cadre, { assessmentId: quiz.id, now: t0 });
		await saveAnswer(db, cadre, {
			attemptId,
			slot: 1,
			seq: 1,
			response: { type: 'single', choice: 1 },
			now: at(1)
		});
		await submitAttempt(db, cadre, { attemptId, now: at(2) });
		const immediately = await attemptView(db, cadre, { attemptId, now: at(30) });
		expect(immediately).toMatchObject({ phase: 'immediately', score: 0 });
		expect(immediately.slots[0].review).toEqual({ mark: 0 });
		const later = await attemptView(db, cadre, { attemptId, now: at(600) });
		expect(later).toMatchObject({ phase: 'later', score: null });
		expect(later.slots[0].review).toEqual({ correctness: 'incorrect' });
		const closed = await attemptView(db, cadre, { attemptId, now: at(3600) });
		expect(closed.phase).toBe('afterClose');
		expect(closed.slots[0].review).toMatchObject({
			correctness: 'incorrect',
			rightAnswer: ['Phương án A'],
			feedback: ['Chưa đúng']
		});
	});
});
