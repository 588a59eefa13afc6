// Shared pieces of the `hocthi` CLI commands: the operator actor, database access, file reading.
import fs from 'node:fs';
import type { AppConfig } from '../src/lib/server/app';
import { SYSTEM_ACTOR, type Actor } from '../src/lib/server/auth/actor';
import { migrateDatabase, openDatabase, type Database } from '../src/lib/server/db/client';
import { acquireDataDirLock } from '../src/lib/server/db/lock';
import { ImportFailed } from '../src/lib/server/errors';
import { decodeUtf8 } from '../src/lib/server/text';

/** The CLI acts as the operator of the machine: an admin with no account (audit rows say 'cli'). */
export const CLI_ACTOR: Actor = SYSTEM_ACTOR;

export class UsageError extends Error {}

export interface Io {
	out: (line: string) => void;
	err: (line: string) => void;
	readStdin: () => Promise<string>;
}

export const defaultIo: Io = {
	out: (line) => process.stdout.write(line + '\n'),
	err: (line) => process.stderr.write(line + '\n'),
	readStdin: async () => {
		const chunks: Buffer[] = [];
		for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
		return Buffer.concat(chunks).toString('utf8');
	}
};

/** Opens the configured database; with PGlite, refuses when the server holds the data dir. */
export async function withDatabase<T>(
	config: AppConfig,
	work: (database: Database) => Promise<T>
): Promise<T> {
	const release = config.databaseUrl ? undefined : acquireDataDirLock(config.dataDir, 'cli');
	const database = await openDatabase({
		url: config.databaseUrl,
		dataDir: config.databaseUrl ? undefined : config.dataDir,
		max: 2
	});
	try {
		await migrateDatabase(database);
		return await work(database);
	} finally {
		await database.close();
		release?.();
	}
}

export function readTextFile(file: string): string {
	let bytes: Buffer;
	try {
		bytes = fs.readFileSync(file);
	} catch (error) {
		throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
	}
	const text = decodeUtf8(bytes);
	if (text === null)
		throw new ImportFailed([
			{ file, line: 1, message: 'the file is not UTF-8 (save it as "CSV UTF-8")' }
		]);
	return text;
}

export function table(rows: Array<Record<string, unknown>>, columns: string[]): string[] {
	const widths = columns.map((c) =>
		Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length))
	);
	const line = (cells: string[]) =>
		cells
			.map((cell, i) => cell.padEnd(widths[i]))
			.join('  ')
			.trimEnd();
	return [
		line(columns),
		line(widths.map((w) => '-'.repeat(w))),
		...rows.map((r) => line(columns.map((c) => String(r[c] ?? ''))))
	];
}

/** What a command group gets: its subcommand, the remaining arguments, and the environment. */
export interface CommandContext {
	sub: string | undefined;
	args: string[];
	io: Io;
	config: AppConfig;
	now: Date;
}
export type CommandGroup = (ctx: CommandContext) => Promise<number>;
