import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { knee, periodic, rateSteps, spread } from './schedule';

describe('spread', () => {
	it('spreads n starts over the window, first at 0, all before its end', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 5000 }),
				fc.integer({ min: 1, max: 120_000 }),
				(n, w) => {
					const t = spread(n, w);
					expect(t).toHaveLength(n);
					expect(t[0]).toBe(0);
					expect(t.every((x, i) => x < w && (i === 0 || x >= t[i - 1]))).toBe(true);
				}
			)
		);
	});
	it('gives nothing for nobody', () => expect(spread(0, 1000)).toEqual([]));
});

describe('periodic', () => {
	it('one user saves every period, shifted by its share', () => {
		expect(periodic(0, 3, 3000, 10_000)).toEqual([0, 3000, 6000, 9000]);
		expect(periodic(1, 3, 3000, 10_000)).toEqual([1000, 4000, 7000]);
	});
	it('n users every period make n / period saves per second overall', () => {
		const n = 620;
		const all = Array.from({ length: n }, (_, i) => periodic(i, n, 3000, 120_000)).flat();
		expect(all.length / 120).toBeCloseTo(n / 3, 0);
	});
});

describe('rateSteps', () => {
	it('rises by the factor and ends at the ceiling', () => {
		expect(rateSteps(250, 2000, 2)).toEqual([250, 500, 1000, 2000]);
		expect(rateSteps(300, 1000, 2)).toEqual([300, 600, 1000]);
	});
	it('refuses a ramp that never rises', () => {
		expect(() => rateSteps(100, 1000, 1)).toThrow();
	});
});

describe('knee', () => {
	const step = (target: number, achieved: number, p99: number, errors = 0) => ({
		target,
		achieved,
		p99,
		errors
	});
	it('is the last rate within the latency limit', () => {
		const r = knee([step(500, 498, 20), step(1000, 990, 60), step(2000, 1400, 300)], 100);
		expect(r.sustained).toBe(990);
		expect(r.breaking?.target).toBe(2000);
	});
	it('an error breaks a step too', () => {
		expect(knee([step(500, 500, 10, 1)], 100)).toEqual({
			sustained: 0,
			breaking: step(500, 500, 10, 1)
		});
	});
	it('never broken: the best rate, no breaking step', () => {
		expect(knee([step(500, 500, 10), step(1000, 1000, 20)], 100)).toEqual({
			sustained: 1000,
			breaking: null
		});
	});
});
