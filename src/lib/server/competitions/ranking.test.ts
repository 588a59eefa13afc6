import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	allocatePrizes,
	freezeState,
	nextFreezeChange,
	prizeForRank,
	rankIndividuals,
	rankUnits,
	scoreUnits,
	type UnitMember
} from './ranking';

const e = (name: string, score: number, timeMs: number | null = 1000) => ({ name, score, timeMs });

describe('individual ranking', () => {
	it('orders by score, then time used, and gives equal results one rank: 1, 2, 2, 4', () => {
		const ranked = rankIndividuals([
			e('Dũng', 7, 900),
			e('An', 9, 1200),
			e('Bình', 7, 800),
			e('Chi', 7, 800),
			e('Giang', 5, 100)
		]);
		expect(ranked.map((r) => [r.name, r.rank])).toEqual([
			['An', 1],
			['Bình', 2],
			['Chi', 2],
			['Dũng', 4],
			['Giang', 5]
		]);
	});

	it('breaks a score tie by time and puts those who never started last among equals', () => {
		const ranked = rankIndividuals([e('A', 3, null), e('B', 3, 5000), e('C', 3, null)]);
		expect(ranked.map((r) => [r.name, r.rank])).toEqual([
			['B', 1],
			['A', 2],
			['C', 2]
		]);
	});

	it('compares sums of decimal scores at the database precision (0.1 + 0.2 ties 0.3)', () => {
		const ranked = rankIndividuals([e('A', 0.1 + 0.2, 10), e('B', 0.3, 10)]);
		expect(ranked.map((r) => r.rank)).toEqual([1, 1]);
	});

	it('holds for any input: ranks ascend, ties share the first place, a rank equals 1 + those strictly better', () => {
		fc.assert(
			fc.property(
				fc.array(
					fc.record({
						score: fc.integer({ min: 0, max: 5 }),
						timeMs: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null })
					}),
					{ maxLength: 30 }
				),
				(entries) => {
					const ranked = rankIndividuals(entries);
					const t = (x: { timeMs: number | null }) => x.timeMs ?? Infinity;
					for (const r of ranked) {
						const better = entries.filter(
							(o) => o.score > r.score || (o.score === r.score && t(o) < t(r))
						).length;
						expect(r.rank).toBe(better + 1);
					}
					for (let i = 1; i < ranked.length; i++)
						expect(ranked[i].rank).toBeGreaterThanOrEqual(ranked[i - 1].rank);
				}
			)
		);
	});
});

describe('unit rules', () => {
	const members: UnitMember[] = [
		{ unitId: 1, inTeam: true, score: 10 },
		{ unitId: 1, inTeam: true, score: 6 },
		{ unitId: 1, inTeam: false, score: 8 },
		{ unitId: 1, inTeam: false, score: 0 },
		{ unitId: 2, inTeam: true, score: 9 },
		{ unitId: 3, inTeam: false, score: 7 }
	];
	const byUnit = (scores: ReturnType<typeof scoreUnits>) =>
		Object.fromEntries(scores.map((s) => [s.unitId, [s.score, s.counted, s.members]]));

	it('best K: the sum of the K best members, or of all when a unit has fewer', () => {
		expect(byUnit(scoreUnits(members, 'best_k', 2))).toEqual({
			1: [18, 2, 4],
			2: [9, 1, 1],
			3: [7, 1, 1]
		});
	});

	it('mean of registered members: absent members count 0', () => {
		expect(byUnit(scoreUnits(members, 'mean_registered', 3))).toEqual({
			1: [6, 4, 4],
			2: [9, 1, 1],
			3: [7, 1, 1]
		});
	});

	it('mean of the team: only team members; a unit without a team is not ranked', () => {
		expect(byUnit(scoreUnits(members, 'mean_team', 3))).toEqual({
			1: [8, 2, 4],
			2: [9, 1, 1]
		});
	});

	it('rounds means to the score precision and ranks units with shared ranks, without a time tie-break', () => {
		const scores = scoreUnits(
			[
				{ unitId: 1, inTeam: false, score: 1 },
				{ unitId: 1, inTeam: false, score: 1 },
				{ unitId: 1, inTeam: false, score: 0 },
				{ unitId: 2, inTeam: false, score: 2 / 3 },
				{ unitId: 3, inTeam: false, score: 1 }
			],
			'mean_registered',
			3
		);
		expect(scores.find((s) => s.unitId === 1)!.score).toBe(0.667);
		const ranked = rankUnits(
			scores.map((s) => ({ ...s, name: `U${s.unitId}`, timeMs: s.unitId * 1000 }))
		);
		expect(ranked.map((r) => [r.unitId, r.rank])).toEqual([
			[3, 1],
			[1, 2],
			[2, 2]
		]);
	});
});

