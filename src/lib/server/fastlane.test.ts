import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { clientAddress, FAST_BODY_LIMIT, fastLaneTarget, readCookie } from './fastlane';

const id = '0b9c6a52-3f0e-4d1c-9a55-6a1f3c2b7e10';
const save = (over: Partial<{ method: string; url: string; headers: Record<string, string> }>) => ({
	method: 'POST',
	url: `/attempts/${id}/save`,
	...over,
	headers: {
		'content-type': 'application/json',
		cookie: 'PARAGLIDE_LOCALE=en; hocthi_session=abc234',
		...over.headers
	}
});

describe('the fast lane for autosaves', () => {
	it('takes a JSON save with a session cookie', () => {
		expect(fastLaneTarget(save({}))).toEqual({ attemptId: id, token: 'abc234' });
		expect(
			fastLaneTarget(save({ headers: { 'content-type': 'application/json; charset=utf-8' } }))
		).not.toBeNull();
	});

	it('leaves everything else to SvelteKit, before reading the body', () => {
		expect(fastLaneTarget(save({ method: 'GET' }))).toBeNull();
		expect(fastLaneTarget(save({ url: `/attempts/${id}/save?x=1` }))).toBeNull();
		expect(fastLaneTarget(save({ url: `/attempts/${id}/save/` }))).toBeNull();
		expect(fastLaneTarget(save({ url: `/attempts/${id.toUpperCase()}/save` }))).toBeNull();
		expect(fastLaneTarget(save({ url: `/practical/${id}/save` }))).toBeNull();
		expect(fastLaneTarget(save({ url: `/attempts/x/../${id}/save` }))).toBeNull();
		expect(fastLaneTarget(save({ headers: { 'content-type': 'text/plain' } }))).toBeNull();
		expect(
			fastLaneTarget(save({ headers: { 'content-type': 'application/x-www-form-urlencoded' } }))
		).toBeNull();
		expect(fastLaneTarget(save({ headers: { cookie: 'PARAGLIDE_LOCALE=vi' } }))).toBeNull();
		expect(fastLaneTarget(save({ headers: { cookie: '' } }))).toBeNull();
		expect(
			fastLaneTarget(save({ headers: { 'content-length': String(FAST_BODY_LIMIT + 1) } }))
		).toBeNull();
		expect(fastLaneTarget(save({ headers: { 'content-length': 'lots' } }))).toBeNull();
		expect(fastLaneTarget(save({ headers: { 'content-length': '120' } }))).not.toBeNull();
	});

	it('reads cookies as the cookie package does (first value, quotes, percent-encoding)', () => {
		expect(readCookie('a=1; b=2; a=3', 'a')).toBe('1');
		expect(readCookie('a="x y"', 'a')).toBe('x y');
		expect(readCookie('a=%C4%91', 'a')).toBe('đ');
		expect(readCookie('a=%E0%A4%A', 'a')).toBe('%E0%A4%A');
		expect(readCookie('ab=1', 'a')).toBeUndefined();
		expect(readCookie(undefined, 'a')).toBeUndefined();
	});

	describe('client address, as adapter-node gives it', () => {
		const saved = { ...process.env };
		afterEach(() => {
			process.env.ADDRESS_HEADER = saved.ADDRESS_HEADER;
			process.env.XFF_DEPTH = saved.XFF_DEPTH;
			if (saved.ADDRESS_HEADER === undefined) delete process.env.ADDRESS_HEADER;
			if (saved.XFF_DEPTH === undefined) delete process.env.XFF_DEPTH;
		});
		const req = (headers: Record<string, string>) =>
			({ headers, socket: { remoteAddress: '10.0.0.9' } }) as unknown as IncomingMessage;

		it('is the socket peer without ADDRESS_HEADER', () => {
			delete process.env.ADDRESS_HEADER;
			expect(clientAddress(req({ 'x-forwarded-for': '1.2.3.4' }))).toBe('10.0.0.9');
		});

		it('counts XFF_DEPTH from the right of X-Forwarded-For', () => {
			process.env.ADDRESS_HEADER = 'X-Forwarded-For';
			process.env.XFF_DEPTH = '1';
			expect(clientAddress(req({ 'x-forwarded-for': '6.6.6.6, 1.2.3.4' }))).toBe('1.2.3.4');
			process.env.XFF_DEPTH = '2';
			expect(clientAddress(req({ 'x-forwarded-for': '6.6.6.6, 1.2.3.4' }))).toBe('6.6.6.6');
			process.env.XFF_DEPTH = '3';
			expect(clientAddress(req({ 'x-forwarded-for': '1.2.3.4' }))).toBeNull();
			expect(clientAddress(req({}))).toBeNull();
		});
	});
});
