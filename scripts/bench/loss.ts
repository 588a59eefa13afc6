// Reads back what the database holds for the ledger's attempts and checks that nothing acknowledged is missing.
import type { Database } from '../../src/lib/server/db/client';
import { checkLoss, totalLost, type Ledger, type LossReport } from './ledger';
import type { ScenarioResult } from './report';

export async function lossReport(database: Database, ledger: Ledger): Promise<LossReport> {
	const ids = ledger.attemptIds();
	const rows = <T extends Record<string, unknown>>(text: string) =>
		ids.length ? database.query<T>(text, [ids]) : Promise.resolve([] as T[]);
	const answers = await rows<{ attempt_id: string; slot: number; seq: number }>(
		'select attempt_id, slot, seq from attempt_answers where attempt_id = any($1::uuid[])'
	);
	const events = await rows<{ attempt_id: string; slot: number; seq: number }>(
		`select attempt_id, slot, seq from attempt_events
		  where type in ('save', 'save_stale') and attempt_id = any($1::uuid[])`
	);
	const submitted = await rows<{ id: string }>(
		`select id from attempts where status = 'submitted' and id = any($1::uuid[])`
	);
	const pick = (r: { attempt_id: string; slot: number; seq: number }) => ({
		attemptId: r.attempt_id,
		slot: Number(r.slot),
		seq: Number(r.seq)
	});
	return checkLoss(ledger, {
		answers: answers.map(pick),
		events: events.map(pick),
		submitted: submitted.map((r) => r.id)
	});
}

export function lossResult(population: string, report: LossReport): ScenarioResult {
	const lost = totalLost(report);
	const per = Object.entries(report.byScenario)
		.map(([name, s]) => `${name} ${s.lost}/${s.checked}`)
		.join(', ');
	return {
		name: `no loss (${population}): every acknowledged save and submit is in the database`,
		target: '0 lost',
		measured: `${lost} lost of ${report.checked} acknowledged (lost/checked per scenario: ${per})${report.examples.length ? `; e.g. ${report.examples.join('; ')}` : ''}`,
		pass: lost === 0,
		data: { ...report }
	};
}
