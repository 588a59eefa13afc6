import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';

// The app relies on the install-time patches of postgres.js (scripts/patch-postgres.js): without
// them a PostgreSQL restart can crash the server or leave connections that never send again, and a
// transaction can start on a connection the pool then hands to other queries.
const root = path.resolve(import.meta.dirname, '..');
const source = () =>
	fs.readFileSync(path.join(root, 'node_modules/postgres/src/connection.js'), 'utf8');
const version = () =>
	(
		JSON.parse(fs.readFileSync(path.join(root, 'node_modules/postgres/package.json'), 'utf8')) as {
			version: string;
		}
	).version;

describe('the postgres.js patch', () => {
	it('is applied to the copy the server loads', () => {
		const text = source();
		if (version() === '3.4.9') {
			expect(text).toContain('hocthi: closed-socket write patch');
			expect(text).toContain('hocthi: begin reservation patch');
		}
		// A closed connection forgets its queued write (in closed() and terminate()).
		expect(
			text.match(/clearImmediate\(nextWriteTimer\)\n\s+chunk = nextWriteTimer = null/g)?.length
		).toBeGreaterThanOrEqual(2);
		// A socket that drains does not hand a reserved connection (a transaction) back to the pool.
		expect(text).toMatch(/function drain\(\) \{\n\s+!query && !connection\.reserved && onopen/);
	});

	// Unpatched, BEGIN skips its reservation whenever the pipeline is full at that moment; with
	// max_pipeline 0 it always is, so every transaction fails (porsager/postgres#1210).
	it.skipIf(!process.env.TEST_DATABASE_URL)(
		'reserves the connection of every BEGIN it sends, full pipeline or not',
		async () => {
			// max_pipeline is a connection option postgres.js's types do not list.
			const options = {
				max: 2,
				max_pipeline: 0,
				onnotice: () => {},
				connection: { application_name: 'hocthi-patch-test' }
			};
			const sql = postgres(
				process.env.TEST_DATABASE_URL!,
				options as postgres.Options<Record<string, postgres.PostgresType>>
			);
			try {
				const rows = await Promise.all(
					Array.from({ length: 6 }, (_, i) =>
						sql.begin(async (tx) => (await tx`select ${i}::int as inside`)[0].inside)
					)
				);
				expect(rows).toEqual([0, 1, 2, 3, 4, 5]);
				// No connection went back to the pool inside a transaction.
				const [{ n }] = await sql`select count(*)::int as n from pg_stat_activity
					where application_name = 'hocthi-patch-test' and state like 'idle in transaction%'`;
				expect(n).toBe(0);
			} finally {
				await sql.end({ timeout: 5 });
			}
		}
	);
});
