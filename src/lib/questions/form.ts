// The question editor's form: one flat shape for every type (rows of answers), how a stored
// question becomes form values and back. Shared by the server (parsing posts) and the editor page.
import type { QuestionContent, QuestionType, TextFormat } from './types';

/** Moodle's grade list (question_bank::fraction_options_full) as percentages, best first. */
export const GRADE_PERCENTS = [
	'100',
	'90',
	'83.33333',
	'80',
	'75',
	'70',
	'66.66667',
	'60',
	'50',
	'40',
	'33.33333',
	'30',
	'25',
	'20',
	'16.66667',
	'14.28571',
	'12.5',
	'11.11111',
	'10',
	'5',
	'0'
] as const;

/** The grades an answer may carry: Moodle's list and, for multiple response, its negatives. */
export function gradeOptions(negative: boolean): string[] {
	const positive: string[] = [...GRADE_PERCENTS];
	return negative
		? [...positive, ...[...GRADE_PERCENTS].reverse().flatMap((p) => (p === '0' ? [] : [`-${p}`]))]
		: positive;
}

/** 0.3333333 → '33.33333': the grade list entry of a fraction ('' when it is not in the list). */
export function percentOf(fraction: number): string {
	for (const p of gradeOptions(true)) if (Math.abs(Number(p) / 100 - fraction) < 1e-6) return p;
	return '';
}

export const TEXT_FORMATS: TextFormat[] = ['markdown', 'moodle', 'html', 'plain'];

/** One answer row; which fields matter depends on the type. */
export interface AnswerRow {
	/** Choice or answer text; a numerical answer's value; a matching prompt. */
	text: string;
	/** A percentage from the grade list. */
	grade: string;
	feedback: string;
	/** Numerical: the accepted error. */
	tolerance: string;
	/** Matching: the answer matched to the prompt. */
	answer: string;
}

export interface QuestionFormValues {
	type: QuestionType;
	categoryId: string;
	name: string;
	stem: string;
	format: TextFormat;
	generalFeedback: string;
	tags: string;
	difficulty: string;
	idNumber: string;
	caseSensitive: boolean;
	/** True/false: the right answer, 'true' or 'false'. */
	tfAnswer: string;
	tfFeedbackRight: string;
	tfFeedbackWrong: string;
	/** Numerical: feedback for any other answer. */
	otherFeedback: string;
	rows: AnswerRow[];
}

export const emptyRow = (): AnswerRow => ({
	text: '',
	grade: '0',
	feedback: '',
	tolerance: '',
	answer: ''
});

/** Types whose answers are rows. */
export function usesRows(type: QuestionType): boolean {
	return ['single', 'multiple', 'shortanswer', 'numerical', 'matching'].includes(type);
}

/** Rows to show: what is there, at least a few for the type, and two blank ones to add more. */
export function withBlankRows(values: QuestionFormValues, extra = 2): QuestionFormValues {
	if (!usesRows(values.type)) return { ...values, rows: [] };
	const filled = values.rows.filter((r) => !isBlankRow(r));
	const minimum = values.type === 'numerical' || values.type === 'shortanswer' ? 1 : 4;
	const count = Math.max(filled.length + extra, minimum);
	return {
		...values,
		rows: [...filled, ...Array.from({ length: count - filled.length }, emptyRow)]
	};
}

export function isBlankRow(row: AnswerRow): boolean {
	return !row.text.trim() && !row.feedback.trim() && !row.answer.trim() && !row.tolerance.trim();
}

export function blankForm(type: QuestionType, categoryId = ''): QuestionFormValues {
	const values: QuestionFormValues = {
		type,
		categoryId,
		name: '',
		stem: '',
		format: 'markdown',
		generalFeedback: '',
		tags: '',
		difficulty: '',
		idNumber: '',
		caseSensitive: false,
		tfAnswer: 'true',
		tfFeedbackRight: '',
		tfFeedbackWrong: '',
		otherFeedback: '',
		rows: []
	};
	if (!usesRows(type)) return values;
	const count = type === 'numerical' || type === 'shortanswer' ? 3 : 5;
	values.rows = Array.from({ length: count }, emptyRow);
	// A new question starts with its first row right (single choice, short answer, numerical).
	if (type === 'single' || type === 'shortanswer' || type === 'numerical')
		values.rows[0].grade = '100';
	return values;
}

