import { describe, expect, it } from 'vitest';
import {
	blankForm,
	formValuesFromData,
	formValuesOf,
	gradeOptions,
	parseTags,
	percentOf,
	withBlankRows
} from './form';

describe('the question form', () => {
	it('offers Moodle’s grades, with negatives only for multiple response', () => {
		expect(gradeOptions(false)).toHaveLength(21);
		expect(gradeOptions(false)).toContain('83.33333');
		expect(gradeOptions(true)).toHaveLength(41);
		expect(gradeOptions(true)).toContain('-100');
		expect(gradeOptions(true)).not.toContain('-0');
		expect(percentOf(0.3333333)).toBe('33.33333');
		expect(percentOf(-1)).toBe('-100');
		expect(percentOf(0.42)).toBe('');
	});

	it('shows a stored question with its rows and two blank rows to add more', () => {
		const values = formValuesOf({
			type: 'multiple',
			name: 'Bảo vệ',
			stem: 'Chọn các cách',
			format: 'markdown',
			generalFeedback: null,
			data: {
				type: 'multiple',
				choices: [
					{ text: 'a', fraction: 0.5, feedback: 'tốt' },
					{ text: 'b', fraction: 0.5, feedback: null },
					{ text: 'c', fraction: -1, feedback: null }
				]
			},
			categoryId: 7,
			tags: ['kho', 'mat-khau'],
			difficulty: 3,
			idNumber: null
		});
		expect(values).toMatchObject({ categoryId: '7', tags: 'mat-khau', difficulty: '3' });
		expect(values.rows.map((r) => [r.text, r.grade, r.feedback])).toEqual([
			['a', '50', 'tốt'],
			['b', '50', ''],
			['c', '-100', ''],
			['', '0', ''],
			['', '0', '']
		]);
		const numerical = formValuesOf({
			type: 'numerical',
			name: 'n',
			stem: 's',
			format: 'moodle',
			generalFeedback: null,
			data: {
				type: 'numerical',
				answers: [
					{ value: 1822, tolerance: 2, fraction: 1, feedback: null },
					{ value: null, tolerance: 0, fraction: 0, feedback: 'Sai' }
				]
			},
			categoryId: 1,
			tags: [],
			difficulty: null,
			idNumber: 'N-1'
		});
		expect(numerical.rows[0]).toMatchObject({ text: '1822', tolerance: '2', grade: '100' });
		expect(numerical.otherFeedback).toBe('Sai');
		expect(numerical.idNumber).toBe('N-1');
	});

	it('reads a posted form back, row by row, and adds blank rows on request', () => {
		const data = new FormData();
		for (const [k, v] of Object.entries({
			type: 'shortanswer',
			categoryId: '3',
			name: 'SMTP',
			stem: 'Giao thức gửi thư?',
			format: 'bogus',
			rows: '2',
			a0_text: 'SMTP',
			a0_grade: '100',
			a1_text: 'smtp*',
			a1_grade: '50',
			a1_feedback: 'gần đúng',
			caseSensitive: 'on'
		}))
			data.set(k, v);
		const values = formValuesFromData(data);
		expect(values).toMatchObject({ type: 'shortanswer', format: 'markdown', caseSensitive: true });
		expect(values.rows).toEqual([
			{ text: 'SMTP', grade: '100', feedback: '', tolerance: '', answer: '' },
			{ text: 'smtp*', grade: '50', feedback: 'gần đúng', tolerance: '', answer: '' }
		]);
		expect(withBlankRows(values, 3).rows).toHaveLength(5);
		expect(blankForm('essay').rows).toEqual([]);
		expect(blankForm('single').rows[0].grade).toBe('100');
		expect(blankForm('multiple').rows[0].grade).toBe('0');
	});

	it('tags as GIFT files write them', () => {
		expect(parseTags('Địa chỉ IP, mạng LAN; mạng lan\n , ')).toEqual(['dia-chi-ip', 'mang-lan']);
	});
});
