// The competition day over HTTP: competitors start the round together, autosave answers, push the
// save rate until it breaks, and all submit at the end.
import { Recorder, pool, round, sleep, type Summary } from '../stats';
import { knee, periodic, rateSteps, spread, type RateStep } from '../schedule';
import type { Competitor } from '../competitor';
import type { Ledger } from '../ledger';
import { cpuMeter, formatCpu, type BenchServer, type CpuShare } from '../server';
import type { ScenarioResult } from '../report';

const fmt = (s: Summary) => `p50 ${s.p50} ms, p95 ${s.p95} ms, p99 ${s.p99} ms, max ${s.max} ms`;

function errorKinds(recorder: Recorder): Record<string, number> {
	return Object.fromEntries(recorder.errorKinds);
}

/** Everyone opens the lobby (as they wait for the start), not measured against a target. */
export async function openLobbies(competitors: Competitor[]): Promise<Summary> {
	const recorder = new Recorder();
	await pool(competitors, 64, async (c) => {
		const r = await c.lobby();
		if (r.status === 200) recorder.record(r.ms);
		else recorder.fail(`lobby ${r.status}`);
	});
	return recorder.summary();
}

export async function startBurst(
	server: BenchServer,
	competitors: Competitor[],
	input: { seconds: number; label: string }
): Promise<ScenarioResult> {
	const start = new Recorder();
	const page = new Recorder();
	let throttled = 0;
	const offsets = spread(competitors.length, input.seconds * 1000);
	const meter = cpuMeter(server);
	const t0 = performance.now();
	await Promise.all(
		competitors.map(async (c, i) => {
			await sleep(offsets[i] - (performance.now() - t0));
			const { result, location } = await c.start();
			if (result.status === 429) throttled++;
			if (!location) return start.fail(`start ${result.status} ${result.body.slice(0, 50)}`);
			start.record(result.ms);
			const attempt = await c.attemptPage();
			if (attempt.status === 200) page.record(attempt.ms);
			else page.fail(`attempt page ${attempt.status}`);
		})
	);
	const elapsed = (performance.now() - t0) / 1000;
	const cpu = meter();
	const s = start.summary();
	const p = page.summary();
	return {
		name: `start burst (${input.label}): ${competitors.length} start the round within ${input.seconds} s`,
		target: 'p95 < 500 ms, no errors, no start throttling needed',
		measured: `${s.count} started in ${elapsed.toFixed(1)} s, ${s.errors + p.errors} errors, ${throttled} throttled; start ${fmt(s)}; then the attempt page ${fmt(p)}; server RSS ${server.memory().rssMiB} MiB; ${formatCpu(cpu)}`,
		pass: s.errors === 0 && p.errors === 0 && throttled === 0 && s.p95 < 500,
		data: {
			start: s,
			attemptPage: p,
			throttled,
			seconds: elapsed,
			errorKinds: errorKinds(start),
			cpu
		}
	};
}

/** Runs saves by the schedule: one save per send time, a user never has two on the way. */
async function runSaves(
	competitors: Competitor[],
	times: number[][],
	ledger: Ledger,
	scenario: string,
	recorder: Recorder,
	slotCount: number,
	durationMs: number
): Promise<{ sent: number; skipped: number; elapsed: number }> {
	let sent = 0;
	let skipped = 0;
	const t0 = performance.now();
	await Promise.all(
		competitors.map(async (c, i) => {
			let k = i;
			for (const [j, at] of times[i].entries()) {
				const late = performance.now() - t0 - at;
				// Behind by a whole period, or past the phase: a browser would have merged these
				// answers into the next save (one per slot pending), so they are not sent.
				const next = times[i][j + 1] ?? durationMs;
				if (performance.now() - t0 >= durationMs || (late > 0 && performance.now() - t0 >= next)) {
					skipped++;
					continue;
				}
				if (late < 0) await sleep(-late);
				const slot = (k++ % slotCount) + 1;
				sent++;
				const r = await c.save(slot, ledger, scenario);
				if (r.ok) recorder.record(r.ms);
				else recorder.fail(r.error ?? 'save');
			}
		})
	);
	return { sent, skipped, elapsed: (performance.now() - t0) / 1000 };
}

export async function steadyAutosave(
	server: BenchServer,
	competitors: Competitor[],
	ledger: Ledger,
	input: { seconds: number; periodMs: number; label: string }
): Promise<ScenarioResult> {
	const recorder = new Recorder();
	const n = competitors.length;
	const times = competitors.map((_, i) => periodic(i, n, input.periodMs, input.seconds * 1000));
	let peakRss = 0;
	const sampler = setInterval(() => (peakRss = Math.max(peakRss, server.memory().rssMiB)), 250);
	const cpu0 = server.cpuSeconds();
	const { sent, skipped, elapsed } = await runSaves(
		competitors,
		times,
		ledger,
		'steady',
		recorder,
		competitors[0].population.slotTypes.length,
		input.seconds * 1000
	);
	clearInterval(sampler);
	const cpuMs = ((server.cpuSeconds() - cpu0) * 1000) / Math.max(1, sent);
	const s = recorder.summary();
	const rate = round(s.count / elapsed, 0);
	return {
		name: `steady autosave (${input.label}): ${n} competitors saving every ${input.periodMs / 1000} s for ${input.seconds} s`,
		target: 'p99 < 50 ms, 0 errors',
		measured: `${s.count}/${sent} saves acknowledged (${skipped} of the schedule not sent: the client fell a period behind), ${rate} saves/s, ${s.errors} errors; ${fmt(s)}; server RSS peak ${peakRss} MiB, server CPU ${round(cpuMs, 2)} ms per save`,
		pass: s.errors === 0 && s.p99 < 50,
		data: {
			...s,
			sent,
			skipped,
			rate,
			seconds: elapsed,
			peakRssMiB: peakRss,
			serverCpuMsPerSave: cpuMs,
			errorKinds: errorKinds(recorder)
		}
	};
}

