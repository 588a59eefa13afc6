// Logical backup and restore of every table, the same on PGlite and PostgreSQL (and across them:
// a PGlite backup restores into PostgreSQL). Format: gzip'd JSON lines — a header, chunks of
// rows per table, and an end line with counts so a truncated file is refused.
import { sql, type SQL } from 'drizzle-orm';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import readline from 'node:readline';
import type { Db } from './client';
import { selectRows } from './raw';

export const BACKUP_FORMAT = 'hocthi-backup';
export const BACKUP_VERSION = 1;
const CHUNK = 1000;

interface TableInfo {
	name: string;
	primaryKey: string[];
	/** Foreign-key columns that may be null: restored in a second pass (cycles, self-references). */
	deferred: string[];
	/** Nullable foreign keys, as (column, referenced table). */
	nullableRefs: Array<{ column: string; table: string }>;
	/** Tables this one needs first (non-null foreign keys). */
	dependsOn: string[];
	/** Columns with a sequence or identity, reset after restore. */
	serialColumns: string[];
}

type Row = Record<string, unknown>;

async function query(db: Db, text: string | SQL): Promise<Row[]> {
	return selectRows<Row>(db, typeof text === 'string' ? sql.raw(text) : text);
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The application's tables (schema public) with keys and dependencies, in restore order. */
export async function describeTables(db: Db): Promise<TableInfo[]> {
	const tables = (
		await query(
			db,
			`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`
		)
	).map((r) => String(r.name));
	const keys = await query(
		db,
		`select c.conrelid::regclass::text as tbl, c.contype as type, c.confrelid::regclass::text as ref,
		        array_to_string(array(select a.attname from unnest(c.conkey) k join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k order by a.attname), ',') as cols,
		        bool_and(not a2.attnotnull) as nullable
		   from pg_constraint c
		   join pg_namespace n on n.oid = c.connamespace and n.nspname = 'public'
		   join unnest(c.conkey) k2 on true
		   join pg_attribute a2 on a2.attrelid = c.conrelid and a2.attnum = k2
		  where c.contype in ('p', 'f')
		  group by c.oid, c.conrelid, c.contype, c.confrelid, c.conkey`
	);
	const serials = await query(
		db,
		`select table_name as tbl, column_name as col from information_schema.columns
		  where table_schema = 'public' and (column_default like 'nextval(%' or is_identity = 'YES')`
	);
	const unquote = (t: string) => t.replace(/^"|"$/g, '');
	const infos = new Map<string, TableInfo>(
		tables.map((name) => [
			name,
			{ name, primaryKey: [], deferred: [], nullableRefs: [], dependsOn: [], serialColumns: [] }
		])
	);
	for (const k of keys) {
		const info = infos.get(unquote(String(k.tbl)));
		if (!info) continue;
		const cols = String(k.cols).split(',');
		if (k.type === 'p') info.primaryKey = cols;
		else if (k.nullable === true || k.nullable === 't')
			info.nullableRefs.push(...cols.map((column) => ({ column, table: unquote(String(k.ref)) })));
		else if (unquote(String(k.ref)) !== info.name) info.dependsOn.push(unquote(String(k.ref)));
	}
	for (const s of serials) infos.get(String(s.tbl))?.serialColumns.push(String(s.col));
	for (const info of infos.values()) {
		info.primaryKey.sort();
		info.serialColumns.sort();
	}
	/** Whether table `a` needs table `b` restored before it, through non-null foreign keys. */
	const requires = (a: string, b: string, seen = new Set<string>()): boolean => {
		if (seen.has(a)) return false;
		seen.add(a);
		return (infos.get(a)?.dependsOn ?? []).some((dep) => dep === b || requires(dep, b, seen));
	};
	// Topological order over the required dependencies.
	const ordered: TableInfo[] = [];
	const visiting = new Set<string>();
	const visit = (name: string) => {
		const info = infos.get(name);
		if (!info || ordered.includes(info) || visiting.has(name)) return;
		visiting.add(name);
		// Sorted, so both drivers list tables in the same order.
		for (const dep of [...info.dependsOn].sort()) visit(dep);
		// Nullable references too, unless the other table needs this one first (a cycle): those
		// columns wait for the second pass.
		for (const ref of [...info.nullableRefs].sort((a, b) => a.table.localeCompare(b.table))) {
			if (ref.table !== name && !requires(ref.table, name)) visit(ref.table);
		}
		ordered.push(info);
	};
	for (const name of tables) visit(name);
	// What still points at itself or at a table restored later waits for the second pass.
	ordered.forEach((info, i) => {
		info.deferred = info.nullableRefs
			.filter((ref) => ordered.findIndex((t) => t.name === ref.table) >= i)
			.map((ref) => ref.column)
			.sort();
	});
	return ordered;
}

async function latestMigration(db: Db): Promise<string | null> {
	try {
		const [row] = await query(
			db,
			`select hash from drizzle.__drizzle_migrations order by created_at desc limit 1`
		);
		return row ? String(row.hash) : null;
	} catch {
		return null;
	}
}

export interface BackupHeader {
	format: string;
	version: number;
	createdAt: string;
	migration: string | null;
	tables: string[];
}

/** Every row of every table, in primary-key order, read in one consistent snapshot. */
export async function* backupLines(db: Db, now: Date): AsyncGenerator<string> {
	const lines: string[] = [];
	// A repeatable-read transaction: the backup is one moment even while the app keeps writing.
	await db.transaction(
		async (tx) => {
			const tables = await describeTables(tx);
			const header: BackupHeader = {
				format: BACKUP_FORMAT,
				version: BACKUP_VERSION,
				createdAt: now.toISOString(),
				migration: await latestMigration(tx),
				tables: tables.map((t) => t.name)
			};
			lines.push(JSON.stringify(header));
			const counts: Record<string, number> = {};
			for (const table of tables) {
				const order = table.primaryKey.map(ident).join(', ') || 'ctid';
				counts[table.name] = 0;
				for (let offset = 0; ; offset += CHUNK) {
					const [row] = await query(
						tx,
						`select coalesce(json_agg(x), '[]')::text as rows from (select * from ${ident(table.name)} order by ${order} limit ${CHUNK} offset ${offset}) x`
					);
					const rows = JSON.parse(String(row.rows)) as Row[];
					if (rows.length === 0) break;
					counts[table.name] += rows.length;
					lines.push(JSON.stringify({ t: table.name, rows }));
					if (rows.length < CHUNK) break;
				}
			}
			lines.push(JSON.stringify({ end: true, counts }));
		},
		{ isolationLevel: 'repeatable read', accessMode: 'read only' }
	);
	yield* lines;
}

/** The backup as a gzip stream. */
export function backupStream(db: Db, now: Date): Readable {
	const source = Readable.from(
		(async function* () {
			for await (const line of backupLines(db, now)) yield line + '\n';
		})()
	);
	return source.pipe(createGzip());
}

export class BackupInvalid extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'BackupInvalid';
	}
}

