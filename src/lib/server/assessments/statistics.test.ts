import { describe, expect, it } from 'vitest';
import { correlation, itemStatistics, optionDistribution, type AttemptScores } from './statistics';

// Five attempts at three questions: A and B worth 1 point, C worth 2 (fractions per attempt).
const table: Array<Record<'A' | 'B' | 'C', number>> = [
	{ A: 1, B: 1, C: 1 },
	{ A: 1, B: 0, C: 0.5 },
	{ A: 0, B: 1, C: 0.5 },
	{ A: 1, B: 1, C: 0 },
	{ A: 0, B: 0, C: 0 }
];
const ids = { A: 1, B: 2, C: 3 } as const;
const points = { A: 1, B: 1, C: 2 } as const;
const attempts: AttemptScores[] = table.map((row) => ({
	score: row.A * 1 + row.B * 1 + row.C * 2,
	maxScore: 4,
	items: (['A', 'B', 'C'] as const).map((k) => ({
		versionId: ids[k],
		points: points[k],
		fraction: row[k],
		response: null
	}))
}));

describe('item statistics', () => {
	it('match the figures worked out by hand', () => {
		const stats = new Map(itemStatistics(attempts).map((s) => [s.versionId, s]));
		// A: x = 1 1 0 1 0, rest (B + 2C)/3 = 1, 1/3, 2/3, 1/3, 0.
		// mean x 0.6, mean rest 7/15; Sxy = 4/15, Sxx = 1.2, Syy = 130/225 → r = 4/√156.
		expect(stats.get(1)).toMatchObject({ n: 5, facility: 0.6, flags: [] });
		expect(stats.get(1)!.sd).toBeCloseTo(Math.sqrt(0.24), 10);
		expect(stats.get(1)!.discrimination).toBeCloseTo(4 / Math.sqrt(156), 10);
		// B is A mirrored: the same figures.
		expect(stats.get(2)!.discrimination).toBeCloseTo(4 / Math.sqrt(156), 10);
		// C: x = 1, .5, .5, 0, 0; rest (A + B)/2 = 1, .5, .5, 1, 0 → Sxy .3, Sxx .7, Syy .7 → r = 3/7.
		expect(stats.get(3)!.facility).toBeCloseTo(0.4, 10);
		expect(stats.get(3)!.sd).toBeCloseTo(Math.sqrt(0.14), 10);
		expect(stats.get(3)!.discrimination).toBeCloseTo(3 / 7, 10);
	});

	it('flags questions too hard, too easy, weak or negative, and leaves ungraded essays out', () => {
		const row = (p: number, q: number, easy: number, hard: number, essay: number | null) => ({
			score: p + q + easy + hard + (essay ?? 0),
			maxScore: 5,
			items: [
				{ versionId: 10, points: 1, fraction: p, response: null },
				{ versionId: 11, points: 1, fraction: q, response: null },
				{ versionId: 12, points: 1, fraction: easy, response: null },
				{ versionId: 13, points: 1, fraction: hard, response: null },
				{ versionId: 14, points: 1, fraction: essay, response: null },
				// A description carries no points and is no item.
				{ versionId: 15, points: 0, fraction: null, response: null }
			]
		});
		const stats = new Map(
			itemStatistics([
				row(1, 0, 1, 0, null),
				row(1, 0, 1, 0, 1),
				row(0, 1, 1, 0, 0),
				row(0, 1, 1, 0, null)
			]).map((s) => [s.versionId, s])
		);
		// P: x = 1 1 0 0; rest = (Q + easy + hard + essay)/4 = .25 .5 .5 .5 (an ungraded essay counts 0
		// in the attempt's score) → Sxy = −.125, Sxx = 1, Syy = .046875 → r = −1/√3.
		expect(stats.get(10)).toMatchObject({ facility: 0.5, flags: ['negative'] });
		expect(stats.get(10)!.discrimination).toBeCloseTo(-1 / Math.sqrt(3), 10);
		expect(stats.get(12)).toMatchObject({ facility: 1, discrimination: null, flags: ['easy'] });
		expect(stats.get(13)).toMatchObject({ facility: 0, discrimination: null, flags: ['hard'] });
		expect(stats.get(14)).toMatchObject({ n: 2, facility: 0.5 });
		expect(stats.has(15)).toBe(false);
	});

	it('calls a small positive correlation weak', () => {
		// x = 1 0 1 0 1, rest = .6 .5 .4 .5 .5 (one other item of 1 point would not vary enough).
		const rests = [0.6, 0.5, 0.4, 0.5, 0.5];
		const xs = [1, 0, 1, 0, 1];
		const r = correlation(xs, rests)!;
		expect(r).toBeGreaterThanOrEqual(0);
		expect(r).toBeLessThan(0.2);
		const stats = itemStatistics(
			xs.map((x, i) => ({
				score: x + rests[i] * 10,
				maxScore: 11,
				items: [
					{ versionId: 1, points: 1, fraction: x, response: null },
					{ versionId: 2, points: 10, fraction: rests[i], response: null }
				]
			}))
		);
		expect(stats.find((s) => s.versionId === 1)!.flags).toEqual(['weak']);
	});

	it('has no correlation without variance', () => {
		expect(correlation([1, 1, 1], [0, 0.5, 1])).toBeNull();
		expect(correlation([1], [1])).toBeNull();
	});
});

