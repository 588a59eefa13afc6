// The client-side record of what the server acknowledged, and the check that all of it is in the
// database: no acknowledged save and no acknowledged submit may be missing afterwards.

export interface AckedSave {
	attemptId: string;
	slot: number;
	seq: number;
	/** The scenario that sent it, so a loss is reported where it happened. */
	scenario: string;
}

export interface StoredAnswer {
	attemptId: string;
	slot: number;
	seq: number;
}

/** A save as the append-only attempt event log holds it (types save and save_stale). */
export type LoggedSave = StoredAnswer;

export interface LossReport {
	checked: number;
	/** Acknowledged saves whose answer row is missing or holds an older seq. */
	lostAnswers: number;
	/** Acknowledged saves with no save event in the log. */
	lostEvents: number;
	/** Acknowledged submits whose attempt is not submitted. */
	lostSubmits: number;
	byScenario: Record<string, { checked: number; lost: number }>;
	examples: string[];
}

const key = (attemptId: string, slot: number) => `${attemptId}:${slot}`;

export class Ledger {
	readonly saves: AckedSave[] = [];
	readonly submits = new Map<string, string>();

	ack(save: AckedSave): void {
		this.saves.push(save);
	}

	submitted(attemptId: string, scenario: string): void {
		this.submits.set(attemptId, scenario);
	}

	attemptIds(): string[] {
		return [...new Set([...this.saves.map((s) => s.attemptId), ...this.submits.keys()])];
	}
}

/**
 * Every acknowledged save must be in the database: its slot's answer row holds that seq or a newer
 * one (the highest seq wins), and the event log holds the save itself (a newer answer must not hide
 * a lost one). Every acknowledged submit must have left its attempt submitted.
 */
export function checkLoss(
	ledger: Pick<Ledger, 'saves' | 'submits'>,
	db: { answers: StoredAnswer[]; events: LoggedSave[]; submitted: Iterable<string> }
): LossReport {
	const stored = new Map<string, number>();
	for (const a of db.answers) stored.set(key(a.attemptId, a.slot), a.seq);
	const logged = new Set(db.events.map((e) => `${key(e.attemptId, e.slot)}:${e.seq}`));
	const submitted = new Set(db.submitted);
	const report: LossReport = {
		checked: ledger.saves.length,
		lostAnswers: 0,
		lostEvents: 0,
		lostSubmits: 0,
		byScenario: {},
		examples: []
	};
	const scenario = (name: string) => (report.byScenario[name] ??= { checked: 0, lost: 0 });
	for (const save of ledger.saves) {
		const s = scenario(save.scenario);
		s.checked++;
		const seq = stored.get(key(save.attemptId, save.slot));
		const answerLost = seq === undefined || seq < save.seq;
		const eventLost = !logged.has(`${key(save.attemptId, save.slot)}:${save.seq}`);
		if (answerLost) report.lostAnswers++;
		if (eventLost) report.lostEvents++;
		if (answerLost || eventLost) {
			s.lost++;
			if (report.examples.length < 5)
				report.examples.push(
					`${save.attemptId} slot ${save.slot} seq ${save.seq}: ${answerLost ? `answer has ${seq ?? 'nothing'}` : 'no event'}`
				);
		}
	}
	for (const [attemptId, name] of ledger.submits) {
		const s = scenario(name);
		s.checked++;
		report.checked++;
		if (!submitted.has(attemptId)) {
			report.lostSubmits++;
			s.lost++;
			if (report.examples.length < 5) report.examples.push(`${attemptId}: submit not recorded`);
		}
	}
	return report;
}

export const totalLost = (r: LossReport) => r.lostAnswers + r.lostEvents + r.lostSubmits;
