import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markLesson } from '../../src/lib/server/courses/learning';
import { refreshCompletion } from '../../src/lib/server/courses/learning';
import {
	assessments,
	attempts,
	auditLog,
	certificates,
	competitionAwards,
	competitionRegistrations,
	competitionRounds,
	competitions,
	lessons
} from '../../src/lib/server/db/schema';
import { Conflict, Invalid, NotAllowed, NotFound } from '../../src/lib/server/errors';
import {
	certificateForActor,
	certificatesOf,
	courseCertificateCode,
	issueCertificate,
	listCertificates,
	revokeCertificate,
	verifyCertificate
} from '../../src/lib/server/reports/certificates';
import { cadreRecord } from '../../src/lib/server/reports/reports';
import type { Actor } from '../../src/lib/server/auth/actor';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import {
	makeAdmin,
	makeCadre,
	makeCourse,
	makeLeader,
	makeProvince,
	makeUser,
	reviewAll
} from './helpers/builders';

let database: TestDatabase;
let p: Awaited<ReturnType<typeof makeProvince>>;
let admin: Actor;
let organiser: Actor;
let leaderA: Actor;
let leaderB: Actor;
let cadre: Actor;
let neighbour: Actor;
let course: Awaited<ReturnType<typeof makeCourse>>;
const t = (s: string) => new Date(s);

beforeAll(async () => {
	database = await createTestDatabase();
	const db = database.db;
	p = await makeProvince(db);
	admin = await makeAdmin(db);
	organiser = await makeUser(db, { roles: ['organiser'] });
	leaderA = await makeLeader(db, p.districtA);
	leaderB = await makeLeader(db, p.districtB);
	cadre = await makeCadre(db, p.communeA1, { fullName: 'Lò Thị Ngọc Ánh' });
	neighbour = await makeCadre(db, p.communeA1);
	course = await makeCourse(db, { slug: 'van-phong', title: 'Tin học văn phòng' });
	await db.insert(lessons).values(
		[1, 2].map((i) => ({
			courseId: course.id,
			slug: `0${i}-bai`,
			title: `Bài ${i}`,
			position: i,
			estimatedMinutes: 45,
			status: 'published' as const
		}))
	);
});
afterAll(() => database.close());

async function certificateRows(userId: number) {
	return database.db.select().from(certificates).where(eq(certificates.userId, userId));
}

let code: string;

describe('course certificates', () => {
	it('are issued once, when the completion rule is met, with a snapshot of what was achieved', async () => {
		const db = database.db;
		const mark = (lesson: string, at: string, done = true) =>
			markLesson(db, cadre, { courseSlug: 'van-phong', lessonSlug: lesson, done, now: t(at) });
		await mark('01-bai', '2012-08-10T02:00:00Z');
		expect(await certificateRows(cadre.id)).toHaveLength(0);
		// 23:30 on 10/08 in Vietnam is 16:30 UTC: the date printed is the Vietnamese one.
		await mark('02-bai', '2012-08-10T16:30:00Z');
		let rows = await certificateRows(cadre.id);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			kind: 'course',
			subject: `course:${course.id}`,
			issuedAt: t('2012-08-10T16:30:00Z'),
			revokedAt: null,
			data: {
				fullName: 'Lò Thị Ngọc Ánh',
				unitName: 'Đảng ủy xã A1',
				courseTitle: 'Tin học văn phòng',
				completedOn: '10/08/2012',
				// No estimate on the course: 2 × 45 minutes, to the half hour.
				hours: 1.5
			}
		});
		expect(rows[0].code).toMatch(/^HT-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
		code = rows[0].code;
		// Undoing and redoing a lesson, or re-evaluating, keeps the one certificate and its date.
		await mark('02-bai', '2012-08-20T02:00:00Z', false);
		await mark('02-bai', '2012-08-21T02:00:00Z');
		await refreshCompletion(db, {
			userId: cadre.id,
			courseId: course.id,
			now: t('2012-09-01T00:00:00Z')
		});
		rows = await certificateRows(cadre.id);
		expect(rows.map((r) => [r.code, r.issuedAt])).toEqual([[code, t('2012-08-10T16:30:00Z')]]);
		// Nobody else got one.
		expect(await certificateRows(neighbour.id)).toHaveLength(0);
		expect(await courseCertificateCode(db, cadre, { courseId: course.id })).toBe(code);
		expect(await courseCertificateCode(db, neighbour, { courseId: course.id })).toBeNull();
	});

	it('issueCertificate is idempotent per subject and person', async () => {
		const again = await issueCertificate(database.db, {
			kind: 'course',
			userId: cadre.id,
			subject: `course:${course.id}`,
			data: { fullName: 'Khác' },
			now: t('2012-10-01T00:00:00Z')
		});
		expect(again).toEqual({ code, created: false });
		expect((await certificateRows(cadre.id))[0].data).toMatchObject({
			fullName: 'Lò Thị Ngọc Ánh'
		});
	});
});

