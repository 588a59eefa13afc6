import { and, eq } from 'drizzle-orm';
import { Parser } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	courseOutline,
	createCourse,
	createLesson,
	createSection,
	deleteLesson,
	deleteSection,
	lessonForEdit,
	lessonHistory,
	lessonRevision,
	listManagedCourses,
	moveLesson,
	moveLessonToSection,
	moveSection,
	previewMarkdown,
	renameSection,
	restoreRevision,
	saveLesson,
	setCourseStatus,
	updateCourse,
	uploadLessonFile
} from '../../src/lib/server/courses/authoring';
import {
	catalogue,
	coursePage,
	markLesson,
	openLesson
} from '../../src/lib/server/courses/learning';
import { setAudience } from '../../src/lib/server/courses/enrolment';
import { fileForActor } from '../../src/lib/server/files/access';
import { auditLog, files, lessonRevisions, lessons } from '../../src/lib/server/db/schema';
import { Conflict, Invalid, NotAllowed, NotFound } from '../../src/lib/server/errors';
import { MIB } from '../../src/lib/server/files/store';
import { XSS_CORPUS } from '../../src/lib/server/markdown/xss-corpus';
import type { Actor } from '../../src/lib/server/auth/actor';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAdmin, makeCadre, makeProvince, makeUser } from './helpers/builders';
import { makePng } from './helpers/png';

let database: TestDatabase;
let p: Awaited<ReturnType<typeof makeProvince>>;
let trainer: Actor;
let trainer2: Actor;
const now = new Date('2012-08-01T02:00:00Z');
const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

const courseInput = (slug: string, title = 'Khóa thử') => ({
	slug,
	title,
	summary: 'Tóm tắt',
	category: 'Thử nghiệm',
	estimatedHours: '2',
	description: 'Mô tả **khóa học**.'
});

beforeAll(async () => {
	database = await createTestDatabase();
	p = await makeProvince(database.db);
	trainer = await makeUser(database.db, { roles: ['trainer'], fullName: 'Đỗ Thu Hà' });
	trainer2 = await makeUser(database.db, { roles: ['trainer'], fullName: 'Nguyễn Văn Bình' });
});
afterAll(() => database.close());

/** Saves a lesson on top of its latest revision, as the editor does. */
async function save(
	actor: Actor,
	courseId: number,
	lessonId: number,
	changes: Partial<{ title: string; body: string; status: 'draft' | 'published'; note: string }>,
	at = now
) {
	const current = await lessonForEdit(database.db, actor, { courseId, lessonId });
	return saveLesson(database.db, actor, {
		courseId,
		lessonId,
		title: changes.title ?? current.title,
		slug: current.slug,
		estimatedMinutes: String(current.estimatedMinutes ?? ''),
		body: changes.body ?? current.body,
		note: changes.note ?? '',
		status: changes.status ?? current.status,
		baseRevisionId: current.baseRevisionId,
		now: at
	});
}

describe('who may write courses', () => {
	it('refuses cadres and leaders, allows trainers and admins', async () => {
		const db = database.db;
		const cadre = await makeCadre(db, p.communeA1);
		const leader = await makeUser(db, { unit: p.districtA, isLeader: true });
		for (const actor of [cadre, leader]) {
			await expect(createCourse(db, actor, { ...courseInput('cam'), now })).rejects.toThrow(
				NotAllowed
			);
			await expect(listManagedCourses(db, actor)).rejects.toThrow(NotAllowed);
			await expect(previewMarkdown(db, actor, { courseId: 1, body: 'x' })).rejects.toThrow(
				NotAllowed
			);
		}
		const admin = await makeAdmin(db);
		const { id } = await createCourse(db, admin, { ...courseInput('cua-admin'), now });
		expect((await listManagedCourses(db, trainer)).map((c) => c.id)).toContain(id);
	});

	it('refuses a taken address with a message on the field', async () => {
		const db = database.db;
		await createCourse(db, trainer, { ...courseInput('trung-ten'), now });
		const error = await createCourse(db, trainer, { ...courseInput('trung-ten'), now }).catch(
			(e) => e
		);
		expect(error).toBeInstanceOf(Invalid);
		expect((error as Invalid).fields.slug).toContain('trung-ten');
	});
});

