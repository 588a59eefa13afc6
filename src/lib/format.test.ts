import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDuration, parseDate, parseDateTime } from './format';

describe('Vietnamese dates', () => {
	it('formats as dd/MM/yyyy in Asia/Ho_Chi_Minh', () => {
		// 2012-09-14 18:30 UTC is already the 15th in Vietnam (UTC+7).
		const at = new Date('2012-09-14T18:30:00Z');
		expect(formatDate(at)).toBe('15/09/2012');
		expect(formatDateTime(at)).toBe('15/09/2012 01:30');
	});

	it('parses dd/MM/yyyy as midnight in Vietnam and refuses impossible dates', () => {
		expect(parseDate('15/09/2012')?.toISOString()).toBe('2012-09-14T17:00:00.000Z');
		expect(parseDate('2012-09-15')?.toISOString()).toBe('2012-09-14T17:00:00.000Z');
		expect(parseDate('31/02/2012')).toBeNull();
		expect(parseDate('15-09-2012')).toBeNull();
	});

	it('formats durations', () => {
		expect(formatDuration(65_000)).toBe('01:05');
		expect(formatDuration(3_725_000)).toBe('1:02:05');
		expect(formatDuration(-5)).toBe('00:00');
	});
});

describe('parseDateTime', () => {
	it('reads dd/MM/yyyy HH:mm in Vietnam time, and refuses impossible times', () => {
		expect(parseDateTime('15/09/2012 07:30')?.toISOString()).toBe('2012-09-15T00:30:00.000Z');
		expect(parseDateTime(' 1/10/2012 0:05 ')?.toISOString()).toBe('2012-09-30T17:05:00.000Z');
		expect(parseDateTime('15/09/2012')?.toISOString()).toBe('2012-09-14T17:00:00.000Z');
		expect(formatDateTime(parseDateTime('30/09/2012 17:00')!)).toBe('30/09/2012 17:00');
		for (const bad of [
			'31/02/2012 07:00',
			'15/09/2012 24:00',
			'15/09/2012 07:60',
			'15/09/2012 7h30',
			''
		])
			expect(parseDateTime(bad), bad).toBeNull();
	});
});
