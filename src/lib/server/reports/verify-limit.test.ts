import { describe, expect, it } from 'vitest';
import { LookupLimiter } from './verify-limit';

describe('LookupLimiter', () => {
	it('allows up to the limit per address and window, then refuses until the window ends', () => {
		const limiter = new LookupLimiter(3, 60_000);
		const t0 = new Date('2012-09-15T03:00:00Z');
		const at = (ms: number) => new Date(t0.getTime() + ms);
		expect([1, 2, 3, 4].map((i) => limiter.allow('10.0.0.1', at(i)))).toEqual([
			true,
			true,
			true,
			false
		]);
		// Another address has its own count.
		expect(limiter.allow('10.0.0.2', at(5))).toBe(true);
		expect(limiter.allow('10.0.0.1', at(59_999))).toBe(false);
		expect(limiter.allow('10.0.0.1', at(60_001))).toBe(true);
	});
});