describe('writing a course', () => {
	it('builds sections and lessons, reorders them, publishes, and the learner sees that order', async () => {
		const db = database.db;
		const { id: courseId } = await createCourse(db, trainer, {
			...courseInput('mang-xa', 'Mạng cho cấp xã'),
			now
		});
		const a = await createSection(db, trainer, { courseId, title: 'Phần một', now });
		const b = await createSection(db, trainer, { courseId, title: 'Phần hai', now });
		const l1 = await createLesson(db, trainer, {
			courseId,
			title: 'Địa chỉ IP',
			sectionId: a.id,
			now
		});
		const l2 = await createLesson(db, trainer, {
			courseId,
			title: 'Cáp mạng',
			sectionId: a.id,
			now
		});
		const l3 = await createLesson(db, trainer, { courseId, title: 'Sự cố', sectionId: b.id, now });
		const intro = await createLesson(db, trainer, { courseId, title: 'Giới thiệu', now });
		const again = await createLesson(db, trainer, { courseId, title: 'Địa chỉ IP', now });
		expect(l1.slug).toBe('dia-chi-ip');
		expect(again.slug).toBe('dia-chi-ip-2');
		await deleteLesson(db, trainer, { courseId, lessonId: again.id, now });

		const titles = async () => {
			const o = await courseOutline(db, trainer, courseId);
			return [
				o.unsectioned.map((l) => l.title),
				...o.sections.map((s) => [s.title, ...s.lessons.map((l) => l.title)])
			];
		};
		expect(await titles()).toEqual([
			['Giới thiệu'],
			['Phần một', 'Địa chỉ IP', 'Cáp mạng'],
			['Phần hai', 'Sự cố']
		]);
		expect(await moveLesson(db, trainer, { courseId, lessonId: l2.id, direction: 'up', now })).toBe(
			true
		);
		expect(await moveLesson(db, trainer, { courseId, lessonId: l2.id, direction: 'up', now })).toBe(
			false
		);
		await moveSection(db, trainer, { courseId, sectionId: b.id, direction: 'up', now });
		await moveLessonToSection(db, trainer, { courseId, lessonId: l1.id, sectionId: b.id, now });
		await renameSection(db, trainer, { courseId, sectionId: b.id, title: 'Vận hành', now });
		expect(await titles()).toEqual([
			['Giới thiệu'],
			['Vận hành', 'Sự cố', 'Địa chỉ IP'],
			['Phần một', 'Cáp mạng']
		]);
		await expect(
			renameSection(db, trainer, { courseId, sectionId: b.id, title: '  ', now })
		).rejects.toThrow(Invalid);
		// A lesson of another course cannot be moved through this one.
		const other = await createCourse(db, trainer, { ...courseInput('khac'), now });
		await expect(
			moveLesson(db, trainer, { courseId: other.id, lessonId: l1.id, direction: 'up', now })
		).rejects.toThrow(NotFound);

		// Publishing needs a published lesson.
		await expect(
			setCourseStatus(db, trainer, { id: courseId, status: 'published', now })
		).rejects.toThrow(Conflict);
		for (const lesson of [intro, l1, l2, l3])
			await save(trainer, courseId, lesson.id, { body: 'Nội dung bài.', status: 'published' });
		await setCourseStatus(db, trainer, { id: courseId, status: 'published', now });
		const cadre = await makeCadre(db, p.communeB1);
		const page = await coursePage(db, cadre, { slug: 'mang-xa' });
		expect(page.sections.map((s) => [s.title, s.lessons.map((l) => l.title)])).toEqual([
			[null, ['Giới thiệu']],
			['Vận hành', ['Sự cố', 'Địa chỉ IP']],
			['Phần một', ['Cáp mạng']]
		]);
		const lesson = await openLesson(db, cadre, { courseSlug: 'mang-xa', lessonSlug: 'su-co', now });
		expect([lesson.previous?.title, lesson.next?.title]).toEqual(['Giới thiệu', 'Địa chỉ IP']);

		// Deleting a section keeps its lessons, now outside sections (read first).
		await deleteSection(db, trainer, { courseId, sectionId: a.id, now });
		expect(await titles()).toEqual([
			['Giới thiệu', 'Cáp mạng'],
			['Vận hành', 'Sự cố', 'Địa chỉ IP']
		]);
		const actions = await db
			.select({ action: auditLog.action })
			.from(auditLog)
			.where(eq(auditLog.actorId, trainer.id));
		expect(new Set(actions.map((a) => a.action))).toEqual(
			new Set([
				'course.create',
				'course.section_create',
				'course.section_rename',
				'course.section_move',
				'course.section_delete',
				'course.publish',
				'lesson.create',
				'lesson.delete',
				'lesson.move',
				'lesson.move_section',
				'lesson.publish'
			])
		);
	});

	it('edits the course settings and keeps drafts away from cadres', async () => {
		const db = database.db;
		const { id } = await createCourse(db, trainer, { ...courseInput('nhap'), now });
		await updateCourse(db, trainer, { id, ...courseInput('nhap-2', 'Tên mới'), now });
		const cadre = await makeCadre(db, p.communeA1);
		expect((await catalogue(db, cadre)).map((c) => c.slug)).not.toContain('nhap-2');
		await expect(coursePage(db, cadre, { slug: 'nhap-2' })).rejects.toThrow(NotFound);
		// A trainer sees the draft course page.
		expect((await coursePage(db, trainer, { slug: 'nhap-2' })).title).toBe('Tên mới');
	});
});

