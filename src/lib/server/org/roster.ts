// Roster import: a CSV of cadres validated whole, then upserted by username in one transaction.
import { parse } from 'csv-parse/sync';
import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { units, users, type Role } from '../db/schema';
import { recordAudit } from '../audit/log';
import { requireRole, type Actor } from '../auth/actor';
import { hashPassword } from '../auth/password';
import { invalidateUserSessions } from '../auth/session';
import { ImportFailed, type LineError } from '../errors';
import { m } from '../i18n';
import { USERNAME_PATTERN, parseRoles } from './users';
import { generatePassword } from './passwords';
import { decodeUtf8, stripBom } from '../text';

export { decodeUtf8 };

export const ROSTER_COLUMNS = [
	'username',
	'full_name',
	'unit_code',
	'position',
	'role',
	'is_leader'
] as const;
export const ROSTER_MAX_BYTES = 2 * 1024 * 1024;

export interface RosterRow {
	line: number;
	username: string;
	fullName: string;
	unitCode: string;
	position: string;
	roles: Role[];
	isLeader: boolean;
	/** Optional initial password column; used only when the account is new. */
	password: string | null;
}

const TRUE_WORDS = ['1', 'true', 'yes', 'x', 'có', 'co', 'c'];
const FALSE_WORDS = ['', '0', 'false', 'no', 'không', 'khong', 'k'];

export function parseBoolean(text: string): boolean | null {
	const value = text.trim().toLowerCase();
	if (TRUE_WORDS.includes(value)) return true;
	if (FALSE_WORDS.includes(value)) return false;
	return null;
}

/**
 * Parses and checks every row; returns the rows or all the problems found, each with its line.
 * Unit codes are checked against `knownUnitCodes`.
 */
export function parseRoster(
	text: string,
	knownUnitCodes: Set<string>
): { rows: RosterRow[]; errors: LineError[] } {
	const errors: LineError[] = [];
	let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
	try {
		records = parse(stripBom(text), {
			columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
			skip_empty_lines: true,
			trim: true,
			info: true,
			relax_column_count: false
		}) as Array<{ record: Record<string, string>; info: { lines: number } }>;
	} catch (error) {
		const e = error as { lines?: number; code?: string; message: string };
		return {
			rows: [],
			errors: [{ line: e.lines ?? 1, message: m.csv_syntax_error({ detail: e.code ?? e.message }) }]
		};
	}
	const header = text.length ? Object.keys(records[0]?.record ?? {}) : [];
	if (records.length === 0) {
		const firstLine = stripBom(text).split(/\r?\n/, 1)[0] ?? '';
		const headerColumns = firstLine.split(',').map((h) => h.trim().toLowerCase());
		const missing = ROSTER_COLUMNS.filter((c) => !headerColumns.includes(c));
		if (missing.length)
			return {
				rows: [],
				errors: [{ line: 1, message: m.csv_missing_columns({ columns: missing.join(', ') }) }]
			};
		return { rows: [], errors: [{ line: 1, message: m.csv_no_rows() }] };
	}
	const missing = ROSTER_COLUMNS.filter((c) => !header.includes(c));
	if (missing.length)
		return {
			rows: [],
			errors: [{ line: 1, message: m.csv_missing_columns({ columns: missing.join(', ') }) }]
		};

	const rows: RosterRow[] = [];
	const firstLineOf = new Map<string, number>();
	for (const { record: raw, info } of records) {
		const line = info.lines;
		// Quoted fields keep their spaces in csv-parse; people's names must not.
		const record = Object.fromEntries(
			Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v])
		);
		const problems: string[] = [];
		const username = (record.username ?? '').toLowerCase();
		if (!username) problems.push(m.roster_username_missing());
		else if (!USERNAME_PATTERN.test(username))
			problems.push(m.roster_username_invalid({ username }));
		else if (firstLineOf.has(username))
			problems.push(m.roster_username_duplicate({ username, line: firstLineOf.get(username)! }));
		else firstLineOf.set(username, line);
		const fullName = record.full_name ?? '';
		if (!fullName) problems.push(m.roster_name_missing());
		else if (fullName.length > 120) problems.push(m.field_too_long({ max: 120 }));
		const unitCode = record.unit_code ?? '';
		if (!unitCode) problems.push(m.roster_unit_missing());
		else if (!knownUnitCodes.has(unitCode)) problems.push(m.unit_unknown({ code: unitCode }));
		const position = record.position ?? '';
		if (position.length > 120) problems.push(m.field_too_long({ max: 120 }));
		const roles = parseRoles(record.role ?? '');
		if (!roles) problems.push(m.roster_role_invalid({ role: record.role ?? '' }));
		const isLeader = parseBoolean(record.is_leader ?? '');
		if (isLeader === null)
			problems.push(m.roster_leader_invalid({ value: record.is_leader ?? '' }));
		const password = record.password ? record.password : null;
		if (password !== null && (password.length < 8 || password.length > 128))
			problems.push(m.password_too_short({ min: 8 }));
		if (problems.length) {
			for (const message of problems) errors.push({ line, message });
			continue;
		}
		rows.push({
			line,
			username,
			fullName,
			unitCode,
			position,
			roles: roles!,
			isLeader: isLeader!,
			password
		});
	}
	return { rows, errors };
}

