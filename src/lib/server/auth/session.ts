// Sessions as in the Lucia guide: a random token in the cookie, its SHA-256 in the table.
import { createHash } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { and, eq, lt, ne, sql } from 'drizzle-orm';
import { prepared } from '../db/prepared';
import type { Db } from '../db/client';
import { sessions, units, users } from '../db/schema';
import type { Actor } from './actor';

export const SESSION_COOKIE = 'hocthi_session';
/** Idle expiry: a session unused this long ends. */
export const SESSION_IDLE_MS = 60 * 60 * 1000;
/** Absolute limit: a session ends this long after login, used or not. */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;

export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdFromToken(token: string): string {
	// node:crypto's native SHA-256: this runs on every request (the same digest as @oslojs's).
	return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface NewSession {
	token: string;
	expiresAt: Date;
}

export async function createSession(
	db: Db,
	input: { userId: number; now: Date; ip?: string | null; userAgent?: string | null }
): Promise<NewSession> {
	const token = generateSessionToken();
	const expiresAt = new Date(input.now.getTime() + SESSION_IDLE_MS);
	await db.insert(sessions).values({
		id: sessionIdFromToken(token),
		userId: input.userId,
		createdAt: input.now,
		expiresAt,
		ip: input.ip ?? null,
		userAgent: input.userAgent?.slice(0, 300) ?? null
	});
	return { token, expiresAt };
}

export interface ValidSession {
	actor: Actor;
	expiresAt: Date;
	/** True when expiresAt moved and the cookie should be re-sent. */
	refreshed: boolean;
}

function buildSessionQuery(db: Db, name: string) {
	return db
		.select({
			session: sessions,
			user: {
				id: users.id,
				username: users.username,
				fullName: users.fullName,
				roles: users.roles,
				isLeader: users.isLeader,
				unitId: users.unitId,
				active: users.active,
				mustChangePassword: users.mustChangePassword
			},
			unitPath: units.path,
			unitName: units.name
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.leftJoin(units, eq(units.id, users.unitId))
		.where(eq(sessions.id, sql.placeholder('id')))
		.prepare(name);
}

/** Every request reads its session: the query is built once per database (db/prepared.ts). */
const sessionQuery = (db: Db) => prepared(db, 'hocthi_session_by_id', buildSessionQuery);

export async function validateSessionToken(
	db: Db,
	input: { token: string; now: Date }
): Promise<ValidSession | null> {
	const id = sessionIdFromToken(input.token);
	const [row] = await sessionQuery(db).execute({ id });
	if (!row) return null;
	const now = input.now.getTime();
	const absoluteEnd = row.session.createdAt.getTime() + SESSION_ABSOLUTE_MS;
	if (!row.user.active || now >= row.session.expiresAt.getTime() || now >= absoluteEnd) {
		await db.delete(sessions).where(eq(sessions.id, id));
		return null;
	}
	let expiresAt = row.session.expiresAt;
	let refreshed = false;
	// Slide the idle window, but write at most once per half window.
	if (now >= expiresAt.getTime() - SESSION_IDLE_MS / 2) {
		expiresAt = new Date(Math.min(now + SESSION_IDLE_MS, absoluteEnd));
		if (expiresAt.getTime() > row.session.expiresAt.getTime()) {
			await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, id));
			refreshed = true;
		}
	}
	const { active: _active, ...user } = row.user;
	void _active;
	return {
		actor: { ...user, unitPath: row.unitPath, unitName: row.unitName },
		expiresAt,
		refreshed
	};
}

/**
 * The actor of a session that is valid and needs no write (no expiry to delete, no idle window to
 * slide), else null: for a request that answers on its own and leaves every other case to
 * validateSessionToken (src/lib/server/fastlane.ts).
 */
export async function peekSessionToken(
	db: Db,
	input: { token: string; now: Date }
): Promise<Actor | null> {
	const [row] = await sessionQuery(db).execute({ id: sessionIdFromToken(input.token) });
	if (!row || !row.user.active) return null;
	const now = input.now.getTime();
	const expires = row.session.expiresAt.getTime();
	if (now >= expires - SESSION_IDLE_MS / 2) return null;
	if (now >= row.session.createdAt.getTime() + SESSION_ABSOLUTE_MS) return null;
	const { active: _active, ...user } = row.user;
	void _active;
	return { ...user, unitPath: row.unitPath, unitName: row.unitName };
}

export async function invalidateSession(db: Db, token: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.id, sessionIdFromToken(token)));
}

/** Ends every session of a user, except optionally the one in use (password change). */
export async function invalidateUserSessions(
	db: Db,
	input: { userId: number; exceptToken?: string }
): Promise<void> {
	const condition = input.exceptToken
		? and(eq(sessions.userId, input.userId), ne(sessions.id, sessionIdFromToken(input.exceptToken)))
		: eq(sessions.userId, input.userId);
	await db.delete(sessions).where(condition);
}

export async function deleteExpiredSessions(db: Db, now: Date): Promise<void> {
	await db.delete(sessions).where(lt(sessions.expiresAt, now));
}
