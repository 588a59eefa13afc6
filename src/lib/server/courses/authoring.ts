// Trainers' side of courses: create and edit courses, sections and lessons, draft and published
// states, lesson history (every save is a revision: who, when, what), uploads into lessons, and
// the live preview through the same renderer as the published page. Trainers and admins only;
// every change is audited.
import { and, asc, count, desc, eq, ne, sql } from 'drizzle-orm';
import * as v from 'valibot';
import type { Db } from '../db/client';
import {
	courseSections,
	courses,
	files,
	lessonRevisions,
	lessons,
	users,
	type PublishState
} from '../db/schema';
import { recordAudit } from '../audit/log';
import { actorRef, requireRole, type Actor } from '../auth/actor';
import { Conflict, Invalid, NotFound } from '../errors';
import { m } from '../i18n';
import { renderMarkdown } from '../markdown/render';
import { checkFile, MIB, storeFile, UPLOAD_POLICIES } from '../files/store';
import { formatDateTime } from '../../format';
import { SLUG_PATTERN } from './folder';
import { courseAssetResolver, LESSON_FILE_OWNER } from './learning';
import {
	canonicalOutline,
	moveLessonInOutline,
	moveLessonToSection as moveToSection,
	moveSectionInOutline,
	positionChanges,
	slugify,
	type Direction,
	type Outline
} from './outline';

export const LIMITS = {
	title: 200,
	summary: 1000,
	category: 100,
	description: 50_000,
	body: 200_000,
	note: 500,
	section: 200
} as const;

// ---------------------------------------------------------------------------------------------
// Validation

function parse<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
	const result = v.safeParse(schema, input);
	if (result.success) return result.output;
	const fields: Record<string, string> = {};
	for (const issue of result.issues) {
		const key = issue.path?.[0]?.key;
		if (typeof key === 'string' && !fields[key]) fields[key] = issue.message;
	}
	throw new Invalid(fields);
}

const requiredText = (max: number) =>
	v.pipe(
		v.string(),
		v.trim(),
		v.nonEmpty(() => m.field_required()),
		v.maxLength(max, () => m.field_too_long({ max }))
	);
const optionalText = (max: number) =>
	v.pipe(
		v.string(),
		v.trim(),
		v.maxLength(max, () => m.field_too_long({ max }))
	);
const slugText = v.pipe(
	v.string(),
	v.trim(),
	v.toLowerCase(),
	v.regex(SLUG_PATTERN, () => m.author_slug_invalid())
);
/** A number typed in a form ('' → null; '1,5' → 1.5), from 0 to 10 000. */
const optionalNumber = (integer: boolean) =>
	v.pipe(
		v.string(),
		v.trim(),
		v.transform((s) => (s === '' ? null : Number(s.replace(',', '.')))),
		v.check(
			(n) =>
				n === null ||
				(Number.isFinite(n) && n >= 0 && n <= 10_000 && (!integer || Number.isInteger(n))),
			() => (integer ? m.author_minutes_invalid() : m.author_hours_invalid())
		)
	);

const courseSchema = v.object({
	slug: slugText,
	title: requiredText(LIMITS.title),
	summary: optionalText(LIMITS.summary),
	category: optionalText(LIMITS.category),
	estimatedHours: optionalNumber(false),
	description: optionalText(LIMITS.description)
});
export type CourseInput = v.InferInput<typeof courseSchema>;
export type CourseValues = v.InferOutput<typeof courseSchema>;

export function parseCourseInput(input: CourseInput): CourseValues {
	return parse(courseSchema, input);
}

const lessonSchema = v.object({
	title: requiredText(LIMITS.title),
	slug: slugText,
	estimatedMinutes: optionalNumber(true),
	body: v.pipe(
		v.string(),
		v.maxLength(LIMITS.body, () => m.field_too_long({ max: LIMITS.body }))
	),
	note: optionalText(LIMITS.note)
});
export type LessonInput = v.InferInput<typeof lessonSchema>;
export type LessonValues = v.InferOutput<typeof lessonSchema>;

export function parseLessonInput(input: LessonInput): LessonValues {
	// Line endings as the browser sends them (CRLF) are stored as LF, so an unchanged save is unchanged.
	return parse(lessonSchema, { ...input, body: input.body.replace(/\r\n?/g, '\n') });
}

const sectionTitle = v.object({ title: requiredText(LIMITS.section) });

function requireAuthor(actor: Actor): Actor {
	return requireRole(actor, 'trainer', 'admin');
}

