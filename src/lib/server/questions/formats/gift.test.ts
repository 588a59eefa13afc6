import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportGift, matchMoodleFraction, parseCategoryPath, parseGift } from './gift';
import type { ParsedQuestion } from '../types';

const fixtures = path.resolve('tests/fixtures/gift');
const read = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');
const types = (qs: ParsedQuestion[]) => qs.map((q) => q.type);

describe('the shared fixtures import as Moodle imports them', () => {
	it('giftFormatPhpExamples.gift: 10 questions', () => {
		const { questions, errors } = parseGift(read('giftFormatPhpExamples.gift'));
		expect(errors).toEqual([]);
		expect(types(questions)).toEqual([
			'single',
			'single',
			'truefalse',
			'shortanswer',
			'numerical',
			'matching',
			'single',
			'single',
			'shortanswer',
			'numerical'
		]);
		const [first, missing, tf, short, num, match, named, difficult, jesus, numExample] = questions;
		expect(first).toMatchObject({
			stem: "Who's buried in Grant's tomb?",
			name: "Who's buried in Grant's tomb?"
		});
		expect(first.data).toEqual({
			type: 'single',
			choices: [
				{ text: 'Grant', fraction: 0, feedback: null },
				{ text: 'Jefferson', fraction: 0, feedback: null },
				{ text: 'no one', fraction: 1, feedback: null }
			]
		});
		expect(missing.stem).toBe("Grant is _____ in Grant's tomb.");
		expect(tf.data).toEqual({
			type: 'truefalse',
			answer: false,
			feedbackWrong: null,
			feedbackRight: null
		});
		expect(short.data).toMatchObject({
			type: 'shortanswer',
			answers: [
				{ text: 'no one', fraction: 1 },
				{ text: 'nobody', fraction: 1 }
			]
		});
		expect(num.data).toEqual({
			type: 'numerical',
			answers: [{ value: 1822, tolerance: 5, fraction: 1, feedback: null }]
		});
		expect(match.stem).toBe('Match the following countries with their corresponding\ncapitals.');
		expect(match.data).toEqual({
			type: 'matching',
			pairs: [
				{ prompt: 'Canada', answer: 'Ottawa' },
				{ prompt: 'Italy', answer: 'Rome' },
				{ prompt: 'Japan', answer: 'Tokyo' }
			]
		});
		expect(named).toMatchObject({ name: "Grant's Tomb", stem: "Grant is _____ in Grant's tomb." });
		expect(named.data).toMatchObject({
			choices: [
				{ text: 'buried', feedback: 'No one is buried there.' },
				{ text: 'entombed', fraction: 1, feedback: 'Right answer!' },
				{ text: 'living', feedback: 'We hope not!' }
			]
		});
		expect(difficult.data).toMatchObject({
			choices: [
				{ fraction: 0 },
				{ text: 'half credit answer', fraction: 0.5, feedback: 'comment on answer' },
				{ fraction: 1, feedback: 'well done!' }
			]
		});
		expect(jesus).toMatchObject({
			name: "Jesus' hometown (Short answer ex.)",
			stem: 'Jesus Christ was from _____.'
		});
		expect(jesus.data).toMatchObject({
			answers: [
				{ text: 'Nazareth', fraction: 1 },
				{ text: 'Nazereth', fraction: 0.75 },
				{ text: 'Bethlehem', fraction: 0.25 }
			]
		});
		expect(numExample.data).toEqual({
			type: 'numerical',
			answers: [
				{ value: 1822, tolerance: 0, fraction: 1, feedback: 'Correct! 100% credit' },
				{
					value: 1822,
					tolerance: 2,
					fraction: 0.5,
					feedback: 'He was born in 1822.\nYou get 50% credit for being close.'
				}
			]
		});
	});

	it('escapeAll.gift: the right answer is a literal backslash', () => {
		const { questions, errors } = parseGift(read('escapeAll.gift'));
		expect(errors).toEqual([]);
		expect(types(questions)).toEqual(['single']);
		const data = questions[0].data as {
			choices: Array<{ text: string; fraction: number; feedback: string | null }>;
		};
		expect(data.choices.map((c) => c.text)).toEqual(['~', '=', '#', '{', '}', ':', '\\']);
		expect(data.choices[6].fraction).toBe(1);
		expect(data.choices[0].feedback).toBe('~ is a control character.');
		expect(questions[0].name).toBe('GIFT Control Characters');
	});

	it('numerical1.gift: five numericals, {#1..5} is 3 ± 2', () => {
		const { questions, errors } = parseGift(read('numerical1.gift'));
		expect(errors).toEqual([]);
		expect(types(questions)).toEqual(Array(5).fill('numerical'));
		expect(questions[1].data).toMatchObject({ answers: [{ value: 3.1415, tolerance: 0.0005 }] });
		expect(questions[2].data).toMatchObject({
			answers: [{ value: expect.closeTo(3.1415, 10), tolerance: expect.closeTo(0.0005, 10) }]
		});
		expect(questions[3].data).toMatchObject({ answers: [{ value: 3, tolerance: 2 }] });
		// The answer block is not at the end here: Moodle leaves a blank.
		expect(questions[3].stem).toBe('Give me a number from 1 to 5. _____.');
	});

	it('symbolsAll.gift: one true/false, keeping the line break', () => {
		const { questions, errors } = parseGift(read('symbolsAll.gift'));
		expect(errors).toEqual([]);
		expect(types(questions)).toEqual(['truefalse']);
		expect(questions[0].stem).toBe(
			"Here's a question that has symbols inside,\nsuch as `-=[];',./~!@#$%^&*()_+{}|:\"<>?"
		);
		expect(questions[0].data).toMatchObject({ answer: true });
	});

	it('newlineAndLaTeX.gift: an essay where \\n is a line break and \\\\ one backslash', () => {
		const { questions, errors } = parseGift(read('newlineAndLaTeX.gift'));
		expect(errors).toEqual([]);
		expect(questions).toHaveLength(1);
		expect(questions[0]).toMatchObject({
			type: 'essay',
			format: 'html',
			stem: 'Blah\nblah $ 1 \\neq 0 $'
		});
	});

	it('tag_id_and_two_tags.gift: an essay with id 393 and two tags', () => {
		const { questions } = parseGift(read('tag_id_and_two_tags.gift'));
		expect(questions).toHaveLength(1);
		expect(questions[0]).toMatchObject({
			type: 'essay',
			idNumber: '393',
			tags: ['fred', 'barney-wilma'],
			stem: 'Essay?'
		});
	});

	it('multipleAnswersFloat.gift: multiple response with 33.33333 × 3 and −100 × 2', () => {
		const { questions, errors } = parseGift(read('multipleAnswersFloat.gift'));
		expect(errors).toEqual([]);
		expect(types(questions)).toEqual(['multiple']);
		const data = questions[0].data as { choices: Array<{ fraction: number }> };
		expect(data.choices.map((c) => c.fraction)).toEqual([0.3333333, 0.3333333, -1, 0.3333333, -1]);
		expect(questions[0].stem).toBe('Select all of the options below which name a continent:');
	});

	it('TFTwoFeedback.gift: false, the first feedback for the wrong choice, the second for the right one', () => {
		const { questions } = parseGift(read('TFTwoFeedback.gift'));
		expect(questions[0].data).toEqual({
			type: 'truefalse',
			answer: false,
			feedbackWrong: 'wrong answer feedback',
			feedbackRight: 'right answer feedback'
		});
	});
});

