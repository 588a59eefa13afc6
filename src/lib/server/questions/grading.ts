// Grading one response against a question version, with Moodle's semantics per type.
import type { Choice, Grade, QuestionData, Response } from './types';

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

function state(fraction: number): Grade['state'] {
	if (fraction >= 1 - 1e-9) return 'correct';
	if (fraction > 1e-9) return 'partial';
	return 'incorrect';
}

/** Moodle's short-answer match: '*' is a wildcard; case-insensitive unless asked. */
export function matchesShortAnswer(pattern: string, text: string, caseSensitive: boolean): boolean {
	const normalise = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ');
	const regex = normalise(pattern)
		.split('*')
		.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
		.join('.*');
	return new RegExp(`^${regex}$`, caseSensitive ? 'u' : 'iu').test(normalise(text));
}

/** '3,14', '3.14', ' -2 ' → numbers; thousands separators and other text → null. */
export function parseNumber(text: string): number | null {
	const t = text.trim().replace(',', '.');
	if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
	const n = Number(t);
	return Number.isFinite(n) ? n : null;
}

function feedbackOf(choices: Choice[], picked: number[]): string[] {
	return picked.map((i) => choices[i]?.feedback).filter((f): f is string => !!f);
}

export function gradeResponse(data: QuestionData, response: Response | null): Grade {
	if (data.type === 'description') return { fraction: null, state: 'unanswered', feedback: [] };
	if (!response || response.type !== data.type)
		return {
			fraction: 0,
			state: data.type === 'essay' ? 'needs_grading' : 'unanswered',
			feedback: []
		};
	switch (data.type) {
		case 'single': {
			const r = response as Extract<Response, { type: 'single' }>;
			if (r.choice === null || !Number.isInteger(r.choice) || !data.choices[r.choice])
				return { fraction: 0, state: 'unanswered', feedback: [] };
			const fraction = clamp(data.choices[r.choice].fraction, 0, 1);
			return { fraction, state: state(fraction), feedback: feedbackOf(data.choices, [r.choice]) };
		}
		case 'multiple': {
			const r = response as Extract<Response, { type: 'multiple' }>;
			const picked = [...new Set(r.choices)].filter((i) => Number.isInteger(i) && data.choices[i]);
			if (picked.length === 0) return { fraction: 0, state: 'unanswered', feedback: [] };
			// Negative weights subtract; the total is held between 0 and 1.
			const fraction = clamp(
				picked.reduce((sum, i) => sum + data.choices[i].fraction, 0),
				0,
				1
			);
			return { fraction, state: state(fraction), feedback: feedbackOf(data.choices, picked) };
		}
		case 'truefalse': {
			const r = response as Extract<Response, { type: 'truefalse' }>;
			if (r.answer === null) return { fraction: 0, state: 'unanswered', feedback: [] };
			const right = r.answer === data.answer;
			const feedback = right ? data.feedbackRight : data.feedbackWrong;
			return {
				fraction: right ? 1 : 0,
				state: right ? 'correct' : 'incorrect',
				feedback: feedback ? [feedback] : []
			};
		}
		case 'shortanswer': {
			const r = response as Extract<Response, { type: 'shortanswer' }>;
			if (!r.text.trim()) return { fraction: 0, state: 'unanswered', feedback: [] };
			// Moodle takes the first answer, in order, that matches.
			const hit = data.answers.find((a) => matchesShortAnswer(a.text, r.text, data.caseSensitive));
			const fraction = clamp(hit?.fraction ?? 0, 0, 1);
			return { fraction, state: state(fraction), feedback: hit?.feedback ? [hit.feedback] : [] };
		}
		case 'numerical': {
			const r = response as Extract<Response, { type: 'numerical' }>;
			if (!r.text.trim()) return { fraction: 0, state: 'unanswered', feedback: [] };
			const value = parseNumber(r.text);
			const hit =
				value === null
					? undefined
					: data.answers.find(
							(a) =>
								a.value !== null &&
								Math.abs(value - a.value) <= a.tolerance + 1e-12 * Math.max(1, Math.abs(a.value))
						);
			const fallback = data.answers.find((a) => a.value === null);
			const chosen = hit ?? fallback;
			const fraction = clamp(hit?.fraction ?? 0, 0, 1);
			return {
				fraction,
				state: state(fraction),
				feedback: chosen?.feedback ? [chosen.feedback] : []
			};
		}
		case 'matching': {
			const r = response as Extract<Response, { type: 'matching' }>;
			const prompts = data.pairs.map((p, i) => ({ ...p, i })).filter((p) => p.prompt !== '');
			if (prompts.length === 0) return { fraction: null, state: 'unanswered', feedback: [] };
			const answered = prompts.filter(
				(p) => r.answers[p.i] !== undefined && r.answers[p.i] !== null
			);
			if (answered.length === 0) return { fraction: 0, state: 'unanswered', feedback: [] };
			const right = prompts.filter((p) => r.answers[p.i] === p.answer).length;
			const fraction = right / prompts.length;
			return { fraction, state: state(fraction), feedback: [] };
		}
		case 'essay': {
			const r = response as Extract<Response, { type: 'essay' }>;
			return r.text.trim()
				? { fraction: null, state: 'needs_grading', feedback: [] }
				: { fraction: 0, state: 'unanswered', feedback: [] };
		}
	}
}

/** The best fraction a response can earn (1 for every type that can be answered). */
export function maxFractionOf(data: QuestionData): number {
	return data.type === 'description' ? 0 : 1;
}

/** The right answer(s), for review pages that may show them. */
export function rightAnswerOf(data: QuestionData): string[] {
	switch (data.type) {
		case 'single':
		case 'multiple':
			return data.choices.filter((c) => c.fraction > 0).map((c) => c.text);
		case 'truefalse':
			return [data.answer ? 'TRUE' : 'FALSE'];
		case 'shortanswer':
			return data.answers.filter((a) => a.fraction >= 1).map((a) => a.text);
		case 'numerical':
			return data.answers
				.filter((a) => a.value !== null && a.fraction >= 1)
				.map((a) => (a.tolerance ? `${a.value} ± ${a.tolerance}` : String(a.value)));
		case 'matching':
			return data.pairs.filter((p) => p.prompt).map((p) => `${p.prompt} → ${p.answer}`);
		default:
			return [];
	}
}
