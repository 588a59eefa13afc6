import { describe, expect, it } from 'vitest';
import { parseAiken } from './aiken';

describe('parseAiken', () => {
	it('reads questions with "A." and "A)" options', () => {
		const text = [
			'\ufeffThiết bị nào chuyển gói tin giữa các mạng khác nhau?',
			'A. Switch',
			'B. Router',
			'C) Hub',
			'ANSWER: B',
			'',
			'Cổng mặc định của HTTPS là',
			'cổng nào?',
			'A) 80',
			'B) 443',
			'ANSWER: b'
		].join('\n');
		const { questions, errors } = parseAiken(text);
		expect(errors).toEqual([]);
		expect(questions).toHaveLength(2);
		expect(questions[0]).toMatchObject({
			type: 'single',
			line: 1,
			stem: 'Thiết bị nào chuyển gói tin giữa các mạng khác nhau?'
		});
		expect(questions[0].data).toEqual({
			type: 'single',
			choices: [
				{ text: 'Switch', fraction: 0, feedback: null },
				{ text: 'Router', fraction: 1, feedback: null },
				{ text: 'Hub', fraction: 0, feedback: null }
			]
		});
		expect(questions[1]).toMatchObject({ line: 7, stem: 'Cổng mặc định của HTTPS là\ncổng nào?' });
	});

	it('names the line of each problem', () => {
		const text = [
			'Câu 1?',
			'A. a',
			'B. b',
			'ANSWER: D',
			'',
			'Câu 2?',
			'A. a',
			'ANSWER: A',
			'',
			'Câu 3?',
			'A. a',
			'B. b',
			'lạc dòng',
			'ANSWER: A',
			'',
			'ANSWER: A',
			'',
			'Câu 5?',
			'A. a'
		].join('\n');
		const { questions, errors } = parseAiken(text);
		expect(questions).toEqual([]);
		expect(errors.map((e) => e.line)).toEqual([4, 6, 13, 16, 18]);
	});
});

describe('parseAiken, as Moodle reads it', () => {
	it('refuses a choice before any question, reads CRLF files and names long questions as Moodle does', () => {
		const long = `Trong mô hình mạng của Huyện ủy, thiết bị nào đứng giữa mạng nội bộ và đường truyền diện rộng của tỉnh để định tuyến?`;
		const text = ['A. lạc lõng', '', long, 'A. Switch', 'B. Router', 'ANSWER: B', ''].join('\r\n');
		const { questions, errors } = parseAiken(text);
		expect(errors).toEqual([{ line: 1, message: expect.any(String) }]);
		expect(questions).toHaveLength(1);
		expect(questions[0].line).toBe(3);
		expect(questions[0].name.length).toBeLessThanOrEqual(80);
		expect(questions[0].name.endsWith('...')).toBe(true);
		expect(long.startsWith(questions[0].name.slice(0, -3))).toBe(true);
		expect(questions[0].stem).toBe(long);
	});

	it('needs a space after the letter, as Moodle does', () => {
		const { errors } = parseAiken('Câu?\nA.Switch\nB. Router\nANSWER: B\n');
		// "A.Switch" is not a choice but more question text, which leaves the question one choice.
		expect(errors).toEqual([{ line: 1, message: expect.any(String) }]);
	});
});
