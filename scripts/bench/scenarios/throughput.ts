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
	connections: number;
}): Promise<ScenarioResult> {
	const agent = new Agent({ connections: input.connections, keepAliveTimeout: 10_000 });
	const recorder = new Recorder();
	const base = input.server.url;
	const meter = cpuMeter(input.server);
	const end = performance.now() + input.seconds * 1000;
	const t0 = performance.now();
	let bytes = 0;
	await Promise.all(
		Array.from({ length: input.connections }, async () => {
			while (performance.now() < end) {
				const t = performance.now();
				try {
					const res = await request(base + input.path, {
						dispatcher: agent,
						headers: { cookie: input.cookie, 'accept-encoding': 'identity' }
					});
					const body = await res.body.text();
					if (res.statusCode === 200 && body.includes('</html>')) {
						recorder.record(performance.now() - t);
						bytes += body.length;
					} else recorder.fail(`status ${res.statusCode}`);
				} catch (error) {
					recorder.fail((error as Error).message.slice(0, 40));
				}
			}
		})
	);
	const elapsed = (performance.now() - t0) / 1000;
	const cpu = meter();
	await agent.close();
	const s = recorder.summary();
	const rate = round(s.count / elapsed, 0);
	return {
		name: `server-rendered lesson page throughput (${input.path})`,
		target: '≥ 500 req/s',
		measured: `${rate} req/s over ${elapsed.toFixed(1)} s with ${input.connections} connections, ${s.errors} errors, p50 ${s.p50} ms, p99 ${s.p99} ms, ${Math.round(bytes / Math.max(1, s.count) / 1024)} KB per page; ${formatCpu(cpu)}`,
		pass: s.errors === 0 && rate >= 500,
		data: { ...s, rate, seconds: elapsed, connections: input.connections, cpu }
	};
}
