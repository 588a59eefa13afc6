import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCourseFolder } from '../../src/lib/server/courses/import';
import {
	catalogue,
	coursePage,
	groupMyLearning,
	markLesson,
	openLesson
} from '../../src/lib/server/courses/learning';
import {
	courseAssignments,
	courses,
	files,
	lessonProgress,
	lessons,
	questions,
	courseProgress
} from '../../src/lib/server/db/schema';
import { ImportFailed, NotAllowed, NotFound } from '../../src/lib/server/errors';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAdmin, makeCadre, makeProvince, makeUser } from './helpers/builders';

const network = path.resolve('content/quan-tri-mang-co-ban');
let database: TestDatabase;
const now = new Date('2012-08-01T02:00:00Z');
let p: Awaited<ReturnType<typeof makeProvince>>;

beforeAll(async () => {
	database = await createTestDatabase();
	p = await makeProvince(database.db);
});
afterAll(() => database.close());

describe('importing a course folder', () => {
	it('imports the network course with its lessons, images and question bank, and re-imports without changes', async () => {
		const db = database.db;
		const trainer = await makeUser(db, { roles: ['trainer'] });
		const result = await importCourseFolder(db, trainer, { dir: network, now });
		expect(result).toMatchObject({ slug: 'quan-tri-mang-co-ban', created: true });
		expect(result.lessons.created).toBeGreaterThanOrEqual(6);
		expect(result.assets).toBeGreaterThanOrEqual(1);
		expect(result.questions?.created).toBeGreaterThanOrEqual(25);
		const again = await importCourseFolder(db, trainer, { dir: network, now });
		expect(again.lessons).toMatchObject({ created: 0, updated: 0, removed: 0 });
		expect(again.questions).toMatchObject({ created: 0, updated: 0 });
		const [course] = await db
			.select()
			.from(courses)
			.where(eq(courses.slug, 'quan-tri-mang-co-ban'));
		expect(course).toMatchObject({
			status: 'published',
			audience: 'everyone',
			title: 'Quản trị mạng cơ bản'
		});
		expect(
			(
				await db
					.select()
					.from(files)
					.where(eq(files.ownerId, String(course.id)))
			).every((f) => f.fileName.startsWith('images/'))
		).toBe(true);
		expect((await db.select().from(questions)).length).toBe(result.questions!.created);
	});

	it('refuses a bad folder naming every file and line, and writes nothing', async () => {
		const db = database.db;
		const admin = await makeAdmin(db);
		const before = await db.select().from(courses);
		const error = await importCourseFolder(db, admin, {
			dir: path.resolve('tests/fixtures/courses/bad-course'),
			now
		}).catch((e) => e);
		expect(error).toBeInstanceOf(ImportFailed);
		const problems = (error as ImportFailed).errors.map((e) => `${e.file}:${e.line}`);
		expect(problems).toEqual(
			expect.arrayContaining([
				'course.md:2',
				'course.md:3',
				'course.md:4',
				'Bai 2.md:1',
				'01-bai-mot.md:4',
				'01-bai-mot.md:6',
				'questions.gift:1'
			])
		);
		expect(
			(error as ImportFailed).errors.find(
				(e) => e.file === '01-bai-mot.md' && e.message.includes('khong-co.svg')
			)
		).toBeTruthy();
		expect(
			(error as ImportFailed).errors.find((e) => e.message.includes('secret.txt'))
		).toBeTruthy();
		expect(await db.select().from(courses)).toEqual(before);
	});

	it('only trainers and admins import', async () => {
		const cadre = await makeCadre(database.db, p.communeA1);
		await expect(importCourseFolder(database.db, cadre, { dir: network, now })).rejects.toThrow(
			NotAllowed
		);
	});

	it('keeps the progress of lessons that stay when the folder changes', async () => {
		const db = database.db;
		const trainer = await makeUser(db, { roles: ['trainer'] });
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'khoa-'));
		fs.writeFileSync(
			path.join(dir, 'course.md'),
			'---\nslug: thu-nghiem\ntitle: Thử nghiệm\n---\nMô tả.\n'
		);
		fs.writeFileSync(
			path.join(dir, '01-mot.md'),
			'---\ntitle: Một\nsection: Phần A\n---\nNội dung một.\n'
		);
		fs.writeFileSync(
			path.join(dir, '02-hai.md'),
			'---\ntitle: Hai\nsection: Phần A\n---\nNội dung hai.\n'
		);
		await importCourseFolder(db, trainer, { dir, now });
		const cadre = await makeCadre(db, p.communeA1);
		await markLesson(db, cadre, {
			courseSlug: 'thu-nghiem',
			lessonSlug: '01-mot',
			done: true,
			now
		});
		fs.writeFileSync(
			path.join(dir, '02-hai.md'),
			'---\ntitle: Hai (sửa)\nsection: Phần B\n---\nNội dung mới.\n'
		);
		fs.writeFileSync(path.join(dir, '03-ba.md'), '---\ntitle: Ba\n---\nNội dung ba.\n');
		const result = await importCourseFolder(db, trainer, { dir, now });
		expect(result.lessons).toEqual({ created: 1, updated: 1, unchanged: 1, removed: 0 });
		const page = await coursePage(db, cadre, { slug: 'thu-nghiem' });
		expect(page.sections.map((s) => [s.title, s.lessons.map((l) => [l.slug, l.done])])).toEqual([
			['Phần A', [['01-mot', true]]],
			['Phần B', [['02-hai', false]]],
			[null, [['03-ba', false]]]
		]);
		fs.rmSync(dir, { recursive: true, force: true });
	});
});

