// The rules of blind double judging, as pure functions: blind codes, which judges mark a
// submission, how marks are read and checked, and how two judges' totals become a final score.

/** Judges mark each criterion in half points, so the average of two totals is a multiple of 0.25. */
export const MARK_STEP = 0.5;
/** The head judge's decision may be any multiple of this (the averages are too). */
export const FINAL_STEP = 0.25;
export const JUDGES_PER_SUBMISSION = 2;

const EPSILON = 1e-9;

export function isMultipleOf(value: number, step: number): boolean {
	return Math.abs(value / step - Math.round(value / step)) < EPSILON;
}

/** '4,5' (Vietnamese decimal comma) or '4.5' → 4.5; anything else → null. */
export function parsePoints(text: unknown): number | null {
	if (typeof text === 'number') return Number.isFinite(text) ? text : null;
	if (typeof text !== 'string') return null;
	const t = text.trim().replace(',', '.');
	if (!/^\d{1,4}(\.\d{1,3})?$/.test(t)) return null;
	return Number(t);
}

/** Checks a mark or a score: a number within [0, max] on the step. */
export function checkPoints(value: number | null, max: number, step: number): value is number {
	return value !== null && value >= 0 && value <= max + EPSILON && isMultipleOf(value, step);
}

export type Settlement =
	| { state: 'waiting'; scored: number }
	| { state: 'final'; score: number }
	| { state: 'flagged'; difference: number };

/**
 * Two judges' totals within the margin: the final score is their average. Further apart: the
 * submission waits for the head judge. Fewer than two: it waits for the judges.
 */
export function settle(totals: number[], margin: number): Settlement {
	if (totals.length < JUDGES_PER_SUBMISSION) return { state: 'waiting', scored: totals.length };
	const [a, b] = totals;
	const difference = Math.abs(a - b);
	if (difference <= margin + EPSILON) return { state: 'final', score: roundTo((a + b) / 2, 0.01) };
	return { state: 'flagged', difference: roundTo(difference, 0.01) };
}

function roundTo(value: number, step: number): number {
	return Number((Math.round(value / step) * step).toFixed(2));
}

// Without 0/O, 1/I/L: a code read aloud or copied by hand is not misread.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 6;

/** A random integer in [0, n) from the given source of 32-bit random words, without modulo bias. */
function uniform(n: number, words: () => number): number {
	const limit = Math.floor(0x1_0000_0000 / n) * n;
	for (;;) {
		const w = words();
		if (w < limit) return w % n;
	}
}

const cryptoWords = () => crypto.getRandomValues(new Uint32Array(1))[0];

/** 'BT-4K7Q9M': 31⁶ ≈ 887 million codes, drawn from the system's cryptographic generator. */
export function makeBlindCode(words: () => number = cryptoWords): string {
	let code = '';
	for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[uniform(CODE_ALPHABET.length, words)];
	return `BT-${code}`;
}

export const BLIND_CODE_PATTERN = /^BT-[A-HJKMNP-Z2-9]{6}$/;

/** A code as typed or linked ('bt-4k7q9m ') → 'BT-4K7Q9M', or null if it cannot be one. */
export function normaliseBlindCode(text: string): string | null {
	const code = text.trim().toUpperCase();
	return BLIND_CODE_PATTERN.test(code) ? code : null;
}

export interface JudgeLoad {
	id: number;
	isHead: boolean;
	/** Submissions assigned to this judge so far in the competition. */
	load: number;
}

/**
 * Picks judges for one submission: never one already on it (nor its author), the least loaded
 * first, the head judge only when the others are not enough (the head settles disagreements and
 * should not be a party to them). Ties are broken at random, so nobody always goes first.
 */
export function chooseJudges(
	judges: JudgeLoad[],
	input: { already: number[]; exclude?: number[]; need?: number; random?: () => number }
): number[] {
	const need = (input.need ?? JUDGES_PER_SUBMISSION) - input.already.length;
	if (need <= 0) return [];
	const random = input.random ?? Math.random;
	const blocked = new Set([...input.already, ...(input.exclude ?? [])]);
	return judges
		.filter((j) => !blocked.has(j.id))
		.map((j) => ({ ...j, tie: random() }))
		.sort((a, b) => Number(a.isHead) - Number(b.isHead) || a.load - b.load || a.tie - b.tie)
		.slice(0, need)
		.map((j) => j.id);
}

/** The name a judge downloads a file under: the blind code and a number, never the author's name. */
export function blindFileName(code: string, index: number, fileName: string): string {
	const dot = fileName.lastIndexOf('.');
	const ext = dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
	return `${code}-${index}${ext ? '.' + ext : ''}`;
}
