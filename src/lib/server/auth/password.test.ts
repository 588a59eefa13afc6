import { parseOptions } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { HASH_CONCURRENCY, hashPassword, hashingStats, verifyPassword } from './password';

describe('password hashing', () => {
	it('uses Argon2id at or above the OWASP parameters', async () => {
		const hash = await hashPassword('Mật khẩu có dấu 2012');
		expect(hash.startsWith('$argon2id$')).toBe(true);
		const options = parseOptions(hash);
		expect(options.memoryCost).toBeGreaterThanOrEqual(19_456);
		expect(options.timeCost).toBeGreaterThanOrEqual(2);
		expect(await verifyPassword(hash, 'Mật khẩu có dấu 2012')).toBe(true);
		expect(await verifyPassword(hash, 'Mat khau co dau 2012')).toBe(false);
	});

	it('treats a malformed hash as a wrong password', async () => {
		expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
	});

	it('never runs more hashes at once than the cap, however many are asked for', async () => {
		const hashes = await Promise.all(Array.from({ length: 12 }, (_, i) => hashPassword(`pw-${i}`)));
		expect(new Set(hashes).size).toBe(12);
		const stats = hashingStats();
		expect(stats.peakRunning).toBeLessThanOrEqual(HASH_CONCURRENCY);
		expect(stats.running).toBe(0);
		expect(stats.waiting).toBe(0);
	});
});
