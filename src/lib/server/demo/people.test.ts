import { describe, expect, it } from 'vitest';
import { DEMO_CADRE_ACCOUNTS, DEMO_STAFF, demoCadres, usernameFor } from './people';
import { DEMO_UNITS, TOTAL_CADRES } from './units';

describe('demo roster', () => {
	const cadres = demoCadres();

	it('has the 620 cadres of the article, with unique usernames', () => {
		expect(cadres).toHaveLength(TOTAL_CADRES);
		const names = new Set([...cadres, ...DEMO_STAFF].map((p) => p.username));
		expect(names.size).toBe(TOTAL_CADRES + DEMO_STAFF.length);
	});

	it('is the same on every run', () => {
		expect(demoCadres()).toEqual(cadres);
	});

	it('puts every cadre in a known unit and gives every staffed unit a leader', () => {
		const codes = new Set(DEMO_UNITS.map((u) => u.code));
		for (const c of cadres) expect(codes.has(c.unitCode)).toBe(true);
		for (const unit of DEMO_UNITS.filter((u) => u.staff > 0)) {
			expect(cadres.some((c) => c.unitCode === unit.code && c.isLeader)).toBe(true);
		}
	});

	it('includes the named demo accounts in their units', () => {
		for (const account of DEMO_CADRE_ACCOUNTS) {
			const person = cadres.find((c) => c.username === account.username);
			expect(person).toMatchObject({ unitCode: account.unitCode, isLeader: account.leader });
		}
	});

	it('makes office-style usernames without diacritics', () => {
		expect(usernameFor('Nguyễn Văn Hùng')).toBe('hungnv');
		expect(usernameFor('Đặng Thị Thu Hà')).toBe('hadtt');
		expect(usernameFor('Giàng A Dế')).toBe('dega');
	});
});
