// A competition with a published board in a fresh PGlite data dir, made with the organisers'
// own domain functions, for the journey that starts (and stops) a server of its own on it
// (PGlite admits one process per data dir, so it cannot be the shared e2e server's).
import { openDatabase, migrateDatabase } from '../../src/lib/server/db/client';
import { SYSTEM_ACTOR } from '../../src/lib/server/auth/actor';
import { createCompetition } from '../../src/lib/server/competitions/competitions';
import { setBoardPublic } from '../../src/lib/server/competitions/results';

export async function prepareBoardData(dataDir: string, now: Date): Promise<{ slug: string }> {
	const database = await openDatabase({ dataDir });
	try {
		await migrateDatabase(database);
		const { slug } = await createCompetition(database.db, SYSTEM_ACTOR, {
			slug: 'hoi-thi-dung-may-chu',
			title: 'Hội thi dừng máy chủ',
			now
		});
		await setBoardPublic(database.db, SYSTEM_ACTOR, { slug, boardPublic: true, now });
		return { slug };
	} finally {
		await database.close();
	}
}
