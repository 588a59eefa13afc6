// Live board: many viewers on the Server-Sent-Events stream; a score change (a submission) must
// reach every one of them, and each open stream must cost the server little memory.
import { Agent, request } from 'undici';
import { Recorder, sleep } from '../stats';
import type { Competitor } from '../competitor';
import type { Ledger } from '../ledger';
import type { BenchServer } from '../server';
import type { ScenarioResult } from '../report';

/** Viewers are separate browsers: one socket each, no pooling limit. */
const streams = new Agent({ connections: null, keepAliveTimeout: 1000, bodyTimeout: 0 });

class BoardViewer {
	/** Arrival time (performance.now) of each board event by its id. */
	readonly arrivals = new Map<number, number>();
	lastId = 0;
	private readonly controller = new AbortController();
	private done: Promise<void> | null = null;

	constructor(readonly url: string) {}

	/** Opens the stream; resolves once the first board arrived. */
	open(): Promise<void> {
		return new Promise((resolve, reject) => {
			this.done = (async () => {
				const res = await request(this.url, {
					dispatcher: streams,
					signal: this.controller.signal,
					headers: { accept: 'text/event-stream' }
				});
				if (res.statusCode !== 200) throw new Error(`board stream ${res.statusCode}`);
				let buffer = '';
				let first = true;
				for await (const chunk of res.body) {
					buffer += chunk.toString();
					let end: number;
					while ((end = buffer.indexOf('\n\n')) >= 0) {
						const message = buffer.slice(0, end);
						buffer = buffer.slice(end + 2);
						const id = /^id: (\d+)$/m.exec(message)?.[1];
						if (/^event: board$/m.test(message) && id) {
							this.arrivals.set(Number(id), performance.now());
							this.lastId = Math.max(this.lastId, Number(id));
							if (first) {
								first = false;
								resolve();
							}
						}
					}
				}
			})().catch((error: Error) => {
				if (error.name !== 'AbortError') reject(error);
			});
		});
	}

	close(): void {
		this.controller.abort();
	}
}

export async function liveBoard(
	server: BenchServer,
	input: {
		slug: string;
		viewers: number;
		/** Competitors who submit one by one, each submission a score change. */
		changers: Competitor[];
		ledger: Ledger;
		label: string;
	}
): Promise<ScenarioResult> {
	const url = `${server.url}/board/${input.slug}/events`;
	const before = server.memory().rssKiB;
	const viewers = Array.from({ length: input.viewers }, () => new BoardViewer(url));
	const connect = new Recorder();
	// Connect in waves, as a hall's projectors and phones would over a few seconds.
	for (let i = 0; i < viewers.length; i += 50) {
		await Promise.all(
			viewers.slice(i, i + 50).map(async (v) => {
				const t = performance.now();
				try {
					await v.open();
					connect.record(performance.now() - t);
				} catch (error) {
					connect.fail((error as Error).message.slice(0, 40));
				}
			})
		);
	}
	await sleep(1500);
	const connected = server.memory().rssKiB;
	const perConnectionKb = (connected - before) / Math.max(1, input.viewers);
	const delivery = new Recorder();
	let missed = 0;
	for (const changer of input.changers) {
		const baseline = Math.max(...viewers.map((v) => v.lastId));
		const t0 = performance.now();
		const r = await changer.submit(input.ledger, 'live board');
		if (!r.ok) {
			delivery.fail(r.error ?? 'submit');
			continue;
		}
		// Wait (up to 10 s) for every viewer to receive a board newer than before the change.
		const deadline = t0 + 10_000;
		while (performance.now() < deadline && viewers.some((v) => v.lastId <= baseline))
			await sleep(20);
		for (const v of viewers) {
			const id = [...v.arrivals.keys()].find((k) => k > baseline);
			if (id === undefined) missed++;
			else delivery.record(v.arrivals.get(id)! - t0);
		}
		await sleep(500);
	}
	for (const v of viewers) v.close();
	const c = connect.summary();
	const d = delivery.summary();
	return {
		name: `live board (${input.label}): ${input.viewers} SSE viewers; a score change reaches all of them`,
		target: 'p99 < 1 s, < 50 KB server memory per connection',
		measured: `${c.count}/${input.viewers} connected (${c.errors} errors, first board p95 ${c.p95} ms); ${input.changers.length} score changes (submissions): delivered ${d.count}, missed ${missed}, from the submit to the viewer p50 ${d.p50} ms, p99 ${d.p99} ms, max ${d.max} ms (includes the hub's 300 ms coalescing); server RSS ${(before / 1024).toFixed(1)} → ${(connected / 1024).toFixed(1)} MiB, ≈ ${perConnectionKb.toFixed(1)} KB per connection`,
		pass: c.errors === 0 && d.errors === 0 && missed === 0 && d.p99 < 1000 && perConnectionKb < 50,
		data: {
			connect: c,
			delivery: d,
			missed,
			rssBeforeMiB: before,
			rssConnectedMiB: connected,
			perConnectionKb
		}
	};
}
