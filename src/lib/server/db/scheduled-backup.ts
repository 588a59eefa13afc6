// Periodic backups written by the running server (the only way with embedded PGlite, whose data
// dir the CLI cannot open while the server holds it).
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { backupStream } from './backup';
import type { Db } from './client';
import { logger } from '../log';

export interface BackupSchedule {
	dir: string;
	everyHours: number;
	keep: number;
}

export function readBackupSchedule(env: Record<string, string | undefined>): BackupSchedule | null {
	if (!env.HOCTHI_BACKUP_DIR) return null;
	return {
		dir: path.resolve(env.HOCTHI_BACKUP_DIR),
		everyHours: Math.max(0.25, Number(env.HOCTHI_BACKUP_EVERY_HOURS) || 24),
		keep: Math.max(1, Number(env.HOCTHI_BACKUP_KEEP) || 14)
	};
}

function stamp(now: Date): string {
	return now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 13);
}

/** Writes one backup into the directory and deletes the oldest beyond `keep`. */
export async function writeScheduledBackup(
	db: Db,
	schedule: BackupSchedule,
	now: Date
): Promise<string> {
	fs.mkdirSync(schedule.dir, { recursive: true });
	const file = path.join(schedule.dir, `hocthi-${stamp(now)}.hocthi.gz`);
	const partial = `${file}.partial`;
	await pipeline(backupStream(db, now), fs.createWriteStream(partial));
	fs.renameSync(partial, file);
	const old = fs
		.readdirSync(schedule.dir)
		.filter((f) => /^hocthi-\d{8}-\d{4}\.hocthi\.gz$/.test(f))
		.sort()
		.reverse()
		.slice(schedule.keep);
	for (const f of old) fs.rmSync(path.join(schedule.dir, f), { force: true });
	return file;
}

export function startBackupSchedule(db: Db, schedule: BackupSchedule): () => void {
	const run = () =>
		writeScheduledBackup(db, schedule, new Date()).then(
			(file) => logger.info({ file }, 'scheduled backup written'),
			(err: unknown) => logger.error({ err }, 'scheduled backup failed')
		);
	const timer = setInterval(run, schedule.everyHours * 3600_000);
	timer.unref();
	return () => clearInterval(timer);
}