export interface ParsedBackup {
	header: BackupHeader;
	rows: Map<string, Row[]>;
	counts: Record<string, number>;
}

/** Reads and checks a whole backup before anything is written. */
export async function readBackup(input: Readable): Promise<ParsedBackup> {
	const lines = readline.createInterface({
		input: input.pipe(createGunzip()),
		crlfDelay: Infinity
	});
	let header: BackupHeader | undefined;
	let counts: Record<string, number> | undefined;
	const rows = new Map<string, Row[]>();
	let lineNo = 0;
	try {
		for await (const line of lines) {
			lineNo++;
			if (!line.trim()) continue;
			const value = JSON.parse(line) as Record<string, unknown>;
			if (!header) {
				if (value.format !== BACKUP_FORMAT) throw new BackupInvalid('not a HọcThi backup file');
				if (value.version !== BACKUP_VERSION)
					throw new BackupInvalid(`unsupported backup version ${String(value.version)}`);
				header = value as unknown as BackupHeader;
				for (const t of header.tables) rows.set(t, []);
			} else if (value.end) {
				counts = value.counts as Record<string, number>;
			} else {
				const list = rows.get(String(value.t));
				if (!list) throw new BackupInvalid(`line ${lineNo}: unknown table ${String(value.t)}`);
				list.push(...(value.rows as Row[]));
			}
		}
	} catch (error) {
		if (error instanceof BackupInvalid) throw error;
		throw new BackupInvalid(
			`line ${lineNo + 1}: the file is damaged (${(error as Error).message})`
		);
	}
	if (!header) throw new BackupInvalid('the file is empty');
	if (!counts)
		throw new BackupInvalid(
			'the file is incomplete (no end marker): it was cut off while being written or copied'
		);
	for (const [table, n] of Object.entries(counts)) {
		if ((rows.get(table)?.length ?? -1) !== n)
			throw new BackupInvalid(
				`table ${table}: expected ${n} rows, found ${rows.get(table)?.length ?? 0}`
			);
	}
	return { header, rows, counts };
}