/**
 * Raises the save rate step by step (every competitor saving more often) until p99 passes the
 * limit; stops after the first step that breaks it.
 */
export async function capacityRamp(
	server: Pick<BenchServer, 'cpuSeconds'>,
	competitors: Competitor[],
	ledger: Ledger,
	input: { from: number; to: number; factor: number; stepSeconds: number; limitMs: number }
): Promise<{ result: ScenarioResult; sustained: number }> {
	const n = competitors.length;
	const steps: RateStep[] = [];
	const cpus: CpuShare[] = [];
	const slotCount = competitors[0].population.slotTypes.length;
	for (const target of rateSteps(input.from, input.to, input.factor)) {
		const recorder = new Recorder();
		const periodMs = (n / target) * 1000;
		const times = competitors.map((_, i) => periodic(i, n, periodMs, input.stepSeconds * 1000));
		const meter = cpuMeter(server);
		const { elapsed } = await runSaves(
			competitors,
			times,
			ledger,
			'capacity',
			recorder,
			slotCount,
			input.stepSeconds * 1000
		);
		const cpu = meter();
		const s = recorder.summary();
		const step = { target, achieved: round(s.count / elapsed, 0), p99: s.p99, errors: s.errors };
		steps.push(step);
		cpus.push(cpu);
		console.error(
			`    ${target}/s asked: ${step.achieved}/s acknowledged, p50 ${s.p50} ms, p99 ${s.p99} ms, ${s.errors} errors, ${formatCpu(cpu)}`
		);
		if (step.p99 > input.limitMs || step.errors > 0) break;
		await sleep(1000);
	}
	const k = knee(steps, input.limitMs);
	return {
		sustained: k.sustained,
		result: {
			name: `capacity: raise the save rate until p99 passes ${input.limitMs} ms (${n} competitors)`,
			target: '≥ 2,000 saves/s; report the knee',
			measured: `knee ≈ ${k.sustained} saves/s with p99 ≤ ${input.limitMs} ms; ${k.breaking ? `broke at ${k.breaking.target}/s asked (${k.breaking.achieved}/s done, p99 ${k.breaking.p99} ms, ${k.breaking.errors} errors)` : `not broken up to ${input.to}/s asked`}; steps (asked→done, p99, CPU % of one core for server/PostgreSQL and the rest/bench client, machine busy): ${steps.map((s, i) => `${s.target}→${s.achieved}/s ${s.p99} ms ${cpus[i].server}/${cpus[i].rest}/${cpus[i].client} %, ${cpus[i].machineBusy} % busy`).join('; ')}`,
			pass: k.sustained >= 2000,
			data: {
				steps,
				cpu: cpus,
				sustained: k.sustained,
				breaking: k.breaking
			}
		}
	};
}

/** Everyone submits in the last seconds: a final save of one answer, then the submit form. */
export async function submitStorm(
	competitors: Competitor[],
	ledger: Ledger,
	input: { seconds: number; label: string }
): Promise<ScenarioResult> {
	const submit = new Recorder();
	const saves = new Recorder();
	const offsets = spread(competitors.length, input.seconds * 1000);
	const t0 = performance.now();
	await Promise.all(
		competitors.map(async (c, i) => {
			await sleep(offsets[i] - (performance.now() - t0));
			const s = await c.save(1 + (i % c.population.slotTypes.length), ledger, 'submit storm');
			if (s.ok) saves.record(s.ms);
			else saves.fail(s.error ?? 'save');
			const r = await c.submit(ledger, 'submit storm');
			if (r.ok) submit.record(r.ms);
			else submit.fail(r.error ?? 'submit');
		})
	);
	const elapsed = (performance.now() - t0) / 1000;
	const s = submit.summary();
	const v = saves.summary();
	return {
		name: `submit storm (${input.label}): all ${competitors.length} submit in the last ${input.seconds} s`,
		target: '100 % recorded, p99 < 1 s',
		measured: `${s.count}/${competitors.length} submits acknowledged in ${elapsed.toFixed(1)} s (recorded: see no loss), ${s.errors} errors; submit ${fmt(s)}; last saves ${fmt(v)}, ${v.errors} errors`,
		pass: s.errors === 0 && v.errors === 0 && s.count === competitors.length && s.p99 < 1000,
		data: { submit: s, saves: v, seconds: elapsed, errorKinds: errorKinds(submit) }
	};
}
