import { error, json } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import { env } from '$env/dynamic/private';
import { selectRows } from '$lib/server/db/raw';
import type { RequestHandler } from './$types';

/**
 * Test support for the authorisation matrix only (absent unless HOCTHI_E2E_FIXTURES=1): a
 * fingerprint of every table — its row count and the newest row version (xmin) — so a test can
 * tell that a refused request wrote nothing. Sessions are left out: they slide on use.
 */
export const GET: RequestHandler = async (event) => {
	if (env.HOCTHI_E2E_FIXTURES !== '1') error(404, 'Not Found');
	const db = event.locals.db;
	const tables = await selectRows<{ name: string }>(
		db,
		sql`select table_name as name from information_schema.tables
		     where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'sessions'
		     order by table_name`
	);
	const fingerprint: Record<string, string> = {};
	for (const { name } of tables) {
		const [row] = await selectRows<{ n: string | number; v: string | number | null }>(
			db,
			sql`select count(*) as n, max(xmin::text::bigint) as v from ${sql.identifier(name)}`
		);
		fingerprint[name] = `${row.n}:${row.v ?? '-'}`;
	}
	return json(fingerprint, { headers: { 'cache-control': 'no-store' } });
};
