import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	logIn,
	changeOwnPassword,
	resetPassword,
	unlockAccount
} from '../../src/lib/server/auth/login';
import {
	SESSION_ABSOLUTE_MS,
	SESSION_IDLE_MS,
	invalidateSession,
	validateSessionToken
} from '../../src/lib/server/auth/session';
import { accountThrottleState, IP_FAILURE_LIMIT } from '../../src/lib/server/auth/throttle';
import { Invalid, NotAllowed } from '../../src/lib/server/errors';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { TEST_PASSWORD, makeAdmin, makeCadre, makeUnit } from './helpers/builders';
import { auditLog } from '../../src/lib/server/db/schema';

let database: TestDatabase;
beforeAll(async () => {
	database = await createTestDatabase();
});
afterAll(() => database.close());

const t0 = new Date('2012-09-15T01:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('login and sessions', () => {
	it('logs in with the right password and finds the session by token', async () => {
		const db = database.db;
		const unit = await makeUnit(db, { code: 'S1' });
		const cadre = await makeCadre(db, unit, { username: 'hungnv' });
		const outcome = await logIn(db, {
			username: ' HungNV ',
			password: TEST_PASSWORD,
			ip: '10.0.0.1',
			now: t0
		});
		expect(outcome.kind).toBe('ok');
		if (outcome.kind !== 'ok') return;
		const session = await validateSessionToken(db, { token: outcome.session.token, now: at(1000) });
		expect(session?.actor).toMatchObject({ id: cadre.id, username: 'hungnv', unitPath: unit.path });
	});

	it('refuses a wrong password and an unknown account alike', async () => {
		const db = database.db;
		expect(
			(await logIn(db, { username: 'hungnv', password: 'sai', ip: '10.0.0.2', now: t0 })).kind
		).toBe('invalid');
		expect(
			(await logIn(db, { username: 'khongco', password: 'sai', ip: '10.0.0.2', now: t0 })).kind
		).toBe('invalid');
	});

	it('slides the idle expiry and ends at the absolute limit', async () => {
		const db = database.db;
		const outcome = await logIn(db, {
			username: 'hungnv',
			password: TEST_PASSWORD,
			ip: null,
			now: t0
		});
		if (outcome.kind !== 'ok') throw new Error('login failed');
		const token = outcome.session.token;
		// Used every 40 minutes: never idle long enough to expire...
		let now = t0.getTime();
		while (now + 40 * 60_000 < t0.getTime() + SESSION_ABSOLUTE_MS) {
			now += 40 * 60_000;
			expect(await validateSessionToken(db, { token, now: new Date(now) })).not.toBeNull();
		}
		// ...but the absolute limit ends it anyway.
		expect(await validateSessionToken(db, { token, now: at(SESSION_ABSOLUTE_MS + 1) })).toBeNull();
	});

	it('expires an idle session', async () => {
		const db = database.db;
		const outcome = await logIn(db, {
			username: 'hungnv',
			password: TEST_PASSWORD,
			ip: null,
			now: t0
		});
		if (outcome.kind !== 'ok') throw new Error('login failed');
		expect(
			await validateSessionToken(db, { token: outcome.session.token, now: at(SESSION_IDLE_MS + 1) })
		).toBeNull();
	});

	it('logout deletes the session on the server', async () => {
		const db = database.db;
		const outcome = await logIn(db, {
			username: 'hungnv',
			password: TEST_PASSWORD,
			ip: null,
			now: t0
		});
		if (outcome.kind !== 'ok') throw new Error('login failed');
		await invalidateSession(db, outcome.session.token);
		expect(await validateSessionToken(db, { token: outcome.session.token, now: at(1) })).toBeNull();
	});
});