describe('lesson history', () => {
	it('writes a revision per save, refuses a stale save, shows and restores an old revision', async () => {
		const db = database.db;
		const { id: courseId } = await createCourse(db, trainer, { ...courseInput('lich-su'), now });
		const { id: lessonId } = await createLesson(db, trainer, { courseId, title: 'Mật khẩu', now });
		const first = await save(
			trainer,
			courseId,
			lessonId,
			{
				body: '## Mật khẩu mạnh\n\nÍt nhất 12 ký tự.',
				note: 'Bản đầu'
			},
			later(1)
		);
		expect(first.revisionId).not.toBeNull();
		// Saving unchanged text writes nothing.
		expect((await save(trainer, courseId, lessonId, {}, later(2))).revisionId).toBeNull();

		// Two trainers open the lesson; the second to save is refused, naming the first.
		const opened = await lessonForEdit(db, trainer2, { courseId, lessonId });
		await save(trainer, courseId, lessonId, { body: 'Bản của chị Hà.' }, later(3));
		const stale = await saveLesson(db, trainer2, {
			courseId,
			lessonId,
			title: opened.title,
			slug: opened.slug,
			estimatedMinutes: '',
			body: 'Bản của anh Bình.',
			note: '',
			status: 'draft',
			baseRevisionId: opened.baseRevisionId,
			now: later(4)
		}).catch((e) => e);
		expect(stale).toBeInstanceOf(Conflict);
		expect((stale as Conflict).message).toContain('Đỗ Thu Hà');
		expect((stale as Conflict).message).toContain('01/08/2012 09:03');

		await save(
			trainer2,
			courseId,
			lessonId,
			{ body: 'Bản của anh Bình.', status: 'published' },
			later(5)
		);
		const history = await lessonHistory(db, trainer, { courseId, lessonId });
		expect(history.revisions.map((r) => [r.editorName, r.status, r.note, r.current])).toEqual([
			['Nguyễn Văn Bình', 'published', null, true],
			['Đỗ Thu Hà', 'draft', null, false],
			['Đỗ Thu Hà', 'draft', 'Bản đầu', false],
			['Đỗ Thu Hà', 'draft', 'Tạo bài học', false]
		]);
		const old = await lessonRevision(db, trainer, {
			courseId,
			lessonId,
			revisionId: first.revisionId!
		});
		expect(old.html).toContain('<h2>Mật khẩu mạnh</h2>');
		expect(old.editedAt).toEqual(later(1));

		await restoreRevision(db, trainer, {
			courseId,
			lessonId,
			revisionId: first.revisionId!,
			now: later(6)
		});
		const [row] = await db.select().from(lessons).where(eq(lessons.id, lessonId));
		expect(row).toMatchObject({
			body: '## Mật khẩu mạnh\n\nÍt nhất 12 ký tự.',
			status: 'published'
		});
		const after = await lessonHistory(db, trainer, { courseId, lessonId });
		expect(after.revisions[0]).toMatchObject({
			editorName: 'Đỗ Thu Hà',
			status: 'published',
			note: 'Khôi phục bản lưu lúc 01/08/2012 09:01'
		});
		// A revision of another lesson is not reachable through this one.
		const { id: otherLesson } = await createLesson(db, trainer, { courseId, title: 'Khác', now });
		await expect(
			lessonRevision(db, trainer, {
				courseId,
				lessonId: otherLesson,
				revisionId: first.revisionId!
			})
		).rejects.toThrow(NotFound);
		await expect(save(trainer, courseId, otherLesson, { status: 'published' })).rejects.toThrow(
			Invalid
		);
		expect(
			(await db.select().from(lessonRevisions).where(eq(lessonRevisions.lessonId, lessonId))).length
		).toBe(5);
	});
});

