import { describe, expect, it } from 'vitest';
import { gradeResponse, matchesShortAnswer, parseNumber, rightAnswerOf } from './grading';
import type { QuestionData } from './types';

const single: QuestionData = {
	type: 'single',
	choices: [
		{ text: 'LAN', fraction: 1, feedback: 'Đúng' },
		{ text: 'WAN', fraction: 0, feedback: 'Sai' },
		{ text: 'Gần đúng', fraction: 0.5, feedback: null },
		{ text: 'Âm', fraction: -0.5, feedback: null }
	]
};
const multiple: QuestionData = {
	type: 'multiple',
	choices: [
		{ text: 'a', fraction: 0.5, feedback: 'tốt' },
		{ text: 'b', fraction: 0.5, feedback: null },
		{ text: 'c', fraction: -1, feedback: 'không' },
		{ text: 'd', fraction: 0, feedback: null }
	]
};

describe('gradeResponse', () => {
	it('single choice', () => {
		expect(gradeResponse(single, { type: 'single', choice: 0 })).toEqual({
			fraction: 1,
			state: 'correct',
			feedback: ['Đúng']
		});
		expect(gradeResponse(single, { type: 'single', choice: 1 })).toEqual({
			fraction: 0,
			state: 'incorrect',
			feedback: ['Sai']
		});
		expect(gradeResponse(single, { type: 'single', choice: 2 })).toMatchObject({
			fraction: 0.5,
			state: 'partial'
		});
		// A negative weight on a single choice never goes below zero.
		expect(gradeResponse(single, { type: 'single', choice: 3 })).toMatchObject({
			fraction: 0,
			state: 'incorrect'
		});
		expect(gradeResponse(single, { type: 'single', choice: null })).toMatchObject({
			state: 'unanswered'
		});
		expect(gradeResponse(single, { type: 'single', choice: 9 })).toMatchObject({
			fraction: 0,
			state: 'unanswered'
		});
		expect(gradeResponse(single, null)).toMatchObject({ fraction: 0, state: 'unanswered' });
	});

	it('multiple response with negative weights, held between 0 and 1', () => {
		expect(gradeResponse(multiple, { type: 'multiple', choices: [0, 1] })).toMatchObject({
			fraction: 1,
			state: 'correct',
			feedback: ['tốt']
		});
		expect(gradeResponse(multiple, { type: 'multiple', choices: [0] })).toMatchObject({
			fraction: 0.5,
			state: 'partial'
		});
		expect(gradeResponse(multiple, { type: 'multiple', choices: [0, 1, 2] })).toMatchObject({
			fraction: 0,
			state: 'incorrect'
		});
		expect(gradeResponse(multiple, { type: 'multiple', choices: [0, 2] })).toMatchObject({
			fraction: 0
		});
		expect(gradeResponse(multiple, { type: 'multiple', choices: [0, 0, 1] })).toMatchObject({
			fraction: 1
		});
		expect(gradeResponse(multiple, { type: 'multiple', choices: [] })).toMatchObject({
			state: 'unanswered'
		});
		expect(gradeResponse(multiple, { type: 'multiple', choices: [7, -1] })).toMatchObject({
			state: 'unanswered'
		});
	});

	it('true/false with feedback for the right and the wrong answer', () => {
		const tf: QuestionData = {
			type: 'truefalse',
			answer: false,
			feedbackWrong: 'Sai rồi',
			feedbackRight: 'Chính xác'
		};
		expect(gradeResponse(tf, { type: 'truefalse', answer: false })).toEqual({
			fraction: 1,
			state: 'correct',
			feedback: ['Chính xác']
		});
		expect(gradeResponse(tf, { type: 'truefalse', answer: true })).toEqual({
			fraction: 0,
			state: 'incorrect',
			feedback: ['Sai rồi']
		});
		expect(gradeResponse(tf, { type: 'truefalse', answer: null })).toMatchObject({
			state: 'unanswered'
		});
	});

	it('short answer: several answers, wildcard, case, Vietnamese', () => {
		const sa: QuestionData = {
			type: 'shortanswer',
			caseSensitive: false,
			answers: [
				{ text: 'Văn thư', fraction: 1, feedback: 'Đúng' },
				{ text: 'van thu', fraction: 1, feedback: null },
				{ text: 'bộ phận *', fraction: 0.5, feedback: 'Gần đúng' }
			]
		};
		expect(gradeResponse(sa, { type: 'shortanswer', text: '  VĂN THƯ ' })).toMatchObject({
			fraction: 1,
			feedback: ['Đúng']
		});
		expect(gradeResponse(sa, { type: 'shortanswer', text: 'Van Thu' })).toMatchObject({
			fraction: 1
		});
		expect(gradeResponse(sa, { type: 'shortanswer', text: 'bộ phận một cửa' })).toMatchObject({
			fraction: 0.5,
			state: 'partial'
		});
		expect(gradeResponse(sa, { type: 'shortanswer', text: 'kế toán' })).toMatchObject({
			fraction: 0,
			state: 'incorrect'
		});
		expect(gradeResponse(sa, { type: 'shortanswer', text: '   ' })).toMatchObject({
			state: 'unanswered'
		});
		expect(
			gradeResponse({ ...sa, caseSensitive: true }, { type: 'shortanswer', text: 'VĂN THƯ' })
		).toMatchObject({ fraction: 0 });
		expect(matchesShortAnswer('a.b', 'axb', false)).toBe(false);
		// Decomposed and composed Vietnamese letters are the same answer.
		expect(matchesShortAnswer('Hà Nội', 'Ha\u0300 Nô\u0323i', false)).toBe(true);
	});

	it('numerical: tolerance, several answers, decimal comma, catch-all feedback', () => {
		const num: QuestionData = {
			type: 'numerical',
			answers: [
				{ value: 62, tolerance: 0, fraction: 1, feedback: 'Đúng' },
				{ value: 64, tolerance: 0, fraction: 0.5, feedback: 'Quên trừ 2' },
				{ value: null, tolerance: 0, fraction: 0, feedback: 'Xem lại cách tính' }
			]
		};
		expect(gradeResponse(num, { type: 'numerical', text: '62' })).toMatchObject({
			fraction: 1,
			feedback: ['Đúng']
		});
		expect(gradeResponse(num, { type: 'numerical', text: ' 64 ' })).toMatchObject({
			fraction: 0.5,
			state: 'partial'
		});
		expect(gradeResponse(num, { type: 'numerical', text: '10' })).toEqual({
			fraction: 0,
			state: 'incorrect',
			feedback: ['Xem lại cách tính']
		});
		expect(gradeResponse(num, { type: 'numerical', text: 'sáu hai' })).toMatchObject({
			fraction: 0,
			state: 'incorrect'
		});
		const pi: QuestionData = {
			type: 'numerical',
			answers: [{ value: 3.1415, tolerance: 0.0005, fraction: 1, feedback: null }]
		};
		expect(gradeResponse(pi, { type: 'numerical', text: '3,141' })).toMatchObject({ fraction: 1 });
		expect(gradeResponse(pi, { type: 'numerical', text: '3.142' })).toMatchObject({ fraction: 1 });
		expect(gradeResponse(pi, { type: 'numerical', text: '3.143' })).toMatchObject({ fraction: 0 });
		expect(parseNumber('1.234,5')).toBeNull();
		expect(parseNumber('1e3')).toBe(1000);
		expect(parseNumber('NaN')).toBeNull();
	});

	it('matching: the share of prompts matched, ignoring distractors', () => {
		const match: QuestionData = {
			type: 'matching',
			pairs: [
				{ prompt: 'Switch', answer: 'Lớp 2' },
				{ prompt: 'Router', answer: 'Lớp 3' },
				{ prompt: 'Cáp', answer: 'Lớp 1' },
				{ prompt: '', answer: 'Lớp 7' }
			]
		};
		expect(
			gradeResponse(match, { type: 'matching', answers: { 0: 'Lớp 2', 1: 'Lớp 3', 2: 'Lớp 1' } })
		).toMatchObject({ fraction: 1, state: 'correct' });
		expect(
			gradeResponse(match, { type: 'matching', answers: { 0: 'Lớp 2', 1: 'Lớp 7', 2: null } })
				.fraction
		).toBeCloseTo(1 / 3);
		expect(gradeResponse(match, { type: 'matching', answers: {} })).toMatchObject({
			state: 'unanswered'
		});
	});

	it('essays wait for a trainer; descriptions are not graded', () => {
		expect(
			gradeResponse({ type: 'essay' }, { type: 'essay', text: 'Quy trình gồm 5 bước…' })
		).toEqual({ fraction: null, state: 'needs_grading', feedback: [] });
		expect(gradeResponse({ type: 'essay' }, { type: 'essay', text: ' ' })).toMatchObject({
			state: 'unanswered'
		});
		expect(gradeResponse({ type: 'description' }, null)).toEqual({
			fraction: null,
			state: 'unanswered',
			feedback: []
		});
	});

	it('a response of the wrong type earns nothing', () => {
		expect(gradeResponse(single, { type: 'truefalse', answer: true })).toMatchObject({
			fraction: 0,
			state: 'unanswered'
		});
	});

	it('names the right answers', () => {
		expect(rightAnswerOf(multiple)).toEqual(['a', 'b']);
		expect(
			rightAnswerOf({
				type: 'numerical',
				answers: [{ value: 3, tolerance: 2, fraction: 1, feedback: null }]
			})
		).toEqual(['3 ± 2']);
	});
});
