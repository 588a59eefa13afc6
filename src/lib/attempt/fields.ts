// How an attempt page names its form fields, and how a response is read back from a form —
// the same code on the server (no-JS posts) and in the browser (autosave).
import type { QuestionType, Response } from '../questions/types';

export const fieldName = (slot: number) => `s${slot}`;
export const presentName = (slot: number) => `p${slot}`;
export const matchName = (slot: number, pair: number) => `s${slot}.${pair}`;

export interface FormSource {
	get(name: string): FormDataEntryValue | null;
	getAll(name: string): FormDataEntryValue[];
}

/**
 * The response a form holds for one slot, or undefined when the form says nothing about it (the
 * slot is on another page, or a radio question was left blank).
 */
export function responseFromForm(
	form: FormSource,
	slot: number,
	type: QuestionType,
	pairs: number[] = []
): Response | undefined {
	const value = form.get(fieldName(slot));
	const text = typeof value === 'string' ? value : null;
	switch (type) {
		case 'single': {
			const n = text === null ? NaN : Number(text);
			return Number.isInteger(n) && n >= 0 ? { type, choice: n } : undefined;
		}
		case 'multiple':
			if (form.get(presentName(slot)) === null) return undefined;
			return {
				type,
				choices: form
					.getAll(fieldName(slot))
					.map((v) => Number(v))
					.filter((n) => Number.isInteger(n) && n >= 0)
			};
		case 'truefalse':
			return text === 'true' || text === 'false' ? { type, answer: text === 'true' } : undefined;
		case 'shortanswer':
		case 'numerical':
		case 'essay':
			return text === null ? undefined : { type, text };
		case 'matching': {
			if (form.get(presentName(slot)) === null) return undefined;
			const answers: Record<number, string | null> = {};
			for (const pair of pairs) {
				const chosen = form.get(matchName(slot, pair));
				answers[pair] = typeof chosen === 'string' && chosen !== '' ? chosen : null;
			}
			return { type, answers };
		}
		default:
			return undefined;
	}
}

/** A response that says nothing (no choice, no text): not worth saving over nothing. */
export function isEmptyResponse(response: Response): boolean {
	switch (response.type) {
		case 'single':
			return response.choice === null;
		case 'multiple':
			return response.choices.length === 0;
		case 'truefalse':
			return response.answer === null;
		case 'matching':
			return Object.values(response.answers).every((v) => v === null);
		default:
			return response.text.trim() === '';
	}
}
