// When the virtual users act: spread over a window, on a period, or at a rate that rises in steps.

/** Start offsets (ms) that spread `n` actions evenly over `windowMs`, the first at 0. */
export function spread(n: number, windowMs: number): number[] {
	if (n <= 0) return [];
	const gap = windowMs / n;
	return Array.from({ length: n }, (_, i) => Math.floor(i * gap));
}

/**
 * The send times (ms from the start) of one user who acts every `periodMs` for `durationMs`, with
 * user `index` of `n` shifted by its share of the period, so that the load is even, not bursty.
 */
export function periodic(index: number, n: number, periodMs: number, durationMs: number): number[] {
	const times: number[] = [];
	for (let t = Math.floor((index * periodMs) / Math.max(1, n)); t < durationMs; t += periodMs)
		times.push(t);
	return times;
}

export interface RateStep {
	/** Saves per second asked for. */
	target: number;
	/** Saves per second acknowledged. */
	achieved: number;
	p99: number;
	errors: number;
}

/** Target rates for the capacity ramp: from `from` up to `to`, each step `factor` times the last. */
export function rateSteps(from: number, to: number, factor: number): number[] {
	if (from <= 0 || factor <= 1) throw new Error('rateSteps: from > 0 and factor > 1');
	const steps: number[] = [];
	for (let r = from; r < to * factor && steps.length < 50; r *= factor)
		steps.push(Math.round(Math.min(r, to)));
	return [...new Set(steps)];
}

/**
 * The knee of a capacity ramp: the highest acknowledged rate of a step whose p99 stayed within
 * `limitMs` with no errors, and the first step that broke it (null if none did).
 */
export function knee(
	steps: RateStep[],
	limitMs: number
): { sustained: number; breaking: RateStep | null } {
	let sustained = 0;
	for (const step of steps) {
		if (step.p99 > limitMs || step.errors > 0) return { sustained, breaking: step };
		sustained = Math.max(sustained, step.achieved);
	}
	return { sustained, breaking: null };
}
