import { describe, expect, it } from 'vitest';
import { Invalid } from '../errors';
import { parseCourseInput, parseLessonInput, uploadPolicyFor } from './authoring';
import { parseDueDate } from './enrolment';
import { UPLOAD_POLICIES } from '../files/store';

const course = {
	slug: 'an-toan-thong-tin',
	title: 'An toàn, bảo mật thông tin',
	summary: '',
	category: 'An toàn thông tin',
	estimatedHours: '',
	description: ''
};

function fieldsOf(work: () => unknown): Record<string, string> {
	try {
		work();
	} catch (e) {
		if (e instanceof Invalid) return e.fields;
		throw e;
	}
	throw new Error('expected Invalid');
}

describe('parseCourseInput', () => {
	it('trims, lower-cases the address and reads hours with a decimal comma', () => {
		expect(
			parseCourseInput({ ...course, slug: ' An-Toan ', title: '  Tiêu đề ', estimatedHours: '1,5' })
		).toMatchObject({ slug: 'an-toan', title: 'Tiêu đề', estimatedHours: 1.5 });
		expect(parseCourseInput(course).estimatedHours).toBeNull();
	});

	it('names every bad field with a Vietnamese message', () => {
		const fields = fieldsOf(() =>
			parseCourseInput({
				...course,
				slug: 'An toàn',
				title: '   ',
				estimatedHours: '-2',
				category: 'x'.repeat(101)
			})
		);
		expect(fields).toEqual({
			slug: expect.stringContaining('chữ thường không dấu'),
			title: 'Trường này bắt buộc.',
			category: 'Dài quá 100 ký tự.',
			estimatedHours: expect.stringContaining('không âm')
		});
		expect(fieldsOf(() => parseCourseInput({ ...course, estimatedHours: 'mười' }))).toHaveProperty(
			'estimatedHours'
		);
	});
});

describe('parseLessonInput', () => {
	const lesson = {
		title: 'Bài 1',
		slug: 'bai-1',
		estimatedMinutes: '45',
		body: 'a\r\nb\rc',
		note: ''
	};

	it('stores line endings as LF and minutes as an integer', () => {
		expect(parseLessonInput(lesson)).toMatchObject({ body: 'a\nb\nc', estimatedMinutes: 45 });
		expect(parseLessonInput({ ...lesson, estimatedMinutes: '' }).estimatedMinutes).toBeNull();
	});

	it('refuses fractional minutes, a bad address and an over-long text', () => {
		expect(
			fieldsOf(() =>
				parseLessonInput({
					...lesson,
					estimatedMinutes: '1,5',
					slug: '-x',
					body: 'x'.repeat(200_001),
					note: 'n'.repeat(501)
				})
			)
		).toEqual({
			estimatedMinutes: expect.stringContaining('số nguyên'),
			slug: expect.any(String),
			body: 'Dài quá 200000 ký tự.',
			note: 'Dài quá 500 ký tự.'
		});
	});
});

describe('uploads and due dates', () => {
	it('checks images against the image policy and other files against the attachment policy', () => {
		expect(uploadPolicyFor('So do mang.PNG')).toBe(UPLOAD_POLICIES.image);
		expect(uploadPolicyFor('mau-bao-cao.docx')).toBe(UPLOAD_POLICIES.attachment);
		expect(uploadPolicyFor('khong-duoi')).toBe(UPLOAD_POLICIES.attachment);
	});

	it('reads a due date as the end of that day in Vietnam', () => {
		expect(parseDueDate('31/08/2012')?.toISOString()).toBe('2012-08-31T16:59:00.000Z');
		expect(parseDueDate('  ')).toBeNull();
		expect(fieldsOf(() => parseDueDate('31/02/2012'))).toEqual({
			due: 'Ngày phải có dạng dd/mm/yyyy.'
		});
	});
});