interface Audited {
	now: Date;
	ip?: string | null;
}

// ---------------------------------------------------------------------------------------------
// Courses

export interface ManagedCourseRow {
	id: number;
	slug: string;
	title: string;
	category: string;
	status: PublishState;
	audience: 'everyone' | 'assigned';
	lessons: number;
	publishedLessons: number;
	assignments: number;
	updatedAt: Date;
	updatedByName: string | null;
}

export async function listManagedCourses(db: Db, actor: Actor): Promise<ManagedCourseRow[]> {
	requireAuthor(actor);
	return db
		.select({
			id: courses.id,
			slug: courses.slug,
			title: courses.title,
			category: courses.category,
			status: courses.status,
			audience: courses.audience,
			lessons: sql<number>`(select count(*)::int from ${lessons} l where l.course_id = ${courses.id})`,
			publishedLessons: sql<number>`(select count(*)::int from ${lessons} l where l.course_id = ${courses.id} and l.status = 'published')`,
			assignments: sql<number>`(select count(*)::int from course_assignments ca where ca.course_id = ${courses.id})`,
			updatedAt: courses.updatedAt,
			updatedByName: users.fullName
		})
		.from(courses)
		.leftJoin(users, eq(users.id, courses.updatedBy))
		.orderBy(asc(courses.sortOrder), asc(courses.title));
}

async function requireCourse(db: Db, id: number) {
	const [course] = await db.select().from(courses).where(eq(courses.id, id));
	if (!course) throw new NotFound();
	return course;
}

async function assertSlugFree(db: Db, slug: string, exceptId?: number): Promise<void> {
	const [taken] = await db
		.select({ id: courses.id })
		.from(courses)
		.where(and(eq(courses.slug, slug), exceptId ? ne(courses.id, exceptId) : undefined));
	if (taken) throw new Invalid({ slug: m.author_slug_taken({ slug }) });
}

export async function createCourse(
	db: Db,
	actor: Actor,
	input: CourseInput & Audited
): Promise<{ id: number; slug: string }> {
	requireAuthor(actor);
	const values = parseCourseInput(input);
	return db.transaction(async (tx) => {
		await assertSlugFree(tx, values.slug);
		const [row] = await tx
			.insert(courses)
			.values({
				...values,
				status: 'draft',
				audience: 'everyone',
				createdBy: actorRef(actor),
				updatedBy: actorRef(actor),
				createdAt: input.now,
				updatedAt: input.now
			})
			.returning({ id: courses.id, slug: courses.slug });
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'course.create',
			targetType: 'course',
			targetId: row.id,
			details: { slug: values.slug, title: values.title },
			ip: input.ip,
			now: input.now
		});
		return row;
	});
}

export async function updateCourse(
	db: Db,
	actor: Actor,
	input: CourseInput & Audited & { id: number }
): Promise<void> {
	requireAuthor(actor);
	const values = parseCourseInput(input);
	await db.transaction(async (tx) => {
		const before = await requireCourse(tx, input.id);
		await assertSlugFree(tx, values.slug, input.id);
		await tx
			.update(courses)
			.set({ ...values, updatedBy: actorRef(actor), updatedAt: input.now })
			.where(eq(courses.id, input.id));
		const changed = (Object.keys(values) as Array<keyof CourseValues>).filter(
			(k) => before[k] !== values[k]
		);
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'course.update',
			targetType: 'course',
			targetId: input.id,
			details: { slug: values.slug, changed },
			ip: input.ip,
			now: input.now
		});
	});
}

export async function setCourseStatus(
	db: Db,
	actor: Actor,
	input: Audited & { id: number; status: PublishState }
): Promise<void> {
	requireAuthor(actor);
	await db.transaction(async (tx) => {
		const course = await requireCourse(tx, input.id);
		if (course.status === input.status) return;
		if (input.status === 'published') {
			const [published] = await tx
				.select({ n: count() })
				.from(lessons)
				.where(and(eq(lessons.courseId, input.id), eq(lessons.status, 'published')));
			if (!published?.n) throw new Conflict(m.author_publish_needs_lesson());
		}
		await tx
			.update(courses)
			.set({
				status: input.status,
				updatedBy: actorRef(actor),
				updatedAt: input.now,
				publishedAt:
					input.status === 'published' ? (course.publishedAt ?? input.now) : course.publishedAt
			})
			.where(eq(courses.id, input.id));
		await recordAudit(tx, {
			actorId: actor.id,
			action: input.status === 'published' ? 'course.publish' : 'course.unpublish',
			targetType: 'course',
			targetId: input.id,
			details: { slug: course.slug },
			ip: input.ip,
			now: input.now
		});
	});
}

