// A fresh, migrated database per test file: in-memory PGlite, or a new PostgreSQL database
// created on the server named by TEST_DATABASE_URL (the `integration-postgres` project).
import postgres from 'postgres';
import { migrateDatabase, openDatabase, type Database } from '../../../src/lib/server/db/client';

/** url: the PostgreSQL database's own URL, for a second connection (another app process). */
export type TestDatabase = Database & { url?: string };

export const testDriver = (process.env.HOCTHI_TEST_DRIVER ?? 'pglite') as 'pglite' | 'postgres';

export async function createTestDatabase(
	driver: 'pglite' | 'postgres' = testDriver
): Promise<TestDatabase> {
	if (driver === 'postgres') {
		const adminUrl = process.env.TEST_DATABASE_URL;
		if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
		const name = `hocthi_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
		const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database "${name}"`);
		await admin.end();
		const url = new URL(adminUrl);
		url.pathname = `/${name}`;
		const database = await openDatabase({ url: url.toString(), max: 10 });
		await migrateDatabase(database);
		return {
			...database,
			url: url.toString(),
			async close() {
				await database.close();
				const dropper = postgres(adminUrl, { max: 1, onnotice: () => {} });
				await dropper.unsafe(`drop database if exists "${name}" with (force)`);
				await dropper.end();
			}
		};
	}
	const database = await openDatabase({});
	await migrateDatabase(database);
	return database;
}
