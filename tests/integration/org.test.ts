import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import {
	createUnit,
	deleteUnit,
	findUnitByCode,
	getUnitForActor,
	updateUnit
} from '../../src/lib/server/org/units';
import { addUser, listUsers, updateUser } from '../../src/lib/server/org/users';
import { importRoster } from '../../src/lib/server/org/roster';
import { Conflict, ImportFailed, Invalid, NotAllowed } from '../../src/lib/server/errors';
import { auditLog, sessions, users } from '../../src/lib/server/db/schema';
import { logIn } from '../../src/lib/server/auth/login';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { TEST_PASSWORD, makeAdmin, makeCadre, makeLeader, makeProvince } from './helpers/builders';

let database: TestDatabase;
beforeAll(async () => {
	database = await createTestDatabase();
});
afterAll(() => database.close());
const now = new Date('2012-09-15T01:00:00Z');

describe('units', () => {
	it('creates, moves (with the subtree) and deletes units', async () => {
		const db = database.db;
		const admin = await makeAdmin(db);
		const root = await createUnit(db, admin, {
			code: 'ROOT',
			name: 'Tỉnh ủy',
			kind: 'province',
			now
		});
		const d1 = await createUnit(db, admin, {
			code: 'D1',
			name: 'Huyện ủy 1',
			kind: 'district',
			parentCode: 'ROOT',
			now
		});
		const d2 = await createUnit(db, admin, {
			code: 'D2',
			name: 'Huyện ủy 2',
			kind: 'district',
			parentCode: 'ROOT',
			now
		});
		const c1 = await createUnit(db, admin, {
			code: 'C1',
			name: 'Xã 1',
			kind: 'commune',
			parentCode: 'D1',
			now
		});
		const c1a = await createUnit(db, admin, {
			code: 'C1A',
			name: 'Thôn',
			kind: 'commune',
			parentCode: 'C1',
			now
		});
		expect(c1a.path).toBe(`/${root.id}/${d1.id}/${c1.id}/${c1a.id}/`);

		await updateUnit(db, admin, {
			id: c1.id,
			code: 'C1',
			name: 'Xã 1',
			kind: 'commune',
			parentCode: 'D2',
			now
		});
		expect((await findUnitByCode(db, 'C1A'))?.path).toBe(
			`/${root.id}/${d2.id}/${c1.id}/${c1a.id}/`
		);
		expect((await findUnitByCode(db, 'C1A'))?.depth).toBe(3);

		await expect(
			updateUnit(db, admin, {
				id: d2.id,
				code: 'D2',
				name: 'x',
				kind: 'district',
				parentCode: 'C1A',
				now
			})
		).rejects.toThrow(Invalid);
		await expect(
			createUnit(db, admin, { code: 'D1', name: 'trùng', kind: 'district', now })
		).rejects.toThrow(Invalid);
		await expect(
			createUnit(db, admin, { code: 'có dấu', name: 'x', kind: 'district', now })
		).rejects.toThrow(Invalid);
		await expect(deleteUnit(db, admin, { id: d2.id, now })).rejects.toThrow(Conflict);
		await deleteUnit(db, admin, { id: c1a.id, now });
		expect(await findUnitByCode(db, 'C1A')).toBeNull();
		const cadre = await makeCadre(db, { id: d1.id, code: 'D1', path: d1.path, depth: 1 });
		await expect(
			createUnit(db, cadre, { code: 'X', name: 'x', kind: 'district', now })
		).rejects.toThrow(NotAllowed);
		const audit = await db.select().from(auditLog).where(eq(auditLog.actorId, admin.id));
		expect(audit.map((a) => a.action)).toEqual(
			expect.arrayContaining(['unit.create', 'unit.update', 'unit.delete'])
		);
	});
});

