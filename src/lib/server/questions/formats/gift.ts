// Moodle's GIFT format: import as Moodle's qformat_gift reads it (question/format/gift/format.php),
// and export that re-imports to the same questions.
import type { LineError } from '../../errors';
import { m } from '../../i18n';
import { stripBom } from '../../text';
import type {
	Choice,
	MatchPair,
	NumericalAnswer,
	ParsedQuestion,
	QuestionContent,
	QuestionData,
	TextFormat
} from '../types';

export interface GiftResult {
	questions: ParsedQuestion[];
	errors: LineError[];
}

/** Moodle's grade list (question_bank::fraction_options_full), as fractions. */
export const MOODLE_FRACTIONS = [
	1, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2, 0.1666667,
	0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0
].flatMap((f) => (f === 0 ? [0] : [f, -f]));

/** Moodle matches a weight to its grade list within 0.00001 (match_grade_options 'error' mode). */
export function matchMoodleFraction(fraction: number): number | null {
	for (const option of MOODLE_FRACTIONS) if (Math.abs(option - fraction) < 0.00001) return option;
	return null;
}

// Escaped control characters become private-use placeholders while the question is taken apart.
const ESCAPES: Array<[string, string]> = [
	['\\:', '\uE03A'],
	['\\#', '\uE023'],
	['\\=', '\uE03D'],
	['\\{', '\uE07B'],
	['\\}', '\uE07D'],
	['\\~', '\uE07E'],
	['\\n', '\uE00A']
];
const BACKSLASH = '\uE05C';

function escapePre(text: string): string {
	let out = text.split('\\\\').join(BACKSLASH);
	for (const [escaped, placeholder] of ESCAPES) out = out.split(escaped).join(placeholder);
	return out.split(BACKSLASH).join('\\');
}

function escapePost(text: string): string {
	return text
		.replace(/\uE03A/g, ':')
		.replace(/\uE023/g, '#')
		.replace(/\uE03D/g, '=')
		.replace(/\uE07B/g, '{')
		.replace(/\uE07D/g, '}')
		.replace(/\uE07E/g, '~')
		.replace(/\uE00A/g, '\n');
}

const FORMATS: Record<string, TextFormat> = {
	moodle: 'moodle',
	html: 'html',
	plain: 'plain',
	markdown: 'markdown'
};

/** '[markdown]text' → format and text, as parse_text_with_format does. */
function withFormat(raw: string, defaultFormat: TextFormat): { text: string; format: TextFormat } {
	let text = raw;
	let format = defaultFormat;
	if (text.startsWith('[')) {
		const end = text.indexOf(']');
		const name = end > 0 ? FORMATS[text.slice(1, end)] : undefined;
		if (name) {
			format = name;
			text = text.slice(end + 1);
		}
	}
	return { text: escapePost(text).trim(), format };
}

/** Moodle's weight syntax: %50%, %-33.33333% (we also accept %100%, which Moodle itself writes). */
const WEIGHT = /^%(-*)(\d{1,3})(?:\.(\d*))?%/;

function takeWeight(answer: string): { weight: number | null; rest: string } {
	const match = WEIGHT.exec(answer);
	if (!match) return { weight: null, rest: answer };
	const value = Number(`${match[2]}.${match[3] || '0'}`) / 100;
	return { weight: match[1] ? -value : value, rest: answer.slice(match[0].length) };
}

function splitFeedback(
	answer: string,
	format: TextFormat
): { text: string; feedback: string | null } {
	const hash = answer.indexOf('#');
	if (hash < 0) return { text: withFormat(answer.trim(), format).text, feedback: null };
	const feedback = withFormat(answer.slice(hash + 1).trim(), format).text;
	return {
		text: withFormat(answer.slice(0, hash).trim(), format).text,
		feedback: feedback || null
	};
}