/** Difficulty words kept among the tags (as GIFT files write them), shown as their own field. */
export const DIFFICULTY_WORDS: Record<string, 1 | 2 | 3> = {
	de: 1,
	easy: 1,
	'trung-binh': 2,
	medium: 2,
	kho: 3,
	hard: 3
};
export const DIFFICULTY_TAG: Record<1 | 2 | 3, string> = { 1: 'de', 2: 'trung-binh', 3: 'kho' };

export function isDifficultyTag(tag: string): boolean {
	return tag.toLowerCase() in DIFFICULTY_WORDS;
}

/** A stored question as the editor shows it. */
export function formValuesOf(
	q: QuestionContent & {
		categoryId: number;
		tags: string[];
		difficulty: number | null;
		idNumber: string | null;
	}
): QuestionFormValues {
	const values = blankForm(q.type, String(q.categoryId));
	Object.assign(values, {
		name: q.name,
		stem: q.stem,
		format: q.format,
		generalFeedback: q.generalFeedback ?? '',
		tags: q.tags.filter((t) => !isDifficultyTag(t)).join(', '),
		difficulty: q.difficulty ? String(q.difficulty) : '',
		idNumber: q.idNumber ?? '',
		rows: []
	});
	const d = q.data;
	const row = (part: Partial<AnswerRow>): AnswerRow => ({ ...emptyRow(), ...part });
	switch (d.type) {
		case 'single':
		case 'multiple':
			values.rows = d.choices.map((c) =>
				row({ text: c.text, grade: percentOf(c.fraction), feedback: c.feedback ?? '' })
			);
			break;
		case 'shortanswer':
			values.caseSensitive = d.caseSensitive;
			values.rows = d.answers.map((a) =>
				row({ text: a.text, grade: percentOf(a.fraction), feedback: a.feedback ?? '' })
			);
			break;
		case 'numerical':
			values.rows = d.answers
				.filter((a) => a.value !== null)
				.map((a) =>
					row({
						text: String(a.value),
						tolerance: a.tolerance ? String(a.tolerance) : '',
						grade: percentOf(a.fraction),
						feedback: a.feedback ?? ''
					})
				);
			values.otherFeedback = d.answers.find((a) => a.value === null)?.feedback ?? '';
			break;
		case 'matching':
			values.rows = d.pairs.map((p) => row({ text: p.prompt, answer: p.answer }));
			break;
		case 'truefalse':
			values.tfAnswer = String(d.answer);
			values.tfFeedbackRight = d.feedbackRight ?? '';
			values.tfFeedbackWrong = d.feedbackWrong ?? '';
			break;
	}
	return withBlankRows(values);
}

/** Reads the editor's fields from a posted form (everything as typed; checked by the server). */
export function formValuesFromData(data: {
	get(name: string): FormDataEntryValue | null;
}): QuestionFormValues {
	const text = (key: string) => {
		const v = data.get(key);
		return typeof v === 'string' ? v : '';
	};
	const count = Math.min(100, Math.max(0, Number(text('rows')) || 0));
	const rows: AnswerRow[] = Array.from({ length: count }, (_, i) => ({
		text: text(`a${i}_text`),
		grade: text(`a${i}_grade`) || '0',
		feedback: text(`a${i}_feedback`),
		tolerance: text(`a${i}_tolerance`),
		answer: text(`a${i}_answer`)
	}));
	const type = text('type') as QuestionType;
	const format = text('format') as TextFormat;
	return {
		type,
		categoryId: text('categoryId'),
		name: text('name'),
		stem: text('stem'),
		format: TEXT_FORMATS.includes(format) ? format : 'markdown',
		generalFeedback: text('generalFeedback'),
		tags: text('tags'),
		difficulty: text('difficulty'),
		idNumber: text('idNumber'),
		caseSensitive: data.get('caseSensitive') !== null,
		tfAnswer: text('tfAnswer') === 'false' ? 'false' : 'true',
		tfFeedbackRight: text('tfFeedbackRight'),
		tfFeedbackWrong: text('tfFeedbackWrong'),
		otherFeedback: text('otherFeedback'),
		rows
	};
}

/** Tags typed as 'Toán học, b c' → ['toan-hoc', 'b-c']: as GIFT files write them (no accents). */
export function parseTags(text: string): string[] {
	const tags = text
		.split(/[,;\n]/)
		.map((t) =>
			t
				.trim()
				.toLowerCase()
				.normalize('NFD')
				.replace(/[\u0300-\u036f]/g, '')
				.replace(/đ/g, 'd')
				.replace(/[\s\]]+/g, '-')
		)
		.filter(Boolean);
	return [...new Set(tags)];
}