describe('prizes', () => {
	const quota = { nhat: 1, nhi: 2, ba: 3, kk: 4 };

	it('gives prizes by place', () => {
		expect([1, 2, 3, 4, 6, 7, 10, 11].map((r) => prizeForRank(r, quota))).toEqual([
			'nhat',
			'nhi',
			'nhi',
			'ba',
			'ba',
			'kk',
			'kk',
			null
		]);
	});

	it('gives everyone tied at a boundary the better prize, and uses up the places below', () => {
		const ranked = rankIndividuals([
			e('A', 10),
			e('B', 10),
			e('C', 9),
			e('D', 8),
			e('E', 8),
			e('F', 8),
			e('G', 7)
		]);
		const prizes = allocatePrizes(ranked, { nhat: 1, nhi: 1, ba: 2, kk: 0 });
		expect(prizes.map((p) => [p.name, p.rank, p.prize])).toEqual([
			['A', 1, 'nhat'],
			['B', 1, 'nhat'],
			['C', 3, 'ba'],
			['D', 4, 'ba'],
			['E', 4, 'ba'],
			['F', 4, 'ba'],
			['G', 7, null]
		]);
	});

	it('gives nothing for a score of 0, nor when a quota is 0', () => {
		const ranked = rankIndividuals([e('A', 3), e('B', 0), e('C', 0)]);
		expect(allocatePrizes(ranked, { nhat: 1, nhi: 5, ba: 0, kk: 0 }).map((p) => p.prize)).toEqual([
			'nhat',
			null,
			null
		]);
		expect(prizeForRank(1, { nhat: 0, nhi: 0, ba: 0, kk: 0 })).toBeNull();
	});

	it('never gives more prizes than the quotas except to entries tied at the last place', () => {
		fc.assert(
			fc.property(
				fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 25 }),
				fc.record({
					nhat: fc.nat(3),
					nhi: fc.nat(3),
					ba: fc.nat(3),
					kk: fc.nat(3)
				}),
				(scores, q) => {
					const prizes = allocatePrizes(rankIndividuals(scores.map((s, i) => e(`N${i}`, s, 0))), q);
					const total = q.nhat + q.nhi + q.ba + q.kk;
					const winners = prizes.filter((p) => p.prize);
					const lastWinnerRank = Math.max(0, ...winners.map((w) => w.rank));
					const beforeLast = winners.filter((w) => w.rank < lastWinnerRank).length;
					expect(beforeLast).toBeLessThan(Math.max(1, total));
					// A better rank never gets a worse prize.
					const order = ['nhat', 'nhi', 'ba', 'kk'];
					for (let i = 1; i < winners.length; i++)
						expect(order.indexOf(winners[i].prize!)).toBeGreaterThanOrEqual(
							order.indexOf(winners[i - 1].prize!)
						);
				}
			)
		);
	});
});

describe('freeze', () => {
	const at = (hhmm: string) => new Date(`2012-09-20T${hhmm}:00+07:00`);
	const theory = { openAt: at('08:00'), closeAt: at('09:00') };
	const practical = { openAt: at('14:00'), closeAt: at('16:00') };
	const state = (now: string, extra: Partial<Parameters<typeof freezeState>[0]> = {}) =>
		freezeState({
			rounds: [theory, practical],
			freezeMinutes: 15,
			resultsPublishedAt: null,
			now: at(now),
			...extra
		})?.cutoff.toISOString() ?? null;

	it('freezes for the last N minutes of a round, as of the freeze point', () => {
		expect(state('08:44')).toBeNull();
		expect(state('08:45')).toBe(at('08:45').toISOString());
		expect(state('08:59')).toBe(at('08:45').toISOString());
	});

	it('stays frozen after the round ends until the next round opens', () => {
		expect(state('11:00')).toBe(at('08:45').toISOString());
		expect(state('14:00')).toBeNull();
		expect(state('15:44')).toBeNull();
		expect(state('15:50')).toBe(at('15:45').toISOString());
		expect(state('23:00')).toBe(at('15:45').toISOString());
	});

	it('lifts when results are published or the minutes are 0', () => {
		expect(state('08:50', { resultsPublishedAt: at('08:49') })).toBeNull();
		expect(state('08:50', { resultsPublishedAt: at('20:00') })).toBe(at('08:45').toISOString());
		expect(state('08:50', { freezeMinutes: 0 })).toBeNull();
	});

	it('keeps the earliest freeze point while overlapping rounds are frozen', () => {
		const a = { openAt: at('08:00'), closeAt: at('09:00') };
		const b = { openAt: at('08:30'), closeAt: at('10:00') };
		const s = (now: string) =>
			freezeState({
				rounds: [a, b],
				freezeMinutes: 30,
				resultsPublishedAt: null,
				now: at(now)
			})?.cutoff.toISOString() ?? null;
		expect(s('08:29')).toBeNull();
		expect(s('08:30')).toBe(at('08:30').toISOString());
		expect(s('09:40')).toBe(at('08:30').toISOString());
	});

	it('a round closed early keeps the freeze point fixed at its close', () => {
		// Closed at 08:20, before its freeze point: the board froze at 08:20, not at 08:05.
		const closed = { openAt: at('08:00'), closeAt: at('08:20'), freezeAt: at('08:20') };
		const s = (now: string) =>
			freezeState({
				rounds: [closed, practical],
				freezeMinutes: 15,
				resultsPublishedAt: null,
				now: at(now)
			})?.cutoff.toISOString() ?? null;
		expect(s('08:19')).toBeNull();
		expect(s('08:20')).toBe(at('08:20').toISOString());
		expect(s('14:00')).toBeNull();
	});

	it('names the next moment the freeze may change by the clock', () => {
		const next = (now: string) =>
			nextFreezeChange({
				rounds: [theory, practical],
				freezeMinutes: 15,
				resultsPublishedAt: null,
				now: at(now)
			})?.toISOString() ?? null;
		expect(next('07:00')).toBe(at('08:00').toISOString());
		expect(next('08:10')).toBe(at('08:45').toISOString());
		expect(next('09:00')).toBe(at('14:00').toISOString());
		expect(next('15:50')).toBeNull();
	});
});