describe('uploads into a lesson', () => {
	it('stores an image checked by content, sized and lazy on the page, seen only by those who see the course', async () => {
		const db = database.db;
		const { id: courseId } = await createCourse(db, trainer, { ...courseInput('co-anh'), now });
		const { id: lessonId } = await createLesson(db, trainer, { courseId, title: 'Sơ đồ', now });
		const upload = await uploadLessonFile(db, trainer, {
			courseId,
			lessonId,
			fileName: 'C:\\fakepath\\Sơ đồ mạng [xã].png',
			bytes: makePng(320, 180),
			alt: '',
			now
		});
		expect(upload).toMatchObject({ image: true, fileName: 'Sơ đồ mạng [xã].png' });
		expect(upload.markdown).toBe(`![Sơ đồ mạng \\[xã\\]](/files/${upload.id})`);
		const preview = await previewMarkdown(db, trainer, { courseId, body: upload.markdown });
		expect(preview).toContain(
			`<img src="/files/${upload.id}" alt="Sơ đồ mạng [xã]" width="320" height="180" loading="lazy" decoding="async" />`
		);
		await save(trainer, courseId, lessonId, {
			body: `Xem sơ đồ:\n\n${upload.markdown}\n`,
			status: 'published'
		});
		await setCourseStatus(db, trainer, { id: courseId, status: 'published', now });
		const cadre = await makeCadre(db, p.communeA1);
		const page = await openLesson(db, cadre, { courseSlug: 'co-anh', lessonSlug: 'so-do', now });
		// The published page renders exactly what the preview showed.
		expect(page.html).toBe(
			await previewMarkdown(db, trainer, { courseId, body: `Xem sơ đồ:\n\n${upload.markdown}\n` })
		);
		expect((await fileForActor(db, cadre, upload.id))?.mimeType).toBe('image/png');
		const attachment = await uploadLessonFile(db, trainer, {
			courseId,
			lessonId,
			fileName: 'mau.csv',
			bytes: new TextEncoder().encode('don_vi,so_may\nHuyện ủy,12\n'),
			now
		});
		expect(attachment.markdown).toBe(`[mau.csv](/files/${attachment.id})`);
		expect(
			(await lessonForEdit(db, trainer, { courseId, lessonId })).files.map((f) => f.fileName)
		).toEqual(['Sơ đồ mạng [xã].png', 'mau.csv']);

		// Once the course is assigned elsewhere, its files close too.
		await setAudience(db, trainer, { courseId, audience: 'assigned', now });
		expect(await fileForActor(db, cadre, upload.id)).toBeNull();
		expect(await fileForActor(db, trainer, upload.id)).not.toBeNull();
	});

	it('refuses oversized, mislabelled and unknown files with a clear message, storing nothing', async () => {
		const db = database.db;
		const { id: courseId } = await createCourse(db, trainer, { ...courseInput('tu-choi'), now });
		const { id: lessonId } = await createLesson(db, trainer, { courseId, title: 'Bài', now });
		const before = (await db.select({ id: files.id }).from(files)).length;
		const refuse = async (fileName: string, bytes: Uint8Array) => {
			const error = await uploadLessonFile(db, trainer, {
				courseId,
				lessonId,
				fileName,
				bytes,
				now
			}).catch((e) => e);
			expect(error).toBeInstanceOf(Invalid);
			return (error as Invalid).fields.file;
		};
		const big = new Uint8Array(5 * MIB + 1);
		big.set(makePng(2, 2));
		expect(await refuse('anh-lon.png', big)).toBe('Tệp "anh-lon.png" lớn hơn giới hạn 5 MB.');
		expect(await refuse('that-ra-la-chu.png', new TextEncoder().encode('không phải ảnh'))).toBe(
			'Nội dung tệp "that-ra-la-chu.png" không phải là tệp .png (tên tệp và nội dung không khớp).'
		);
		expect(await refuse('virus.exe', new Uint8Array([0x4d, 0x5a, 0x90, 0]))).toContain(
			'Không nhận loại tệp của "virus.exe"'
		);
		expect(await refuse('bai.pdf', makePng(4, 4))).toContain('không phải là tệp .pdf');
		expect(
			await refuse(
				'hinh.svg',
				new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>')
			)
		).toContain('chứa mã lệnh');
		expect((await db.select({ id: files.id }).from(files)).length).toBe(before);
		const uploads = await db
			.select()
			.from(auditLog)
			.where(
				and(eq(auditLog.action, 'lesson.file_upload'), eq(auditLog.targetId, String(lessonId)))
			);
		expect(uploads).toEqual([]);
	});
});

