// Queries of a fixed shape that page views run over and over (the session, the lesson page) are
// built by drizzle's query builder once per database, not on every request: building a query costs
// the app more CPU than PostgreSQL spends running it (npm run bench, lesson throughput). Values go
// in as placeholders at execute time.
import type { Db } from './client';

const built = new WeakMap<Db, Map<string, unknown>>();

/** The query `build` makes for `db`, built on first use and kept with the database. */
export function prepared<T>(db: Db, name: string, build: (db: Db, name: string) => T): T {
	let queries = built.get(db);
	if (!queries) built.set(db, (queries = new Map()));
	let query = queries.get(name) as T | undefined;
	if (query === undefined) queries.set(name, (query = build(db, name)));
	return query;
}
