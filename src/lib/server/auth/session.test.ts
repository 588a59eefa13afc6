import { describe, expect, it } from 'vitest';
import { generateSessionToken, sessionIdFromToken } from './session';

describe('session tokens', () => {
	it('are random, 160-bit, base32', () => {
		const tokens = new Set(Array.from({ length: 200 }, generateSessionToken));
		expect(tokens.size).toBe(200);
		for (const token of tokens) expect(token).toMatch(/^[a-z2-7]{32}$/);
	});

	it('are stored only as their SHA-256', () => {
		const token = 'abc';
		expect(sessionIdFromToken(token)).toBe(
			'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
		);
		expect(sessionIdFromToken(generateSessionToken())).toMatch(/^[0-9a-f]{64}$/);
	});
});
