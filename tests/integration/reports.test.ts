import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	assessments,
	attempts,
	courseAssignments,
	courseProgress,
	courses,
	lessonProgress,
	lessons
} from '../../src/lib/server/db/schema';
import { NotAllowed } from '../../src/lib/server/errors';
import { cadreRecord, progressOverTime, unitReport } from '../../src/lib/server/reports/reports';
import { progressSheets, toCsv, toXlsx } from '../../src/lib/server/reports/export';
import type { Actor } from '../../src/lib/server/auth/actor';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAdmin, makeCadre, makeLeader, makeProvince } from './helpers/builders';

let database: TestDatabase;
const now = new Date('2012-09-15T03:00:00Z');
const at = (s: string) => new Date(s);
let admin: Actor;
let leaderA: Actor;
let leaderB: Actor;
let cadreA1: Actor;
let memberA1: Actor;
let cadreA2: Actor;
let cadreB1: Actor;

beforeAll(async () => {
	database = await createTestDatabase();
	const db = database.db;
	const p = await makeProvince(db);
	admin = await makeAdmin(db);
	leaderA = await makeLeader(db, p.districtA, { fullName: 'Hoàng Văn Lãnh' });
	leaderB = await makeLeader(db, p.districtB);
	cadreA1 = await makeLeader(db, p.communeA1, { fullName: 'Lò Thị Ngọc' });
	memberA1 = await makeCadre(db, p.communeA1, { fullName: 'Giàng A Dế' });
	cadreA2 = await makeCadre(db, p.communeA2, { fullName: 'Đặng Thị Thu Hà' });
	cadreB1 = await makeCadre(db, p.communeB1);
	const [office] = await db
		.insert(courses)
		.values({ slug: 'van-phong', title: 'Tin học văn phòng', status: 'published' })
		.returning();
	const [draft] = await db
		.insert(courses)
		.values({ slug: 'nhap', title: 'Bản nháp', status: 'draft' })
		.returning();
	const ls = await db
		.insert(lessons)
		.values(
			[1, 2].map((i) => ({
				courseId: office.id,
				slug: `0${i}-bai`,
				title: `Bài ${i}`,
				position: i,
				status: 'published' as const
			}))
		)
		.returning();
	// District A and its subtree, due 01/09/2012; district B's own office only (no subtree).
	await db.insert(courseAssignments).values([
		{
			courseId: office.id,
			unitId: p.districtA.id,
			includeSubtree: true,
			dueAt: at('2012-09-01T00:00:00Z'),
			assignedAt: at('2012-08-01T00:00:00Z')
		},
		{
			courseId: office.id,
			unitId: p.districtB.id,
			includeSubtree: false,
			assignedAt: at('2012-08-01T00:00:00Z')
		},
		{ courseId: draft.id, userId: cadreB1.id, assignedAt: at('2012-08-01T00:00:00Z') }
	]);
	// cadreA1 completed both lessons and the course; memberA1 read one lesson; cadreB1 started on their own.
	await db.insert(lessonProgress).values([
		{
			userId: cadreA1.id,
			lessonId: ls[0].id,
			firstOpenedAt: at('2012-08-10T02:00:00Z'),
			lastOpenedAt: at('2012-08-10T02:00:00Z'),
			completedAt: at('2012-08-10T02:30:00Z'),
			secondsSpent: 1200
		},
		{
			userId: cadreA1.id,
			lessonId: ls[1].id,
			firstOpenedAt: at('2012-08-11T02:00:00Z'),
			lastOpenedAt: at('2012-08-11T02:00:00Z'),
			completedAt: at('2012-08-11T02:30:00Z'),
			secondsSpent: 600
		},
		{
			userId: memberA1.id,
			lessonId: ls[0].id,
			firstOpenedAt: at('2012-08-12T02:00:00Z'),
			lastOpenedAt: at('2012-08-12T02:00:00Z'),
			completedAt: at('2012-08-12T03:00:00Z'),
			secondsSpent: 900
		}
	]);
	await db.insert(courseProgress).values([
		{
			userId: cadreA1.id,
			courseId: office.id,
			startedAt: at('2012-08-10T02:00:00Z'),
			lastActivityAt: at('2012-08-11T02:30:00Z'),
			completedAt: at('2012-08-11T02:30:00Z')
		},
		{
			userId: memberA1.id,
			courseId: office.id,
			startedAt: at('2012-08-12T02:00:00Z'),
			lastActivityAt: at('2012-08-12T03:00:00Z')
		},
		{
			userId: cadreB1.id,
			courseId: office.id,
			startedAt: at('2012-09-01T02:00:00Z'),
			lastActivityAt: at('2012-09-01T02:00:00Z')
		}
	]);
	const [quiz] = await db
		.insert(assessments)
		.values({
			kind: 'quiz',
			courseId: office.id,
			title: 'Kiểm tra cuối khóa',
			passPercent: 70,
			reviewOptions: { during: f(), immediately: f(), later: f(), afterClose: f() }
		})
		.returning();
	await db.insert(attempts).values([
		{
			assessmentId: quiz.id,
			userId: cadreA1.id,
			number: 1,
			status: 'submitted',
			startedAt: at('2012-08-11T03:00:00Z'),
			submittedAt: at('2012-08-11T03:15:00Z'),
			score: 6,
			maxScore: 10,
			seed: 1
		},
		{
			assessmentId: quiz.id,
			userId: cadreA1.id,
			number: 2,
			status: 'submitted',
			startedAt: at('2012-08-11T04:00:00Z'),
			submittedAt: at('2012-08-11T04:15:00Z'),
			score: 8.5,
			maxScore: 10,
			seed: 2
		}
	]);
});
afterAll(() => database.close());

