import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditActions, listAudit, recordAudit } from '../../src/lib/server/audit/log';
import { NotAllowed } from '../../src/lib/server/errors';
import { parseDate } from '../../src/lib/format';
import type { Actor } from '../../src/lib/server/auth/actor';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAdmin, makeLeader, makeProvince, makeUser } from './helpers/builders';

let database: TestDatabase;
let admin: Actor;
let trainer: Actor;
let leader: Actor;

beforeAll(async () => {
	database = await createTestDatabase();
	const db = database.db;
	const p = await makeProvince(db);
	admin = await makeAdmin(db, { username: 'quantri', fullName: 'Phạm Quản Trị' });
	trainer = await makeUser(db, {
		username: 'giangvien',
		fullName: 'Trần Thị Giảng',
		roles: ['trainer']
	});
	leader = await makeLeader(db, p.districtA);
	const entries: Array<[Actor | null, string, string]> = [
		[admin, 'user.create', '2012-09-01T02:00:00Z'],
		[admin, 'user.privileges', '2012-09-02T02:00:00Z'],
		[admin, 'roster.import', '2012-09-03T16:59:00Z'], // 23:59 on 03/09 in Vietnam
		[admin, 'user.password_reset', '2012-09-03T17:00:00Z'], // 00:00 on 04/09 in Vietnam
		[trainer, 'grade.manual', '2012-09-05T02:00:00Z'],
		[trainer, 'assessment.extend_time', '2012-09-06T02:00:00Z'],
		[null, 'course.import', '2012-09-07T02:00:00Z']
	];
	for (const [actor, action, at] of entries)
		await recordAudit(db, {
			actorId: actor?.id ?? 0,
			action,
			targetType: 'x',
			targetId: 1,
			now: new Date(at)
		});
});
afterAll(() => database.close());

const actionsOf = (rows: Array<{ action: string }>) => rows.map((r) => r.action);

describe('the audit log viewer', () => {
	it('lists newest first, with paging and the total', async () => {
		const first = await listAudit(database.db, admin, { limit: 3, offset: 0 });
		expect(first.total).toBe(7);
		expect(actionsOf(first.rows)).toEqual([
			'course.import',
			'assessment.extend_time',
			'grade.manual'
		]);
		const third = await listAudit(database.db, admin, { limit: 3, offset: 6 });
		expect(actionsOf(third.rows)).toEqual(['user.create']);
		expect(first.rows[0]).toMatchObject({ actorUsername: null, details: { via: 'cli' } });
	});

	it('filters by actor (username or part of the name), by action prefix and by Vietnamese dates', async () => {
		const db = database.db;
		expect((await listAudit(db, admin, { actor: 'GiangVien' })).total).toBe(2);
		expect((await listAudit(db, admin, { actor: 'quản trị' })).total).toBe(4);
		expect(actionsOf((await listAudit(db, admin, { action: 'user.' })).rows)).toEqual([
			'user.password_reset',
			'user.privileges',
			'user.create'
		]);
		// '%' is a character to match, not a wildcard.
		expect((await listAudit(db, admin, { action: '%' })).total).toBe(0);
		// From 03/09 to 03/09 (the viewer adds a day to "to"): only what happened that Vietnamese day.
		const day = parseDate('03/09/2012')!;
		const sameDay = await listAudit(db, admin, {
			from: day,
			to: new Date(day.getTime() + 24 * 3600_000)
		});
		expect(actionsOf(sameDay.rows)).toEqual(['roster.import']);
		const combined = await listAudit(db, admin, {
			actor: 'quantri',
			action: 'user.',
			from: parseDate('02/09/2012')!
		});
		expect(actionsOf(combined.rows)).toEqual(['user.password_reset', 'user.privileges']);
	});

	it('is for admins only, and suggests the actions that occur', async () => {
		await expect(listAudit(database.db, leader, {})).rejects.toThrow(NotAllowed);
		await expect(listAudit(database.db, trainer, {})).rejects.toThrow(NotAllowed);
		expect(await auditActions(database.db, admin)).toEqual([
			'assessment.extend_time',
			'course.import',
			'grade.manual',
			'roster.import',
			'user.create',
			'user.password_reset',
			'user.privileges'
		]);
	});
});