describe('verification', () => {
	it('finds a certificate by its code however it is typed, and nothing for unknown or malformed codes', async () => {
		const db = database.db;
		const view = await verifyCertificate(db, { code });
		expect(view).toMatchObject({
			code,
			kind: 'course',
			fullName: 'Lò Thị Ngọc Ánh',
			unitName: 'Đảng ủy xã A1',
			title: 'Tin học văn phòng',
			hours: 1.5,
			achievedOn: '10/08/2012',
			revokedAt: null
		});
		const typed = code.toLowerCase().replace(/-/g, ' ');
		expect((await verifyCertificate(db, { code: typed }))?.code).toBe(code);
		expect(await verifyCertificate(db, { code: 'HT-2222-2222-2222' })).toBeNull();
		expect(await verifyCertificate(db, { code: "' or 1=1 --" })).toBeNull();
		expect(await verifyCertificate(db, { code: '' })).toBeNull();
	});

	it('lets the holder, admins, organisers and the leaders above them open it, nobody else', async () => {
		const db = database.db;
		for (const actor of [cadre, admin, organiser, leaderA])
			expect((await certificateForActor(db, actor, { code })).userId).toBe(cadre.id);
		for (const actor of [leaderB, neighbour])
			await expect(certificateForActor(db, actor, { code })).rejects.toThrow(NotAllowed);
		await expect(certificateForActor(db, admin, { code: 'HT-2222-2222-2222' })).rejects.toThrow(
			NotFound
		);
		await expect(certificatesOf(db, neighbour, { userId: cadre.id })).rejects.toThrow(NotAllowed);
		expect((await certificatesOf(db, leaderA, { userId: cadre.id })).map((c) => c.code)).toEqual([
			code
		]);
	});

	it('lists certificates within the actor’s scope, searchable by name and code', async () => {
		const db = database.db;
		expect((await listCertificates(db, leaderA, {})).rows.map((r) => r.code)).toEqual([code]);
		expect((await listCertificates(db, leaderB, {})).total).toBe(0);
		expect((await listCertificates(db, admin, { q: 'ngọc ánh' })).rows.map((r) => r.code)).toEqual([
			code
		]);
		expect((await listCertificates(db, admin, { q: code.toLowerCase() })).total).toBe(1);
		expect((await listCertificates(db, admin, { q: 'không có ai' })).total).toBe(0);
		expect((await listCertificates(db, leaderA, { unitCode: 'XA-A1' })).total).toBe(1);
		expect((await listCertificates(db, admin, { unitCode: 'XA-A2' })).total).toBe(0);
		await expect(listCertificates(db, leaderB, { unitCode: 'XA-A1' })).rejects.toThrow(NotAllowed);
		await expect(listCertificates(db, admin, { unitCode: 'NOPE' })).rejects.toThrow(NotFound);
		await expect(listCertificates(db, cadre, {})).rejects.toThrow(NotAllowed);
	});
});

describe('revoking', () => {
	it('is for admins, needs a reason, is audited, and shows on the public page', async () => {
		const db = database.db;
		const now = t('2012-09-20T03:00:00Z');
		await expect(
			revokeCertificate(db, leaderA, { code, reason: 'Cấp nhầm người', now })
		).rejects.toThrow(NotAllowed);
		await expect(revokeCertificate(db, admin, { code, reason: '  ab ', now })).rejects.toThrow(
			Invalid
		);
		await expect(
			revokeCertificate(db, admin, { code: 'HT-2222-2222-2222', reason: 'Cấp nhầm người', now })
		).rejects.toThrow(NotFound);
		expect((await verifyCertificate(db, { code }))?.revokedAt).toBeNull();
		await revokeCertificate(db, admin, { code, reason: 'Cấp nhầm người', now, ip: '10.0.0.9' });
		expect((await verifyCertificate(db, { code }))?.revokedAt).toEqual(now);
		// The reason is for admins only.
		expect((await certificateForActor(db, admin, { code })).revokedReason).toBe('Cấp nhầm người');
		expect((await certificateForActor(db, cadre, { code })).revokedReason).toBeNull();
		const audit = await db.select().from(auditLog).where(eq(auditLog.action, 'certificate.revoke'));
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({
			actorId: admin.id,
			targetType: 'certificate',
			targetId: code,
			ip: '10.0.0.9',
			details: { reason: 'Cấp nhầm người', kind: 'course', userId: cadre.id }
		});
		await expect(revokeCertificate(db, admin, { code, reason: 'Lần nữa', now })).rejects.toThrow(
			Conflict
		);
		expect((await listCertificates(db, admin, { revoked: true })).total).toBe(1);
		expect((await listCertificates(db, admin, { revoked: false })).total).toBe(0);
	});
});

