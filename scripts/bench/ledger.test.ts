import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ledger, checkLoss, totalLost } from './ledger';

const A = '00000000-0000-4000-8000-000000000001';
const B = '00000000-0000-4000-8000-000000000002';

describe('checkLoss', () => {
	it('passes when every acknowledged save is stored and logged', () => {
		const ledger = new Ledger();
		ledger.ack({ attemptId: A, slot: 1, seq: 1, scenario: 'steady' });
		ledger.ack({ attemptId: A, slot: 1, seq: 2, scenario: 'steady' });
		ledger.submitted(A, 'submit');
		const report = checkLoss(ledger, {
			answers: [{ attemptId: A, slot: 1, seq: 2 }],
			events: [
				{ attemptId: A, slot: 1, seq: 1 },
				{ attemptId: A, slot: 1, seq: 2 }
			],
			submitted: [A]
		});
		expect(totalLost(report)).toBe(0);
		expect(report.checked).toBe(3);
		expect(report.byScenario).toEqual({
			steady: { checked: 2, lost: 0 },
			submit: { checked: 1, lost: 0 }
		});
	});

	it('finds an answer row older than the acknowledged seq, a missing event and a lost submit', () => {
		const ledger = new Ledger();
		ledger.ack({ attemptId: A, slot: 1, seq: 3, scenario: 'steady' });
		ledger.ack({ attemptId: B, slot: 2, seq: 1, scenario: 'capacity' });
		ledger.submitted(B, 'submit');
		const report = checkLoss(ledger, {
			answers: [
				{ attemptId: A, slot: 1, seq: 2 },
				{ attemptId: B, slot: 2, seq: 1 }
			],
			events: [{ attemptId: A, slot: 1, seq: 3 }],
			submitted: []
		});
		expect(report.lostAnswers).toBe(1);
		expect(report.lostEvents).toBe(1);
		expect(report.lostSubmits).toBe(1);
		expect(report.byScenario.capacity.lost).toBe(1);
		expect(report.examples).toHaveLength(3);
	});

	it('a newer answer does not hide a save missing from the log', () => {
		const ledger = new Ledger();
		ledger.ack({ attemptId: A, slot: 1, seq: 1, scenario: 's' });
		const report = checkLoss(ledger, {
			answers: [{ attemptId: A, slot: 1, seq: 5 }],
			events: [{ attemptId: A, slot: 1, seq: 5 }],
			submitted: []
		});
		expect(report.lostEvents).toBe(1);
		expect(report.lostAnswers).toBe(0);
	});

	it('reports no loss exactly when the database holds every save (property)', () => {
		fc.assert(
			fc.property(
				fc.array(
					fc.record({ slot: fc.integer({ min: 1, max: 4 }), seq: fc.integer({ min: 1, max: 9 }) })
				),
				fc.integer({ min: 0, max: 20 }),
				(saves, drop) => {
					const ledger = new Ledger();
					for (const s of saves) ledger.ack({ attemptId: A, ...s, scenario: 's' });
					const events = saves.map((s) => ({ attemptId: A, ...s }));
					const answers = [...new Set(saves.map((s) => s.slot))].map((slot) => ({
						attemptId: A,
						slot,
						seq: Math.max(...saves.filter((s) => s.slot === slot).map((s) => s.seq))
					}));
					const full = checkLoss(ledger, { answers, events, submitted: [] });
					expect(totalLost(full)).toBe(0);
					if (saves.length === 0) return;
					const lost = events[drop % events.length];
					const kept = events.filter((e) => !(e.slot === lost.slot && e.seq === lost.seq));
					const partial = checkLoss(ledger, { answers, events: kept, submitted: [] });
					expect(partial.lostEvents).toBeGreaterThan(0);
				}
			)
		);
	});
});
