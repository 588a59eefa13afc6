// The holes the authorisation matrix found, each closed where the data is (tests/e2e/authz.e2e.ts
// runs the whole matrix against a server).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { auditLog } from '../../src/lib/server/db/schema';
import { logIn } from '../../src/lib/server/auth/login';
import { validateSessionToken } from '../../src/lib/server/auth/session';
import { NotAllowed } from '../../src/lib/server/errors';
import { importRoster } from '../../src/lib/server/org/roster';
import { bankCategories, createCategory } from '../../src/lib/server/questions/categories';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import {
	TEST_PASSWORD,
	makeAdmin,
	makeCadre,
	makeLeader,
	makeProvince,
	makeUser
} from './helpers/builders';

let database: TestDatabase;
let p: Awaited<ReturnType<typeof makeProvince>>;
beforeAll(async () => {
	database = await createTestDatabase();
	p = await makeProvince(database.db);
});
afterAll(() => database.close());
const now = new Date('2012-09-15T01:00:00Z');
const later = new Date('2012-09-15T01:05:00Z');

describe('the question bank’s category tree', () => {
	it('is for trainers and admins only, whoever asks for a page’s data', async () => {
		const db = database.db;
		const trainer = await makeUser(db, { roles: ['trainer'] });
		await createCategory(db, trainer, { name: 'Mạng', parentId: null, now });
		expect((await bankCategories(db, trainer)).map((c) => c.name)).toEqual(['Mạng']);
		expect(await bankCategories(db, await makeAdmin(db))).toHaveLength(1);
		for (const actor of [
			await makeCadre(db, p.communeA1),
			await makeLeader(db, p.districtA),
			await makeUser(db, { roles: ['organiser'] }),
			await makeUser(db, { roles: ['judge'] })
		])
			await expect(bankCategories(db, actor)).rejects.toThrow(NotAllowed);
	});
});

describe('a roster import that changes someone’s privileges', () => {
	it('ends that person’s sessions, and only theirs, and says so in the audit log', async () => {
		const db = database.db;
		const admin = await makeAdmin(db);
		await makeCadre(db, p.communeA1, { username: 'thangnv', fullName: 'Nguyễn Văn Thắng' });
		await makeCadre(db, p.communeA1, { username: 'hoalt', fullName: 'Lê Thị Hoa' });
		const session = async (username: string) => {
			const outcome = await logIn(db, { username, password: TEST_PASSWORD, ip: null, now });
			if (outcome.kind !== 'ok') throw new Error('login failed');
			return outcome.session.token;
		};
		const alive = async (token: string) =>
			!!(await validateSessionToken(db, { token, now: later }));
		const promotedSessions = [await session('thangnv'), await session('thangnv')];
		const renamedSession = await session('hoalt');
		const header = 'username,full_name,unit_code,position,role,is_leader';
		const result = await importRoster(db, admin, {
			text: [
				header,
				// Made a leader: a change of privilege.
				`thangnv,Nguyễn Văn Thắng,XA-A1,Bí thư,cadre,1`,
				// A new name only: nothing of privilege.
				`hoalt,Lê Thị Hoa (Kế toán),XA-A1,Chuyên viên,cadre,0`
			].join('\n'),
			fileName: 'danh-sach.csv',
			now
		});
		expect(result.updated).toBe(2);
		for (const token of promotedSessions) expect(await alive(token)).toBe(false);
		expect(await alive(renamedSession)).toBe(true);
		const [row] = await db
			.select()
			.from(auditLog)
			.where(eq(auditLog.action, 'roster.import'))
			.orderBy(desc(auditLog.id))
			.limit(1);
		expect(row.details).toMatchObject({ updated: 2, privileges: ['thangnv'] });

		// Moved to another unit, and a role more: the same.
		const moved = await session('thangnv');
		const trainer = await session('hoalt');
		await importRoster(db, admin, {
			text: [
				header,
				`thangnv,Nguyễn Văn Thắng,XA-A2,Bí thư,cadre,1`,
				`hoalt,Lê Thị Hoa (Kế toán),XA-A1,Chuyên viên,cadre;trainer,0`
			].join('\n'),
			now
		});
		expect(await alive(moved)).toBe(false);
		expect(await alive(trainer)).toBe(false);
	});
});