describe('GIFT features', () => {
	it('reads categories, formats, general feedback, tags and difficulty', () => {
		const text = [
			'\ufeff// Ngân hàng thử',
			'$CATEGORY: $course$/top/Quản trị mạng/Địa chỉ IP',
			'',
			'// [id:IP-01] [tag:kho] [tag:dia-chi-ip]',
			'::Mặt nạ /26::[markdown]Mạng **/26** có bao nhiêu địa chỉ dùng được\\: {#62####2^6 − 2 = 62}',
			'',
			'$CATEGORY: An toàn thông tin',
			'',
			'::Mật khẩu::Mật khẩu mạnh cần tối thiểu 12 ký tự. {T}'
		].join('\r\n');
		const { questions, errors } = parseGift(text);
		expect(errors).toEqual([]);
		expect(questions[0]).toMatchObject({
			line: 5,
			name: 'Mặt nạ /26',
			format: 'markdown',
			stem: 'Mạng **/26** có bao nhiêu địa chỉ dùng được:',
			generalFeedback: '2^6 − 2 = 62',
			category: ['Quản trị mạng', 'Địa chỉ IP'],
			idNumber: 'IP-01',
			tags: ['kho', 'dia-chi-ip'],
			difficulty: 3
		});
		expect(questions[1]).toMatchObject({
			category: ['An toàn thông tin'],
			format: 'moodle',
			difficulty: null
		});
	});

	it('puts imported categories under a given root', () => {
		const { questions } = parseGift('$CATEGORY: A/B\n\nQ? {T}', { category: ['Khóa 1'] });
		expect(questions[0].category).toEqual(['Khóa 1', 'A', 'B']);
		expect(parseCategoryPath('$course$/top/Mạng//Internet/Con')).toEqual(['Mạng/Internet', 'Con']);
	});

	it('follows Moodle: lower-case true is a short answer, not true/false', () => {
		expect(parseGift('Q? {true}').questions[0].type).toBe('shortanswer');
		expect(parseGift('Q? {T}').questions[0].type).toBe('truefalse');
	});

	it('reads matching distractors and numerical wrong-answer feedback', () => {
		const match = parseGift('Ghép? {=a -> 1 =b -> 2 = -> 3}').questions[0];
		expect(match.data).toEqual({
			type: 'matching',
			pairs: [
				{ prompt: 'a', answer: '1' },
				{ prompt: 'b', answer: '2' },
				{ prompt: '', answer: '3' }
			]
		});
		const num = parseGift('Số? {#5:1 ~#Sai rồi}').questions[0];
		expect(num.data).toEqual({
			type: 'numerical',
			answers: [
				{ value: 5, tolerance: 1, fraction: 1, feedback: null },
				{ value: null, tolerance: 0, fraction: 0, feedback: 'Sai rồi' }
			]
		});
	});

	it('a description has no answer block', () => {
		expect(parseGift('::Đọc kỹ::Phần sau gồm 10 câu hỏi.').questions[0]).toMatchObject({
			type: 'description',
			stem: 'Phần sau gồm 10 câu hỏi.'
		});
	});
});

