// Reading and writing installation settings.
import { eq } from 'drizzle-orm';
import type { Db } from './db/client';
import { appSettings } from './db/schema';

export async function getSetting<T>(db: Db, key: string): Promise<T | undefined> {
	const [row] = await db
		.select({ value: appSettings.value })
		.from(appSettings)
		.where(eq(appSettings.key, key));
	return row?.value as T | undefined;
}

export async function setSetting(db: Db, key: string, value: unknown, now: Date): Promise<void> {
	await db
		.insert(appSettings)
		.values({ key, value, updatedAt: now })
		.onConflictDoUpdate({ target: appSettings.key, set: { value, updatedAt: now } });
}
