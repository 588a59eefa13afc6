import { describe, expect, it } from 'vitest';
import { attemptUrl, roundState } from './lobby';

const open = new Date('2012-09-20T01:00:00Z');
const close = new Date('2012-09-20T03:00:00Z');
const base = {
	published: true,
	ready: true,
	openAt: open,
	closeAt: close,
	paused: false,
	graceSeconds: 60,
	attempt: null,
	now: new Date('2012-09-20T02:00:00Z')
};
const at = (iso: string) => new Date(iso);

describe('a round in the lobby', () => {
	it('is not open before its start, unpublished, or without questions', () => {
		expect(roundState({ ...base, now: at('2012-09-20T00:59:59Z') })).toBe('not_open');
		expect(roundState({ ...base, published: false })).toBe('not_open');
		expect(roundState({ ...base, ready: false })).toBe('not_open');
	});

	it('is open from its start until its close, and closed after', () => {
		expect(roundState({ ...base, now: open })).toBe('open');
		expect(roundState({ ...base, now: at('2012-09-20T02:59:59Z') })).toBe('open');
		expect(roundState({ ...base, now: close })).toBe('closed');
		expect(roundState({ ...base, openAt: null, closeAt: null })).toBe('open');
	});

	it('says paused when nobody may start', () => {
		expect(roundState({ ...base, paused: true })).toBe('paused');
	});

	it('is in progress until the deadline plus grace, then counts as submitted', () => {
		const attempt = { status: 'in_progress' as const, deadlineAt: at('2012-09-20T02:30:00Z') };
		expect(roundState({ ...base, attempt })).toBe('in_progress');
		expect(roundState({ ...base, attempt, now: at('2012-09-20T02:31:00Z') })).toBe('in_progress');
		expect(roundState({ ...base, attempt, now: at('2012-09-20T02:31:01Z') })).toBe('submitted');
		// A pause stops the clock: still in progress even past the old deadline.
		expect(roundState({ ...base, attempt, paused: true, now: at('2012-09-20T04:00:00Z') })).toBe(
			'in_progress'
		);
		// Closed or not, an attempt made is shown as the competitor's own.
		expect(roundState({ ...base, attempt, now: at('2012-09-20T02:10:00Z'), closeAt: open })).toBe(
			'in_progress'
		);
	});

	it('is submitted once the attempt is, whatever the clock', () => {
		const attempt = { status: 'submitted' as const, deadlineAt: null };
		expect(roundState({ ...base, attempt, now: at('2030-01-01T00:00:00Z') })).toBe('submitted');
	});

	it('continues theory on the attempt pages and practical work on its own page', () => {
		expect(attemptUrl('theory', 'abc')).toBe('/attempts/abc');
		expect(attemptUrl('practical', 'abc')).toBe('/practical/abc');
	});
});