describe('malformed GIFT', () => {
	const errorsOf = (text: string) => parseGift(text).errors;

	it('names the line of each bad question and keeps going', () => {
		const text = [
			'::Tốt 1::A? {T}',
			'',
			'// chú thích',
			'::Thiếu ngoặc::B? {=x ~y',
			'',
			'::Tốt 2::C? {F}',
			'',
			'::Trọng số lạ::D? {~%37%a ~%63%b}'
		].join('\n');
		const { questions, errors } = parseGift(text);
		expect(questions.map((q) => q.name)).toEqual(['Tốt 1', 'Tốt 2']);
		expect(errors.map((e) => e.line)).toEqual([4, 8, 8]);
		expect(errors[1].message).toContain('37');
	});

	it('refuses weights that are not Moodle grades, but accepts close spellings', () => {
		expect(errorsOf('Q {~%33.333%a ~%33.333%b ~%33.333%c}')).toEqual([]);
		expect(errorsOf('Q {~%33.3%a ~%33.3%b ~%33.3%c ~d}')).toHaveLength(3);
		expect(matchMoodleFraction(0.8333333)).toBe(0.8333333);
		expect(matchMoodleFraction(0.42)).toBeNull();
	});

	it('checks single and multiple choice weights', () => {
		expect(errorsOf('Q {~a ~b ~%50%c}')).toHaveLength(1);
		expect(errorsOf('Q {~%50%a ~%40%b ~c}')[0].message).toContain('90');
	});

	it('reports matching without arrows, empty answers, bad numbers, lone category text', () => {
		expect(errorsOf('Q {=a -> 1 =b}')).toHaveLength(1);
		expect(errorsOf('Q {#abc}')).toHaveLength(1);
		expect(errorsOf('Q {#1..x}')).toHaveLength(1);
		expect(errorsOf('Q {=a ~}')).toHaveLength(0);
		expect(errorsOf('$CATEGORY: A\nQ? {T}')).toHaveLength(1);
		expect(errorsOf('Q {~only}')).toHaveLength(1);
		expect(errorsOf('Q } x {')).toHaveLength(1);
	});

	it('never throws on arbitrary text', () => {
		for (const text of [
			'{',
			'}',
			'::',
			'::a',
			'{}{}',
			'####',
			'{####}',
			'{#}',
			'{=}',
			'{~}',
			'{->}',
			'\\',
			'{T#}',
			'$CATEGORY:',
			'{#=}'
		]) {
			expect(() => parseGift(text)).not.toThrow();
		}
	});
});

