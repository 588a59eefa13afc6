import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readBackupSchedule, writeScheduledBackup } from '../../src/lib/server/db/scheduled-backup';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeUnit } from './helpers/builders';

let database: TestDatabase;
let dir: string;
beforeAll(async () => {
	database = await createTestDatabase();
	await makeUnit(database.db, { code: 'TU' });
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocthi-backups-'));
});
afterAll(async () => {
	await database.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

it('writes timestamped backups and keeps only the newest ones', async () => {
	const schedule = readBackupSchedule({ HOCTHI_BACKUP_DIR: dir, HOCTHI_BACKUP_KEEP: '2' })!;
	expect(schedule.everyHours).toBe(24);
	for (const at of ['2012-09-14T01:00:00Z', '2012-09-15T01:00:00Z', '2012-09-16T01:00:00Z']) {
		await writeScheduledBackup(database.db, schedule, new Date(at));
	}
	expect(fs.readdirSync(dir).sort()).toEqual([
		'hocthi-20120915-0100.hocthi.gz',
		'hocthi-20120916-0100.hocthi.gz'
	]);
	expect(readBackupSchedule({})).toBeNull();
});