export interface CourseSettings {
	id: number;
	slug: string;
	title: string;
	summary: string;
	category: string;
	estimatedHours: number | null;
	description: string;
	status: PublishState;
	audience: 'everyone' | 'assigned';
}

export async function courseSettings(db: Db, actor: Actor, id: number): Promise<CourseSettings> {
	requireAuthor(actor);
	const c = await requireCourse(db, id);
	return {
		id: c.id,
		slug: c.slug,
		title: c.title,
		summary: c.summary,
		category: c.category,
		estimatedHours: c.estimatedHours,
		description: c.description,
		status: c.status,
		audience: c.audience
	};
}

// ---------------------------------------------------------------------------------------------
// Outline: sections and the order of lessons

export interface OutlineLessonView {
	id: number;
	slug: string;
	title: string;
	status: PublishState;
	updatedAt: Date;
	updatedByName: string | null;
}

export interface CourseOutline {
	course: CourseSettings & { updatedAt: Date; updatedByName: string | null };
	/** Lessons outside any section come first. */
	unsectioned: OutlineLessonView[];
	sections: Array<{ id: number; title: string; lessons: OutlineLessonView[] }>;
}

async function loadOutlineRows(db: Db, courseId: number) {
	const sectionRows = await db
		.select({
			id: courseSections.id,
			title: courseSections.title,
			position: courseSections.position
		})
		.from(courseSections)
		.where(eq(courseSections.courseId, courseId));
	const lessonRows = await db
		.select({
			id: lessons.id,
			sectionId: lessons.sectionId,
			position: lessons.position,
			slug: lessons.slug,
			title: lessons.title,
			status: lessons.status,
			updatedAt: lessons.updatedAt,
			updatedByName: users.fullName
		})
		.from(lessons)
		.leftJoin(users, eq(users.id, lessons.updatedBy))
		.where(eq(lessons.courseId, courseId));
	return { sectionRows, lessonRows, outline: canonicalOutline(sectionRows, lessonRows) };
}

export async function courseOutline(db: Db, actor: Actor, id: number): Promise<CourseOutline> {
	requireAuthor(actor);
	const c = await requireCourse(db, id);
	const [editor] = c.updatedBy
		? await db.select({ name: users.fullName }).from(users).where(eq(users.id, c.updatedBy))
		: [];
	const { sectionRows, lessonRows, outline } = await loadOutlineRows(db, id);
	const view = (lessonId: number): OutlineLessonView => {
		const l = lessonRows.find((r) => r.id === lessonId)!;
		return {
			id: l.id,
			slug: l.slug,
			title: l.title,
			status: l.status,
			updatedAt: l.updatedAt,
			updatedByName: l.updatedByName
		};
	};
	return {
		course: {
			...(await courseSettings(db, actor, id)),
			updatedAt: c.updatedAt,
			updatedByName: editor?.name ?? null
		},
		unsectioned: outline.lessons.filter((l) => l.sectionId === null).map((l) => view(l.id)),
		sections: outline.sections.map((sectionId) => ({
			id: sectionId,
			title: sectionRows.find((s) => s.id === sectionId)!.title,
			lessons: outline.lessons.filter((l) => l.sectionId === sectionId).map((l) => view(l.id))
		}))
	};
}

/** Rewrites the positions (and sections) of a course's lessons to an outline, inside a transaction. */
async function applyOutline(
	tx: Db,
	actor: Actor,
	input: { courseId: number; now: Date },
	change: (outline: Outline) => Outline | null
): Promise<boolean> {
	const { sectionRows, lessonRows, outline } = await loadOutlineRows(tx, input.courseId);
	const next = change(outline);
	if (!next) return false;
	const changes = positionChanges(sectionRows, lessonRows, next);
	for (const s of changes.sections)
		await tx
			.update(courseSections)
			.set({ position: s.position })
			.where(eq(courseSections.id, s.id));
	for (const l of changes.lessons)
		await tx
			.update(lessons)
			.set({ position: l.position, sectionId: l.sectionId })
			.where(eq(lessons.id, l.id));
	await tx
		.update(courses)
		.set({ updatedBy: actorRef(actor), updatedAt: input.now })
		.where(eq(courses.id, input.courseId));
	return true;
}