describe('option distribution', () => {
	it('counts choices, true/false, matches and typed answers', () => {
		const single = {
			type: 'single' as const,
			choices: [
				{ text: 'Switch', fraction: 0, feedback: null },
				{ text: 'Router', fraction: 1, feedback: null }
			]
		};
		expect(
			optionDistribution(single, [
				{ type: 'single', choice: 1 },
				{ type: 'single', choice: 1 },
				{ type: 'single', choice: 0 },
				null,
				{ type: 'single', choice: null }
			])
		).toEqual({
			options: [
				{ label: 'Switch', count: 1, fraction: 0 },
				{ label: 'Router', count: 2, fraction: 1 }
			],
			unanswered: 2
		});
		const multiple = {
			type: 'multiple' as const,
			choices: [
				{ text: 'a', fraction: 0.5, feedback: null },
				{ text: 'b', fraction: 0.5, feedback: null },
				{ text: 'c', fraction: -1, feedback: null }
			]
		};
		expect(
			optionDistribution(multiple, [
				{ type: 'multiple', choices: [0, 1] },
				{ type: 'multiple', choices: [0, 2, 2] }
			]).options.map((o) => o.count)
		).toEqual([2, 1, 1]);
		expect(
			optionDistribution(
				{ type: 'truefalse', answer: false, feedbackRight: null, feedbackWrong: null },
				[
					{ type: 'truefalse', answer: false },
					{ type: 'truefalse', answer: true },
					{ type: 'truefalse', answer: false }
				]
			).options
		).toEqual([
			{ label: 'true', count: 1, fraction: 0 },
			{ label: 'false', count: 2, fraction: 1 }
		]);
		expect(
			optionDistribution(
				{
					type: 'matching',
					pairs: [
						{ prompt: '25', answer: 'SMTP' },
						{ prompt: '80', answer: 'HTTP' },
						{ prompt: '', answer: 'FTP' }
					]
				},
				[
					{ type: 'matching', answers: { 0: 'SMTP', 1: 'FTP' } },
					{ type: 'matching', answers: { 0: 'SMTP', 1: 'HTTP' } }
				]
			).options
		).toEqual([
			{ label: '25 → SMTP', count: 2, fraction: null },
			{ label: '80 → HTTP', count: 1, fraction: null }
		]);
		expect(
			optionDistribution(
				{ type: 'numerical', answers: [{ value: 62, tolerance: 0, fraction: 1, feedback: null }] },
				[
					{ type: 'numerical', text: '62' },
					{ type: 'numerical', text: ' 62 ' },
					{ type: 'numerical', text: '64' },
					{ type: 'numerical', text: '' }
				]
			)
		).toEqual({
			options: [
				{ label: '62', count: 2, fraction: 1 },
				{ label: '64', count: 1, fraction: 0 }
			],
			unanswered: 1
		});
	});
});
