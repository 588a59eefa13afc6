import { describe, expect, it } from 'vitest';
import { parseLocalDateTime, toLocalInput } from './local-time';

describe('Vietnam wall-clock times in forms', () => {
	it('reads a datetime-local value as UTC+7', () => {
		expect(parseLocalDateTime('2012-09-20T08:00')?.toISOString()).toBe('2012-09-20T01:00:00.000Z');
		expect(parseLocalDateTime('2012-09-21T02:30:15')?.toISOString()).toBe(
			'2012-09-20T19:30:15.000Z'
		);
	});

	it('gives null for nothing and an invalid date for rubbish or impossible days', () => {
		expect(parseLocalDateTime('')).toBeNull();
		expect(parseLocalDateTime(undefined)).toBeNull();
		for (const bad of ['20/09/2012 08:00', '2012-02-30T08:00', '2012-09-20T24:10', 'sáng mai'])
			expect(Number.isNaN(parseLocalDateTime(bad)!.getTime()), bad).toBe(true);
	});

	it('writes the value back the same way', () => {
		const at = new Date('2012-09-20T17:05:00Z');
		expect(toLocalInput(at)).toBe('2012-09-21T00:05');
		expect(parseLocalDateTime(toLocalInput(at))?.getTime()).toBe(at.getTime());
		expect(toLocalInput(null)).toBe('');
	});
});