/** Locks a course for a change of its outline: two trainers moving lessons at once must not interleave. */
async function lockCourse(tx: Db, courseId: number) {
	const course = await requireCourse(tx, courseId);
	await tx.execute(sql`select id from ${courses} where id = ${course.id} for update`);
	return course;
}

/** Applies one move in a transaction, audited; false when the item cannot move that way. */
async function rearrange(
	db: Db,
	actor: Actor,
	input: Audited & { courseId: number },
	change: (outline: Outline) => Outline | null,
	audit: { action: string; targetType: string; targetId: number; details?: Record<string, unknown> }
): Promise<boolean> {
	requireAuthor(actor);
	return db.transaction(async (tx) => {
		await lockCourse(tx, input.courseId);
		const moved = await applyOutline(tx, actor, input, change);
		if (moved) await recordAudit(tx, { actorId: actor.id, ip: input.ip, now: input.now, ...audit });
		return moved;
	});
}

async function requireSection(db: Db, courseId: number, sectionId: number) {
	const [section] = await db
		.select()
		.from(courseSections)
		.where(and(eq(courseSections.id, sectionId), eq(courseSections.courseId, courseId)));
	if (!section) throw new NotFound();
	return section;
}

export async function createSection(
	db: Db,
	actor: Actor,
	input: Audited & { courseId: number; title: string }
): Promise<{ id: number }> {
	requireAuthor(actor);
	const { title } = parse(sectionTitle, { title: input.title });
	return db.transaction(async (tx) => {
		await requireCourse(tx, input.courseId);
		const [last] = await tx
			.select({ n: sql<number>`coalesce(max(${courseSections.position}), 0)::int` })
			.from(courseSections)
			.where(eq(courseSections.courseId, input.courseId));
		const [row] = await tx
			.insert(courseSections)
			.values({ courseId: input.courseId, title, position: (last?.n ?? 0) + 1 })
			.returning({ id: courseSections.id });
		await tx
			.update(courses)
			.set({ updatedBy: actorRef(actor), updatedAt: input.now })
			.where(eq(courses.id, input.courseId));
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'course.section_create',
			targetType: 'course',
			targetId: input.courseId,
			details: { sectionId: row.id, title },
			ip: input.ip,
			now: input.now
		});
		return row;
	});
}

export async function renameSection(
	db: Db,
	actor: Actor,
	input: Audited & { courseId: number; sectionId: number; title: string }
): Promise<void> {
	requireAuthor(actor);
	const { title } = parse(sectionTitle, { title: input.title });
	await db.transaction(async (tx) => {
		const section = await requireSection(tx, input.courseId, input.sectionId);
		if (section.title === title) return;
		await tx.update(courseSections).set({ title }).where(eq(courseSections.id, section.id));
		await tx
			.update(courses)
			.set({ updatedBy: actorRef(actor), updatedAt: input.now })
			.where(eq(courses.id, input.courseId));
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'course.section_rename',
			targetType: 'course',
			targetId: input.courseId,
			details: { sectionId: section.id, from: section.title, to: title },
			ip: input.ip,
			now: input.now
		});
	});
}

/** Deletes a section; its lessons stay, outside any section. */
export async function deleteSection(
	db: Db,
	actor: Actor,
	input: Audited & { courseId: number; sectionId: number }
): Promise<void> {
	requireAuthor(actor);
	await db.transaction(async (tx) => {
		await lockCourse(tx, input.courseId);
		const section = await requireSection(tx, input.courseId, input.sectionId);
		await tx.update(lessons).set({ sectionId: null }).where(eq(lessons.sectionId, section.id));
		await tx.delete(courseSections).where(eq(courseSections.id, section.id));
		// Renumber so the freed lessons read first, as the outline shows them.
		await applyOutline(tx, actor, input, (o) => o);
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'course.section_delete',
			targetType: 'course',
			targetId: input.courseId,
			details: { sectionId: section.id, title: section.title },
			ip: input.ip,
			now: input.now
		});
	});
}

export async function moveSection(
	db: Db,
	actor: Actor,
	input: Audited & { courseId: number; sectionId: number; direction: Direction }
): Promise<boolean> {
	await requireSection(db, input.courseId, input.sectionId);
	return rearrange(
		db,
		actor,
		input,
		(o) => moveSectionInOutline(o, input.sectionId, input.direction),
		{
			action: 'course.section_move',
			targetType: 'course',
			targetId: input.courseId,
			details: { sectionId: input.sectionId, direction: input.direction }
		}
	);
}

