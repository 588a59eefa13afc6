// Moodle's Aiken format: a question, lettered options "A." or "A)", then "ANSWER: B".
import type { LineError } from '../../errors';
import { m } from '../../i18n';
import { stripBom } from '../../text';
import { defaultName } from './gift';
import type { ParsedQuestion } from '../types';

const OPTION = /^([A-Z])[.)][ \t]+(.*)$/;
const ANSWER = /^ANSWER\s*:\s*([A-Z])\s*$/i;

interface Draft {
	line: number;
	text: string[];
	options: Array<{ letter: string; text: string }>;
}

export function parseAiken(
	input: string,
	options: { category?: string[] } = {}
): { questions: ParsedQuestion[]; errors: LineError[] } {
	const questions: ParsedQuestion[] = [];
	const errors: LineError[] = [];
	let draft: Draft | null = null;
	let broken = false;
	const lines = stripBom(input).split(/\r\n|\n|\r/);
	lines.forEach((raw, index) => {
		const line = raw.trim();
		const lineNo = index + 1;
		if (line === '') return;
		const answer = ANSWER.exec(line);
		if (answer) {
			if (!draft) {
				errors.push({ line: lineNo, message: m.aiken_answer_without_question() });
				return;
			}
			const letter = answer[1].toUpperCase();
			if (!broken) {
				if (draft.options.length < 2)
					errors.push({ line: draft.line, message: m.aiken_too_few_options() });
				else if (!draft.options.some((o) => o.letter === letter))
					errors.push({ line: lineNo, message: m.aiken_answer_unknown({ letter }) });
				else {
					const stem = draft.text.join('\n');
					questions.push({
						type: 'single',
						name: defaultName(stem),
						stem,
						format: 'moodle',
						generalFeedback: null,
						data: {
							type: 'single',
							choices: draft.options.map((o) => ({
								text: o.text,
								fraction: o.letter === letter ? 1 : 0,
								feedback: null
							}))
						},
						line: draft.line,
						category: options.category ?? null,
						idNumber: null,
						tags: [],
						difficulty: null
					});
				}
			}
			draft = null;
			broken = false;
			return;
		}
		const option = OPTION.exec(line);
		if (option) {
			// Moodle: a choice before any question text is an error of its own.
			if (!draft) errors.push({ line: lineNo, message: m.aiken_option_outside() });
			else if (!broken) draft.options.push({ letter: option[1], text: option[2].trim() });
			return;
		}
		if (!draft) {
			draft = { line: lineNo, text: [line], options: [] };
			return;
		}
		if (draft.options.length > 0) {
			if (!broken) errors.push({ line: lineNo, message: m.aiken_text_after_options() });
			broken = true;
			return;
		}
		draft.text.push(line);
	});
	if (draft && !broken) errors.push({ line: (draft as Draft).line, message: m.aiken_unfinished() });
	return { questions, errors };
}
