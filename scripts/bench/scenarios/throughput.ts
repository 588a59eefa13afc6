// Server-rendered page throughput: a logged-in reader fetching a lesson page over and over from
// many concurrent connections (what autocannon would do, with the session cookie).
import { Agent, request } from 'undici';
import { Recorder, round } from '../stats';
import type { ScenarioResult } from '../report';
import { cpuMeter, formatCpu, type BenchServer } from '../server';

export async function pageThroughput(input: {
	server: BenchServer;
	path: string;
	cookie: string;
	seconds: number;
	/** Unmeasured requests before the measured ones, in seconds. */
	warmupSeconds: number;
	connections: number;
}): Promise<ScenarioResult> {
	const agent = new Agent({ connections: input.connections, keepAliveTimeout: 10_000 });
	const base = input.server.url;
	let bytes = 0;
	// Every connection asks for the page again as soon as it has the last one, until `until`.
	const hammer = (until: number, recorder: Recorder | null) =>
		Promise.all(
			Array.from({ length: input.connections }, async () => {
				while (performance.now() < until) {
					const t = performance.now();
					try {
						const res = await request(base + input.path, {
							dispatcher: agent,
							headers: { cookie: input.cookie, 'accept-encoding': 'identity' }
						});
						const body = await res.body.text();
						if (res.statusCode === 200 && body.includes('</html>')) {
							recorder?.record(performance.now() - t);
							if (recorder) bytes += body.length;
						} else recorder?.fail(`status ${res.statusCode}`);
					} catch (error) {
						recorder?.fail((error as Error).message.slice(0, 40));
					}
				}
			})
		);
	// A warm-up first, not counted: the route's code is compiled by then, as on a server that has
	// been up for a while (a server that just started is what the start burst measures).
	await hammer(performance.now() + input.warmupSeconds * 1000, null);
	const recorder = new Recorder();
	const meter = cpuMeter(input.server);
	const t0 = performance.now();
	await hammer(t0 + input.seconds * 1000, recorder);
	const elapsed = (performance.now() - t0) / 1000;
	const cpu = meter();
	await agent.close();
	const s = recorder.summary();
	const rate = round(s.count / elapsed, 0);
	return {
		name: `server-rendered lesson page throughput (${input.path})`,
		target: '≥ 500 req/s',
		measured: `${rate} req/s over ${elapsed.toFixed(1)} s (after ${input.warmupSeconds} s of warm-up) with ${input.connections} connections, ${s.errors} errors, p50 ${s.p50} ms, p99 ${s.p99} ms, ${Math.round(bytes / Math.max(1, s.count) / 1024)} KB per page; ${formatCpu(cpu)}`,
		pass: s.errors === 0 && rate >= 500,
		data: {
			...s,
			rate,
			seconds: elapsed,
			warmupSeconds: input.warmupSeconds,
			connections: input.connections,
			cpu
		}
	};
}