describe('competition certificates and results in the cadre record', () => {
	it('renders the prize given by the results, and shows round scores only once results are published', async () => {
		const db = database.db;
		const [competition] = await db
			.insert(competitions)
			.values({
				slug: 'hoi-thi-thu',
				title: 'Hội thi thử',
				prizeQuotas: {
					individual: { nhat: 1, nhi: 1, ba: 1, kk: 1 },
					unit: { nhat: 1, nhi: 0, ba: 0, kk: 0 }
				}
			})
			.returning();
		const [assessment] = await db
			.insert(assessments)
			.values({
				kind: 'round',
				title: 'Vòng lý thuyết',
				status: 'published',
				reviewOptions: reviewAll
			})
			.returning();
		await db.insert(competitionRounds).values({
			competitionId: competition.id,
			position: 1,
			name: 'Vòng lý thuyết',
			kind: 'theory',
			assessmentId: assessment.id
		});
		await db.insert(competitionRegistrations).values({
			competitionId: competition.id,
			userId: neighbour.id,
			unitId: p.communeA1.id,
			registeredAt: t('2012-09-01T00:00:00Z')
		});
		await db.insert(attempts).values({
			assessmentId: assessment.id,
			userId: neighbour.id,
			number: 1,
			status: 'submitted',
			startedAt: t('2012-09-25T02:00:00Z'),
			submittedAt: t('2012-09-25T02:30:00Z'),
			score: 18,
			maxScore: 20,
			seed: 1
		});
		const now = t('2012-09-26T00:00:00Z');
		let record = await cadreRecord(db, leaderA, { userId: neighbour.id, now });
		expect(record.attempts).toHaveLength(0);
		expect(record.competitions).toHaveLength(0);

		await db
			.update(competitions)
			.set({ resultsPublishedAt: t('2012-09-28T03:00:00Z') })
			.where(eq(competitions.id, competition.id));
		await db.insert(competitionAwards).values({
			competitionId: competition.id,
			kind: 'individual',
			userId: neighbour.id,
			prize: 'nhat',
			rank: 1,
			score: 18,
			awardedAt: t('2012-09-28T03:00:00Z')
		});
		const issued = await issueCertificate(db, {
			kind: 'competition',
			userId: neighbour.id,
			subject: `competition:${competition.id}:nhat`,
			data: {
				fullName: neighbour.fullName,
				unitName: 'Đảng ủy xã A1',
				competitionTitle: 'Hội thi thử',
				prize: 'Giải Nhất',
				rank: 1,
				score: 18,
				maxScore: 20
			},
			now: t('2012-09-28T03:00:00Z')
		});
		record = await cadreRecord(db, leaderA, { userId: neighbour.id, now });
		expect(record.attempts.map((a) => [a.kind, a.percent])).toEqual([['round', 90]]);
		expect(record.competitions).toEqual([
			{ slug: 'hoi-thi-thu', title: 'Hội thi thử', total: 18, maxTotal: 20, prize: 'nhat', rank: 1 }
		]);
		expect(record.certificates).toEqual([
			expect.objectContaining({
				code: issued.code,
				kind: 'competition',
				title: 'Hội thi thử',
				prize: 'Giải Nhất',
				rank: 1,
				score: 18,
				maxScore: 20,
				achievedOn: '28/09/2012'
			})
		]);
		const verified = await verifyCertificate(db, { code: issued.code });
		expect(verified).toMatchObject({
			kind: 'competition',
			prize: 'Giải Nhất',
			title: 'Hội thi thử'
		});
	});
});