describe('hostile Markdown through the authoring path', () => {
	const FORBIDDEN = new Set([
		'script',
		'iframe',
		'object',
		'embed',
		'svg',
		'math',
		'form',
		'input',
		'button',
		'style',
		'link',
		'meta',
		'base',
		'template',
		'textarea',
		'details',
		'video',
		'audio',
		'source',
		'marquee'
	]);

	function assertInert(html: string) {
		const problems: string[] = [];
		const parser = new Parser(
			{
				onopentag(name, attributes) {
					if (FORBIDDEN.has(name)) problems.push(`<${name}>`);
					for (const [key, value] of Object.entries(attributes)) {
						if (key.startsWith('on') || key === 'style' || key === 'srcdoc' || key === 'formaction')
							problems.push(`${name}[${key}]`);
						const url = [...value]
							.filter((c) => c.charCodeAt(0) > 0x20)
							.join('')
							.toLowerCase();
						if ((key === 'href' || key === 'src') && /^(javascript|vbscript|data):/.test(url))
							problems.push(`${name}[${key}=${value}]`);
					}
				}
			},
			{ decodeEntities: true }
		);
		parser.write(html);
		parser.end();
		expect(problems).toEqual([]);
	}

	it('renders the whole XSS corpus inert in the preview and on the published page, identically', async () => {
		const db = database.db;
		const { id: courseId } = await createCourse(db, trainer, { ...courseInput('xss'), now });
		const { id: lessonId } = await createLesson(db, trainer, { courseId, title: 'Độc hại', now });
		const body = XSS_CORPUS.map((payload, i) => `Mẫu ${i + 1}:\n\n${payload}\n`).join('\n');
		const preview = await previewMarkdown(db, trainer, { courseId, body });
		assertInert(preview);
		expect(preview).toContain('Mẫu 1:');
		for (const payload of XSS_CORPUS)
			assertInert(await previewMarkdown(db, trainer, { courseId, body: payload }));
		await save(trainer, courseId, lessonId, { body, status: 'published' });
		await setCourseStatus(db, trainer, { id: courseId, status: 'published', now });
		const cadre = await makeCadre(db, p.communeA2);
		const page = await openLesson(db, cadre, { courseSlug: 'xss', lessonSlug: 'doc-hai', now });
		expect(page.html).toBe(preview);
		// The stored source is kept as written (the renderer, not the store, makes it safe).
		const [row] = await db
			.select({ body: lessons.body })
			.from(lessons)
			.where(eq(lessons.id, lessonId));
		expect(row.body).toBe(body);
	});
});

describe('progress on an authored course', () => {
	it('completes when every published lesson is done, and a newly published lesson counts', async () => {
		const db = database.db;
		const { id: courseId } = await createCourse(db, trainer, { ...courseInput('tien-do'), now });
		const one = await createLesson(db, trainer, { courseId, title: 'Một', now });
		const two = await createLesson(db, trainer, { courseId, title: 'Hai', now });
		await save(trainer, courseId, one.id, { body: 'Một.', status: 'published' });
		await setCourseStatus(db, trainer, { id: courseId, status: 'published', now });
		const cadre = await makeCadre(db, p.communeA1);
		const state = await markLesson(db, cadre, {
			courseSlug: 'tien-do',
			lessonSlug: 'mot',
			done: true,
			now
		});
		expect(state).toMatchObject({ lessonsDone: 1, lessonsTotal: 1, complete: true });
		// The draft lesson is invisible to the cadre until published.
		await expect(
			openLesson(db, cadre, { courseSlug: 'tien-do', lessonSlug: 'hai', now })
		).rejects.toThrow(NotFound);
		await save(trainer, courseId, two.id, { body: 'Hai.', status: 'published' });
		const page = await coursePage(db, cadre, { slug: 'tien-do' });
		expect(page.completion).toMatchObject({ lessonsDone: 1, lessonsTotal: 2, complete: false });
		expect(page.resume).toBe('hai');
	});
});