describe('learning', () => {
	it('a cadre reads lessons, resumes, marks them done and completes the course', async () => {
		const db = database.db;
		const cadre = await makeCadre(db, p.communeA2);
		const first = await openLesson(db, cadre, {
			courseSlug: 'quan-tri-mang-co-ban',
			lessonSlug: '02-dia-chi-ip-va-chia-mang-con',
			now
		});
		expect(first.html).toContain('<table>');
		expect(first.previous?.slug).toBe('01-mang-lan-wan-va-mo-hinh-phan-lop');
		let page = await coursePage(db, cadre, { slug: 'quan-tri-mang-co-ban' });
		expect(page.resume).toBe('02-dia-chi-ip-va-chia-mang-con');
		const all = page.sections.flatMap((s) => s.lessons);
		for (const lesson of all) {
			const state = await markLesson(db, cadre, {
				courseSlug: 'quan-tri-mang-co-ban',
				lessonSlug: lesson.slug,
				done: true,
				now: new Date(now.getTime() + 1000)
			});
			expect(state.lessonsDone).toBeLessThanOrEqual(all.length);
		}
		page = await coursePage(db, cadre, { slug: 'quan-tri-mang-co-ban' });
		expect(page.completion).toMatchObject({
			complete: true,
			lessonsDone: all.length,
			lessonsTotal: all.length
		});
		const [progress] = await db
			.select()
			.from(courseProgress)
			.where(eq(courseProgress.userId, cadre.id));
		expect(progress.completedAt).not.toBeNull();
		// Opening a lesson again later counts reading time, capped per view.
		await openLesson(db, cadre, {
			courseSlug: 'quan-tri-mang-co-ban',
			lessonSlug: '02-dia-chi-ip-va-chia-mang-con',
			now: new Date(now.getTime() + 600_000)
		});
		const [lp] = await db
			.select()
			.from(lessonProgress)
			.innerJoin(lessons, eq(lessons.id, lessonProgress.lessonId))
			.where(
				and(eq(lessonProgress.userId, cadre.id), eq(lessons.slug, '02-dia-chi-ip-va-chia-mang-con'))
			);
		expect(lp.lesson_progress.secondsSpent).toBe(600);
	});

	it('a reload of the lesson just opened writes nothing, and no reading time is lost', async () => {
		const db = database.db;
		const cadre = await makeCadre(db, p.communeA2);
		const course = 'quan-tri-mang-co-ban';
		const a = '02-dia-chi-ip-va-chia-mang-con';
		const b = '03-switch-va-vlan';
		const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
		const row = async (slug: string) => {
			const [r] = await db
				.select()
				.from(lessonProgress)
				.innerJoin(lessons, eq(lessons.id, lessonProgress.lessonId))
				.where(and(eq(lessonProgress.userId, cadre.id), eq(lessons.slug, slug)));
			return r.lesson_progress;
		};
		const resume = async () => (await coursePage(db, cadre, { slug: course })).resume;
		await openLesson(db, cadre, { courseSlug: course, lessonSlug: a, now: at(0) });
		// Reloaded 10 s later: nothing written.
		await openLesson(db, cadre, { courseSlug: course, lessonSlug: a, now: at(10) });
		expect((await row(a)).lastOpenedAt).toEqual(at(0));
		// Another lesson, then back to the first within seconds: both recorded, resume follows.
		await openLesson(db, cadre, { courseSlug: course, lessonSlug: b, now: at(15) });
		expect(await resume()).toBe(b);
		await openLesson(db, cadre, { courseSlug: course, lessonSlug: a, now: at(20) });
		expect(await resume()).toBe(a);
		expect((await row(a)).lastOpenedAt).toEqual(at(20));
		expect((await row(a)).secondsSpent).toBe(20);
		// Reloads at 25 s and 40 s: the first is skipped, the second counts from 20 s.
		await openLesson(db, cadre, { courseSlug: course, lessonSlug: a, now: at(25) });
		await openLesson(db, cadre, { courseSlug: course, lessonSlug: a, now: at(60) });
		expect((await row(a)).secondsSpent).toBe(60);
		expect((await row(a)).lastOpenedAt).toEqual(at(60));
	});

	it('shows an assigned course to its unit subtree only, with due dates in “my learning”', async () => {
		const db = database.db;
		const trainer = await makeUser(db, { roles: ['trainer'] });
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'khoa-'));
		fs.writeFileSync(
			path.join(dir, 'course.md'),
			'---\nslug: rieng-huyen-a\ntitle: Riêng huyện A\nunits: [HU-A]\n---\nChỉ cho huyện A.\n'
		);
		fs.writeFileSync(path.join(dir, '01-mot.md'), '---\ntitle: Một\n---\nNội dung.\n');
		const { courseId } = await importCourseFolder(db, trainer, { dir, now });
		await db
			.update(courseAssignments)
			.set({ dueAt: new Date('2012-07-01T00:00:00Z') })
			.where(eq(courseAssignments.courseId, courseId));
		const inside = await makeCadre(db, p.communeA1);
		const outside = await makeCadre(db, p.communeB1);
		expect((await catalogue(db, inside)).map((c) => c.slug)).toContain('rieng-huyen-a');
		expect((await catalogue(db, outside)).map((c) => c.slug)).not.toContain('rieng-huyen-a');
		await expect(coursePage(db, outside, { slug: 'rieng-huyen-a' })).rejects.toThrow(NotFound);
		await expect(
			openLesson(db, outside, { courseSlug: 'rieng-huyen-a', lessonSlug: '01-mot', now })
		).rejects.toThrow(NotFound);
		const mine = groupMyLearning(await catalogue(db, inside), now);
		expect(mine.overdue.map((c) => c.slug)).toEqual(['rieng-huyen-a']);
		fs.rmSync(dir, { recursive: true, force: true });
	});
});
