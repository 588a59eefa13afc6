import { describe, expect, it } from 'vitest';
import type { Competitor } from './competitor';
import { canonical, checkAcknowledged, type Store } from './verify';

// The chaos run's verdict must be able to say "lost": a database behind what the clients were told.

const attemptId = '00000000-0000-4000-8000-000000000001';

function competitorWith(acked: Array<[number, number, unknown]>): Competitor {
	return {
		username: 'canbo',
		attemptId,
		acked: new Map(
			acked.map(([slot, seq, response]) => [slot, { seq, response: JSON.stringify(response) }])
		)
	} as unknown as Competitor;
}

function storeWith(rows: Array<[number, number, unknown]>, deadline: string): Store {
	return {
		async query<T>(text: string) {
			if (text.includes('attempt_answers'))
				return rows.map(([slot, seq, response]) => ({
					attempt_id: attemptId,
					slot,
					seq,
					response
				})) as T[];
			return [{ id: attemptId, deadline_at: new Date(deadline) }] as T[];
		},
		async close() {}
	};
}

const single = (choice: number) => ({ type: 'single', choice });

describe('checkAcknowledged', () => {
	it('passes when the database holds each acknowledged seq or a later one', async () => {
		const deadlines = new Map<string, string>();
		const check = await checkAcknowledged(
			storeWith(
				[
					[1, 3, single(1)],
					[2, 7, single(0)]
				],
				'2026-01-01T00:30:00Z'
			),
			[
				competitorWith([
					[1, 3, single(1)],
					[2, 5, single(2)]
				])
			],
			deadlines
		);
		expect(check).toEqual({ checked: 2, lost: [], deadlineMoved: [] });
	});

	it('reports a missing answer, an older seq and another answer under the same seq', async () => {
		const check = await checkAcknowledged(
			storeWith(
				[
					[1, 2, single(1)],
					[2, 4, single(3)]
				],
				'2026-01-01T00:30:00Z'
			),
			[
				competitorWith([
					[1, 3, single(1)],
					[2, 4, single(2)],
					[3, 1, single(0)]
				])
			],
			new Map()
		);
		expect(check.lost).toHaveLength(3);
	});

	it('reports a deadline that moved between two checks', async () => {
		const deadlines = new Map<string, string>();
		await checkAcknowledged(storeWith([], '2026-01-01T00:30:00Z'), [competitorWith([])], deadlines);
		const check = await checkAcknowledged(
			storeWith([], '2026-01-01T00:31:00Z'),
			[competitorWith([])],
			deadlines
		);
		expect(check.deadlineMoved).toHaveLength(1);
	});

	it('compares jsonb answers whatever their key order', () => {
		expect(canonical({ type: 'single', choice: 1 })).toBe(canonical({ choice: 1, type: 'single' }));
		expect(canonical({ a: [1, 2] })).not.toBe(canonical({ a: [2, 1] }));
	});
});
