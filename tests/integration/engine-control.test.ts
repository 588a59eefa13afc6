import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	extendTime,
	pauseAssessment,
	resumeAssessment
} from '../../src/lib/server/assessments/control';
import {
	saveAnswer,
	startAttempt,
	submitAttempt,
	sweepOverdue
} from '../../src/lib/server/assessments/engine';
import {
	correctAnswerKey,
	gradeAnswer,
	markingQueue
} from '../../src/lib/server/assessments/marking';
import {
	createQuiz,
	quizIntro,
	setOverride,
	setSlots,
	DEFAULT_REVIEW
} from '../../src/lib/server/assessments/quizzes';
import { quizCompletionChecks } from '../../src/lib/server/assessments/results';
import { attemptView } from '../../src/lib/server/assessments/review';
import { attempts, auditLog } from '../../src/lib/server/db/schema';
import { Conflict, Invalid, NotAllowed, NotFound } from '../../src/lib/server/errors';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import {
	makeAssessment,
	makeCadre,
	makeCategory,
	makeCourse,
	makeQuestion,
	makeUnit,
	makeUser,
	singleChoice
} from './helpers/builders';

let database: TestDatabase;
let unit: Awaited<ReturnType<typeof makeUnit>>;
let courseId: number;
let q1: { questionId: number; versionId: number };
let essay: { questionId: number; versionId: number };
const t0 = new Date('2012-09-20T01:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

beforeAll(async () => {
	database = await createTestDatabase();
	const db = database.db;
	unit = await makeUnit(db, { code: 'C1' });
	courseId = (await makeCourse(db, { title: 'Tin học văn phòng' })).id;
	const cat = await makeCategory(db, { name: 'Văn phòng' });
	q1 = await makeQuestion(db, {
		categoryId: cat.id,
		data: singleChoice(1),
		stem: 'Phím tắt lưu văn bản là?'
	});
	essay = await makeQuestion(db, {
		categoryId: cat.id,
		data: { type: 'essay' },
		stem: 'Trình bày quy trình xử lý công văn đến.'
	});
});
afterAll(() => database.close());

describe('pause, resume and extra time', () => {
	it('stops the clock while paused and moves deadlines on resume, with reasons in the audit log', async () => {
		const db = database.db;
		const organiser = await makeUser(db, { roles: ['organiser'] });
		const trainer = await makeUser(db, { roles: ['trainer'] });
		const cadre = await makeCadre(db, unit);
		const a = await makeAssessment(db, {
			courseId,
			timeLimitSeconds: 600,
			slots: [{ questionId: q1.questionId }]
		});
		const { attemptId } = await startAttempt(db, cadre, { assessmentId: a.id, now: t0 });
		await expect(
			pauseAssessment(db, organiser, { assessmentId: a.id, reason: 'x', now: at(100) })
		).rejects.toThrow(NotAllowed);
		await expect(
			pauseAssessment(db, trainer, { assessmentId: a.id, reason: '', now: at(100) })
		).rejects.toThrow(Invalid);
		await pauseAssessment(db, trainer, {
			assessmentId: a.id,
			reason: 'Mất điện hội trường',
			now: at(100)
		});
		await expect(
			pauseAssessment(db, trainer, { assessmentId: a.id, reason: 'lại', now: at(101) })
		).rejects.toThrow(Conflict);
		// During the pause nothing expires, saves still land, and nobody new starts.
		expect(await sweepOverdue(db, { now: at(5000) })).toBe(0);
		expect(
			await saveAnswer(db, cadre, {
				attemptId,
				slot: 1,
				seq: 1,
				response: { type: 'single', choice: 1 },
				now: at(4000)
			})
		).toMatchObject({ status: 'saved' });
		await expect(
			startAttempt(db, await makeCadre(db, unit), { assessmentId: a.id, now: at(200) })
		).rejects.toThrow(Conflict);
		const { pausedMs } = await resumeAssessment(db, trainer, {
			assessmentId: a.id,
			reason: 'Đã có điện',
			now: at(1900)
		});
		expect(pausedMs).toBe(1_800_000);
		const [row] = await db.select().from(attempts).where(eq(attempts.id, attemptId));
		expect(row.deadlineAt?.toISOString()).toBe(at(600 + 1800).toISOString());
		await submitAttempt(db, cadre, { attemptId, now: at(2000) });
		const [done] = await db.select().from(attempts).where(eq(attempts.id, attemptId));
		// Time used leaves out the pause: the tie-break is fair.
		expect(done.timeUsedMs).toBe(200_000);
		const audit = await db
			.select()
			.from(auditLog)
			.where(eq(auditLog.targetId, String(a.id)));
		expect(audit.map((e) => [e.action, e.details.reason])).toEqual(
			expect.arrayContaining([
				['assessment.pause', 'Mất điện hội trường'],
				['assessment.resume', 'Đã có điện']
			])
		);
	});

	it('extends time for one person or for everyone', async () => {
		const db = database.db;
		const trainer = await makeUser(db, { roles: ['trainer'] });
		const a = await makeAssessment(db, {
			courseId,
			timeLimitSeconds: 600,
			slots: [{ questionId: q1.questionId }]
		});
		const one = await makeCadre(db, unit);
		const two = await makeCadre(db, unit);
		const first = await startAttempt(db, one, { assessmentId: a.id, now: t0 });
		const second = await startAttempt(db, two, { assessmentId: a.id, now: t0 });
		expect(
			await extendTime(db, trainer, {
				assessmentId: a.id,
				userId: one.id,
				minutes: 10,
				reason: 'Máy hỏng phải đổi máy',
				now: at(60)
			})
		).toEqual({ attemptsMoved: 1 });
		expect(
			await extendTime(db, trainer, {
				assessmentId: a.id,
				userId: null,
				minutes: 5,
				reason: 'Đề có lỗi in',
				now: at(60)
			})
		).toEqual({ attemptsMoved: 2 });
		const deadline = async (id: string) =>
			(await db.select().from(attempts).where(eq(attempts.id, id)))[0].deadlineAt?.toISOString();
		expect(await deadline(first.attemptId)).toBe(at(600 + 900).toISOString());
		expect(await deadline(second.attemptId)).toBe(at(600 + 300).toISOString());
	});
});

describe('review', () => {
	it('shows no answer key during the attempt, and what the options allow after', async () => {
		const db = database.db;
		const cadre = await makeCadre(db, unit);
		const a = await makeAssessment(db, {
			courseId,
			slots: [{ questionId: q1.questionId }],
			reviewOptions: { ...DEFAULT_REVIEW }
		});
		const { attemptId } = await startAttempt(db, cadre, { assessmentId: a.id, now: t0 });
		await saveAnswer(db, cadre, {
			attemptId,
			slot: 1,
			seq: 1,
			response: { type: 'single', choice: 0 },
			now: at(5)
		});
		const during = await attemptView(db, cadre, { attemptId, now: at(10) });
		const text = JSON.stringify(during);
		expect(text).not.toContain('fraction');
		expect(text).not.toContain('Đúng');
		expect(text).not.toContain('Chưa đúng');
		expect(during.slots[0].review).toBeUndefined();
		expect(during.slots[0].response).toEqual({ type: 'single', choice: 0 });
		expect(during.slots[0].choices.map((c) => c.index)).toEqual([0, 1, 2, 3]);
		await expect(
			attemptView(db, await makeCadre(db, unit), { attemptId, now: at(10) })
		).rejects.toThrow(NotFound);
		await submitAttempt(db, cadre, { attemptId, now: at(20) });
		const after = await attemptView(db, cadre, { attemptId, now: at(30) });
		expect(after.phase).toBe('immediately');
		expect(after.slots[0].review).toEqual({
			correctness: 'incorrect',
			mark: 0,
			feedback: ['Chưa đúng'],
			generalFeedback: null,
			comment: null
		});
		expect(after.slots[0].review?.rightAnswer).toBeUndefined();
		expect(after.score).toBe(0);
	});
});

describe('marking and regrading', () => {
	it('queues essays blind, records a trainer’s grade, and regrades after a key correction', async () => {
		const db = database.db;
		const trainer = await makeUser(db, { roles: ['trainer'] });
		const cadre = await makeCadre(db, unit, { fullName: 'Lò Văn Ín' });
		const a = await makeAssessment(db, {
			courseId,
			slots: [{ questionId: q1.questionId }, { questionId: essay.questionId, points: 4 }]
		});
		const { attemptId } = await startAttempt(db, cadre, { assessmentId: a.id, now: t0 });
		await saveAnswer(db, cadre, {
			attemptId,
			slot: 1,
			seq: 1,
			response: { type: 'single', choice: 0 },
			now: at(1)
		});
		await saveAnswer(db, cadre, {
			attemptId,
			slot: 2,
			seq: 1,
			response: { type: 'essay', text: 'Văn thư vào sổ, trình lãnh đạo…' },
			now: at(2)
		});
		await submitAttempt(db, cadre, { attemptId, now: at(3) });
		await expect(markingQueue(db, cadre)).rejects.toThrow(NotAllowed);
		const queue = await markingQueue(db, trainer, { assessmentId: a.id });
		expect(queue).toHaveLength(1);
		expect(queue[0]).toMatchObject({
			slot: 2,
			answer: 'Văn thư vào sổ, trình lãnh đạo…',
			points: 4
		});
		expect(JSON.stringify(queue)).not.toContain('Lò Văn Ín');
		await expect(
			gradeAnswer(db, trainer, { attemptId, slot: 2, mark: 5, comment: '', now: at(10) })
		).rejects.toThrow(Invalid);
		expect(
			await gradeAnswer(db, trainer, {
				attemptId,
				slot: 2,
				mark: 3,
				comment: 'Thiếu bước lưu hồ sơ',
				now: at(10)
			})
		).toEqual({ score: 3, maxScore: 5 });
		expect(await markingQueue(db, trainer, { assessmentId: a.id })).toHaveLength(0);
		// The key was wrong: choice 0 was in fact right. The manual essay grade stays.
		const result = await correctAnswerKey(db, trainer, {
			questionVersionId: q1.versionId,
			data: singleChoice(0),
			now: at(20)
		});
		expect(result.changed).toBeGreaterThanOrEqual(1);
		const [row] = await db.select().from(attempts).where(eq(attempts.id, attemptId));
		expect(row).toMatchObject({ score: 4, needsGrading: false });
		const audit = await db.select().from(auditLog).where(eq(auditLog.actorId, trainer.id));
		expect(audit.map((e) => e.action)).toEqual(
			expect.arrayContaining(['grade.manual', 'grade.key_corrected'])
		);
		// Put the shared question back as the other tests expect.
		await correctAnswerKey(db, trainer, {
			questionVersionId: q1.versionId,
			data: singleChoice(1),
			now: at(30)
		});
	});
});

describe('quizzes for trainers and learners', () => {
	it('creates a quiz, sets slots and overrides, and shows the intro with the completion check', async () => {
		const db = database.db;
		const trainer = await makeUser(db, { roles: ['trainer'] });
		const cadre = await makeCadre(db, unit);
		const settings = {
			title: 'Kiểm tra cuối khóa',
			description: 'Gồm **1** câu hỏi.',
			status: 'published',
			openAt: null,
			closeAt: null,
			timeLimitMinutes: 15,
			attemptsAllowed: 1,
			gradingMethod: 'highest',
			passPercent: 70,
			shuffleQuestions: true,
			shuffleChoices: true,
			graceSeconds: 60,
			requiredForCompletion: true,
			reviewOptions: DEFAULT_REVIEW
		};
		await expect(createQuiz(db, cadre, { courseId, settings, now: t0 })).rejects.toThrow(
			NotAllowed
		);
		await expect(
			createQuiz(db, trainer, { courseId, settings: { ...settings, title: 'x' }, now: t0 })
		).rejects.toThrow(Invalid);
		const { id } = await createQuiz(db, trainer, { courseId, settings, now: t0 });
		await setSlots(db, trainer, {
			id,
			slots: [{ kind: 'fixed', questionId: q1.questionId, points: 1 }],
			now: t0
		});
		await expect(
			setSlots(db, trainer, { id, slots: [{ kind: 'random', points: 1 }], now: t0 })
		).rejects.toThrow(Invalid);
		let intro = await quizIntro(db, cadre, { id, now: t0 });
		expect(intro).toMatchObject({
			canStart: true,
			attemptsLeft: 1,
			timeLimitMinutes: 15,
			questionCount: 1
		});
		expect(intro.descriptionHtml).toContain('<strong>1</strong>');
		expect(await quizCompletionChecks(db, cadre.id, courseId)).toEqual([
			expect.objectContaining({ met: false })
		]);
		const { attemptId } = await startAttempt(db, cadre, { assessmentId: id, now: t0 });
		await saveAnswer(db, cadre, {
			attemptId,
			slot: 1,
			seq: 1,
			response: { type: 'single', choice: 1 },
			now: at(5)
		});
		await submitAttempt(db, cadre, { attemptId, now: at(6) });
		intro = await quizIntro(db, cadre, { id, now: at(10) });
		expect(intro).toMatchObject({
			canStart: false,
			attemptsLeft: 0,
			finalPercent: 100,
			passed: true
		});
		expect((await quizCompletionChecks(db, cadre.id, courseId)).every((c) => c.met)).toBe(true);
		await setOverride(db, trainer, {
			assessmentId: id,
			username: cadre.username,
			extraMinutes: 5,
			extraAttempts: 1,
			closeAt: null,
			reason: 'Thi lại do ốm',
			now: at(20)
		});
		intro = await quizIntro(db, cadre, { id, now: at(30) });
		expect(intro).toMatchObject({ canStart: true, attemptsLeft: 1, timeLimitMinutes: 20 });
		await expect(
			setOverride(db, trainer, {
				assessmentId: id,
				username: 'khongco',
				extraMinutes: 5,
				extraAttempts: 0,
				closeAt: null,
				reason: 'abc',
				now: at(20)
			})
		).rejects.toThrow(Invalid);
	});
});
