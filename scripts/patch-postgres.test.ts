import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The app relies on the install-time patch of postgres.js (scripts/patch-postgres.js): without it
// a PostgreSQL restart can crash the server or leave connections that never send again.
const root = path.resolve(import.meta.dirname, '..');

describe('the postgres.js patch', () => {
	it('is applied to the copy the server loads', () => {
		const { version } = JSON.parse(
			fs.readFileSync(path.join(root, 'node_modules/postgres/package.json'), 'utf8')
		) as { version: string };
		const source = fs.readFileSync(
			path.join(root, 'node_modules/postgres/src/connection.js'),
			'utf8'
		);
		if (version === '3.4.9') expect(source).toContain('hocthi: closed-socket write patch');
		// A closed connection forgets its queued write (in closed() and terminate()).
		expect(
			source.match(/clearImmediate\(nextWriteTimer\)\n\s+chunk = nextWriteTimer = null/g)?.length
		).toBeGreaterThanOrEqual(2);
	});
});
