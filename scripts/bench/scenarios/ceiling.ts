// The machine's raw ceiling for saves: idempotent upserts of an answer row straight through the
// database driver (postgres.js, or PGlite in process), no HTTP, no session, no event log. It runs
// on a scratch copy of attempt_answers so that the competitors' data stays untouched.
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { PGlite } from '@electric-sql/pglite';
import { round } from '../stats';

const SCRATCH = 'bench_ceiling_answers';

const UPSERT = `insert into ${SCRATCH} (attempt_id, slot, seq, response, saved_at)
	values ($1, $2, $3, $4, now())
	on conflict (attempt_id, slot) do update
	   set seq = excluded.seq, response = excluded.response, saved_at = excluded.saved_at
	 where ${SCRATCH}.seq < excluded.seq
	returning seq`;

export interface Ceiling {
	savesPerSecond: number;
	concurrency: number;
	seconds: number;
}

type Exec = (text: string, params: unknown[]) => Promise<unknown>;

async function drive(exec: Exec, concurrency: number, ms: number, keys: number): Promise<number> {
	const attempts = Array.from({ length: Math.ceil(keys / 10) }, () => randomUUID());
	const seqs = new Map<string, number>();
	let done = 0;
	const end = performance.now() + ms;
	await Promise.all(
		Array.from({ length: concurrency }, async (_, w) => {
			// Each worker owns its keys, as each competitor owns their attempt.
			for (let k = w; performance.now() < end; k += concurrency) {
				const attempt = attempts[((k / 10) % attempts.length) | 0];
				const slot = (k % 10) + 1;
				const id = `${attempt}:${slot}`;
				const seq = (seqs.get(id) ?? 0) + 1;
				seqs.set(id, seq);
				await exec(UPSERT, [
					attempt,
					slot,
					seq,
					JSON.stringify({ type: 'single', choice: seq % 4 })
				]);
				done++;
			}
		})
	);
	return done;
}

const CREATE = `create table if not exists ${SCRATCH} (like attempt_answers including defaults including indexes)`;

/** postgres.js against the benchmark's PostgreSQL database; the best of a few pool sizes. */
export async function postgresCeiling(url: string, seconds: number): Promise<Ceiling> {
	let best: Ceiling = { savesPerSecond: 0, concurrency: 0, seconds };
	for (const concurrency of [8, 32]) {
		const sql = postgres(url, { max: concurrency, onnotice: () => {} });
		try {
			await sql.unsafe(CREATE);
			const n = await drive(
				(text, params) =>
					sql.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true }),
				concurrency,
				seconds * 1000,
				6200
			);
			const rate = round(n / seconds, 0);
			if (rate > best.savesPerSecond) best = { savesPerSecond: rate, concurrency, seconds };
			await sql.unsafe(`drop table ${SCRATCH}`);
		} finally {
			await sql.end({ timeout: 5 });
		}
	}
	return best;
}

/** PGlite in this process on the benchmark's data dir (the server must not be running). */
export async function pgliteCeiling(dataDir: string, seconds: number): Promise<Ceiling> {
	const db = new PGlite(dataDir);
	try {
		await db.waitReady;
		await db.query(CREATE);
		// PGlite runs one query at a time; more callers only queue.
		const n = await drive((text, params) => db.query(text, params), 4, seconds * 1000, 6200);
		await db.query(`drop table ${SCRATCH}`);
		return { savesPerSecond: round(n / seconds, 0), concurrency: 1, seconds };
	} finally {
		await db.close();
	}
}
