// `hocthi backup <file>` and `hocthi restore <file> [--yes]`: logical backups of every table.
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { count } from 'drizzle-orm';
import {
	BackupInvalid,
	backupStream,
	readBackup,
	restoreBackup
} from '../../src/lib/server/db/backup';
import { users } from '../../src/lib/server/db/schema';
import { UsageError, withDatabase, type CommandContext } from '../cli-lib';

export async function backupCommand({ sub, io, config, now }: CommandContext): Promise<number> {
	const file = sub;
	if (!file) throw new UsageError('backup <file.hocthi.gz>');
	const partial = `${file}.partial`;
	return withDatabase(config, async ({ db }) => {
		// Written to a temporary name and renamed at the end: a crash never leaves a file that looks complete.
		await pipeline(backupStream(db, now), fs.createWriteStream(partial));
		fs.renameSync(partial, file);
		io.out(`backup written to ${file} (${fs.statSync(file).size} bytes)`);
		return 0;
	});
}

export async function restoreCommand({ sub, args, io, config }: CommandContext): Promise<number> {
	const file = sub;
	if (!file) throw new UsageError('restore <file.hocthi.gz> [--yes]');
	if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
	let backup;
	try {
		backup = await readBackup(fs.createReadStream(file));
	} catch (error) {
		if (
			error instanceof BackupInvalid ||
			(error as NodeJS.ErrnoException).code === 'Z_DATA_ERROR'
		) {
			io.err(`${file}: ${(error as Error).message}; nothing restored`);
			return 1;
		}
		throw error;
	}
	return withDatabase(config, async ({ db }) => {
		const [existing] = await db.select({ n: count() }).from(users);
		if ((existing?.n ?? 0) > 0 && !args.includes('--yes')) {
			io.err(
				`the database holds ${existing.n} accounts: restoring replaces ALL its data with the backup of ${backup.header.createdAt}. Add --yes to confirm.`
			);
			return 1;
		}
		try {
			const counts = await restoreBackup(db, backup);
			const total = Object.values(counts).reduce((a, b) => a + b, 0);
			io.out(
				`restored ${total} rows in ${Object.keys(counts).length} tables from the backup of ${backup.header.createdAt}`
			);
			return 0;
		} catch (error) {
			if (error instanceof BackupInvalid) {
				io.err(`${file}: ${error.message}; nothing restored`);
				return 1;
			}
			throw error;
		}
	});
}
