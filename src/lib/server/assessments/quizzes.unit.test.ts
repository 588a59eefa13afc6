import { describe, expect, it } from 'vitest';
import { applySlotOp, type SlotInput } from './quizzes';

const fixed = (questionId: number, points = 1): SlotInput => ({
	kind: 'fixed',
	questionId,
	points
});

describe('the slot editor’s changes', () => {
	const slots = [fixed(1), fixed(2), fixed(3)];

	it('adds, removes and moves slots; positions count from 1', () => {
		expect(applySlotOp(slots, { op: 'add', slots: [fixed(4)] }).map((s) => s.questionId)).toEqual([
			1, 2, 3, 4
		]);
		expect(applySlotOp(slots, { op: 'remove', position: 2 }).map((s) => s.questionId)).toEqual([
			1, 3
		]);
		expect(
			applySlotOp(slots, { op: 'move', position: 3, by: -1 }).map((s) => s.questionId)
		).toEqual([1, 3, 2]);
		// Off either end: nothing moves.
		expect(
			applySlotOp(slots, { op: 'move', position: 1, by: -1 }).map((s) => s.questionId)
		).toEqual([1, 2, 3]);
		expect(applySlotOp(slots, { op: 'move', position: 3, by: 1 }).map((s) => s.questionId)).toEqual(
			[1, 2, 3]
		);
	});

	it('sets points by position and leaves the input alone', () => {
		expect(applySlotOp(slots, { op: 'points', points: { 2: 2.5 } }).map((s) => s.points)).toEqual([
			1, 2.5, 1
		]);
		expect(slots.map((s) => s.points)).toEqual([1, 1, 1]);
	});
});
