// What must hold after every fault, read straight from the database: each acknowledged save is
// there (its seq or a later one) and no attempt's deadline moved.
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import type { Competitor } from './competitor';

export interface Store {
	query<T>(text: string, params?: unknown[]): Promise<T[]>;
	close(): Promise<void>;
}

/** The PGlite data dir, opened by this process while no server holds it (after a kill -9). */
export async function openPglite(dataDir: string): Promise<Store> {
	const client = new PGlite(dataDir);
	await client.waitReady;
	return {
		query: async <T>(text: string, params: unknown[] = []) =>
			(await client.query<T>(text, params)).rows,
		close: () => client.close()
	};
}

export function openPostgres(url: string): Store {
	const sql = postgres(url, { max: 1, onnotice: () => {} });
	return {
		query: async <T>(text: string, params: unknown[] = []) =>
			(await sql.unsafe(text, params as never[])) as unknown as T[],
		close: () => sql.end({ timeout: 5 })
	};
}

/** JSON with sorted keys: jsonb does not keep the key order it was given. */
export function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object')
		return `{${Object.keys(value)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
			.join(',')}}`;
	return JSON.stringify(value);
}

export interface Check {
	checked: number;
	lost: string[];
	deadlineMoved: string[];
}

/**
 * Compares the database with what the clients were told. Takes the clients' acknowledgements as
 * they are now: call it when no save can be acknowledged meanwhile, or accept that newer ones are
 * simply not checked this time.
 */
export async function checkAcknowledged(
	store: Store,
	competitors: Competitor[],
	deadlines: Map<string, string>
): Promise<Check> {
	const snapshot = competitors.map((c) => ({
		c,
		acked: new Map([...c.acked].map(([slot, ack]) => [slot, { ...ack }]))
	}));
	const ids = competitors.map((c) => c.attemptId);
	const rows = await store.query<{
		attempt_id: string;
		slot: number;
		seq: number;
		response: unknown;
	}>(
		`select attempt_id::text, slot, seq, response from attempt_answers where attempt_id = any($1::uuid[])`,
		[ids]
	);
	const attempts = await store.query<{ id: string; deadline_at: Date | string | null }>(
		`select id::text, deadline_at from attempts where id = any($1::uuid[])`,
		[ids]
	);
	const inDb = new Map(rows.map((r) => [`${r.attempt_id}:${r.slot}`, r]));
	const result: Check = { checked: 0, lost: [], deadlineMoved: [] };
	for (const { c, acked } of snapshot) {
		for (const [slot, ack] of acked) {
			result.checked++;
			const row = inDb.get(`${c.attemptId}:${slot}`);
			const response = typeof row?.response === 'string' ? JSON.parse(row.response) : row?.response;
			if (!row || row.seq < ack.seq)
				result.lost.push(
					`${c.username} slot ${slot}: acknowledged seq ${ack.seq}, database has ${row?.seq ?? 'nothing'}`
				);
			else if (row.seq === ack.seq && canonical(response) !== canonical(JSON.parse(ack.response)))
				result.lost.push(
					`${c.username} slot ${slot} seq ${ack.seq}: the database holds another answer`
				);
		}
	}
	for (const a of attempts) {
		const now = a.deadline_at ? new Date(a.deadline_at).toISOString() : 'none';
		const before = deadlines.get(a.id);
		if (before === undefined) deadlines.set(a.id, now);
		else if (before !== now) result.deadlineMoved.push(`${a.id}: ${before} → ${now}`);
	}
	return result;
}
