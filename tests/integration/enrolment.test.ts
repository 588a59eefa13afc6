import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	createCourse,
	createLesson,
	lessonForEdit,
	saveLesson,
	setCourseStatus,
	uploadLessonFile
} from '../../src/lib/server/courses/authoring';
import {
	assignCadres,
	assignUnit,
	courseEnrolment,
	removeAssignment,
	searchCadres,
	setAudience
} from '../../src/lib/server/courses/enrolment';
import {
	catalogue,
	coursePage,
	groupMyLearning,
	markLesson,
	openLesson
} from '../../src/lib/server/courses/learning';
import { canSeeCourse } from '../../src/lib/server/courses/access';
import { fileForActor } from '../../src/lib/server/files/access';
import { auditLog, users } from '../../src/lib/server/db/schema';
import { Invalid, NotAllowed, NotFound } from '../../src/lib/server/errors';
import type { Actor } from '../../src/lib/server/auth/actor';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeCadre, makeProvince, makeUser } from './helpers/builders';
import { makePng } from './helpers/png';

let database: TestDatabase;
let p: Awaited<ReturnType<typeof makeProvince>>;
let trainer: Actor;
let courseId: number;
let imageId: string;
const now = new Date('2012-08-01T02:00:00Z');
const SLUG = 'chi-cho-huyen-a';

const sees = async (actor: Actor) =>
	(await catalogue(database.db, actor)).some((c) => c.slug === SLUG);

beforeAll(async () => {
	database = await createTestDatabase();
	const db = database.db;
	p = await makeProvince(db);
	trainer = await makeUser(db, { roles: ['trainer'], fullName: 'Đỗ Thu Hà' });
	({ id: courseId } = await createCourse(db, trainer, {
		slug: SLUG,
		title: 'Chỉ cho huyện A',
		summary: '',
		category: '',
		estimatedHours: '',
		description: '',
		now
	}));
	const { id: lessonId } = await createLesson(db, trainer, { courseId, title: 'Bài một', now });
	const image = await uploadLessonFile(db, trainer, {
		courseId,
		lessonId,
		fileName: 'anh.png',
		bytes: makePng(8, 8),
		now
	});
	imageId = image.id;
	const lesson = await lessonForEdit(db, trainer, { courseId, lessonId });
	await saveLesson(db, trainer, {
		courseId,
		lessonId,
		title: lesson.title,
		slug: lesson.slug,
		estimatedMinutes: '',
		body: image.markdown,
		note: '',
		status: 'published',
		baseRevisionId: lesson.baseRevisionId,
		now
	});
	await setCourseStatus(db, trainer, { id: courseId, status: 'published', now });
});
afterAll(() => database.close());

