import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autosave } from '../../src/lib/server/assessments/autosave';
import { startAttempt } from '../../src/lib/server/assessments/engine';
import { createSession, sessionIdFromToken } from '../../src/lib/server/auth/session';
import { attemptAnswers, sessions, users } from '../../src/lib/server/db/schema';
import { fastSave } from '../../src/lib/server/fastlane';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import {
	makeAssessment,
	makeCadre,
	makeCategory,
	makeCourse,
	makeQuestion,
	makeUnit,
	singleChoice
} from './helpers/builders';

// The fast lane in front of SvelteKit (src/lib/server/fastlane.ts) against a real database: it
// answers a plain autosave exactly as the route would, and leaves every other case unread.

let database: TestDatabase;
let assessmentId: number;
let unit: Awaited<ReturnType<typeof makeUnit>>;

beforeAll(async () => {
	database = await createTestDatabase();
	const db = database.db;
	unit = await makeUnit(db, { code: 'FL' });
	const courseId = (await makeCourse(db, { title: 'An toàn thông tin' })).id;
	const cat = await makeCategory(db, { name: 'Mật khẩu' });
	const q = await makeQuestion(db, {
		categoryId: cat.id,
		data: singleChoice(1),
		stem: 'Mật khẩu nào mạnh nhất?'
	});
	assessmentId = (
		await makeAssessment(db, {
			courseId,
			timeLimitSeconds: 3600,
			slots: [{ questionId: q.questionId }]
		})
	).id;
});
afterAll(() => database.close());

function request(input: { url: string; cookie: string; body: string; type?: string }) {
	const req = Readable.from([Buffer.from(input.body)]) as unknown as IncomingMessage;
	Object.assign(req, {
		method: 'POST',
		url: input.url,
		headers: {
			host: 'localhost',
			'content-type': input.type ?? 'application/json',
			cookie: input.cookie
		},
		socket: { remoteAddress: '10.1.2.3' }
	});
	return req;
}

function response() {
	const headers = new Map<string, string>();
	const out = { status: 0, body: '', headers, ended: false };
	const res = {
		statusCode: 200,
		headersSent: false,
		setHeader: (name: string, value: string | number) =>
			headers.set(name.toLowerCase(), String(value)),
		end(text: string) {
			out.status = res.statusCode;
			out.body = text;
			out.ended = true;
			res.headersSent = true;
		},
		destroy() {}
	};
	return { res: res as unknown as ServerResponse, out };
}

async function competitor() {
	const db = database.db;
	const cadre = await makeCadre(db, unit);
	const { attemptId } = await startAttempt(db, cadre, { assessmentId, now: new Date() });
	const { token } = await createSession(db, { userId: cadre.id, now: new Date() });
	return { cadre, attemptId, token, cookie: `PARAGLIDE_LOCALE=en; hocthi_session=${token}` };
}

const open = () => Promise.resolve(database.db);

describe('the fast lane for autosaves', () => {
	it('answers a save as the route does: saved, acknowledged with the clock, the same headers', async () => {
		const db = database.db;
		const { cadre, attemptId, cookie } = await competitor();
		const body = JSON.stringify({ slot: 1, seq: 3, response: { type: 'single', choice: 2 } });
		const { res, out } = response();
		expect(
			await fastSave(request({ url: `/attempts/${attemptId}/save`, cookie, body }), res, open)
		).toBe(true);
		expect(out.status).toBe(200);
		const answer = JSON.parse(out.body);
		expect(answer).toMatchObject({ status: 'saved', seq: 3, paused: false });
		expect(new Date(answer.deadlineAt).getTime()).toBeGreaterThan(Date.now());
		expect(out.headers.get('content-type')).toBe('application/json');
		expect(out.headers.get('cache-control')).toBe('private, no-store');
		expect(out.headers.get('x-frame-options')).toBe('DENY');
		const [row] = await db
			.select()
			.from(attemptAnswers)
			.where(and(eq(attemptAnswers.attemptId, attemptId), eq(attemptAnswers.slot, 1)));
		expect(row).toMatchObject({ seq: 3, response: { type: 'single', choice: 2 } });
		// The same save again through the route's function: the same answer (idempotent).
		const again = await autosave(db, cadre, { attemptId, body, now: new Date(), ip: null });
		expect(again).toMatchObject({ status: 200, body: { seq: 3 } });
	});

	it('refuses like the route: someone else’s attempt is not found, a bad body is explained in the cookie’s language', async () => {
		const mine = await competitor();
		const theirs = await competitor();
		const body = JSON.stringify({ slot: 1, seq: 1, response: { type: 'single', choice: 0 } });
		const foreign = response();
		await fastSave(
			request({ url: `/attempts/${theirs.attemptId}/save`, cookie: mine.cookie, body }),
			foreign.res,
			open
		);
		expect(foreign.out.status).toBe(404);
		const bad = response();
		await fastSave(
			request({ url: `/attempts/${mine.attemptId}/save`, cookie: mine.cookie, body: '[1]' }),
			bad.res,
			open
		);
		expect(bad.out.status).toBe(400);
		const english = JSON.parse(bad.out.body).message as string;
		const vi = response();
		await fastSave(
			request({
				url: `/attempts/${mine.attemptId}/save`,
				cookie: `hocthi_session=${mine.token}`,
				body: '[1]'
			}),
			vi.res,
			open
		);
		expect(JSON.parse(vi.out.body).message).not.toBe(english);
		expect(JSON.parse(vi.out.body).message).toMatch(/[ạảãáàâầấậẩẫăằắặẳẵđêềếệểễôồốộổỗơờớợởỡưừứựửữ]/);
	});

	it('leaves to SvelteKit, unread: no session, an unknown one, one to refresh, a password to change', async () => {
		const db = database.db;
		const body = JSON.stringify({ slot: 1, seq: 9, response: { type: 'single', choice: 1 } });
		const declined = async (attemptId: string, cookie: string) => {
			const req = request({ url: `/attempts/${attemptId}/save`, cookie, body });
			const { res, out } = response();
			const answered = await fastSave(req, res, open);
			// Unread: SvelteKit gets the whole body.
			const rest: Buffer[] = [];
			for await (const chunk of req) rest.push(chunk as Buffer);
			return { answered, ended: out.ended, unread: Buffer.concat(rest).toString() === body };
		};
		const a = await competitor();
		expect(await declined(a.attemptId, 'PARAGLIDE_LOCALE=vi')).toEqual({
			answered: false,
			ended: false,
			unread: true
		});
		expect(await declined(a.attemptId, 'hocthi_session=notatoken')).toMatchObject({
			answered: false,
			unread: true
		});
		// Half the idle window gone: the session slides, which needs a cookie sent back.
		await db
			.update(sessions)
			.set({ expiresAt: new Date(Date.now() + 10 * 60 * 1000) })
			.where(eq(sessions.id, sessionIdFromToken(a.token)));
		expect(await declined(a.attemptId, a.cookie)).toMatchObject({ answered: false, unread: true });
		const b = await competitor();
		await db.update(users).set({ mustChangePassword: true }).where(eq(users.id, b.cadre.id));
		expect(await declined(b.attemptId, b.cookie)).toMatchObject({ answered: false, unread: true });
		await db
			.update(users)
			.set({ active: false, mustChangePassword: false })
			.where(eq(users.id, b.cadre.id));
		expect(await declined(b.attemptId, b.cookie)).toMatchObject({ answered: false, unread: true });
		// Nothing was saved by any of them.
		const saved = await db.select().from(attemptAnswers).where(eq(attemptAnswers.seq, 9));
		expect(saved).toEqual([]);
	});
});
