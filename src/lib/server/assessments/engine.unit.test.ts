import { describe, expect, it } from 'vitest';
import { computeDeadline, validateResponse } from './engine';
import { pickCandidates, choiceOrderFor } from './draw';
import { reviewPhase } from './review';
import { finalPercent } from './results';
import { seededRandom } from '../random';

describe('deadlines', () => {
	const start = new Date('2012-09-20T01:00:00Z');
	it('is the earlier of start + limit + extra and the close time', () => {
		expect(
			computeDeadline({
				startedAt: start,
				timeLimitSeconds: 1200,
				extraSeconds: 300,
				closeAt: null
			})?.toISOString()
		).toBe('2012-09-20T01:25:00.000Z');
		expect(
			computeDeadline({
				startedAt: start,
				timeLimitSeconds: 1200,
				extraSeconds: 0,
				closeAt: new Date('2012-09-20T01:10:00Z')
			})?.toISOString()
		).toBe('2012-09-20T01:10:00.000Z');
		expect(
			computeDeadline({ startedAt: start, timeLimitSeconds: null, extraSeconds: 0, closeAt: null })
		).toBeNull();
	});
});

describe('responses from the browser', () => {
	it('are accepted only in the shape of the slot type', () => {
		expect(validateResponse('single', { type: 'single', choice: 2 })).toEqual({
			type: 'single',
			choice: 2
		});
		expect(validateResponse('single', { type: 'single', choice: 2.5 })).toBeNull();
		expect(validateResponse('multiple', { type: 'multiple', choices: [0, 3] })).toEqual({
			type: 'multiple',
			choices: [0, 3]
		});
		expect(validateResponse('multiple', { type: 'multiple', choices: ['0'] })).toBeNull();
		expect(validateResponse('essay', { type: 'essay', text: 'x'.repeat(20_001) })).toBeNull();
		expect(
			validateResponse('matching', { type: 'matching', answers: { 0: 'Lớp 2', 1: null } })
		).toEqual({ type: 'matching', answers: { 0: 'Lớp 2', 1: null } });
		expect(validateResponse('matching', { type: 'matching', answers: { x: 'a' } })).toBeNull();
		expect(validateResponse('truefalse', { type: 'single', choice: 1 })).toBeNull();
		expect(validateResponse('description', { type: 'description' })).toBeNull();
		expect(validateResponse('single', null)).toBeNull();
	});
});

describe('drawing', () => {
	const c = (q: number) => ({ questionId: q, versionId: q * 10 });
	it('never repeats a question and prefers unseen ones', () => {
		const picks = pickCandidates(
			[
				{ candidates: [c(1), c(2), c(3)] },
				{ candidates: [c(1), c(2), c(3)] },
				{ candidates: [c(1), c(2), c(3)] }
			],
			new Set([1]),
			seededRandom(7)
		);
		expect(picks.map((p) => p?.questionId).sort()).toEqual([1, 2, 3]);
		// With two slots and one seen question, the two unseen ones come first.
		const two = pickCandidates(
			[{ candidates: [c(1), c(2), c(3)] }, { candidates: [c(1), c(2), c(3)] }],
			new Set([1]),
			seededRandom(7)
		);
		expect(two.map((p) => p?.questionId).sort()).toEqual([2, 3]);
		expect(
			pickCandidates(
				[{ candidates: [c(1)] }, { candidates: [c(1)] }],
				new Set(),
				seededRandom(1)
			)[1]
		).toBeNull();
	});

	it('shuffles choices the same way for the same seed', () => {
		const data = {
			type: 'single' as const,
			choices: Array.from({ length: 5 }, (_, i) => ({
				text: String(i),
				fraction: i === 0 ? 1 : 0,
				feedback: null
			}))
		};
		const a = choiceOrderFor('single', data, true, seededRandom(42));
		expect(a).toEqual(choiceOrderFor('single', data, true, seededRandom(42)));
		expect([...a!].sort()).toEqual([0, 1, 2, 3, 4]);
		expect(choiceOrderFor('single', data, false, seededRandom(42))).toBeNull();
	});
});

describe('review phases', () => {
	const now = new Date('2012-09-20T02:00:00Z');
	it('follow Moodle: during, immediately (2 minutes), later, after close', () => {
		expect(reviewPhase({ status: 'in_progress', submittedAt: null, closeAt: null, now })).toBe(
			'during'
		);
		expect(
			reviewPhase({
				status: 'submitted',
				submittedAt: new Date(now.getTime() - 60_000),
				closeAt: null,
				now
			})
		).toBe('immediately');
		expect(
			reviewPhase({
				status: 'submitted',
				submittedAt: new Date(now.getTime() - 180_000),
				closeAt: null,
				now
			})
		).toBe('later');
		expect(
			reviewPhase({
				status: 'submitted',
				submittedAt: new Date(now.getTime() - 60_000),
				closeAt: new Date(now.getTime() - 1),
				now
			})
		).toBe('afterClose');
	});
});

describe('grading methods', () => {
	const attempts = [
		{ number: 1, score: 6, maxScore: 10, status: 'submitted' },
		{ number: 2, score: 9, maxScore: 10, status: 'submitted' },
		{ number: 3, score: 7.5, maxScore: 10, status: 'submitted' },
		{ number: 4, score: null, maxScore: 10, status: 'in_progress' }
	];
	it('highest, last, average, first', () => {
		expect(finalPercent(attempts, 'highest')).toBe(90);
		expect(finalPercent(attempts, 'last')).toBe(75);
		expect(finalPercent(attempts, 'first')).toBe(60);
		expect(finalPercent(attempts, 'average')).toBe(75);
		expect(finalPercent([], 'highest')).toBeNull();
	});
});
