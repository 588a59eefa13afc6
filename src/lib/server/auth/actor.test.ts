import { describe, expect, it } from 'vitest';
import { NotAllowed } from '../errors';
import { canSeeUnit, requireRole, scopeOf, type Actor } from './actor';

const base: Actor = {
	id: 1,
	username: 'u',
	fullName: 'U',
	roles: ['cadre'],
	isLeader: false,
	unitId: 4,
	unitPath: '/1/4/',
	unitName: 'Huyện ủy',
	mustChangePassword: false
};

describe('scope and guards', () => {
	it('gives a leader their subtree only', () => {
		const leader = { ...base, isLeader: true };
		expect(scopeOf(leader)).toEqual({ kind: 'subtree', pathPrefix: '/1/4/' });
		expect(canSeeUnit(leader, '/1/4/')).toBe(true);
		expect(canSeeUnit(leader, '/1/4/17/')).toBe(true);
		expect(canSeeUnit(leader, '/1/5/')).toBe(false);
		// '/1/4/' must not match '/1/40/': the trailing slash keeps siblings apart.
		expect(canSeeUnit(leader, '/1/40/')).toBe(false);
		expect(canSeeUnit(leader, '/1/')).toBe(false);
	});

	it('gives a plain cadre nobody else', () => {
		expect(scopeOf(base)).toEqual({ kind: 'self', userId: 1 });
		expect(canSeeUnit(base, '/1/4/')).toBe(false);
	});

	it('gives admins and organisers everything', () => {
		expect(canSeeUnit({ ...base, roles: ['admin'] }, '/9/')).toBe(true);
		expect(canSeeUnit({ ...base, roles: ['organiser'] }, '/9/')).toBe(true);
		expect(canSeeUnit({ ...base, roles: ['trainer'] }, '/9/')).toBe(false);
	});

	it('requireRole refuses missing roles and anonymous users', () => {
		expect(() => requireRole(base, 'admin')).toThrow(NotAllowed);
		expect(() => requireRole(null, 'cadre')).toThrow(NotAllowed);
		expect(requireRole({ ...base, roles: ['judge', 'cadre'] }, 'judge').id).toBe(1);
	});
});
