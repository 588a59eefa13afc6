// The matrix covers the route tree (fast, without a server; tests/e2e/authz.e2e.ts runs it).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingEntries, staleEntries } from './coverage';
import { matrix } from './matrix';
import { enumerateRoutes, targetLabel, type Target } from './routes';

const root = path.resolve(import.meta.dirname, '../..');
const targets = enumerateRoutes(root);

describe('the authorisation matrix', () => {
	it('has an entry, for every person, for every page, form action and endpoint', () => {
		expect(missingEntries(matrix, targets)).toEqual([]);
	});

	it('names nothing that is not in src/routes', () => {
		expect(staleEntries(matrix, targets)).toEqual([]);
	});

	it('finds actions however they are written: inline, imported and shared, default', () => {
		const labels = targets.map(targetLabel);
		for (const label of [
			'page /(app)/admin/users/[id]',
			'action /(app)/admin/users/[id] ?/reset',
			// registrationActions, imported from the competitions domain
			'action /(app)/competitions/[slug]/register ?/withdraw',
			'action /(app)/manage/competitions/[slug]/registrations ?/upload',
			'action /(auth)/login ?/default',
			'endpoint POST /(app)/attempts/[id]/save',
			'endpoint GET /board/[slug]/events',
			'endpoint POST /logout',
			'endpoint GET /logout'
		])
			expect(labels).toContain(label);
		expect(targets.filter((t) => t.kind === 'page').length).toBeGreaterThan(60);
		// root, (app), admin: the page's data is the fourth node.
		expect(targets.find((t) => t.route === '/(app)/admin/users/[id]')?.layouts).toBe(3);
		expect(targets.find((t) => t.route === '/verify')?.layouts).toBe(1);
	});

	it('fails, naming it, for a route, an action or a method it has no entry for', () => {
		const added: Target[] = [
			{ route: '/(app)/admin/secrets', kind: 'page', name: 'GET' },
			{ route: '/(app)/admin/users/[id]', kind: 'action', name: 'impersonate' },
			{ route: '/files/[id]', kind: 'endpoint', name: 'DELETE' }
		];
		expect(missingEntries(matrix, [...targets, ...added])).toEqual([
			'page /(app)/admin/secrets: no entry in tests/authz/matrix.ts',
			'action /(app)/admin/users/[id] ?/impersonate: no entry in tests/authz/matrix.ts',
			'endpoint DELETE /files/[id]: no entry in tests/authz/matrix.ts'
		]);
	});

	it('reads a new route written to disk', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocthi-routes-'));
		try {
			const route = path.join(dir, 'src/routes/(app)/bi-mat/[id]');
			fs.mkdirSync(route, { recursive: true });
			fs.mkdirSync(path.join(dir, 'src/lib/server'), { recursive: true });
			fs.writeFileSync(
				path.join(dir, 'src/lib/server/shared.ts'),
				'export const more = { three: async () => {} };\n'
			);
			fs.writeFileSync(
				path.join(route, '+page.server.ts'),
				`import { more } from '$lib/server/shared';
export const load = () => ({});
export const actions = { one: async () => {}, 'two': async () => {}, ...more } satisfies object;
`
			);
			fs.writeFileSync(
				path.join(route, '+server.ts'),
				'export const GET = () => new Response();\nexport async function DELETE() { return new Response(); }\n'
			);
			expect(enumerateRoutes(dir)[0].layouts).toBe(1);
			expect(enumerateRoutes(dir).map(targetLabel)).toEqual([
				'page /(app)/bi-mat/[id]',
				'action /(app)/bi-mat/[id] ?/one',
				'action /(app)/bi-mat/[id] ?/two',
				'action /(app)/bi-mat/[id] ?/three',
				'endpoint GET /(app)/bi-mat/[id]',
				'endpoint DELETE /(app)/bi-mat/[id]'
			]);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('keeps the test-support routes shut outside the e2e server', () => {
		const dir = path.join(root, 'src/routes/e2e');
		const files = fs
			.readdirSync(dir, { recursive: true, encoding: 'utf8' })
			.filter((f) => f.endsWith('+server.ts'));
		expect(files.length).toBeGreaterThan(0);
		for (const f of files) {
			const text = fs.readFileSync(path.join(dir, f), 'utf8');
			// Every handler's first statement refuses unless the e2e server set the flag.
			const handlers = text
				.split(/export const (?:GET|POST|PUT|PATCH|DELETE): RequestHandler/)
				.slice(1);
			expect(handlers.length, f).toBeGreaterThan(0);
			for (const h of handlers)
				expect(h.split('\n')[1].trim(), f).toBe(
					"if (env.HOCTHI_E2E_FIXTURES !== '1') error(404, 'Not Found');"
				);
		}
	});
});
