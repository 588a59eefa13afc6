import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	saveAnswer,
	startAttempt,
	submitAttempt,
	sweepOverdue
} from '../../src/lib/server/assessments/engine';
import {
	attemptAnswers,
	attemptEvents,
	attemptSlots,
	attempts,
	assessmentOverrides
} from '../../src/lib/server/db/schema';
import { Conflict, Invalid, NotAllowed, NotFound, TooLate } from '../../src/lib/server/errors';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import {
	makeAssessment,
	makeCadre,
	makeCategory,
	makeCourse,
	makeQuestion,
	makeUnit,
	singleChoice
} from './helpers/builders';

let database: TestDatabase;
let unit: Awaited<ReturnType<typeof makeUnit>>;
let courseId: number;
let q1: number;
let q2: number;
let essay: number;
const t0 = new Date('2012-09-20T01:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

beforeAll(async () => {
	database = await createTestDatabase();
	const db = database.db;
	unit = await makeUnit(db, { code: 'E1' });
	courseId = (await makeCourse(db)).id;
	const cat = await makeCategory(db, { name: 'Quản trị mạng' });
	q1 = (await makeQuestion(db, { categoryId: cat.id, data: singleChoice(1) })).questionId;
	q2 = (
		await makeQuestion(db, {
			categoryId: cat.id,
			data: { type: 'truefalse', answer: true, feedbackWrong: null, feedbackRight: null }
		})
	).questionId;
	essay = (await makeQuestion(db, { categoryId: cat.id, data: { type: 'essay' } })).questionId;
});
afterAll(() => database.close());

async function quiz(
	settings: Parameters<typeof makeAssessment>[1] extends infer T ? Partial<T> : never = {}
) {
	return makeAssessment(database.db, {
		courseId,
		timeLimitSeconds: 600,
		graceSeconds: 60,
		slots: [{ questionId: q1 }, { questionId: q2, points: 2 }],
		...settings
	});
}

const pick = (choice: number) => ({ type: 'single', choice });

describe('starting', () => {
	it('stores the deadline at start and returns the same attempt to a second start', async () => {
		const db = database.db;
		const cadre = await makeCadre(db, unit);
		const a = await quiz();
		const first = await startAttempt(db, cadre, { assessmentId: a.id, now: t0, ip: '10.0.0.5' });
		const again = await startAttempt(db, cadre, { assessmentId: a.id, now: at(5) });
		expect(again).toEqual({ attemptId: first.attemptId, resumed: true });
		const [row] = await db.select().from(attempts).where(eq(attempts.id, first.attemptId));
		expect(row.deadlineAt?.toISOString()).toBe(at(600).toISOString());
		expect(row.maxScore).toBe(3);
		expect(
			await db.select().from(attemptSlots).where(eq(attemptSlots.attemptId, first.attemptId))
		).toHaveLength(2);
	});

	it('stores the attempt, its drawn slots with their choice order and the start event together', async () => {
		const db = database.db;
		const cadre = await makeCadre(db, unit);
		const a = await quiz({ shuffleChoices: true });
		const { attemptId } = await startAttempt(db, cadre, {
			assessmentId: a.id,
			now: t0,
			ip: '10.0.0.7'
		});
		const [row] = await db.select().from(attempts).where(eq(attempts.id, attemptId));
		expect(row).toMatchObject({
			userId: cadre.id,
			number: 1,
			status: 'in_progress',
			maxScore: 3,
			ip: '10.0.0.7'
		});
		expect(row.startedAt.toISOString()).toBe(t0.toISOString());
		const slots = await db
			.select()
			.from(attemptSlots)
			.where(eq(attemptSlots.attemptId, attemptId))
			.orderBy(asc(attemptSlots.slot));
		expect(slots.map((s) => [s.slot, s.points])).toEqual([
			[1, 1],
			[2, 2]
		]);
		// The single-choice question's four choices in a shuffled order; a true/false has none.
		expect([...slots[0].choiceOrder!].sort()).toEqual([0, 1, 2, 3]);
		expect(slots[1].choiceOrder).toBeNull();
		const events = await db
			.select()
			.from(attemptEvents)
			.where(eq(attemptEvents.attemptId, attemptId));
		expect(events).toEqual([
			expect.objectContaining({
				type: 'start',
				userId: cadre.id,
				ip: '10.0.0.7',
				details: { number: 1, deadlineAt: at(600).toISOString(), slots: 2 }
			})
		]);
		expect(events[0].at.toISOString()).toBe(t0.toISOString());
	});

	it('never creates two attempts from simultaneous starts', async () => {
		const db = database.db;
		const cadre = await makeCadre(db, unit);
		const a = await quiz();
		const results = await Promise.all(
			Array.from({ length: 5 }, () => startAttempt(db, cadre, { assessmentId: a.id, now: t0 }))
		);
		expect(new Set(results.map((r) => r.attemptId)).size).toBe(1);
		expect(await db.select().from(attempts).where(eq(attempts.assessmentId, a.id))).toHaveLength(1);
	});

	it('caps the deadline at the close time and honours the window, attempts and overrides', async () => {
		const db = database.db;
		const cadre = await makeCadre(db, unit);
		const a = await quiz({ openAt: at(0), closeAt: at(300), attemptsAllowed: 1 });
		await expect(startAttempt(db, cadre, { assessmentId: a.id, now: at(-10) })).rejects.toThrow(
			Conflict
		);
		const { attemptId } = await startAttempt(db, cadre, { assessmentId: a.id, now: at(10) });
		const [row] = await db.select().from(attempts).where(eq(attempts.id, attemptId));
		expect(row.deadlineAt?.toISOString()).toBe(at(300).toISOString());
		await submitAttempt(db, cadre, { attemptId, now: at(20) });
		await expect(startAttempt(db, cadre, { assessmentId: a.id, now: at(30) })).rejects.toThrow(
			Conflict
		);
		// One extra attempt and more time for this person.
		await db.insert(assessmentOverrides).values({
			assessmentId: a.id,
			userId: cadre.id,
			extraAttempts: 1,
			extraSeconds: 120,
			closeAt: at(900)
		});
		const second = await startAttempt(db, cadre, { assessmentId: a.id, now: at(40) });
		const [row2] = await db.select().from(attempts).where(eq(attempts.id, second.attemptId));
		expect(row2.number).toBe(2);
		expect(row2.deadlineAt?.toISOString()).toBe(at(40 + 720).toISOString());
		const other = await makeCadre(db, unit);
		await expect(startAttempt(db, other, { assessmentId: a.id, now: at(301) })).rejects.toThrow(
			TooLate
		);
	});

	it('refuses a quiz of a course the cadre may not see, and drafts', async () => {
		const db = database.db;
		const cadre = await makeCadre(db, unit);
		const hidden = await makeCourse(db, { audience: 'assigned' });
		const a = await makeAssessment(db, { courseId: hidden.id, slots: [{ questionId: q1 }] });
		await expect(startAttempt(db, cadre, { assessmentId: a.id, now: t0 })).rejects.toThrow(
			NotAllowed
		);
		const draft = await quiz({ status: 'draft' });
		await expect(startAttempt(db, cadre, { assessmentId: draft.id, now: t0 })).rejects.toThrow(
			Conflict
		);
	});
});

describe('saving', () => {
	it('is idempotent, the highest seq wins, and every save is logged', async () => {
		const db = database.db;
		const cadre = await makeCadre(db, unit);
		const { attemptId } = await startAttempt(db, cadre, {
			assessmentId: (await quiz()).id,
			now: t0
		});
		expect(
			await saveAnswer(db, cadre, { attemptId, slot: 1, seq: 1, response: pick(0), now: at(10) })
		).toMatchObject({ status: 'saved', seq: 1 });
		expect(
			await saveAnswer(db, cadre, { attemptId, slot: 1, seq: 3, response: pick(1), now: at(12) })
		).toMatchObject({ status: 'saved', seq: 3 });
		// A delayed older save arrives last: acknowledged, but the newer answer stays.
		expect(
			await saveAnswer(db, cadre, { attemptId, slot: 1, seq: 2, response: pick(2), now: at(13) })
		).toMatchObject({ status: 'stale', seq: 3 });
		// The same save replayed after a reconnect changes nothing.
		expect(
			await saveAnswer(db, cadre, { attemptId, slot: 1, seq: 3, response: pick(1), now: at(14) })
		).toMatchObject({ status: 'stale', seq: 3 });
		const [answer] = await db
			.select()
			.from(attemptAnswers)
			.where(and(eq(attemptAnswers.attemptId, attemptId), eq(attemptAnswers.slot, 1)));
		expect(answer.response).toEqual({ type: 'single', choice: 1 });
		const events = await db
			.select()
			.from(attemptEvents)
			.where(eq(attemptEvents.attemptId, attemptId))
			.orderBy(asc(attemptEvents.id));
		expect(events.map((e) => e.type)).toEqual([
			'start',
			'save',
			'save',
			'save_stale',
			'save_stale'
		]);
	});

	it('a save reports the clock it read under its lock, and logs the answer it stored', async () => {
		const db = database.db;
		const cadre = await makeCadre(db, unit);
		const { attemptId } = await startAttempt(db, cadre, {
			assessmentId: (await quiz()).id,
			now: t0
		});
		const [attempt] = await db.select().from(attempts).where(eq(attempts.id, attemptId));
		const saved = await saveAnswer(db, cadre, {
			attemptId,
			slot: 1,
			seq: 7,
			response: pick(2),
			now: at(5),
			ip: '10.0.0.9'
		});
		expect(saved).toMatchObject({ status: 'saved', seq: 7 });
		expect(saved.clock?.paused).toBe(false);
		expect(saved.clock?.deadlineAt?.getTime()).toBe(attempt.deadlineAt?.getTime());
		expect(saved.savedAt.getTime()).toBe(at(5).getTime());
		const [event] = await db
			.select()
			.from(attemptEvents)
			.where(and(eq(attemptEvents.attemptId, attemptId), eq(attemptEvents.type, 'save')));
		expect(event).toMatchObject({
			slot: 1,
			seq: 7,
			userId: cadre.id,
			ip: '10.0.0.9',
			details: { response: { type: 'single', choice: 2 } }
		});
		expect(event.at.getTime()).toBe(at(5).getTime());
	});

	it('refuses other people, bad slots and malformed answers', async () => {
		const db = database.db;
		const cadre = await makeCadre(db, unit);
		const intruder = await makeCadre(db, unit);
		const { attemptId } = await startAttempt(db, cadre, {
			assessmentId: (await quiz()).id,
			now: t0
		});
		await expect(
			saveAnswer(db, intruder, { attemptId, slot: 1, seq: 1, response: pick(0), now: at(1) })
		).rejects.toThrow(NotFound);
		await expect(
			saveAnswer(db, cadre, {
				attemptId: 'not-a-uuid',
				slot: 1,
				seq: 1,
				response: pick(0),
				now: at(1)
			})
		).rejects.toThrow(NotFound);
		await expect(
			saveAnswer(db, cadre, { attemptId, slot: 9, seq: 1, response: pick(0), now: at(1) })
		).rejects.toThrow(Invalid);
		await expect(
			saveAnswer(db, cadre, {
				attemptId,
				slot: 1,
				seq: 1,
				response: { type: 'truefalse', answer: true },
				now: at(1)
			})
		).rejects.toThrow(Invalid);
		await expect(
			saveAnswer(db, cadre, {
				attemptId,
				slot: 1,
				seq: 1,
				response: { type: 'single', choice: 'x' },
				now: at(1)
			})
		).rejects.toThrow(Invalid);
		await expect(
			saveAnswer(db, cadre, { attemptId, slot: 1, seq: -1, response: pick(0), now: at(1) })
		).rejects.toThrow(Invalid);
	});

	it('accepts saves in the grace period and refuses them after, logging the refusal', async () => {
		const db = database.db;
		const cadre = await makeCadre(db, unit);
		const { attemptId } = await startAttempt(db, cadre, {
			assessmentId: (await quiz()).id,
			now: t0
		});
		expect(
			await saveAnswer(db, cadre, { attemptId, slot: 1, seq: 1, response: pick(1), now: at(650) })
		).toMatchObject({ status: 'saved' });
		await expect(
			saveAnswer(db, cadre, {
				attemptId,
				slot: 2,
				seq: 1,
				response: { type: 'truefalse', answer: true },
				now: at(661)
			})
		).rejects.toThrow(TooLate);
		const events = await db
			.select()
			.from(attemptEvents)
			.where(eq(attemptEvents.attemptId, attemptId));
		expect(events.find((e) => e.type === 'save_rejected')?.details).toEqual({ reason: 'too_late' });
	});
});

describe('submitting and sweeping', () => {
	it('grades on submit; saves after submit are refused; a second submit is harmless', async () => {
		const db = database.db;
		const cadre = await makeCadre(db, unit);
		const { attemptId } = await startAttempt(db, cadre, {
			assessmentId: (await quiz()).id,
			now: t0
		});
		await saveAnswer(db, cadre, { attemptId, slot: 1, seq: 1, response: pick(1), now: at(10) });
		const result = await submitAttempt(db, cadre, {
			attemptId,
			now: at(100),
			answers: [{ slot: 2, seq: 1, response: { type: 'truefalse', answer: true } }]
		});
		expect(result).toEqual({ status: 'submitted', score: 3, maxScore: 3 });
		await expect(
			saveAnswer(db, cadre, { attemptId, slot: 1, seq: 2, response: pick(0), now: at(101) })
		).rejects.toThrow(Conflict);
		expect(await submitAttempt(db, cadre, { attemptId, now: at(102) })).toEqual({
			status: 'already_submitted',
			score: 3,
			maxScore: 3
		});
		const [row] = await db.select().from(attempts).where(eq(attempts.id, attemptId));
		expect(row).toMatchObject({ status: 'submitted', finishedBy: 'user', timeUsedMs: 100_000 });
	});

	it('a submit racing with saves loses no acknowledged save', async () => {
		const db = database.db;
		const cadre = await makeCadre(db, unit);
		const { attemptId } = await startAttempt(db, cadre, {
			assessmentId: (await quiz()).id,
			now: t0
		});
		const saves = Array.from({ length: 20 }, (_, i) =>
			saveAnswer(db, cadre, {
				attemptId,
				slot: (i % 2) + 1,
				seq: i + 1,
				response: i % 2 ? { type: 'truefalse', answer: i % 4 === 1 } : pick(i % 4),
				now: at(50)
			}).then(
				(r) => ({ ok: true as const, r, i }),
				(e: unknown) => ({ ok: false as const, e, i })
			)
		);
		const submit = submitAttempt(db, cadre, { attemptId, now: at(50) });
		const outcomes = await Promise.all(saves);
		await submit;
		const answers = await db
			.select()
			.from(attemptAnswers)
			.where(eq(attemptAnswers.attemptId, attemptId));
		// Every acknowledged save is there (or a newer one for its slot); refused ones were refused because submitted.
		for (const o of outcomes) {
			if (o.ok) {
				const stored = answers.find((a) => a.slot === (o.i % 2) + 1)!;
				expect(stored.seq).toBeGreaterThanOrEqual(o.r.seq);
			} else {
				expect(o.e).toBeInstanceOf(Conflict);
			}
		}
		const [row] = await db.select().from(attempts).where(eq(attempts.id, attemptId));
		expect(row.status).toBe('submitted');
	});

	it('refuses a submit after the grace period; the sweeper then closes the attempt with what was saved', async () => {
		const db = database.db;
		const cadre = await makeCadre(db, unit);
		const { attemptId } = await startAttempt(db, cadre, {
			assessmentId: (await quiz()).id,
			now: t0
		});
		await saveAnswer(db, cadre, {
			attemptId,
			slot: 2,
			seq: 1,
			response: { type: 'truefalse', answer: true },
			now: at(599)
		});
		expect(await sweepOverdue(db, { now: at(655) })).toBe(0);
		await expect(submitAttempt(db, cadre, { attemptId, now: at(661) })).rejects.toThrow(TooLate);
		expect(await sweepOverdue(db, { now: at(661) })).toBeGreaterThanOrEqual(1);
		const [row] = await db.select().from(attempts).where(eq(attempts.id, attemptId));
		expect(row).toMatchObject({
			status: 'submitted',
			finishedBy: 'sweeper',
			score: 2,
			timeUsedMs: 600_000
		});
		// Starting again after the sweep is a new attempt.
		const next = await startAttempt(db, cadre, { assessmentId: row.assessmentId, now: at(700) });
		expect(next.resumed).toBe(false);
	});

	it('leaves essays for a trainer', async () => {
		const db = database.db;
		const cadre = await makeCadre(db, unit);
		const a = await makeAssessment(db, {
			courseId,
			slots: [{ questionId: q1 }, { questionId: essay }]
		});
		const { attemptId } = await startAttempt(db, cadre, { assessmentId: a.id, now: t0 });
		await saveAnswer(db, cadre, {
			attemptId,
			slot: 2,
			seq: 1,
			response: { type: 'essay', text: 'Bước 1: vào sổ…' },
			now: at(1)
		});
		await submitAttempt(db, cadre, { attemptId, now: at(2) });
		const [row] = await db.select().from(attempts).where(eq(attempts.id, attemptId));
		expect(row).toMatchObject({ needsGrading: true, score: 0, maxScore: 2 });
	});
});

describe('drawing', () => {
	it('draws from a category subtree by tag, never repeats within an attempt, and prefers unseen questions', async () => {
		const db = database.db;
		const root = await makeCategory(db, { name: 'An toàn thông tin' });
		const sub = await makeCategory(db, { name: 'Mật khẩu', parent: root });
		const ids: number[] = [];
		for (let i = 0; i < 4; i++)
			ids.push(
				(
					await makeQuestion(db, {
						categoryId: i < 2 ? root.id : sub.id,
						data: singleChoice(0),
						tags: ['mat-khau']
					})
				).questionId
			);
		await makeQuestion(db, { categoryId: sub.id, data: singleChoice(0), tags: ['khac'] });
		const a = await makeAssessment(db, {
			courseId,
			attemptsAllowed: null,
			slots: [
				{ categoryId: root.id, tags: ['mat-khau'] },
				{ categoryId: root.id, tags: ['mat-khau'] }
			]
		});
		const cadre = await makeCadre(db, unit);
		const seen = new Set<number>();
		for (let n = 0; n < 2; n++) {
			const { attemptId } = await startAttempt(db, cadre, {
				assessmentId: a.id,
				now: at(n * 1000)
			});
			const drawn = await db.query.attemptSlots.findMany({
				where: eq(attemptSlots.attemptId, attemptId)
			});
			const questionIds = await Promise.all(
				drawn.map(
					async (s) =>
						(await db.query.questionVersions.findFirst({
							where: (v, { eq }) => eq(v.id, s.questionVersionId)
						}))!.questionId
				)
			);
			expect(new Set(questionIds).size).toBe(2);
			for (const id of questionIds) {
				expect(ids).toContain(id);
				// The second attempt gets the two questions the first did not.
				expect(seen.has(id)).toBe(false);
				seen.add(id);
			}
			await submitAttempt(db, cadre, { attemptId, now: at(n * 1000 + 10) });
		}
	});
});