export async function moveLesson(
	db: Db,
	actor: Actor,
	input: Audited & { courseId: number; lessonId: number; direction: Direction }
): Promise<boolean> {
	await requireLesson(db, input.courseId, input.lessonId);
	return rearrange(
		db,
		actor,
		input,
		(o) => moveLessonInOutline(o, input.lessonId, input.direction),
		{
			action: 'lesson.move',
			targetType: 'lesson',
			targetId: input.lessonId,
			details: { courseId: input.courseId, direction: input.direction }
		}
	);
}

export async function moveLessonToSection(
	db: Db,
	actor: Actor,
	input: Audited & { courseId: number; lessonId: number; sectionId: number | null }
): Promise<boolean> {
	await requireLesson(db, input.courseId, input.lessonId);
	if (input.sectionId !== null) await requireSection(db, input.courseId, input.sectionId);
	return rearrange(db, actor, input, (o) => moveToSection(o, input.lessonId, input.sectionId), {
		action: 'lesson.move_section',
		targetType: 'lesson',
		targetId: input.lessonId,
		details: { courseId: input.courseId, sectionId: input.sectionId }
	});
}

// ---------------------------------------------------------------------------------------------
// Lessons and their revisions

async function requireLesson(db: Db, courseId: number, lessonId: number) {
	const [lesson] = await db
		.select()
		.from(lessons)
		.where(and(eq(lessons.id, lessonId), eq(lessons.courseId, courseId)));
	if (!lesson) throw new NotFound();
	return lesson;
}

async function latestRevisionId(db: Db, lessonId: number): Promise<number | null> {
	const [row] = await db
		.select({ id: lessonRevisions.id })
		.from(lessonRevisions)
		.where(eq(lessonRevisions.lessonId, lessonId))
		.orderBy(desc(lessonRevisions.id))
		.limit(1);
	return row?.id ?? null;
}

async function uniqueLessonSlug(db: Db, courseId: number, base: string): Promise<string> {
	const taken = new Set(
		(
			await db.select({ slug: lessons.slug }).from(lessons).where(eq(lessons.courseId, courseId))
		).map((r) => r.slug)
	);
	const stem = base.length >= 2 ? base : `bai-${base || 'moi'}`;
	if (!taken.has(stem)) return stem;
	for (let i = 2; ; i++) if (!taken.has(`${stem}-${i}`)) return `${stem}-${i}`;
}

export async function createLesson(
	db: Db,
	actor: Actor,
	input: Audited & { courseId: number; title: string; sectionId?: number | null }
): Promise<{ id: number; slug: string }> {
	requireAuthor(actor);
	const { title } = parse(v.object({ title: requiredText(LIMITS.title) }), { title: input.title });
	return db.transaction(async (tx) => {
		await lockCourse(tx, input.courseId);
		if (input.sectionId) await requireSection(tx, input.courseId, input.sectionId);
		const slug = await uniqueLessonSlug(tx, input.courseId, slugify(title));
		const [last] = await tx
			.select({ n: sql<number>`coalesce(max(${lessons.position}), 0)::int` })
			.from(lessons)
			.where(eq(lessons.courseId, input.courseId));
		const [row] = await tx
			.insert(lessons)
			.values({
				courseId: input.courseId,
				sectionId: input.sectionId ?? null,
				slug,
				title,
				body: '',
				position: (last?.n ?? 0) + 1,
				status: 'draft',
				updatedBy: actorRef(actor),
				updatedAt: input.now
			})
			.returning({ id: lessons.id, slug: lessons.slug });
		await tx.insert(lessonRevisions).values({
			lessonId: row.id,
			title,
			body: '',
			status: 'draft',
			editedBy: actorRef(actor),
			editedAt: input.now,
			note: m.author_note_created()
		});
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'lesson.create',
			targetType: 'lesson',
			targetId: row.id,
			details: { courseId: input.courseId, slug, title },
			ip: input.ip,
			now: input.now
		});
		// The new lesson goes to the end of its section in the reading order.
		await applyOutline(tx, actor, input, (o) => o);
		return row;
	});
}

export interface LessonForEdit {
	course: { id: number; slug: string; title: string; status: PublishState };
	id: number;
	slug: string;
	title: string;
	body: string;
	estimatedMinutes: number | null;
	status: PublishState;
	section: string | null;
	updatedAt: Date;
	updatedByName: string | null;
	/** The revision the editor starts from: a save on top of another one is refused. */
	baseRevisionId: number | null;
	files: Array<{ id: string; fileName: string; image: boolean; size: number; markdown: string }>;
}