function f() {
	return { score: true, correctness: true, feedback: true, rightAnswer: true };
}

describe('unit reports', () => {
	it('rolls up district A with the figures computed by hand', async () => {
		const report = await unitReport(database.db, leaderA, { now });
		expect(report.unit.code).toBe('HU-A');
		// Assigned in A's subtree: leaderA, cadreA1, memberA1, cadreA2 = 4; completed 1; overdue 3 (due 01/09).
		expect(report.stats.overall).toMatchObject({
			target: 4,
			assigned: 4,
			started: 2,
			completed: 1,
			overdue: 3,
			quizTaken: 1,
			quizPassed: 1,
			averageScore: 85
		});
		expect(report.stats.cadres).toBe(4);
		expect(report.stats.participants).toBe(2);
		expect(
			report.children.map((c) => [c.unit.code, c.overall.completed, c.overall.target])
		).toEqual([
			['XA-A1', 1, 2],
			['XA-A2', 0, 1]
		]);
		// The commune leader completed; the commune's own rate is 1/2: leading by example.
		expect(report.children[0].leaders).toMatchObject({
			leaderRate: 1,
			unitRate: 0.5,
			leadsByExample: true
		});
		// The district leader has not: behind their own office (also 0) — not leading.
		expect(report.stats.leaders).toMatchObject({
			leaderAssigned: 1,
			leaderCompleted: 0,
			leadsByExample: false
		});
		expect(report.cadres.map((c) => c.cadre.fullName)).toEqual(['Hoàng Văn Lãnh']);
	});

	it('assigns a unit without its subtree only to the unit itself, and ignores draft courses', async () => {
		const report = await unitReport(database.db, admin, { unitCode: 'HU-B', now });
		// leaderB assigned (own office); cadreB1 in a commune is not, but started on their own; the draft is ignored.
		expect(report.stats.overall).toMatchObject({
			target: 2,
			assigned: 1,
			started: 1,
			completed: 0,
			overdue: 0
		});
		expect(report.courses.map((c) => c.title)).toEqual(['Tin học văn phòng']);
	});

	it('keeps leaders inside their subtree', async () => {
		await expect(unitReport(database.db, leaderA, { unitCode: 'HU-B', now })).rejects.toThrow(
			NotAllowed
		);
		await expect(unitReport(database.db, leaderA, { unitCode: 'TU', now })).rejects.toThrow(
			NotAllowed
		);
		await expect(unitReport(database.db, cadreA2, { now })).rejects.toThrow(NotAllowed);
		await expect(cadreRecord(database.db, leaderB, { userId: cadreA1.id, now })).rejects.toThrow(
			NotAllowed
		);
		await expect(cadreRecord(database.db, cadreA2, { userId: cadreA1.id, now })).rejects.toThrow(
			NotAllowed
		);
		expect((await unitReport(database.db, cadreA1, { unitCode: 'XA-A1', now })).unit.code).toBe(
			'XA-A1'
		);
		await expect(unitReport(database.db, cadreA1, { unitCode: 'XA-A2', now })).rejects.toThrow(
			NotAllowed
		);
	});

	it('shows one cadre’s whole record to themselves and to their leaders', async () => {
		const own = await cadreRecord(database.db, cadreA1, { userId: cadreA1.id, now });
		expect(own.courses).toHaveLength(1);
		expect(own.courses[0]).toMatchObject({
			lessonsDone: 2,
			lessonCount: 2,
			quizBestPercent: 85,
			quizPassed: true,
			overdue: false
		});
		expect(own.attempts.map((a) => a.percent)).toEqual([85, 60]);
		expect(own.secondsSpent).toBe(1800);
		const byLeader = await cadreRecord(database.db, leaderA, { userId: memberA1.id, now });
		expect(byLeader.courses[0]).toMatchObject({ lessonsDone: 1, overdue: true });
	});

	it('counts completions per week in Vietnam time', async () => {
		const weeks = await progressOverTime(database.db, admin, {
			unitCode: 'TU',
			from: at('2012-08-06T00:00:00Z'),
			to: at('2012-08-20T00:00:00Z')
		});
		expect(weeks).toEqual([
			{ week: '2012-08-06', lessons: 3, courses: 1 },
			{ week: '2012-08-13', lessons: 0, courses: 0 },
			// 'to' is 07:00 on Monday 20/08 in Vietnam: that week has begun.
			{ week: '2012-08-20', lessons: 0, courses: 0 }
		]);
	});
});