describe('users and scope', () => {
	it('a leader sees their subtree only; a cadre sees no roster', async () => {
		const db = database.db;
		const p = await makeProvince(db);
		const leaderA = await makeLeader(db, p.districtA);
		const inA1 = await makeCadre(db, p.communeA1, { fullName: 'Hà Văn Chiến' });
		const inB1 = await makeCadre(db, p.communeB1, { fullName: 'Giàng A Dế' });
		const cadre = await makeCadre(db, p.communeA1);

		const seen = await listUsers(db, leaderA, { limit: 1000 });
		const ids = seen.rows.map((r) => r.id);
		expect(ids).toContain(inA1.id);
		expect(ids).toContain(leaderA.id);
		expect(ids).not.toContain(inB1.id);
		await expect(listUsers(db, leaderA, { unitCode: 'XA-B1' })).rejects.toThrow(NotAllowed);
		await expect(getUnitForActor(db, leaderA, 'HU-B')).rejects.toThrow(NotAllowed);
		await expect(getUnitForActor(db, leaderA, 'TU')).rejects.toThrow(NotAllowed);
		expect((await getUnitForActor(db, leaderA, 'XA-A2')).code).toBe('XA-A2');
		await expect(listUsers(db, cadre)).rejects.toThrow(NotAllowed);
		const found = await listUsers(db, leaderA, { q: 'chiến' });
		expect(found.rows.map((r) => r.id)).toEqual([inA1.id]);
	});

	it('adds users and ends sessions when privileges change', async () => {
		const db = database.db;
		const admin = await makeAdmin(db);
		const { id } = await addUser(db, admin, {
			username: 'Lanbt',
			fullName: 'Bùi Thị Lan',
			unitCode: 'XA-A1',
			roles: ['cadre'],
			password: 'Mat-khau-ban-dau',
			now
		});
		await expect(
			addUser(db, admin, {
				username: 'lanbt',
				fullName: 'Trùng',
				unitCode: 'XA-A1',
				roles: ['cadre'],
				now
			})
		).rejects.toThrow(Invalid);
		await expect(
			addUser(db, admin, { username: 'nounit', fullName: 'Không đơn vị', roles: ['cadre'], now })
		).rejects.toThrow(Invalid);
		const login = await logIn(db, {
			username: 'lanbt',
			password: 'Mat-khau-ban-dau',
			ip: null,
			now
		});
		expect(login).toMatchObject({ kind: 'ok', mustChangePassword: true });
		await updateUser(db, admin, {
			id,
			username: 'lanbt',
			fullName: 'Bùi Thị Lan',
			unitCode: 'XA-A1',
			roles: ['cadre', 'judge'],
			isLeader: false,
			active: true,
			now
		});
		expect(await db.select().from(sessions).where(eq(sessions.userId, id))).toHaveLength(0);
		const [row] = await db.select().from(users).where(eq(users.id, id));
		expect(row.roles).toEqual(['cadre', 'judge']);
		await expect(
			updateUser(db, admin, {
				id: admin.id,
				username: admin.username,
				fullName: 'A',
				roles: ['cadre'],
				unitCode: 'TU',
				active: true,
				now
			})
		).rejects.toThrow(Invalid);
	});
});

describe('roster import', () => {
	const header = 'username,full_name,unit_code,position,role,is_leader';

	it('imports a whole file, and importing it again changes nothing', async () => {
		const db = database.db;
		const admin = await makeAdmin(db);
		const csv = `\ufeff${header}\r\nhoangvt,Hoàng Văn Tú,XA-A1,Bí thư Đảng ủy,cadre,1\r\nlyts,Lý Thị Sua,XA-A2,"Cán bộ Văn phòng, kiêm văn thư",cadre,0\r\n`;
		const first = await importRoster(db, admin, { text: csv, now });
		expect(first).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
		expect(first.initialPasswords.map((p) => p.username)).toEqual(['hoangvt', 'lyts']);
		const again = await importRoster(db, admin, { text: csv, now });
		expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2, initialPasswords: [] });
		const login = await logIn(db, {
			username: 'lyts',
			password: first.initialPasswords[1].password,
			ip: null,
			now
		});
		expect(login).toMatchObject({ kind: 'ok', mustChangePassword: true });
		const changed = csv.replace('Bí thư Đảng ủy', 'Phó Bí thư Đảng ủy');
		expect(await importRoster(db, admin, { text: changed, now })).toMatchObject({
			created: 0,
			updated: 1,
			unchanged: 1
		});
	});

	it('imports nothing when any row is bad, naming each bad line', async () => {
		const db = database.db;
		const admin = await makeAdmin(db);
		const before = await db.select({ id: users.id }).from(users);
		const csv = [
			header,
			'newone,Người Mới,XA-A1,,cadre,0',
			'newtwo,Người Thứ Hai,KHONG-CO,,cadre,0',
			'newthree,,XA-A1,,cadre,0'
		].join('\n');
		const error = await importRoster(db, admin, { text: csv, now, fileName: 'ds.csv' }).catch(
			(e) => e
		);
		expect(error).toBeInstanceOf(ImportFailed);
		expect((error as ImportFailed).errors.map((e) => e.line)).toEqual([3, 4]);
		expect((error as ImportFailed).message).toContain('ds.csv:3');
		const after = await db.select({ id: users.id }).from(users);
		expect(after.length).toBe(before.length);
	});

	it('only admins import', async () => {
		const db = database.db;
		const p = await findUnitByCode(db, 'HU-A');
		const leader = await makeLeader(db, { id: p!.id, code: 'HU-A', path: p!.path, depth: 1 });
		await expect(importRoster(db, leader, { text: `${header}\n`, now })).rejects.toThrow(
			NotAllowed
		);
	});

	it('keeps a password set in the file for new accounts only', async () => {
		const db = database.db;
		const admin = await makeAdmin(db);
		const csv = `${header},password\nphongdv,Đinh Văn Phong,XA-A1,,cadre,0,${TEST_PASSWORD}\n`;
		const result = await importRoster(db, admin, { text: csv, now });
		expect(result.initialPasswords).toEqual([]);
		expect(
			(await logIn(db, { username: 'phongdv', password: TEST_PASSWORD, ip: null, now })).kind
		).toBe('ok');
	});
});