/** Replaces every table's contents with the backup's, in one transaction: all or nothing. */
export async function restoreBackup(db: Db, backup: ParsedBackup): Promise<Record<string, number>> {
	const migration = await latestMigration(db);
	if (backup.header.migration && migration && backup.header.migration !== migration) {
		throw new BackupInvalid(
			'the backup was made at a different database version; restore it with the HọcThi version that made it, then upgrade'
		);
	}
	await db.transaction(async (tx) => {
		const tables = await describeTables(tx);
		const known = new Set(tables.map((t) => t.name));
		for (const name of backup.rows.keys()) {
			if (!known.has(name))
				throw new BackupInvalid(`table ${name} does not exist in this database`);
		}
		await query(
			tx,
			`truncate ${tables.map((t) => ident(t.name)).join(', ')} restart identity cascade`
		);
		for (const table of tables) {
			const rows = backup.rows.get(table.name) ?? [];
			for (let i = 0; i < rows.length; i += CHUNK) {
				const chunk = rows.slice(i, i + CHUNK).map((row) => {
					const copy = { ...row };
					for (const col of table.deferred) delete copy[col];
					return copy;
				});
				await query(
					tx,
					sql`insert into ${sql.raw(ident(table.name))} overriding system value select * from json_populate_recordset(null::${sql.raw(ident(table.name))}, ${JSON.stringify(chunk)}::json)`
				);
			}
		}
		// Second pass: nullable references (self-references and cycles such as a question's current version).
		for (const table of tables) {
			if (!table.deferred.length || !table.primaryKey.length) continue;
			const rows = (backup.rows.get(table.name) ?? []).filter((row) =>
				table.deferred.some((c) => row[c] !== null && row[c] !== undefined)
			);
			const set = table.deferred.map((c) => `${ident(c)} = v.${ident(c)}`).join(', ');
			const match = table.primaryKey.map((c) => `t.${ident(c)} = v.${ident(c)}`).join(' and ');
			for (let i = 0; i < rows.length; i += CHUNK) {
				const chunk = rows.slice(i, i + CHUNK);
				await query(
					tx,
					sql`update ${sql.raw(ident(table.name))} t set ${sql.raw(set)} from json_populate_recordset(null::${sql.raw(ident(table.name))}, ${JSON.stringify(chunk)}::json) v where ${sql.raw(match)}`
				);
			}
		}
		for (const table of tables) {
			for (const col of table.serialColumns) {
				await query(
					tx,
					`select setval(pg_get_serial_sequence(${literal(ident(table.name))}, ${literal(col)}), coalesce(max(${ident(col)}), 1), max(${ident(col)}) is not null) from ${ident(table.name)}`
				);
			}
		}
	});
	return backup.counts;
}