/** explode(sep) and drop an empty first piece, as Moodle does before reading answers. */
function answersOf(text: string, separator: string): string[] {
	const parts = text.split(separator);
	if (parts.length && parts[0].trim() === '') parts.shift();
	return parts.map((p) => p.trim());
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A name from the question text, as Moodle makes one: tags stripped, shortened to 80 at a word. */
export function defaultName(stem: string): string {
	const plain = stem
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	if (plain.length <= 80) return plain;
	const cut = plain.slice(0, 77);
	const space = cut.lastIndexOf(' ');
	return `${space > 40 ? cut.slice(0, space) : cut}...`;
}

/** '$course$/top/A//B/C' → ['A/B', 'C']: Moodle writes a slash inside a name as '//'. */
export function parseCategoryPath(text: string): string[] {
	const parts = text
		.replace(/\/\//g, '\uE02F')
		.split('/')
		.map((p) => p.replace(/\uE02F/g, '/').trim())
		.filter((p) => p.length > 0);
	while (parts.length && (/^\$\w+\$$/.test(parts[0]) || parts[0] === 'top')) parts.shift();
	return parts;
}

const DIFFICULTY_TAGS: Record<string, 1 | 2 | 3> = {
	de: 1,
	easy: 1,
	'trung-binh': 2,
	medium: 2,
	kho: 3,
	hard: 3
};

interface Block {
	line: number;
	lines: string[];
	comments: string;
}

/** Questions are separated by blank lines; comment lines belong to the question they precede. */
function blocks(text: string): Block[] {
	const out: Block[] = [];
	let current: Block | null = null;
	const lines = text.split(/\r\n|\n|\r/);
	lines.forEach((raw, index) => {
		const line = raw.trim();
		if (line === '') {
			if (current) out.push(current);
			current = null;
			return;
		}
		current ??= { line: index + 1, lines: [], comments: '' };
		if (line.startsWith('//')) {
			current.comments += line + '\n';
			// Point errors at the question itself, not its comments.
			if (current.lines.length === 0) current.line = index + 2;
		} else {
			current.lines.push(line);
		}
	});
	if (current) out.push(current);
	return out;
}

function validateChoices(
	data: { type: 'single' | 'multiple'; choices: Choice[] },
	line: number,
	errors: LineError[]
): void {
	const positive = data.choices.filter((c) => c.fraction > 0);
	if (data.type === 'single' && !data.choices.some((c) => Math.abs(c.fraction - 1) < 1e-6)) {
		errors.push({ line, message: m.gift_single_needs_full() });
	}
	if (data.type === 'multiple') {
		const sum = positive.reduce((a, c) => a + c.fraction, 0);
		if (positive.length === 0 || Math.abs(sum - 1) > 0.0001)
			errors.push({ line, message: m.gift_multiple_sum({ sum: Math.round(sum * 10000) / 100 }) });
	}
}

function checkFraction(weight: number, line: number, errors: LineError[]): number {
	const matched = matchMoodleFraction(weight);
	if (matched === null) {
		errors.push({
			line,
			message: m.gift_weight_invalid({ weight: Math.round(weight * 100000) / 1000 })
		});
		return weight;
	}
	return matched;
}

/** Parses a whole GIFT file; every problem is reported with its line, nothing is thrown. */
export function parseGift(input: string, options: { category?: string[] } = {}): GiftResult {
	const questions: ParsedQuestion[] = [];
	const errors: LineError[] = [];
	let category: string[] | null = options.category ?? null;

	for (const block of blocks(stripBom(input))) {
		const line = block.line;
		let text = block.lines.join('\n').trim();
		if (text === '') continue;
		text = escapePre(text);

		if (text.startsWith('$CATEGORY:')) {
			if (block.lines.length > 1) {
				errors.push({ line, message: m.gift_category_blank_line() });
				continue;
			}
			const path = parseCategoryPath(escapePost(text.slice(10)));
			category = options.category ? [...options.category, ...path] : path;
			continue;
		}

		let name: string | null = null;
		if (text.startsWith('::')) {
			text = text.slice(2);
			const end = text.indexOf('::');
			if (end >= 0) {
				name = escapePost(text.slice(0, end)).trim() || null;
				text = text.slice(end + 2).trim();
			}
		}

		const start = text.indexOf('{');
		const finish = text.indexOf('}');
		let description = false;
		let answerText = '';
		let stemRaw: string;
		if (start < 0 && finish < 0) {
			description = true;
			stemRaw = text;
		} else if (start < 0 || finish < 0 || finish < start) {
			errors.push({ line, message: m.gift_brace_error() });
			continue;
		} else {
			answerText = text.slice(start + 1, finish).trim();
			// Answers at the end follow the question; anywhere else they leave a blank (missing word).
			stemRaw = text.endsWith('}')
				? text.slice(0, start) + text.slice(finish + 1)
				: text.slice(0, start) + '_____' + text.slice(finish + 1);
		}

		let generalRaw = '';
		const gf = answerText.lastIndexOf('####');
		if (gf >= 0) {
			generalRaw = answerText.slice(gf + 4);
			answerText = answerText.slice(0, gf).trim();
		}
		const stem = withFormat(stemRaw.trim(), 'moodle');
		const format = stem.format;
		const general = withFormat(generalRaw.trim(), format).text || null;
		const tags = [...block.comments.matchAll(/\[tag:([^\]]+)\]/g)]
			.map((t) => t[1].trim())
			.filter(Boolean);
		const idNumber = /\[id:([^\]]+)\]/.exec(block.comments)?.[1].trim() || null;
		const difficulty =
			tags.map((t) => DIFFICULTY_TAGS[t.toLowerCase()]).find((d) => d !== undefined) ?? null;

		const errorCount = errors.length;
		let data: QuestionData;
		if (description) {
			data = { type: 'description' };
		} else if (answerText === '') {
			data = { type: 'essay' };
		} else if (answerText.startsWith('#')) {
			let body = answerText.slice(1);
			let wrong: string | null = null;
			const tilde = body.indexOf('~');
			if (tilde >= 0) {
				wrong = body.slice(tilde);
				body = body.slice(0, tilde);
			}
			const answers: NumericalAnswer[] = [];
			const parts = answersOf(body, '=');
			if (parts.length === 0) errors.push({ line, message: m.gift_numerical_none() });
			for (const part of parts) {
				const { weight, rest } = takeWeight(part);
				const { text: value, feedback } = splitFeedback(rest, format);
				let answer: number;
				let tolerance: number;
				const range = value.indexOf('..');
				const colon = value.indexOf(':');
				if (range > 0) {
					const lo = Number(value.slice(0, range).trim());
					const hi = Number(value.slice(range + 2).trim());
					answer = (lo + hi) / 2;
					tolerance = hi - answer;
					if (
						!NUMBER.test(value.slice(0, range).trim()) ||
						!NUMBER.test(value.slice(range + 2).trim())
					)
						answer = NaN;
				} else if (colon > 0) {
					answer = NUMBER.test(value.slice(0, colon).trim()) ? Number(value.slice(0, colon)) : NaN;
					tolerance = NUMBER.test(value.slice(colon + 1).trim())
						? Number(value.slice(colon + 1))
						: NaN;
				} else {
					answer = NUMBER.test(value) ? Number(value) : NaN;
					tolerance = 0;
				}
				if (Number.isNaN(answer) || Number.isNaN(tolerance)) {
					errors.push({ line, message: m.gift_numerical_not_number({ value }) });
					continue;
				}
				answers.push({
					value: answer,
					tolerance: Math.abs(tolerance),
					fraction: checkFraction(weight ?? 1, line, errors),
					feedback
				});
			}
			if (wrong !== null)
				answers.push({
					value: null,
					tolerance: 0,
					fraction: 0,
					feedback: splitFeedback(wrong.slice(1), format).feedback
				});
			data = { type: 'numerical', answers };
		} else if (answerText.includes('~')) {
			const choices: Choice[] = [];
			const parts = answersOf(answerText.split('=').join('~='), '~');
			if (parts.length < 2) errors.push({ line, message: m.gift_too_few_answers({ min: 2 }) });
			for (const part of parts) {
				let fraction = 0;
				let rest = part;
				if (part.startsWith('=')) {
					fraction = 1;
					rest = part.slice(1);
				} else {
					const w = takeWeight(part);
					if (w.weight !== null) {
						fraction = checkFraction(w.weight, line, errors);
						rest = w.rest;
					}
				}
				const { text: choice, feedback } = splitFeedback(rest, format);
				choices.push({ text: choice, fraction, feedback });
			}
			const choiceData = {
				type: answerText.includes('=') ? ('single' as const) : ('multiple' as const),
				choices
			};
			if (errors.length === errorCount) validateChoices(choiceData, line, errors);
			data = choiceData;
		} else if (answerText.includes('=') && answerText.includes('->')) {
			const pairs: MatchPair[] = [];
			const parts = answersOf(answerText, '=');
			if (parts.length < 2) errors.push({ line, message: m.gift_too_few_answers({ min: 2 }) });
			for (const part of parts) {
				const arrow = part.indexOf('->');
				if (arrow < 0) {
					errors.push({ line, message: m.gift_matching_format({ answer: escapePost(part) }) });
					continue;
				}
				pairs.push({
					prompt: withFormat(part.slice(0, arrow).trim(), format).text,
					answer: escapePost(part.slice(arrow + 2)).trim()
				});
			}
			if (errors.length === errorCount && pairs.filter((p) => p.prompt).length < 2)
				errors.push({ line, message: m.gift_too_few_answers({ min: 2 }) });
			data = { type: 'matching', pairs };
		} else {
			const hash = answerText.indexOf('#');
			const check = hash > 0 ? answerText.slice(0, hash).trim() : answerText;
			if (['T', 'TRUE', 'F', 'FALSE'].includes(check)) {
				const bits = answerText.split('#');
				const wrong = bits.length > 1 ? withFormat(bits[1].trim(), format).text : '';
				const right =
					bits.length > 2 ? withFormat(bits.slice(2).join('#').trim(), format).text : '';
				data = {
					type: 'truefalse',
					answer: check.startsWith('T'),
					feedbackWrong: wrong || null,
					feedbackRight: right || null
				};
			} else {
				const answers: Choice[] = [];
				const parts = answersOf(answerText, '=');
				if (parts.length < 1) errors.push({ line, message: m.gift_too_few_answers({ min: 1 }) });
				for (const part of parts) {
					const { weight, rest } = takeWeight(part);
					const { text: answer, feedback } = splitFeedback(rest, format);
					if (!answer) {
						errors.push({ line, message: m.gift_answer_empty() });
						continue;
					}
					answers.push({
						text: answer,
						fraction: checkFraction(weight ?? 1, line, errors),
						feedback
					});
				}
				if (answers.length && !answers.some((a) => a.fraction > 0))
					errors.push({ line, message: m.gift_shortanswer_no_right() });
				data = { type: 'shortanswer', answers, caseSensitive: false };
			}
		}
		if (errors.length > errorCount) continue;
		questions.push({
			type: data.type,
			name: name ?? defaultName(stem.text),
			stem: stem.text,
			format,
			generalFeedback: general,
			data,
			line,
			category,
			idNumber,
			tags,
			difficulty
		});
	}
	return { questions, errors };
}

