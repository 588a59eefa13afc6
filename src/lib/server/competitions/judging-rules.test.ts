import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	BLIND_CODE_PATTERN,
	blindFileName,
	checkPoints,
	chooseJudges,
	isMultipleOf,
	makeBlindCode,
	normaliseBlindCode,
	parsePoints,
	settle,
	type JudgeLoad
} from './judging-rules';

describe('the final-score rule', () => {
	it('waits until both judges have marked', () => {
		expect(settle([], 2)).toEqual({ state: 'waiting', scored: 0 });
		expect(settle([7], 2)).toEqual({ state: 'waiting', scored: 1 });
	});

	it('averages two marks within the margin, the margin itself included', () => {
		expect(settle([8, 7], 2)).toEqual({ state: 'final', score: 7.5 });
		expect(settle([6, 8], 2)).toEqual({ state: 'final', score: 7 });
		expect(settle([4.5, 4.5], 0)).toEqual({ state: 'final', score: 4.5 });
		expect(settle([9.5, 8], 1.5)).toEqual({ state: 'final', score: 8.75 });
	});

	it('flags two marks further apart than the margin for the head judge', () => {
		expect(settle([9, 4], 2)).toEqual({ state: 'flagged', difference: 5 });
		expect(settle([6, 8.5], 2)).toEqual({ state: 'flagged', difference: 2.5 });
		expect(settle([1, 1.5], 0)).toEqual({ state: 'flagged', difference: 0.5 });
	});

	it('gives averages of half-point marks that are exact quarters (stored without rounding)', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 }), (a, b) => {
				const s = settle([a / 2, b / 2], 1000);
				expect(s.state === 'final' && isMultipleOf(s.score, 0.25) && s.score === (a + b) / 4).toBe(
					true
				);
			})
		);
	});
});

describe('reading and checking points', () => {
	it('reads the decimal comma and the decimal point', () => {
		expect(parsePoints('4,5')).toBe(4.5);
		expect(parsePoints(' 4.5 ')).toBe(4.5);
		expect(parsePoints('10')).toBe(10);
		expect(parsePoints(3)).toBe(3);
	});

	it('refuses what is not a plain non-negative number', () => {
		for (const bad of ['', 'abc', '-1', '1e2', '4,5,6', '0x10', null, undefined, NaN, {}])
			expect(parsePoints(bad), String(bad)).toBeNull();
	});

	it('accepts 0..max on the step only', () => {
		expect(checkPoints(0, 5, 0.5)).toBe(true);
		expect(checkPoints(5, 5, 0.5)).toBe(true);
		expect(checkPoints(2.5, 5, 0.5)).toBe(true);
		expect(checkPoints(2.25, 5, 0.5)).toBe(false);
		expect(checkPoints(2.25, 5, 0.25)).toBe(true);
		expect(checkPoints(5.5, 5, 0.5)).toBe(false);
		expect(checkPoints(-0.5, 5, 0.5)).toBe(false);
		expect(checkPoints(null, 5, 0.5)).toBe(false);
	});
});

describe('blind codes', () => {
	it('look like BT-4K7Q9M and avoid characters that are misread', () => {
		for (let i = 0; i < 200; i++) {
			const code = makeBlindCode();
			expect(code).toMatch(BLIND_CODE_PATTERN);
			expect(code.slice(3)).not.toMatch(/[01OIL]/);
		}
	});

	it('are drawn uniformly: rejection sampling skips the words that would bias them', () => {
		// 31 letters; 2^32 is not a multiple of 31, so words at the very top must be redrawn.
		const words = [0xffff_ffff, 0, 0xffff_fffe, 1, 2, 3, 4, 5];
		let i = 0;
		expect(makeBlindCode(() => words[i++])).toBe('BT-ABCDEF');
		expect(i).toBe(8);
	});

	it('use every letter of the alphabet in every place (drawn from the whole code space)', () => {
		const seen = Array.from({ length: 6 }, () => new Set<string>());
		for (let i = 0; i < 3000; i++) [...makeBlindCode().slice(3)].forEach((c, p) => seen[p].add(c));
		expect(seen.map((s) => s.size)).toEqual([31, 31, 31, 31, 31, 31]);
	});

	it('are read back from links and typing', () => {
		expect(normaliseBlindCode(' bt-4k7q9m ')).toBe('BT-4K7Q9M');
		expect(normaliseBlindCode('BT-4K7Q')).toBeNull();
		expect(normaliseBlindCode('BT-4K7Q9O')).toBeNull();
		expect(normaliseBlindCode("BT-4K7Q9M' or 1=1")).toBeNull();
	});

	it('name a judge’s downloads without the author’s file name', () => {
		expect(blindFileName('BT-4K7Q9M', 2, 'Nguyễn Văn An - bài làm.DOCX')).toBe('BT-4K7Q9M-2.docx');
		expect(blindFileName('BT-4K7Q9M', 1, 'README')).toBe('BT-4K7Q9M-1');
	});
});

describe('assigning judges', () => {
	const judges = (n: number, head = 0): JudgeLoad[] =>
		Array.from({ length: n }, (_, i) => ({ id: i + 1, isHead: i + 1 === head, load: 0 }));

	it('picks two different judges, the least loaded first', () => {
		const pool = judges(4).map((j) => ({ ...j, load: [3, 0, 1, 0][j.id - 1] }));
		expect(chooseJudges(pool, { already: [] }).sort()).toEqual([2, 4]);
	});

	it('keeps the head judge out while two others can mark, and uses them when not', () => {
		expect(chooseJudges(judges(3, 1), { already: [] }).sort()).toEqual([2, 3]);
		expect(chooseJudges(judges(2, 1), { already: [] }).sort()).toEqual([1, 2]);
	});

	it('tops up a submission that has one judge, never doubling them, never its author', () => {
		const picked = chooseJudges(judges(3), { already: [2], exclude: [3] });
		expect(picked).toEqual([1]);
		expect(chooseJudges(judges(3), { already: [1, 2] })).toEqual([]);
		expect(chooseJudges(judges(1), { already: [1] })).toEqual([]);
	});

	it('balances the load over many submissions: loads differ by at most one', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 2, max: 8 }),
				fc.integer({ min: 1, max: 60 }),
				fc.integer(),
				(n, submissions, seed) => {
					let s = seed;
					const random = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
					const pool = judges(n);
					for (let k = 0; k < submissions; k++) {
						const chosen = chooseJudges(pool, { already: [], random });
						expect(new Set(chosen).size).toBe(2);
						for (const id of chosen) pool[id - 1].load++;
					}
					const loads = pool.map((j) => j.load);
					expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
				}
			)
		);
	});
});
