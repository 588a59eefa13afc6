// Localised names of question types, difficulties and text formats (pages and the CLI preview).
import { m } from '../paraglide/messages';
import type { QuestionType, TextFormat } from './types';

export function typeLabel(type: QuestionType): string {
	switch (type) {
		case 'single':
			return m.bank_type_single();
		case 'multiple':
			return m.bank_type_multiple();
		case 'truefalse':
			return m.bank_type_truefalse();
		case 'shortanswer':
			return m.bank_type_shortanswer();
		case 'numerical':
			return m.bank_type_numerical();
		case 'matching':
			return m.bank_type_matching();
		case 'essay':
			return m.bank_type_essay();
		case 'description':
			return m.bank_type_description();
	}
}

export function difficultyLabel(difficulty: number | null | undefined): string {
	switch (difficulty) {
		case 1:
			return m.bank_difficulty_easy();
		case 2:
			return m.bank_difficulty_medium();
		case 3:
			return m.bank_difficulty_hard();
		default:
			return m.bank_difficulty_none();
	}
}

export function formatLabel(format: TextFormat): string {
	switch (format) {
		case 'markdown':
			return m.bank_format_markdown();
		case 'moodle':
			return m.bank_format_moodle();
		case 'html':
			return m.bank_format_html();
		case 'plain':
			return m.bank_format_plain();
	}
}

/** 33.33333 → '33,33333%' as Vietnamese writes decimals (English keeps the point). */
export function percentLabel(percent: string | number, locale: string): string {
	const text = String(percent);
	return `${locale === 'vi' ? text.replace('.', ',') : text}%`;
}
