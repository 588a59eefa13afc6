import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectFormat, readQuestionFile } from '../bank';
import { parseAiken } from './aiken';
import { parseGift } from './gift';

// Arbitrary text into the GIFT and Aiken importers: parsed questions or errors that name a line of
// the file, never an exception; a file with any error yields nothing to write.

const GIFT_TOKENS = [
	'::',
	'::Tên::',
	'{',
	'}',
	'=',
	'~',
	'#',
	'####',
	'->',
	'%50%',
	'%-100%',
	'%abc%',
	'\\',
	'\\{',
	'\\=',
	'\\n',
	':',
	'T',
	'F',
	'TRUE',
	'1..2',
	'3:0.5',
	'#1',
	'$CATEGORY: ',
	'$CATEGORY: a/b//c',
	'[html]',
	'[markdown]',
	'[plain]',
	'[id:x]',
	'[tag:y]',
	'//',
	'// chú thích',
	' ',
	'\t',
	'\n',
	'\n\n',
	'\r\n',
	'\r',
	'Câu hỏi mạng LAN?',
	'Địa chỉ IP',
	'abc',
	'\u0000',
	'\ufeff',
	'𝕏',
	'<script>',
	'&amp;'
];
const AIKEN_TOKENS = [
	'A.',
	'B)',
	'C. ',
	'Z.',
	'ANSWER:',
	'ANSWER: B',
	'answer : a',
	'ANSWER: Q',
	' ',
	'\n',
	'\r\n',
	'\n\n',
	'Thủ đô?',
	'Hà Nội',
	'{',
	'\u0000',
	'\ufeff',
	'𝕏'
];

const textFrom = (tokens: string[]) =>
	fc.oneof(
		{
			weight: 3,
			arbitrary: fc.array(fc.constantFrom(...tokens), { maxLength: 80 }).map((t) => t.join(''))
		},
		{ weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 400 }) },
		{
			weight: 1,
			arbitrary: fc
				.array(fc.oneof(fc.constantFrom(...tokens), fc.string({ maxLength: 6 })), { maxLength: 60 })
				.map((t) => t.join(''))
		}
	);

/** Lines in the text, counted the widest way (any of \r\n, \n, \r ends one). */
const lineCount = (text: string) => (text.match(/\r\n|\n|\r/g)?.length ?? 0) + 1;

function expectWellFormed(
	text: string,
	result: { questions: unknown[]; errors: Array<{ line: number; message: string }> }
) {
	for (const e of result.errors) {
		expect(Number.isInteger(e.line)).toBe(true);
		expect(e.line).toBeGreaterThanOrEqual(1);
		expect(e.line).toBeLessThanOrEqual(lineCount(text) + 1);
		expect(typeof e.message).toBe('string');
		expect(e.message.length).toBeGreaterThan(0);
		// A message for the user, not a stack trace.
		expect(e.message).not.toMatch(/\n\s+at /);
	}
}

export const RUNS = 1000;

describe('question importers under arbitrary text', () => {
	it('GIFT: questions or line-numbered errors, never an exception', () => {
		fc.assert(
			fc.property(textFrom(GIFT_TOKENS), (text) => {
				const result = parseGift(text);
				expectWellFormed(text, result);
				for (const q of result.questions)
					expect(typeof (q as { type: unknown }).type).toBe('string');
			}),
			{ numRuns: RUNS }
		);
	});

	it('Aiken: questions or line-numbered errors, never an exception', () => {
		fc.assert(
			fc.property(textFrom(AIKEN_TOKENS), (text) => {
				expectWellFormed(text, parseAiken(text));
			}),
			{ numRuns: RUNS }
		);
	});

	it('a file either parses to questions with no error, or reports an error (then nothing is imported)', () => {
		fc.assert(
			fc.property(
				fc.oneof(textFrom(GIFT_TOKENS), textFrom(AIKEN_TOKENS)),
				fc.string({ maxLength: 20 }),
				(text, name) => {
					const format = detectFormat(name, text);
					const { questions, errors } = readQuestionFile(text, format);
					expectWellFormed(text, { questions, errors });
					expect(questions.length > 0 || errors.length > 0).toBe(true);
				}
			),
			{ numRuns: RUNS }
		);
	});
});
