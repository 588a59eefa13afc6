// Login burst: the province's cadres log in within a minute (argon2id with bounded concurrency).
import { Recorder, sleep } from '../stats';
import { spread } from '../schedule';
import type { VirtualUser } from '../client';
import type { BenchServer } from '../server';
import type { ScenarioResult } from '../report';

export async function loginBurst(
	server: BenchServer,
	input: { users: VirtualUser[]; seconds: number; label: string }
): Promise<ScenarioResult> {
	const recorder = new Recorder();
	const { users } = input;
	const offsets = spread(users.length, input.seconds * 1000);
	const started = performance.now();
	let peakRss = 0;
	const sampler = setInterval(() => (peakRss = Math.max(peakRss, server.memory().rssMiB)), 100);
	await Promise.all(
		users.map(async (user, i) => {
			await sleep(offsets[i] - (performance.now() - started));
			const t = performance.now();
			try {
				await user.logIn();
				recorder.record(performance.now() - t);
			} catch (error) {
				recorder.fail((error as Error).message.slice(0, 60));
			}
		})
	);
	clearInterval(sampler);
	const s = recorder.summary();
	const elapsed = (performance.now() - started) / 1000;
	const peak = Math.max(peakRss, server.memory().rssMiB);
	return {
		name: `login burst (${input.label}): ${users.length} cadres log in within ${input.seconds} s`,
		target: 'no errors, p95 < 1 s, memory bounded (report peak RSS)',
		measured: `${s.count} ok in ${elapsed.toFixed(1)} s, ${s.errors} errors, p50 ${s.p50} ms, p95 ${s.p95} ms, p99 ${s.p99} ms; server RSS peak ${peak} MiB (argon2id 19 MiB × at most 4 at once)`,
		pass: s.errors === 0 && s.p95 < 1000,
		data: {
			...s,
			seconds: elapsed,
			peakRssMiB: peak,
			errorKinds: Object.fromEntries(recorder.errorKinds)
		}
	};
}