describe('export', () => {
	it('re-imports to the same questions, for every type, escape and format', () => {
		const source = [
			'$CATEGORY: Tin học văn phòng/Thư điện tử',
			'',
			'// [id:TD-1] [tag:de] [tag:thu-dien-tu]',
			'::Giờ gửi\\: 8\\:30::[markdown]Gửi lúc **8\\:30**, người nhận thấy {=lúc 8\\:30#Đúng ~lúc 9\\:30#Sai\\: lệch giờ####Thư đến ngay.}',
			'',
			'::Nhiều đáp án::Chọn các cách bảo vệ mật khẩu\\: {~%50%Dùng cụm từ dài#Tốt ~%50%Bật xác thực hai lớp ~%-100%Ghi ra giấy dán màn hình#Không}',
			'',
			'::Đúng sai::Chữ ký số có giá trị như chữ ký tay. {TRUE#Sai#Đúng####Theo quy định.}',
			'',
			'::Ngắn::Giao thức gửi thư là? {=SMTP#Đúng =%50%smtp server#Gần đúng}',
			'',
			'::Số::Số bit của IPv4? {#\n=32:0#Đúng\n=%50%31..33\n~#Sai}',
			'',
			'::Ghép::Ghép cổng với dịch vụ. {=25 -> SMTP =80 -> HTTP =443 -> HTTPS = -> FTP}',
			'',
			'::Tự luận::Trình bày quy trình xử lý công văn đến. {####Nêu đủ 5 bước.}',
			'',
			'::Mô tả::[html]<p>Phần II\\: thực hành</p>',
			'',
			'Dòng 1\\nDòng 2 với \\\\ và \\{ngoặc\\} {T}'
		].join('\n');
		const first = parseGift(source);
		expect(first.errors).toEqual([]);
		expect(types(first.questions)).toEqual([
			'single',
			'multiple',
			'truefalse',
			'shortanswer',
			'numerical',
			'matching',
			'essay',
			'description',
			'truefalse'
		]);
		const exported = exportGift(first.questions);
		const second = parseGift(exported);
		expect(second.errors).toEqual([]);
		const strip = (qs: ParsedQuestion[]) => qs.map(({ line: _line, ...rest }) => rest);
		expect(strip(second.questions)).toEqual(strip(first.questions));
		// And once more: export is stable.
		expect(exportGift(second.questions)).toBe(exported);
	});

	it('round-trips every shared fixture', () => {
		for (const file of fs.readdirSync(fixtures).filter((f) => f.endsWith('.gift'))) {
			const first = parseGift(read(file));
			const second = parseGift(exportGift(first.questions));
			expect(second.errors, file).toEqual([]);
			expect(
				second.questions.map(({ line: _l, name: _n, ...q }) => q),
				file
			).toEqual(first.questions.map(({ line: _l, name: _n, ...q }) => q));
		}
	});
});

describe('the course banks in content/', () => {
	const dirs = fs.existsSync('content')
		? fs
				.readdirSync('content')
				.filter((d) => fs.existsSync(path.join('content', d, 'questions.gift')))
		: [];
	it.each(dirs)('%s/questions.gift imports cleanly with at least 25 questions', (dir) => {
		const { questions, errors } = parseGift(
			fs.readFileSync(path.join('content', dir, 'questions.gift'), 'utf8')
		);
		expect(errors).toEqual([]);
		expect(questions.length).toBeGreaterThanOrEqual(25);
		expect(new Set(questions.map((q) => q.name)).size).toBe(questions.length);
		for (const q of questions) expect(q.difficulty, q.name).not.toBeNull();
	});
});