describe('throttling', () => {
	it('locks an account after 5 consecutive failures with a growing delay, and an admin can unlock it', async () => {
		const db = database.db;
		const unit = await makeUnit(db, { code: 'T1' });
		const cadre = await makeCadre(db, unit, { username: 'maitt' });
		const admin = await makeAdmin(db);
		for (let i = 0; i < 5; i++) {
			expect(
				(await logIn(db, { username: 'maitt', password: 'sai', ip: `10.1.0.${i}`, now: at(i) }))
					.kind
			).toBe('invalid');
		}
		// Even the right password is refused while locked.
		const locked = await logIn(db, {
			username: 'maitt',
			password: TEST_PASSWORD,
			ip: '10.1.1.1',
			now: at(10)
		});
		expect(locked).toMatchObject({ kind: 'throttled' });
		const first = locked.kind === 'throttled' ? locked.retryAfterMs : 0;
		expect(first).toBeGreaterThan(20_000);
		// After the lock, one more failure locks for longer.
		expect(
			(await logIn(db, { username: 'maitt', password: 'sai', ip: null, now: at(first + 20) })).kind
		).toBe('invalid');
		const second = await logIn(db, {
			username: 'maitt',
			password: TEST_PASSWORD,
			ip: null,
			now: at(first + 30)
		});
		expect(second.kind).toBe('throttled');
		expect(second.kind === 'throttled' && second.retryAfterMs).toBeGreaterThan(first);

		await expect(
			unlockAccount(db, cadre, { userId: cadre.id, now: at(first + 40) })
		).rejects.toThrow(NotAllowed);
		await unlockAccount(db, admin, { userId: cadre.id, now: at(first + 40) });
		expect((await accountThrottleState(db, 'maitt')).failures).toBe(0);
		expect(
			(
				await logIn(db, {
					username: 'maitt',
					password: TEST_PASSWORD,
					ip: null,
					now: at(first + 50)
				})
			).kind
		).toBe('ok');
	});

	it('a success resets the run of failures', async () => {
		const db = database.db;
		const unit = await makeUnit(db, { code: 'T2' });
		await makeCadre(db, unit, { username: 'namlv' });
		for (let i = 0; i < 4; i++)
			await logIn(db, { username: 'namlv', password: 'sai', ip: null, now: at(i) });
		expect(
			(await logIn(db, { username: 'namlv', password: TEST_PASSWORD, ip: null, now: at(5) })).kind
		).toBe('ok');
		for (let i = 0; i < 4; i++)
			await logIn(db, { username: 'namlv', password: 'sai', ip: null, now: at(10 + i) });
		expect(
			(await logIn(db, { username: 'namlv', password: TEST_PASSWORD, ip: null, now: at(20) })).kind
		).toBe('ok');
	});

	it('throttles a burst of failures from one address across many accounts', async () => {
		const db = database.db;
		const ip = '203.0.113.9';
		for (let i = 0; i < IP_FAILURE_LIMIT; i++) {
			await logIn(db, { username: `guess${i}`, password: 'x', ip, now: at(i) });
		}
		expect(
			(
				await logIn(db, {
					username: 'hungnv',
					password: TEST_PASSWORD,
					ip,
					now: at(IP_FAILURE_LIMIT + 1)
				})
			).kind
		).toBe('throttled');
		// Another address is unaffected.
		expect(
			(
				await logIn(db, {
					username: 'hungnv',
					password: TEST_PASSWORD,
					ip: '203.0.113.10',
					now: at(IP_FAILURE_LIMIT + 1)
				})
			).kind
		).toBe('ok');
	}, 120_000);
});

describe('passwords', () => {
	it('changes one’s own password, ending every session and carrying on in a new one', async () => {
		const db = database.db;
		const unit = await makeUnit(db, { code: 'P1' });
		const cadre = await makeCadre(db, unit, { username: 'thaobt' });
		const a = await logIn(db, { username: 'thaobt', password: TEST_PASSWORD, ip: null, now: t0 });
		const b = await logIn(db, { username: 'thaobt', password: TEST_PASSWORD, ip: null, now: t0 });
		if (a.kind !== 'ok' || b.kind !== 'ok') throw new Error('login failed');
		await expect(
			changeOwnPassword(db, cadre, {
				current: 'sai',
				next: 'Cum-tu-moi-2012',
				confirm: 'Cum-tu-moi-2012',
				now: t0
			})
		).rejects.toThrow(Invalid);
		await expect(
			changeOwnPassword(db, cadre, {
				current: TEST_PASSWORD,
				next: 'ngan',
				confirm: 'ngan',
				now: t0
			})
		).rejects.toThrow(Invalid);
		// A refused change ends nothing.
		expect(await validateSessionToken(db, { token: a.session.token, now: at(1) })).not.toBeNull();
		const fresh = await changeOwnPassword(db, cadre, {
			current: TEST_PASSWORD,
			next: 'Cum-tu-moi-2012',
			confirm: 'Cum-tu-moi-2012',
			now: t0
		});
		expect(await validateSessionToken(db, { token: a.session.token, now: at(1) })).toBeNull();
		expect(await validateSessionToken(db, { token: b.session.token, now: at(1) })).toBeNull();
		expect(fresh.token).not.toBe(a.session.token);
		expect((await validateSessionToken(db, { token: fresh.token, now: at(1) }))?.actor.id).toBe(
			cadre.id
		);
		expect(
			(await logIn(db, { username: 'thaobt', password: 'Cum-tu-moi-2012', ip: null, now: at(2) }))
				.kind
		).toBe('ok');
	});

	it('an admin reset forces a change at next login and is audited', async () => {
		const db = database.db;
		const unit = await makeUnit(db, { code: 'P2' });
		const cadre = await makeCadre(db, unit, { username: 'quanpm' });
		const admin = await makeAdmin(db);
		await expect(
			resetPassword(db, cadre, { userId: cadre.id, password: 'Tam-thoi-2012', now: t0 })
		).rejects.toThrow(NotAllowed);
		await resetPassword(db, admin, {
			userId: cadre.id,
			password: 'Tam-thoi-2012',
			ip: '10.9.9.9',
			now: t0
		});
		const outcome = await logIn(db, {
			username: 'quanpm',
			password: 'Tam-thoi-2012',
			ip: null,
			now: at(1)
		});
		expect(outcome).toMatchObject({ kind: 'ok', mustChangePassword: true });
		const entries = await db.select().from(auditLog);
		expect(
			entries.some(
				(e) =>
					e.action === 'user.password_reset' &&
					e.actorId === admin.id &&
					e.targetId === String(cadre.id)
			)
		).toBe(true);
	});
});