export async function lessonForEdit(
	db: Db,
	actor: Actor,
	input: { courseId: number; lessonId: number }
): Promise<LessonForEdit> {
	requireAuthor(actor);
	const course = await requireCourse(db, input.courseId);
	const [row] = await db
		.select({
			lesson: lessons,
			section: courseSections.title,
			updatedByName: users.fullName
		})
		.from(lessons)
		.leftJoin(courseSections, eq(courseSections.id, lessons.sectionId))
		.leftJoin(users, eq(users.id, lessons.updatedBy))
		.where(and(eq(lessons.id, input.lessonId), eq(lessons.courseId, input.courseId)));
	if (!row) throw new NotFound();
	const l = row.lesson;
	const uploaded = await db
		.select({
			id: files.id,
			fileName: files.fileName,
			mimeType: files.mimeType,
			size: files.size
		})
		.from(files)
		.where(and(eq(files.ownerType, LESSON_FILE_OWNER), eq(files.ownerId, String(l.id))))
		.orderBy(asc(files.createdAt));
	return {
		course: { id: course.id, slug: course.slug, title: course.title, status: course.status },
		id: l.id,
		slug: l.slug,
		title: l.title,
		body: l.body,
		estimatedMinutes: l.estimatedMinutes,
		status: l.status,
		section: row.section,
		updatedAt: l.updatedAt,
		updatedByName: row.updatedByName,
		baseRevisionId: await latestRevisionId(db, l.id),
		files: uploaded.map((f) => {
			const image = f.mimeType.startsWith('image/');
			return {
				id: f.id,
				fileName: f.fileName,
				image,
				size: f.size,
				markdown: fileMarkdown({ id: f.id, fileName: f.fileName, image })
			};
		})
	};
}

export interface SaveResult {
	/** The new revision, or null when nothing changed. */
	revisionId: number | null;
	status: PublishState;
}

/**
 * Saves a lesson as a new revision. Refused (Conflict) when someone else saved since the editor
 * was opened (`baseRevisionId`), so nobody overwrites another's work unknowingly.
 */
export async function saveLesson(
	db: Db,
	actor: Actor,
	input: Audited &
		LessonInput & {
			courseId: number;
			lessonId: number;
			status: PublishState;
			baseRevisionId: number | null;
		}
): Promise<SaveResult> {
	requireAuthor(actor);
	const values = parseLessonInput(input);
	if (input.status === 'published' && !values.body.trim())
		throw new Invalid({ body: m.author_body_required_to_publish() });
	return db.transaction(async (tx) => {
		const lesson = await requireLesson(tx, input.courseId, input.lessonId);
		await tx.execute(sql`select id from ${lessons} where id = ${lesson.id} for update`);
		const latest = await latestRevisionId(tx, lesson.id);
		if (latest !== null && input.baseRevisionId !== latest) {
			const [other] = await tx
				.select({ at: lessonRevisions.editedAt, name: users.fullName })
				.from(lessonRevisions)
				.leftJoin(users, eq(users.id, lessonRevisions.editedBy))
				.where(eq(lessonRevisions.id, latest));
			throw new Conflict(
				m.author_lesson_conflict({
					name: other?.name ?? m.author_someone(),
					time: formatDateTime(other?.at ?? input.now)
				})
			);
		}
		if (values.slug !== lesson.slug) {
			const [taken] = await tx
				.select({ id: lessons.id })
				.from(lessons)
				.where(and(eq(lessons.courseId, input.courseId), eq(lessons.slug, values.slug)));
			if (taken) throw new Invalid({ slug: m.author_lesson_slug_taken({ slug: values.slug }) });
		}
		const contentChanged =
			lesson.title !== values.title ||
			lesson.body !== values.body ||
			lesson.status !== input.status;
		const settingsChanged =
			lesson.slug !== values.slug || lesson.estimatedMinutes !== values.estimatedMinutes;
		if (!contentChanged && !settingsChanged) return { revisionId: null, status: lesson.status };
		await tx
			.update(lessons)
			.set({
				title: values.title,
				slug: values.slug,
				body: values.body,
				estimatedMinutes: values.estimatedMinutes,
				status: input.status,
				updatedBy: actorRef(actor),
				updatedAt: input.now
			})
			.where(eq(lessons.id, lesson.id));
		const [revision] = await tx
			.insert(lessonRevisions)
			.values({
				lessonId: lesson.id,
				title: values.title,
				body: values.body,
				status: input.status,
				editedBy: actorRef(actor),
				editedAt: input.now,
				note: values.note || null
			})
			.returning({ id: lessonRevisions.id });
		await recordAudit(tx, {
			actorId: actor.id,
			action:
				lesson.status !== input.status
					? input.status === 'published'
						? 'lesson.publish'
						: 'lesson.unpublish'
					: 'lesson.update',
			targetType: 'lesson',
			targetId: lesson.id,
			details: {
				courseId: input.courseId,
				revisionId: revision.id,
				slug: values.slug,
				changed: [
					...(lesson.title !== values.title ? ['title'] : []),
					...(lesson.body !== values.body ? ['body'] : []),
					...(lesson.slug !== values.slug ? ['slug'] : []),
					...(lesson.estimatedMinutes !== values.estimatedMinutes ? ['estimatedMinutes'] : []),
					...(lesson.status !== input.status ? ['status'] : [])
				]
			},
			ip: input.ip,
			now: input.now
		});
		return { revisionId: revision.id, status: input.status };
	});
}

