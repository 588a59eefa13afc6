import { isHttpError, isRedirect } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import type { Actor } from './auth/actor';
import { localPath, requireRoles } from './http';

describe('localPath', () => {
	it('keeps a path on this site', () => {
		expect(localPath('/courses/mang?x=1#a')).toBe('/courses/mang?x=1#a');
		expect(localPath('/')).toBe('/');
	});

	it('refuses what a browser would take to another site, or to nowhere', () => {
		for (const target of [
			'//evil.example/',
			'/\\evil.example',
			'/\\/evil.example',
			'/a\\b',
			'https://evil.example/',
			'javascript:alert(1)',
			'evil.example',
			'/a\r\nSet-Cookie: x=1',
			'/\tevil',
			'',
			null,
			undefined
		])
			expect(localPath(target), String(target)).toBe('/');
	});
});

describe('requireRoles', () => {
	const actor = (roles: Actor['roles']): Actor => ({
		id: 7,
		username: 'x',
		fullName: 'X',
		roles,
		isLeader: false,
		unitId: null,
		unitPath: null,
		unitName: null,
		mustChangePassword: false
	});
	const event = (a: Actor | null) =>
		({ locals: { actor: a }, url: new URL('http://localhost/admin/users?q=a') }) as never;
	const thrown = (work: () => unknown) => {
		try {
			work();
		} catch (e) {
			return e;
		}
		return null;
	};

	it('lets the role through', () => {
		expect(requireRoles(event(actor(['admin'])), 'admin').id).toBe(7);
		expect(requireRoles(event(actor(['trainer'])), 'trainer', 'admin').id).toBe(7);
	});

	it('refuses another role with 403, and sends nobody to log in', () => {
		const refused = thrown(() => requireRoles(event(actor(['cadre', 'judge'])), 'admin'));
		expect(isHttpError(refused, 403)).toBe(true);
		const nobody = thrown(() => requireRoles(event(null), 'admin'));
		expect(isRedirect(nobody) && nobody.location).toBe(
			'/login?redirectTo=%2Fadmin%2Fusers%3Fq%3Da'
		);
	});
});