describe('enrolment', () => {
	it('only trainers and admins manage who a course is for', async () => {
		const cadre = await makeCadre(database.db, p.communeA1);
		await expect(courseEnrolment(database.db, cadre, courseId)).rejects.toThrow(NotAllowed);
		await expect(
			assignUnit(database.db, cadre, { courseId, unitCode: 'XA-A1', includeSubtree: true, now })
		).rejects.toThrow(NotAllowed);
		await expect(searchCadres(database.db, cadre, { q: 'user' })).rejects.toThrow(NotAllowed);
	});

	it('scopes an assigned course to units (with or without their subtree) and chosen cadres', async () => {
		const db = database.db;
		const inCommune = await makeCadre(db, p.communeA1);
		const inDistrict = await makeCadre(db, p.districtA);
		const elsewhere = await makeCadre(db, p.communeB1, { username: 'vang.a.sua' });
		for (const actor of [inCommune, inDistrict, elsewhere]) expect(await sees(actor)).toBe(true);

		await setAudience(db, trainer, { courseId, audience: 'assigned', now });
		for (const actor of [inCommune, inDistrict, elsewhere]) expect(await sees(actor)).toBe(false);
		expect((await courseEnrolment(db, trainer, courseId)).reach).toBe(0);

		// The district alone: its own cadres, not the communes below it.
		const district = await assignUnit(db, trainer, {
			courseId,
			unitCode: 'HU-A',
			includeSubtree: false,
			due: '31/08/2012',
			now
		});
		expect([await sees(inDistrict), await sees(inCommune), await sees(elsewhere)]).toEqual([
			true,
			false,
			false
		]);
		// Again, with the subtree: updated in place, not duplicated.
		const again = await assignUnit(db, trainer, {
			courseId,
			unitCode: 'HU-A',
			includeSubtree: true,
			due: '31/08/2012',
			now
		});
		expect(again).toEqual({ id: district.id, created: false });
		expect([await sees(inDistrict), await sees(inCommune), await sees(elsewhere)]).toEqual([
			true,
			true,
			false
		]);

		// The cadre outside sees neither the course nor its lessons nor its files.
		await expect(coursePage(db, elsewhere, { slug: SLUG })).rejects.toThrow(NotFound);
		await expect(
			openLesson(db, elsewhere, { courseSlug: SLUG, lessonSlug: 'bai-mot', now })
		).rejects.toThrow(NotFound);
		await expect(
			markLesson(db, elsewhere, { courseSlug: SLUG, lessonSlug: 'bai-mot', done: true, now })
		).rejects.toThrow(NotFound);
		expect(await fileForActor(db, elsewhere, imageId)).toBeNull();
		expect(await fileForActor(db, inCommune, imageId)).not.toBeNull();
		expect(await canSeeCourse(db, elsewhere, courseId)).toBe(false);

		// Chosen by name: found by search, assigned with its own due date.
		const found = await searchCadres(db, trainer, { q: 'VANG.A' });
		expect(found.map((f) => f.username)).toEqual(['vang.a.sua']);
		expect(found[0]).toEqual({
			id: elsewhere.id,
			username: 'vang.a.sua',
			fullName: expect.any(String),
			unitName: 'Đảng ủy xã B1'
		});
		await expect(assignCadres(db, trainer, { courseId, userIds: [], now })).rejects.toThrow(
			Invalid
		);
		await expect(
			assignCadres(db, trainer, { courseId, userIds: [elsewhere.id, 999_999], now })
		).rejects.toThrow(Invalid);
		await assignCadres(db, trainer, { courseId, userIds: [elsewhere.id], due: '15/07/2012', now });
		expect(await sees(elsewhere)).toBe(true);
		const mine = groupMyLearning(await catalogue(db, elsewhere), now);
		expect(mine.overdue.map((c) => [c.slug, c.dueAt?.toISOString()])).toEqual([
			[SLUG, '2012-07-15T16:59:00.000Z']
		]);
		expect((await coursePage(db, elsewhere, { slug: SLUG })).dueAt).toEqual(
			new Date('2012-07-15T16:59:00.000Z')
		);
		await markLesson(db, elsewhere, { courseSlug: SLUG, lessonSlug: 'bai-mot', done: true, now });
		expect(
			groupMyLearning(await catalogue(db, elsewhere), now).completed.map((c) => c.slug)
		).toEqual([SLUG]);

		const enrolment = await courseEnrolment(db, trainer, courseId);
		expect(
			enrolment.assignments.map((a) => [a.kind, a.unitCode ?? a.username, a.includeSubtree])
		).toEqual([
			['unit', 'HU-A', true],
			['cadre', 'vang.a.sua', false]
		]);
		expect(enrolment.assignments[0]).toMatchObject({
			unitName: 'Huyện ủy A',
			assignedByName: 'Đỗ Thu Hà',
			dueAt: new Date('2012-08-31T16:59:00.000Z')
		});
		const active = (await db.select({ id: users.id }).from(users).where(eq(users.active, true)))
			.length;
		expect(enrolment.reach).toBeGreaterThanOrEqual(3);
		expect(enrolment.reach).toBeLessThan(active);

		// Removing the unit's assignment closes it to the unit again.
		await removeAssignment(db, trainer, { courseId, assignmentId: district.id, now });
		expect([await sees(inDistrict), await sees(inCommune), await sees(elsewhere)]).toEqual([
			false,
			false,
			true
		]);
		await expect(
			removeAssignment(db, trainer, { courseId, assignmentId: district.id, now })
		).rejects.toThrow(NotFound);
		await expect(
			assignUnit(db, trainer, { courseId, unitCode: 'KHONG-CO', includeSubtree: true, now })
		).rejects.toThrow(Invalid);
		await expect(
			assignUnit(db, trainer, {
				courseId,
				unitCode: 'HU-B',
				includeSubtree: true,
				due: '2012/08/31',
				now
			})
		).rejects.toThrow(Invalid);

		// Open to everyone again: the assignments stay (due dates still show), everyone sees it.
		await setAudience(db, trainer, { courseId, audience: 'everyone', now });
		for (const actor of [inCommune, inDistrict, elsewhere]) expect(await sees(actor)).toBe(true);
		const actions = (
			await db
				.select({ action: auditLog.action })
				.from(auditLog)
				.where(eq(auditLog.actorId, trainer.id))
		).map((a) => a.action);
		expect(actions.filter((a) => a.startsWith('course.a') || a === 'course.unassign')).toEqual([
			'course.audience',
			'course.assign',
			'course.assign',
			'course.assign',
			'course.unassign',
			'course.audience'
		]);
	});
});