export async function deleteLesson(
	db: Db,
	actor: Actor,
	input: Audited & { courseId: number; lessonId: number }
): Promise<void> {
	requireAuthor(actor);
	await db.transaction(async (tx) => {
		await lockCourse(tx, input.courseId);
		const lesson = await requireLesson(tx, input.courseId, input.lessonId);
		await tx
			.delete(files)
			.where(and(eq(files.ownerType, LESSON_FILE_OWNER), eq(files.ownerId, String(lesson.id))));
		await tx.delete(lessons).where(eq(lessons.id, lesson.id));
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'lesson.delete',
			targetType: 'lesson',
			targetId: lesson.id,
			details: { courseId: input.courseId, slug: lesson.slug, title: lesson.title },
			ip: input.ip,
			now: input.now
		});
		await applyOutline(tx, actor, input, (o) => o);
	});
}

export interface RevisionRow {
	id: number;
	title: string;
	status: PublishState;
	editedAt: Date;
	editorName: string | null;
	editorUsername: string | null;
	note: string | null;
	current: boolean;
}

export async function lessonHistory(
	db: Db,
	actor: Actor,
	input: { courseId: number; lessonId: number }
): Promise<{ lesson: { id: number; title: string; slug: string }; revisions: RevisionRow[] }> {
	requireAuthor(actor);
	const lesson = await requireLesson(db, input.courseId, input.lessonId);
	const rows = await db
		.select({
			id: lessonRevisions.id,
			title: lessonRevisions.title,
			status: lessonRevisions.status,
			editedAt: lessonRevisions.editedAt,
			editorName: users.fullName,
			editorUsername: users.username,
			note: lessonRevisions.note
		})
		.from(lessonRevisions)
		.leftJoin(users, eq(users.id, lessonRevisions.editedBy))
		.where(eq(lessonRevisions.lessonId, lesson.id))
		.orderBy(desc(lessonRevisions.id));
	return {
		lesson: { id: lesson.id, title: lesson.title, slug: lesson.slug },
		revisions: rows.map((r, i) => ({ ...r, current: i === 0 }))
	};
}

export interface RevisionView extends RevisionRow {
	body: string;
	html: string;
	lesson: { id: number; title: string };
}

export async function lessonRevision(
	db: Db,
	actor: Actor,
	input: { courseId: number; lessonId: number; revisionId: number }
): Promise<RevisionView> {
	const history = await lessonHistory(db, actor, input);
	const row = history.revisions.find((r) => r.id === input.revisionId);
	if (!row) throw new NotFound();
	const [revision] = await db
		.select({ body: lessonRevisions.body })
		.from(lessonRevisions)
		.where(eq(lessonRevisions.id, row.id));
	return {
		...row,
		body: revision.body,
		html: renderMarkdown(revision.body, await courseAssetResolver(db, input.courseId)),
		lesson: { id: history.lesson.id, title: history.lesson.title }
	};
}

