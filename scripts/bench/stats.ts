// Latency statistics for the benchmark.

export interface Summary {
	count: number;
	errors: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
	mean: number;
}

export class Recorder {
	private samples: number[] = [];
	errors = 0;
	readonly errorKinds = new Map<string, number>();

	record(ms: number): void {
		this.samples.push(ms);
	}

	fail(kind: string): void {
		this.errors++;
		this.errorKinds.set(kind, (this.errorKinds.get(kind) ?? 0) + 1);
	}

	get count(): number {
		return this.samples.length;
	}

	summary(): Summary {
		const sorted = [...this.samples].sort((a, b) => a - b);
		const at = (q: number) =>
			sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : 0;
		const sum = sorted.reduce((a, b) => a + b, 0);
		return {
			count: sorted.length,
			errors: this.errors,
			p50: round(at(0.5)),
			p95: round(at(0.95)),
			p99: round(at(0.99)),
			max: round(sorted[sorted.length - 1] ?? 0),
			mean: round(sorted.length ? sum / sorted.length : 0)
		};
	}
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Runs `task` for each item, at most `concurrency` at once. */
export async function pool<T>(
	items: T[],
	concurrency: number,
	task: (item: T, index: number) => Promise<void>
): Promise<void> {
	let next = 0;
	const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
		while (next < items.length) {
			const i = next++;
			await task(items[i], i);
		}
	});
	await Promise.all(workers);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
