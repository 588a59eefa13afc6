import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { pickCandidates } from './draw';

const c = (q: number) => ({ questionId: q, versionId: q * 10 });

describe('drawing questions a cadre has seen', () => {
	it('takes unseen ones first, then the least recently seen, never one twice', () => {
		const pool = [c(1), c(2), c(3), c(4)];
		// 1 was met long ago, 2 and 3 recently; 4 never.
		const seen = new Map([
			[1, 1000],
			[2, 5000],
			[3, 9000]
		]);
		for (let seed = 1; seed <= 20; seed++) {
			const picks = pickCandidates(
				[{ candidates: pool }, { candidates: pool }, { candidates: pool }],
				seen,
				seededRandom(seed)
			).map((p) => p?.questionId);
			expect(picks).toEqual([4, 1, 2]);
		}
		// Ties are broken at random.
		const firsts = new Set(
			Array.from(
				{ length: 20 },
				(_, seed) =>
					pickCandidates(
						[{ candidates: pool }],
						new Map(pool.map((p) => [p.questionId, 1])),
						seededRandom(seed)
					)[0]?.questionId
			)
		);
		expect(firsts.size).toBeGreaterThan(1);
	});
});
