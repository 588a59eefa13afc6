// Logging in, changing one's password, and the admin's reset and unlock.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { recordAudit } from '../audit/log';
import { Invalid, NotFound } from '../errors';
import { requireRole, type Actor } from './actor';
import {
	PASSWORD_MAX_LENGTH,
	PASSWORD_MIN_LENGTH,
	dummyPasswordHash,
	hashPassword,
	verifyPassword
} from './password';
import { createSession, invalidateUserSessions, type NewSession } from './session';
import {
	accountKey,
	clearAccountFailures,
	ipKey,
	lockedUntil,
	recordLoginFailure
} from './throttle';
import { m } from '../i18n';

export type LoginOutcome =
	| { kind: 'ok'; userId: number; session: NewSession; mustChangePassword: boolean }
	| { kind: 'throttled'; retryAfterMs: number }
	| { kind: 'invalid' };

export async function logIn(
	db: Db,
	input: {
		username: string;
		password: string;
		ip: string | null;
		userAgent?: string | null;
		now: Date;
	}
): Promise<LoginOutcome> {
	// PostgreSQL text cannot hold NUL: such a name matches no account, and is recorded as failed
	// with U+FFFD in its place.
	const username = input.username.trim().toLowerCase().replaceAll('\u0000', '\ufffd');
	const keys = [accountKey(username), ...(input.ip ? [ipKey(input.ip)] : [])];
	const until = await lockedUntil(db, { keys, now: input.now });
	if (until) return { kind: 'throttled', retryAfterMs: until.getTime() - input.now.getTime() };

	const [user] = await db
		.select({
			id: users.id,
			passwordHash: users.passwordHash,
			active: users.active,
			mustChangePassword: users.mustChangePassword
		})
		.from(users)
		.where(eq(users.username, username));
	// Verify even for unknown accounts so the answer time does not reveal which exist.
	const ok = await verifyPassword(
		user?.passwordHash ?? (await dummyPasswordHash()),
		input.password.slice(0, PASSWORD_MAX_LENGTH)
	);
	if (!user || !user.active || !user.passwordHash || !ok) {
		await recordLoginFailure(db, { username, ip: input.ip, now: input.now });
		return { kind: 'invalid' };
	}
	await clearAccountFailures(db, username);
	const session = await createSession(db, {
		userId: user.id,
		now: input.now,
		ip: input.ip,
		userAgent: input.userAgent
	});
	return { kind: 'ok', userId: user.id, session, mustChangePassword: user.mustChangePassword };
}

export function checkNewPassword(password: string, username: string): string | null {
	if (password.length < PASSWORD_MIN_LENGTH)
		return m.password_too_short({ min: PASSWORD_MIN_LENGTH });
	if (password.length > PASSWORD_MAX_LENGTH)
		return m.password_too_long({ max: PASSWORD_MAX_LENGTH });
	if (password.toLowerCase().includes(username.toLowerCase()))
		return m.password_contains_username();
	return null;
}

/**
 * Changes the actor's own password. Every session of the account ends, the one in use too: the
 * person carries on in a new session (returned, for the cookie), so no session id made before the
 * change — a stolen one included — outlives it.
 */
export async function changeOwnPassword(
	db: Db,
	actor: Actor,
	input: {
		current: string;
		next: string;
		confirm: string;
		ip?: string | null;
		userAgent?: string | null;
		now: Date;
	}
): Promise<NewSession> {
	const [user] = await db
		.select({ passwordHash: users.passwordHash })
		.from(users)
		.where(eq(users.id, actor.id));
	if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, input.current))) {
		throw new Invalid({ current: m.password_current_wrong() });
	}
	const problem = checkNewPassword(input.next, actor.username);
	if (problem) throw new Invalid({ next: problem });
	if (input.next !== input.confirm) throw new Invalid({ confirm: m.password_confirm_mismatch() });
	const passwordHash = await hashPassword(input.next);
	return db.transaction(async (tx) => {
		await tx
			.update(users)
			.set({ passwordHash, mustChangePassword: false, updatedAt: input.now })
			.where(eq(users.id, actor.id));
		await invalidateUserSessions(tx, { userId: actor.id });
		return createSession(tx, {
			userId: actor.id,
			now: input.now,
			ip: input.ip,
			userAgent: input.userAgent
		});
	});
}

/** Admin sets a temporary password; the user must change it at next login. */
export async function resetPassword(
	db: Db,
	actor: Actor,
	input: { userId: number; password: string; ip?: string | null; now: Date }
): Promise<void> {
	requireRole(actor, 'admin');
	const [user] = await db
		.select({ username: users.username })
		.from(users)
		.where(eq(users.id, input.userId));
	if (!user) throw new NotFound();
	const problem = checkNewPassword(input.password, user.username);
	if (problem) throw new Invalid({ password: problem });
	const passwordHash = await hashPassword(input.password);
	await db.transaction(async (tx) => {
		await tx
			.update(users)
			.set({ passwordHash, mustChangePassword: true, updatedAt: input.now })
			.where(eq(users.id, input.userId));
		await invalidateUserSessions(tx, { userId: input.userId });
		await clearAccountFailures(tx, user.username);
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'user.password_reset',
			targetType: 'user',
			targetId: input.userId,
			details: { username: user.username },
			ip: input.ip,
			now: input.now
		});
	});
}

/** Admin lifts a login lock before it expires. */
export async function unlockAccount(
	db: Db,
	actor: Actor,
	input: { userId: number; ip?: string | null; now: Date }
): Promise<void> {
	requireRole(actor, 'admin');
	const [user] = await db
		.select({ username: users.username })
		.from(users)
		.where(eq(users.id, input.userId));
	if (!user) throw new NotFound();
	await db.transaction(async (tx) => {
		await clearAccountFailures(tx, user.username);
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'user.unlock',
			targetType: 'user',
			targetId: input.userId,
			details: { username: user.username },
			ip: input.ip,
			now: input.now
		});
	});
}
