// Raw SQL selects with the same result shape on both drivers (PGlite returns { rows }, postgres.js an array).
import type { SQL } from 'drizzle-orm';
import type { Db } from './client';

export async function selectRows<T extends Record<string, unknown>>(
	db: Db,
	query: SQL
): Promise<T[]> {
	const result: unknown = await db.execute(query);
	return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