describe('more of the GIFT syntax', () => {
	it('reads [plain] and [moodle] formats, which also apply to answers and feedback', () => {
		const { questions, errors } = parseGift(
			'[plain]Dấu <b> hiện nguyên văn? {=Có#[html]<i>đúng</i> ~Không}\n\n[moodle]Dòng 1\\nDòng 2 {T}'
		);
		expect(errors).toEqual([]);
		expect(questions[0]).toMatchObject({ format: 'plain', stem: 'Dấu <b> hiện nguyên văn?' });
		// A format named inside the feedback changes its text only; the question keeps [plain].
		expect(questions[0].data).toMatchObject({
			choices: [{ text: 'Có', feedback: '<i>đúng</i>' }, { text: 'Không' }]
		});
		expect(questions[1]).toMatchObject({ format: 'moodle', stem: 'Dòng 1\nDòng 2' });
		// An unknown [word] is text, not a format.
		expect(parseGift('[note]Câu? {T}').questions[0]).toMatchObject({
			format: 'moodle',
			stem: '[note]Câu?'
		});
	});

	it('names: a missing closing :: leaves no name; the default is the text, shortened at 80', () => {
		const open = parseGift('::Không đóng tên? {T}').questions[0];
		expect(open).toMatchObject({ name: 'Không đóng tên?', stem: 'Không đóng tên?' });
		const long = 'Câu hỏi rất dài '.repeat(10).trim() + '? {T}';
		const named = parseGift(long).questions[0].name;
		expect(named.length).toBeLessThanOrEqual(80);
		expect(named.endsWith('...')).toBe(true);
	});

	it('questions span lines; CRLF and CR files; comments and blank lines between', () => {
		const text = [
			'// đầu tệp',
			'::Nhiều dòng::Câu hỏi',
			'viết trên hai dòng? {',
			'  =Đúng',
			'  ~Sai # vì sao',
			'}',
			'',
			'',
			'// chú thích trước câu',
			'Câu cuối? {F}'
		];
		for (const eol of ['\n', '\r\n', '\r']) {
			const { questions, errors } = parseGift(text.join(eol));
			expect(errors).toEqual([]);
			expect(questions.map((q) => [q.line, q.stem])).toEqual([
				[2, 'Câu hỏi\nviết trên hai dòng?'],
				[10, 'Câu cuối?']
			]);
			expect(questions[0].data).toMatchObject({
				choices: [{ feedback: null }, { feedback: 'vì sao' }]
			});
		}
	});

	it('answers in the middle leave a blank; a trailing answer block does not', () => {
		expect(parseGift('Thủ đô là {=Hà Nội ~Huế} của Việt Nam.').questions[0].stem).toBe(
			'Thủ đô là _____ của Việt Nam.'
		);
		expect(parseGift('Thủ đô là? {=Hà Nội ~Huế}').questions[0].stem).toBe('Thủ đô là?');
	});

	it('weights: %100%, negative and decimal weights; plain = is full marks; ~ alone is 0', () => {
		const { questions, errors } = parseGift(
			'Q1 {=%100%a =%50%b#nửa}\n\nQ2 {~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-33.33333%d ~e}'
		);
		expect(errors).toEqual([]);
		expect(questions[0].data).toEqual({
			type: 'shortanswer',
			caseSensitive: false,
			answers: [
				{ text: 'a', fraction: 1, feedback: null },
				{ text: 'b', fraction: 0.5, feedback: 'nửa' }
			]
		});
		expect(
			(questions[1].data as { choices: Array<{ fraction: number }> }).choices.map((c) => c.fraction)
		).toEqual([0.3333333, 0.3333333, 0.3333333, -0.3333333, 0]);
	});

	it('an id and tags only from the comments right before the question', () => {
		const { questions } = parseGift(
			'// [id:A-1] [tag:mot]\nCâu 1? {T}\n\n// [tag:hai] [tag: ba ]\nCâu 2? {F}'
		);
		expect(questions.map((q) => [q.idNumber, q.tags])).toEqual([
			['A-1', ['mot']],
			[null, ['hai', 'ba']]
		]);
	});

	it('errors name the line where each bad question starts, after multi-line questions too', () => {
		const text = [
			'::Một::Câu một? {',
			'=a',
			'~b',
			'}',
			'',
			'::Hai::Câu hai? {#',
			'=một trăm',
			'}',
			'',
			'::Ba::Ghép {=a -> 1 =b}',
			'',
			'$CATEGORY: X',
			'Câu dính liền? {T}'
		].join('\n');
		expect(parseGift(text).errors.map((e) => e.line)).toEqual([6, 10, 12]);
	});
});
