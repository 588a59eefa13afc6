// Opens the database: embedded PGlite in a data dir, or PostgreSQL through postgres.js.
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import path from 'node:path';
import * as schema from './schema/index';

export type Schema = typeof schema;
/** The database handle every domain function takes first; a transaction is one too. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Driver = 'pglite' | 'postgres';

export type Listener = (payload: string) => void;

export interface Database {
	db: Db;
	driver: Driver;
	/** Subscribe to a NOTIFY channel; resolves to an unsubscribe function. */
	listen(channel: string, onPayload: Listener): Promise<() => Promise<void>>;
	notify(channel: string, payload: string): Promise<void>;
	/** Plain SQL for tooling (backup, bench); rows as objects. */
	query<T extends Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
	close(): Promise<void>;
}

export interface OpenOptions {
	/** postgres:// URL; when absent, PGlite is used. */
	url?: string;
	/** PGlite data directory; absent means in memory (tests). */
	dataDir?: string;
	/** postgres.js pool size. */
	max?: number;
}

/**
 * drizzle hands postgres.js every query unnamed, and postgres.js sends an unnamed query with
 * parameters in two round trips (parse and describe, then bind and execute) which PostgreSQL
 * parses and plans every time. Named, a query is described once per connection and then runs in
 * one round trip on a cached plan: the save of an answer went from 4 round trips to 2. The queries
 * are drizzle's own (values are parameters, never text), so their number is bounded by the code;
 * postgres.js renews connections every 30–60 minutes, which bounds the cache too.
 */
export function preparing(sql: postgres.Sql): postgres.Sql {
	return new Proxy(sql, {
		get(target, prop, receiver) {
			if (prop === 'unsafe')
				return (text: string, args: unknown[] = [], options: Record<string, unknown> = {}) =>
					target.unsafe(text, args as postgres.ParameterOrJSON<never>[], {
						...options,
						prepare: true
					});
			if (prop === 'begin' || prop === 'savepoint')
				return (...args: unknown[]) => {
					const work = args.pop() as (tx: postgres.Sql) => unknown;
					const open = Reflect.get(target, prop) as (...a: unknown[]) => unknown;
					return open.call(target, ...args, (tx: postgres.Sql) => work(preparing(tx)));
				};
			return Reflect.get(target, prop, receiver);
		}
	});
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
	if (options.url) {
		const client = postgres(options.url, {
			max: options.max ?? 20,
			onnotice: () => {},
			// Reconnect within a second once PostgreSQL is back (a restart, a failover): postgres.js
			// backs off up to 20 s by default, and every request meanwhile fails although the
			// database is there again.
			backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
			// timestamptz comes back as Date; bigint counts as numbers would overflow past 2^53 only in theory.
			types: {}
		});
		const db = drizzlePostgres(preparing(client), { schema }) as unknown as Db;
		return {
			db,
			driver: 'postgres',
			async listen(channel, onPayload) {
				const sub = await client.listen(channel, onPayload);
				return () => sub.unlisten();
			},
			async notify(channel, payload) {
				await client.notify(channel, payload);
			},
			async query<T extends Record<string, unknown>>(text: string, params: unknown[] = []) {
				const rows = await client.unsafe(text, params as postgres.ParameterOrJSON<never>[]);
				return rows as unknown as T[];
			},
			close: () => client.end({ timeout: 5 })
		};
	}
	const client = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
	await client.waitReady;
	const db = drizzlePglite(client, { schema }) as unknown as Db;
	return {
		db,
		driver: 'pglite',
		async listen(channel, onPayload) {
			const unlisten = await client.listen(channel, onPayload);
			return () => unlisten();
		},
		async notify(channel, payload) {
			await client.query('select pg_notify($1, $2)', [channel, payload]);
		},
		async query<T extends Record<string, unknown>>(text: string, params: unknown[] = []) {
			const result = await client.query<T>(text, params);
			return result.rows;
		},
		close: () => client.close()
	};
}

/** Where the SQL migrations live; the app runs from the project root. */
export function migrationsFolder(): string {
	return path.resolve(process.env.HOCTHI_ROOT ?? process.cwd(), 'drizzle');
}

export async function migrateDatabase(
	database: Database,
	folder = migrationsFolder()
): Promise<void> {
	if (database.driver === 'pglite') {
		await migratePglite(database.db as unknown as Parameters<typeof migratePglite>[0], {
			migrationsFolder: folder
		});
	} else {
		await migratePostgres(database.db as unknown as Parameters<typeof migratePostgres>[0], {
			migrationsFolder: folder
		});
	}
}