export interface RosterResult {
	created: number;
	updated: number;
	unchanged: number;
	/** Initial passwords generated for new accounts without a password column; shown once. */
	initialPasswords: Array<{
		username: string;
		fullName: string;
		unitCode: string;
		password: string;
	}>;
}

/** Validates the whole file, then writes all of it or nothing. */
export async function importRoster(
	db: Db,
	actor: Actor,
	input: { text: string; ip?: string | null; now: Date; fileName?: string }
): Promise<RosterResult> {
	requireRole(actor, 'admin');
	const unitRows = await db.select({ id: units.id, code: units.code }).from(units);
	const unitIdByCode = new Map(unitRows.map((u) => [u.code, u.id]));
	const { rows, errors } = parseRoster(input.text, new Set(unitIdByCode.keys()));
	if (errors.length) throw new ImportFailed(errors.map((e) => ({ ...e, file: input.fileName })));

	const existingRows = await db
		.select()
		.from(users)
		.where(
			inArray(
				users.username,
				rows.map((r) => r.username)
			)
		);
	const existing = new Map(existingRows.map((u) => [u.username, u]));
	// Hash before the transaction: hashing is slow and must not hold it open.
	const initialPasswords: RosterResult['initialPasswords'] = [];
	const hashes = new Map<string, string>();
	await Promise.all(
		rows
			.filter((r) => !existing.has(r.username))
			.map(async (r) => {
				const password = r.password ?? generatePassword();
				if (!r.password)
					initialPasswords.push({
						username: r.username,
						fullName: r.fullName,
						unitCode: r.unitCode,
						password
					});
				hashes.set(r.username, await hashPassword(password));
			})
	);
	initialPasswords.sort((a, b) => a.username.localeCompare(b.username));

	let created = 0;
	let updated = 0;
	let unchanged = 0;
	/** Accounts whose roles, leadership or unit the file changed. */
	const privileges: string[] = [];
	await db.transaction(async (tx) => {
		for (const row of rows) {
			const unitId = unitIdByCode.get(row.unitCode)!;
			const before = existing.get(row.username);
			const values = {
				fullName: row.fullName,
				unitId,
				position: row.position,
				roles: row.roles,
				isLeader: row.isLeader
			};
			if (!before) {
				await tx.insert(users).values({
					username: row.username,
					...values,
					passwordHash: hashes.get(row.username)!,
					mustChangePassword: true,
					createdAt: input.now,
					updatedAt: input.now
				});
				created++;
				continue;
			}
			const same =
				before.fullName === values.fullName &&
				before.unitId === values.unitId &&
				before.position === values.position &&
				before.isLeader === values.isLeader &&
				[...before.roles].sort().join() === [...values.roles].sort().join();
			if (same) {
				unchanged++;
				continue;
			}
			await tx
				.update(users)
				.set({ ...values, updatedAt: input.now })
				.where(inArray(users.id, [before.id]));
			updated++;
			// As when an admin edits the account: a change of privilege ends the person's sessions.
			if (
				before.unitId !== values.unitId ||
				before.isLeader !== values.isLeader ||
				[...before.roles].sort().join() !== [...values.roles].sort().join()
			) {
				await invalidateUserSessions(tx, { userId: before.id });
				privileges.push(row.username);
			}
		}
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'roster.import',
			targetType: 'roster',
			details: {
				file: input.fileName ?? null,
				rows: rows.length,
				created,
				updated,
				unchanged,
				privileges
			},
			ip: input.ip,
			now: input.now
		});
	});
	return { created, updated, unchanged, initialPasswords };
}
