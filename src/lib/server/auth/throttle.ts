// Login throttling: per account (consecutive failures) and per IP (bursts), kept in the database
// so that several app processes agree.
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { loginThrottle } from '../db/schema';

export const ACCOUNT_FAILURE_LIMIT = 5;
/** A whole hall may share one NAT address on competition day: keep this generous. */
export const IP_FAILURE_LIMIT = Number(process.env.HOCTHI_IP_FAILURE_LIMIT) || 100;
export const IP_WINDOW_MS = 15 * 60 * 1000;
/** An account's failures are forgotten after a quiet day. */
export const ACCOUNT_MEMORY_MS = 24 * 60 * 60 * 1000;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 60 * 60 * 1000;

export const accountKey = (username: string) => `user:${username.trim().toLowerCase()}`;
export const ipKey = (ip: string) => `ip:${ip}`;

/** Lock length after `over` failures beyond the limit: 30 s, 60 s, 2 min, … capped at 1 h. */
export function lockDelayMs(over: number): number {
	return Math.min(BASE_DELAY_MS * 2 ** Math.max(0, over), MAX_DELAY_MS);
}

/** When a throttled key unlocks, or null if none of them is locked. */
export async function lockedUntil(
	db: Db,
	input: { keys: string[]; now: Date }
): Promise<Date | null> {
	const rows = await db
		.select({ lockedUntil: loginThrottle.lockedUntil })
		.from(loginThrottle)
		.where(inArray(loginThrottle.key, input.keys));
	let latest: Date | null = null;
	for (const row of rows) {
		if (row.lockedUntil && row.lockedUntil > input.now && (!latest || row.lockedUntil > latest)) {
			latest = row.lockedUntil;
		}
	}
	return latest;
}

async function countFailure(
	db: Db,
	input: { key: string; now: Date; windowMs: number; limit: number }
): Promise<void> {
	// Dates inside sql`` go as ISO strings: postgres.js under Drizzle does not serialise Date there.
	const windowStart = new Date(input.now.getTime() - input.windowMs).toISOString();
	const nowIso = input.now.toISOString();
	const [row] = await db
		.insert(loginThrottle)
		.values({ key: input.key, failures: 1, windowStartedAt: input.now, lastFailureAt: input.now })
		.onConflictDoUpdate({
			target: loginThrottle.key,
			set: {
				failures: sql`case when ${loginThrottle.windowStartedAt} < ${windowStart}::timestamptz then 1 else ${loginThrottle.failures} + 1 end`,
				windowStartedAt: sql`case when ${loginThrottle.windowStartedAt} < ${windowStart}::timestamptz then ${nowIso}::timestamptz else ${loginThrottle.windowStartedAt} end`,
				lastFailureAt: input.now
			}
		})
		.returning({ failures: loginThrottle.failures });
	if (row && row.failures >= input.limit) {
		const until = new Date(input.now.getTime() + lockDelayMs(row.failures - input.limit));
		await db
			.update(loginThrottle)
			.set({ lockedUntil: until })
			.where(eq(loginThrottle.key, input.key));
	}
}

export async function recordLoginFailure(
	db: Db,
	input: { username: string; ip: string | null; now: Date }
): Promise<void> {
	await countFailure(db, {
		key: accountKey(input.username),
		now: input.now,
		windowMs: ACCOUNT_MEMORY_MS,
		limit: ACCOUNT_FAILURE_LIMIT
	});
	if (input.ip) {
		await countFailure(db, {
			key: ipKey(input.ip),
			now: input.now,
			windowMs: IP_WINDOW_MS,
			limit: IP_FAILURE_LIMIT
		});
	}
}

/** A successful login ends the account's run of failures (the IP's count stays). */
export async function clearAccountFailures(db: Db, username: string): Promise<void> {
	await db.delete(loginThrottle).where(eq(loginThrottle.key, accountKey(username)));
}

export interface ThrottleState {
	failures: number;
	lockedUntil: Date | null;
}

export async function accountThrottleState(db: Db, username: string): Promise<ThrottleState> {
	const [row] = await db
		.select()
		.from(loginThrottle)
		.where(eq(loginThrottle.key, accountKey(username)));
	return { failures: row?.failures ?? 0, lockedUntil: row?.lockedUntil ?? null };
}