// ---------------------------------------------------------------------------------------------
// Export

/** Escapes GIFT's reserved characters and turns line breaks into \n, as Moodle's repchar does. */
function escapeText(text: string): string {
	return text
		.replace(/\\/g, '\\\\')
		.replace(/([#=~{}:])/g, '\\$1')
		.replace(/\r/g, '')
		.replace(/\n/g, '\\n');
}

function formatted(text: string, format: TextFormat, questionFormat: TextFormat): string {
	return (text !== '' && format !== questionFormat ? `[${format}]` : '') + escapeText(text);
}

function weight(fraction: number): string {
	return `%${Math.round(fraction * 100 * 100000) / 100000}%`;
}

const fb = (feedback: string | null) => (feedback ? `#${escapeText(feedback)}` : '');

const DIFFICULTY_TAG: Record<1 | 2 | 3, string> = { 1: 'de', 2: 'trung-binh', 3: 'kho' };

export type ExportableQuestion = QuestionContent & {
	category?: string[] | null;
	tags?: string[];
	idNumber?: string | null;
	difficulty?: 1 | 2 | 3 | null;
};

function exportOne(q: ExportableQuestion): string {
	const head = `::${escapeText(q.name)}::${formatted(q.stem, q.format, 'moodle')}`;
	const general = q.generalFeedback ? `\t####${escapeText(q.generalFeedback)}\n` : '';
	const d = q.data;
	switch (d.type) {
		case 'description':
			return head;
		case 'essay':
			return `${head}{${q.generalFeedback ? `####${escapeText(q.generalFeedback)}` : ''}}`;
		case 'truefalse': {
			let out = `${head}{${d.answer ? 'TRUE' : 'FALSE'}`;
			if (d.feedbackWrong) out += `#${escapeText(d.feedbackWrong)}`;
			else if (d.feedbackRight) out += '#';
			if (d.feedbackRight) out += `#${escapeText(d.feedbackRight)}`;
			return `${out}${q.generalFeedback ? `####${escapeText(q.generalFeedback)}` : ''}}`;
		}
		case 'single':
		case 'multiple': {
			const lines = d.choices.map((c) => {
				const mark =
					d.type === 'single' && c.fraction === 1
						? '='
						: c.fraction === 0
							? '~'
							: `~${weight(c.fraction)}`;
				return `\t${mark}${escapeText(c.text)}${fb(c.feedback)}\n`;
			});
			return `${head}{\n${lines.join('')}${general}}`;
		}
		case 'shortanswer':
			return `${head}{\n${d.answers.map((a) => `\t=${weight(a.fraction)}${escapeText(a.text)}${fb(a.feedback)}\n`).join('')}${general}}`;
		case 'numerical': {
			const lines = d.answers.map((a) =>
				a.value === null
					? `\t~${fb(a.feedback) || '#'}\n`
					: `\t=${weight(a.fraction)}${a.value}:${a.tolerance}${fb(a.feedback)}\n`
			);
			return `${head}{#\n${lines.join('')}${general}}`;
		}
		case 'matching':
			return `${head}{\n${d.pairs.map((p) => `\t=${escapeText(p.prompt)} -> ${escapeText(p.answer)}\n`).join('')}${general}}`;
	}
}

/** GIFT text for questions, with $CATEGORY switches and id/tag comments, that re-imports to the same questions. */
export function exportGift(questions: ExportableQuestion[]): string {
	const out: string[] = [];
	let category: string | null = null;
	for (const q of questions) {
		const path = q.category?.length
			? q.category.map((p) => p.replace(/\//g, '//')).join('/')
			: null;
		if (path !== null && path !== category) {
			out.push(`$CATEGORY: ${path}`, '');
			category = path;
		}
		const tags = [...(q.tags ?? [])];
		if (q.difficulty && !tags.some((t) => DIFFICULTY_TAGS[t.toLowerCase()]))
			tags.push(DIFFICULTY_TAG[q.difficulty]);
		const meta = [q.idNumber ? `[id:${q.idNumber}]` : '', ...tags.map((t) => `[tag:${t}]`)]
			.filter(Boolean)
			.join(' ');
		if (meta) out.push(`// ${meta}`);
		out.push(exportOne(q), '');
	}
	return out.join('\n');
}
