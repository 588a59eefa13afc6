// Process-wide start-up: open the database named by the environment, migrate, seed the demo set.
import path from 'node:path';
import { migrateDatabase, openDatabase, type Database, type Db } from './db/client';
import { acquireDataDirLock } from './db/lock';
import { isDatabaseEmpty, seedDemo } from './demo/seed';
import { logger } from './log';
import { readBackupSchedule, startBackupSchedule } from './db/scheduled-backup';
import { sweepOverdue } from './assessments/engine';

const SWEEP_EVERY_MS = 15_000;

export interface AppConfig {
	databaseUrl?: string;
	dataDir: string;
	demo: boolean;
	root: string;
}

export function readConfig(env: Record<string, string | undefined> = process.env): AppConfig {
	const root = path.resolve(env.HOCTHI_ROOT ?? process.cwd());
	return {
		databaseUrl: env.DATABASE_URL || undefined,
		dataDir: path.resolve(root, env.DATA_DIR ?? 'data'),
		demo: env.HOCTHI_DEMO !== '0',
		root
	};
}

interface AppState {
	database: Database;
	config: AppConfig;
	release?: () => void;
	stopTimers: () => void;
}

// Kept on globalThis so that Vite's module reloading in development does not open PGlite twice;
// scripts/server.js calls __hocthiStop on shutdown.
const holder = globalThis as typeof globalThis & {
	__hocthi?: Promise<AppState>;
	__hocthiStop?: () => Promise<void>;
};

export function startApp(config: AppConfig = readConfig()): Promise<AppState> {
	holder.__hocthi ??= (async () => {
		const started = performance.now();
		const release = config.databaseUrl ? undefined : acquireDataDirLock(config.dataDir, 'server');
		const database = await openDatabase({
			url: config.databaseUrl,
			dataDir: config.databaseUrl ? undefined : config.dataDir
		});
		await migrateDatabase(database, path.join(config.root, 'drizzle'));
		if (config.demo && (await isDatabaseEmpty(database.db))) {
			logger.info('empty database: seeding the demo data set');
			await seedDemo({
				db: database.db,
				now: new Date(),
				root: config.root,
				log: (msg) => logger.info(msg)
			});
		}
		logger.info(
			{
				driver: database.driver,
				dataDir: config.databaseUrl ? undefined : config.dataDir,
				ms: Math.round(performance.now() - started)
			},
			'database ready'
		);
		holder.__hocthiStop = stopApp;
		// Every process sweeps; SKIP LOCKED keeps them from closing the same attempt twice.
		const sweeper = setInterval(() => {
			sweepOverdue(database.db, { now: new Date() }).catch((err: unknown) =>
				logger.error({ err }, 'sweeper failed')
			);
		}, SWEEP_EVERY_MS);
		sweeper.unref();
		// Several app processes (HOCTHI_WORKERS, scripts/server.js): the first alone writes backups.
		const worker = process.env.HOCTHI_WORKER;
		const schedule = !worker || worker === '1' ? readBackupSchedule(process.env) : null;
		const stopBackups = schedule ? startBackupSchedule(database.db, schedule) : undefined;
		return {
			database,
			config,
			release,
			stopTimers: () => {
				clearInterval(sweeper);
				stopBackups?.();
			}
		};
	})();
	return holder.__hocthi;
}

export async function appState(): Promise<AppState> {
	if (!holder.__hocthi) throw new Error('startApp() has not run');
	return holder.__hocthi;
}

export async function getDb(): Promise<Db> {
	return (await appState()).database.db;
}

export async function stopApp(): Promise<void> {
	const pending = holder.__hocthi;
	holder.__hocthi = undefined;
	if (!pending) return;
	const state = await pending;
	state.stopTimers();
	await state.database.close();
	state.release?.();
}