/** Brings back an old revision's title and text as a new revision (the lesson keeps its state). */
export async function restoreRevision(
	db: Db,
	actor: Actor,
	input: Audited & { courseId: number; lessonId: number; revisionId: number }
): Promise<{ revisionId: number }> {
	requireAuthor(actor);
	return db.transaction(async (tx) => {
		const lesson = await requireLesson(tx, input.courseId, input.lessonId);
		const [old] = await tx
			.select()
			.from(lessonRevisions)
			.where(
				and(eq(lessonRevisions.id, input.revisionId), eq(lessonRevisions.lessonId, lesson.id))
			);
		if (!old) throw new NotFound();
		if (lesson.status === 'published' && !old.body.trim())
			throw new Conflict(m.author_body_required_to_publish());
		await tx
			.update(lessons)
			.set({ title: old.title, body: old.body, updatedBy: actorRef(actor), updatedAt: input.now })
			.where(eq(lessons.id, lesson.id));
		const [revision] = await tx
			.insert(lessonRevisions)
			.values({
				lessonId: lesson.id,
				title: old.title,
				body: old.body,
				status: lesson.status,
				editedBy: actorRef(actor),
				editedAt: input.now,
				note: m.author_note_restored({ time: formatDateTime(old.editedAt) })
			})
			.returning({ id: lessonRevisions.id });
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'lesson.restore',
			targetType: 'lesson',
			targetId: lesson.id,
			details: { courseId: input.courseId, from: old.id, revisionId: revision.id },
			ip: input.ip,
			now: input.now
		});
		return { revisionId: revision.id };
	});
}

// ---------------------------------------------------------------------------------------------
// Preview and uploads

export async function previewMarkdown(
	db: Db,
	actor: Actor,
	input: { courseId: number; body: string }
): Promise<string> {
	requireAuthor(actor);
	await requireCourse(db, input.courseId);
	if (input.body.length > LIMITS.body)
		throw new Invalid({ body: m.field_too_long({ max: LIMITS.body }) });
	return renderMarkdown(input.body, await courseAssetResolver(db, input.courseId));
}

/** Markdown text is literal inside [] only with its brackets and backslashes escaped. */
function escapeLinkText(text: string): string {
	return text.replace(/[\\[\]]/g, '\\$&').replace(/\s+/g, ' ');
}

function fileMarkdown(file: {
	id: string;
	fileName: string;
	image: boolean;
	alt?: string;
}): string {
	const label = escapeLinkText(
		file.alt?.trim() || (file.image ? file.fileName.replace(/\.[a-z0-9]+$/i, '') : file.fileName)
	);
	return file.image ? `![${label}](/files/${file.id})` : `[${label}](/files/${file.id})`;
}

const IMAGE_EXTENSIONS = new Set(UPLOAD_POLICIES.image.kinds.map((k) => k.ext));

/** The policy for an upload: images by their stated kind (then checked by content), else attachments. */
export function uploadPolicyFor(fileName: string) {
	const ext = fileName.toLowerCase().split('.').pop() ?? '';
	return IMAGE_EXTENSIONS.has(ext) ? UPLOAD_POLICIES.image : UPLOAD_POLICIES.attachment;
}

export const UPLOAD_LIMITS = {
	imageMb: UPLOAD_POLICIES.image.maxBytes / MIB,
	attachmentMb: UPLOAD_POLICIES.attachment.maxBytes / MIB
};

/**
 * Stores a file uploaded into a lesson (type checked by its content, size limited) and returns
 * the Markdown that shows it: an image, or a link to download it.
 */
export async function uploadLessonFile(
	db: Db,
	actor: Actor,
	input: Audited & {
		courseId: number;
		lessonId: number;
		fileName: string;
		bytes: Uint8Array;
		alt?: string;
	}
): Promise<{ id: string; markdown: string; image: boolean; fileName: string }> {
	requireAuthor(actor);
	const lesson = await requireLesson(db, input.courseId, input.lessonId);
	if (!input.fileName && input.bytes.length === 0)
		throw new Invalid({ file: m.author_file_required() });
	const checked = await checkFile(
		input.bytes,
		input.fileName,
		uploadPolicyFor(input.fileName),
		'file'
	);
	return db.transaction(async (tx) => {
		const { id } = await storeFile(tx, {
			ownerType: LESSON_FILE_OWNER,
			ownerId: lesson.id,
			bytes: input.bytes,
			checked,
			createdBy: actorRef(actor),
			now: input.now
		});
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'lesson.file_upload',
			targetType: 'lesson',
			targetId: lesson.id,
			details: {
				courseId: input.courseId,
				fileId: id,
				fileName: checked.fileName,
				mimeType: checked.kind.mime,
				size: input.bytes.length
			},
			ip: input.ip,
			now: input.now
		});
		const image = checked.kind.image;
		return {
			id,
			image,
			fileName: checked.fileName,
			markdown: fileMarkdown({ id, fileName: checked.fileName, image, alt: input.alt })
		};
	});
}