describe('exports', () => {
	it('writes an XLSX that reads back with diacritics, types and every row', async () => {
		const { sheets } = await progressSheets(database.db, leaderA, { now });
		const bytes = await toXlsx(sheets, { title: 'Báo cáo', creator: 'HọcThi', now });
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(bytes.buffer);
		const detail = workbook.worksheets[0];
		// Header + one row per (cadre, course) or per cadre without courses: 4 cadres, all assigned.
		expect(detail.rowCount).toBe(1 + 4);
		const names = detail.getColumn(3).values.slice(2);
		expect(names).toEqual(
			expect.arrayContaining(['Lò Thị Ngọc', 'Giàng A Dế', 'Đặng Thị Thu Hà', 'Hoàng Văn Lãnh'])
		);
		const row = detail.getRows(2, 4)!.find((r) => r.getCell(3).value === 'Lò Thị Ngọc')!;
		expect(row.getCell(7).value).toBe('Tin học văn phòng');
		// Dates are real dates showing the Vietnamese calendar day.
		expect(row.getCell(11).value).toBeInstanceOf(Date);
		expect(row.getCell(11).numFmt).toBe('dd/mm/yyyy');
		expect(row.getCell(14).value).toBe(85);
		expect(detail.autoFilter).toBeTruthy();
		expect(workbook.worksheets[1].getRow(2).getCell(1).value).toBe('Huyện ủy A');
	});

	it('writes a CSV with a BOM and Vietnamese dates', async () => {
		const { sheets } = await progressSheets(database.db, admin, { unitCode: 'XA-A1', now });
		const csv = toCsv(sheets[0]);
		expect(csv.charCodeAt(0)).toBe(0xfeff);
		const lines = csv.slice(1).trim().split('\r\n');
		expect(lines).toHaveLength(3);
		expect(lines.find((l) => l.includes('Lò Thị Ngọc'))).toContain('11/08/2012');
	});

	it('refuses an export outside the leader’s subtree', async () => {
		await expect(progressSheets(database.db, leaderB, { unitCode: 'HU-A', now })).rejects.toThrow(
			NotAllowed
		);
	});
});
