// The learner's side: the catalogue, "my learning", a course page with progress and resume, a
// lesson page with previous/next and "mark as done", and the completion rule.
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { prepared } from '../db/prepared';
import {
	courseAssignments,
	courseProgress,
	courseSections,
	courses,
	files,
	lessonProgress,
	lessons,
	units
} from '../db/schema';
import type { Actor } from '../auth/actor';
import { NotFound } from '../errors';
import { renderMarkdown, type RenderOptions } from '../markdown/render';
import { courseQuizzes } from '../assessments/quizzes';
import { quizCompletionChecks, type CompletionCheck } from '../assessments/results';
import { issueCourseCertificate } from '../reports/certificates';
import {
	LEARNER_PLACEHOLDERS,
	learnerParams,
	managesCourses,
	visibleTo,
	visibleToActor
} from './access';
import { COURSE_FILE_OWNER } from './import';

export interface CompletionState {
	lessonsDone: number;
	lessonsTotal: number;
	checks: CompletionCheck[];
	complete: boolean;
}

/** The rule: every published lesson done, and every extra requirement (e.g. a quiz passed) met. */
export function evaluateCompletion(input: {
	lessonsDone: number;
	lessonsTotal: number;
	checks: CompletionCheck[];
}): CompletionState {
	return {
		...input,
		complete:
			input.lessonsTotal > 0 &&
			input.lessonsDone >= input.lessonsTotal &&
			input.checks.every((c) => c.met)
	};
}

/** Extra requirements beyond the lessons; quizzes required for completion plug in here. */
export async function completionChecks(
	db: Db,
	userId: number,
	courseId: number
): Promise<CompletionCheck[]> {
	return quizCompletionChecks(db, userId, courseId);
}

async function lessonCounts(
	db: Db,
	userId: number,
	courseId: number
): Promise<{ done: number; total: number }> {
	const [row] = await db
		.select({
			total: sql<number>`count(*)::int`,
			done: sql<number>`count(${lessonProgress.completedAt})::int`
		})
		.from(lessons)
		.leftJoin(
			lessonProgress,
			and(eq(lessonProgress.lessonId, lessons.id), eq(lessonProgress.userId, userId))
		)
		.where(and(eq(lessons.courseId, courseId), eq(lessons.status, 'published')));
	return { done: row?.done ?? 0, total: row?.total ?? 0 };
}

/** Re-evaluates a cadre's completion of a course, records the moment it is first met and issues the certificate. */
export async function refreshCompletion(
	db: Db,
	input: { userId: number; courseId: number; now: Date }
): Promise<CompletionState> {
	const counts = await lessonCounts(db, input.userId, input.courseId);
	const state = evaluateCompletion({
		lessonsDone: counts.done,
		lessonsTotal: counts.total,
		checks: await completionChecks(db, input.userId, input.courseId)
	});
	const [progress] = await db
		.select({ completedAt: courseProgress.completedAt })
		.from(courseProgress)
		.where(
			and(eq(courseProgress.userId, input.userId), eq(courseProgress.courseId, input.courseId))
		);
	if (progress && state.complete && !progress.completedAt) {
		await db
			.update(courseProgress)
			.set({ completedAt: input.now })
			.where(
				and(eq(courseProgress.userId, input.userId), eq(courseProgress.courseId, input.courseId))
			);
	}
	// Meeting the rule earns the certificate (once: later completions keep the first one).
	if (progress && state.complete) {
		await issueCourseCertificate(db, {
			userId: input.userId,
			courseId: input.courseId,
			now: progress.completedAt ?? input.now
		});
	}
	if (progress && !state.complete && progress.completedAt) {
		// A lesson was added since: the course is open again.
		await db
			.update(courseProgress)
			.set({ completedAt: null })
			.where(
				and(eq(courseProgress.userId, input.userId), eq(courseProgress.courseId, input.courseId))
			);
	}
	return state;
}

export interface CourseCard {
	id: number;
	slug: string;
	title: string;
	summary: string;
	category: string;
	estimatedHours: number | null;
	lessons: number;
	done: number;
	startedAt: Date | null;
	completedAt: Date | null;
	dueAt: Date | null;
	assigned: boolean;
}

/** SQL: the earliest due date of the assignments of the `courses` row that reach the actor.
 * (Qualified by hand: Drizzle leaves columns unqualified in a single-table select.) */
function dueAtFor(actor: Actor) {
	return sql<Date | null>`(select min(ca.due_at) from ${courseAssignments} ca left join ${units} au on au.id = ca.unit_id
		where ca.course_id = "courses"."id" and (ca.user_id = ${actor.id} or ca.unit_id = ${actor.unitId ?? -1}
		  or (ca.include_subtree and ${actor.unitPath ?? ''} like au.path || '%')))`;
}

/** Courses the actor may open, with their own progress and due dates. */
export async function catalogue(db: Db, actor: Actor): Promise<CourseCard[]> {
	const rows = await db
		.select({
			id: courses.id,
			slug: courses.slug,
			title: courses.title,
			summary: courses.summary,
			category: courses.category,
			estimatedHours: courses.estimatedHours,
			lessons: sql<number>`(select count(*)::int from ${lessons} l where l.course_id = ${courses.id} and l.status = 'published')`,
			done: sql<number>`(select count(*)::int from ${lessonProgress} lp join ${lessons} l on l.id = lp.lesson_id where lp.user_id = ${actor.id} and l.course_id = ${courses.id} and l.status = 'published' and lp.completed_at is not null)`,
			startedAt: courseProgress.startedAt,
			completedAt: courseProgress.completedAt,
			dueAt: dueAtFor(actor),
			assigned: sql<boolean>`exists (select 1 from ${courseAssignments} ca left join ${units} au on au.id = ca.unit_id
				where ca.course_id = ${courses.id} and (ca.user_id = ${actor.id} or ca.unit_id = ${actor.unitId ?? -1}
				  or (ca.include_subtree and ${actor.unitPath ?? ''} like au.path || '%')))`
		})
		.from(courses)
		.leftJoin(
			courseProgress,
			and(eq(courseProgress.courseId, courses.id), eq(courseProgress.userId, actor.id))
		)
		.where(visibleToActor(actor))
		.orderBy(asc(courses.sortOrder), asc(courses.title));
	return rows.map((r) => ({
		...r,
		dueAt: r.dueAt ? new Date(r.dueAt) : null,
		assigned: r.assigned === true || (r.assigned as unknown) === 't'
	}));
}

export interface MyLearning {
	overdue: CourseCard[];
	assigned: CourseCard[];
	inProgress: CourseCard[];
	completed: CourseCard[];
}

export function groupMyLearning(cards: CourseCard[], now: Date): MyLearning {
	const out: MyLearning = { overdue: [], assigned: [], inProgress: [], completed: [] };
	for (const card of cards) {
		if (card.completedAt) out.completed.push(card);
		else if (card.assigned && card.dueAt && card.dueAt < now) out.overdue.push(card);
		else if (card.startedAt) out.inProgress.push(card);
		else if (card.assigned) out.assigned.push(card);
	}
	return out;
}

async function findVisibleCourse(db: Db, actor: Actor, slug: string) {
	const [course] = await db
		.select()
		.from(courses)
		.where(and(eq(courses.slug, slug), managesCourses(actor) ? undefined : visibleToActor(actor)));
	// A course the actor may not see answers exactly like one that does not exist.
	if (!course) throw new NotFound();
	return course;
}

// The lesson page's reads, built once (db/prepared.ts) and sent together (one write to the
// database): every opening of a lesson runs them. The course comes by its slug in each.
const courseOfSlug = sql`(select ${courses.id} from ${courses} where ${courses.slug} = ${sql.placeholder('courseSlug')})`;

/**
 * A course's published lessons in order, with the course, if the actor may see it (trainers and
 * admins see every course; a learner, LEARNER_PLACEHOLDERS); the body of the lesson asked for only.
 */
const lessonOutline = (db: Db, everyCourse: boolean) =>
	prepared(
		db,
		everyCourse ? 'hocthi_lesson_outline' : 'hocthi_lesson_outline_visible',
		(db, name) =>
			db
				.select({
					courseId: courses.id,
					courseTitle: courses.title,
					id: lessons.id,
					slug: lessons.slug,
					title: lessons.title,
					body: sql<
						string | null
					>`case when ${lessons.slug} = ${sql.placeholder('lessonSlug')} then ${lessons.body} end`,
					minutes: lessons.estimatedMinutes,
					section: courseSections.title
				})
				.from(lessons)
				.innerJoin(courses, eq(courses.id, lessons.courseId))
				.leftJoin(courseSections, eq(courseSections.id, lessons.sectionId))
				.where(
					and(
						eq(courses.slug, sql.placeholder('courseSlug')),
						eq(lessons.status, 'published'),
						everyCourse ? undefined : visibleTo(LEARNER_PLACEHOLDERS)
					)
				)
				.orderBy(asc(lessons.position))
				.prepare(name)
	);

/** The learner's progress in a course's published lessons, with the lesson to resume. */
const lessonProgressInCourse = (db: Db) =>
	prepared(db, 'hocthi_lesson_progress_in_course', (db, name) =>
		db
			.select({
				lessonId: lessonProgress.lessonId,
				completedAt: lessonProgress.completedAt,
				lastOpenedAt: lessonProgress.lastOpenedAt,
				resumeLessonId: sql<
					number | null
				>`(select ${courseProgress.lastLessonId} from ${courseProgress} where ${courseProgress.userId} = ${sql.placeholder('userId')} and ${courseProgress.courseId} = ${courseOfSlug})`
			})
			.from(lessonProgress)
			.where(
				and(
					eq(lessonProgress.userId, sql.placeholder('userId')),
					inArray(
						lessonProgress.lessonId,
						db
							.select({ id: lessons.id })
							.from(lessons)
							.where(and(eq(lessons.courseId, courseOfSlug), eq(lessons.status, 'published')))
					)
				)
			)
			.prepare(name)
	);

/** Files uploaded into a lesson in the editor are owned by the lesson (ownerId = lesson id). */
export const LESSON_FILE_OWNER = 'lesson';

/** A course's files and its lessons' uploads: by the course's id, or (for a lesson page) its slug. */
const courseFiles = (db: Db, by: 'id' | 'slug') =>
	prepared(db, `hocthi_course_files_by_${by}`, (db, name) => {
		const courseId = by === 'id' ? sql`${sql.placeholder('courseId')}::int` : courseOfSlug;
		return db
			.select({
				id: files.id,
				ownerType: files.ownerType,
				fileName: files.fileName,
				width: files.width,
				height: files.height
			})
			.from(files)
			.where(
				or(
					and(eq(files.ownerType, COURSE_FILE_OWNER), eq(files.ownerId, sql`(${courseId})::text`)),
					and(
						eq(files.ownerType, LESSON_FILE_OWNER),
						inArray(
							files.ownerId,
							db
								.select({ id: sql<string>`${lessons.id}::text` })
								.from(lessons)
								.where(eq(lessons.courseId, courseId))
						)
					)
				)
			)
			.orderBy(asc(files.ownerType), asc(files.id))
			.prepare(name);
	});

type CourseFile = Awaited<ReturnType<ReturnType<typeof courseFiles>['execute']>>[number];

/**
 * How the renderer finds a course's images and files: those imported with the course folder by
 * their path ('images/lan.svg'), and those uploaded into its lessons by their URL ('/files/<id>'),
 * so that every image gets its width and height.
 */
export async function courseAssetResolver(db: Db, courseId: number): Promise<RenderOptions> {
	return assetResolver(courseId, await courseFiles(db, 'id').execute({ courseId }));
}

/** The resolver over a course's files (one query for both kinds; course files first, then uploads, each by id: a stable cache key). */
function assetResolver(courseId: number, rows: CourseFile[]): RenderOptions {
	const asset = ({ id, fileName, width, height }: CourseFile) => ({
		id,
		fileName,
		width,
		height
	});
	const assets = rows.filter((r) => r.ownerType === COURSE_FILE_OWNER).map(asset);
	const uploads = rows.filter((r) => r.ownerType === LESSON_FILE_OWNER).map(asset);
	const byPath = new Map(assets.map((a) => [a.fileName, a]));
	for (const u of uploads) byPath.set(`/files/${u.id}`, { ...u, fileName: `/files/${u.id}` });
	const find = (ref: string) => byPath.get(ref) ?? byPath.get(ref.replace(/^\.\//, ''));
	return {
		// The resolvers below answer from these files only: same files, same HTML.
		cacheKey: JSON.stringify([courseId, [...byPath.values()]]),
		resolveImage: (src) => {
			const asset = find(src);
			return asset ? { src: `/files/${asset.id}`, width: asset.width, height: asset.height } : null;
		},
		resolveLink: (href) => {
			const asset = find(href);
			return asset ? `/files/${asset.id}` : null;
		}
	};
}

export interface CoursePage {
	id: number;
	slug: string;
	title: string;
	summary: string;
	descriptionHtml: string;
	estimatedHours: number | null;
	status: string;
	sections: Array<{
		title: string | null;
		lessons: Array<{ slug: string; title: string; minutes: number | null; done: boolean }>;
	}>;
	quizzes: Array<{ id: number; title: string; requiredForCompletion: boolean }>;
	completion: CompletionState;
	resume: string | null;
	startedAt: Date | null;
	completedAt: Date | null;
	dueAt: Date | null;
}

export async function coursePage(
	db: Db,
	actor: Actor,
	input: { slug: string }
): Promise<CoursePage> {
	const course = await findVisibleCourse(db, actor, input.slug);
	const rows = await db
		.select({
			id: lessons.id,
			slug: lessons.slug,
			title: lessons.title,
			minutes: lessons.estimatedMinutes,
			sectionTitle: courseSections.title,
			done: lessonProgress.completedAt
		})
		.from(lessons)
		.leftJoin(courseSections, eq(courseSections.id, lessons.sectionId))
		.leftJoin(
			lessonProgress,
			and(eq(lessonProgress.lessonId, lessons.id), eq(lessonProgress.userId, actor.id))
		)
		.where(and(eq(lessons.courseId, course.id), eq(lessons.status, 'published')))
		.orderBy(asc(lessons.position));
	const sections: CoursePage['sections'] = [];
	for (const row of rows) {
		const last = sections[sections.length - 1];
		const item = {
			slug: row.slug,
			title: row.title,
			minutes: row.minutes,
			done: row.done !== null
		};
		if (last && last.title === row.sectionTitle) last.lessons.push(item);
		else sections.push({ title: row.sectionTitle, lessons: [item] });
	}
	const [progress] = await db
		.select()
		.from(courseProgress)
		.where(and(eq(courseProgress.userId, actor.id), eq(courseProgress.courseId, course.id)));
	const lastLesson = progress?.lastLessonId
		? rows.find((r) => r.id === progress.lastLessonId)
		: undefined;
	// Resume where they left off: the last lesson opened if unfinished, else the first not done.
	const resume =
		lastLesson && !lastLesson.done ? lastLesson.slug : (rows.find((r) => !r.done)?.slug ?? null);
	const [due] = await db
		.select({ dueAt: dueAtFor(actor) })
		.from(courses)
		.where(eq(courses.id, course.id));
	const checks = await completionChecks(db, actor.id, course.id);
	return {
		id: course.id,
		slug: course.slug,
		title: course.title,
		summary: course.summary,
		descriptionHtml: renderMarkdown(course.description, await courseAssetResolver(db, course.id)),
		estimatedHours: course.estimatedHours,
		status: course.status,
		sections,
		quizzes: course.status === 'published' ? await courseQuizzes(db, actor, course.id) : [],
		completion: evaluateCompletion({
			lessonsDone: rows.filter((r) => r.done).length,
			lessonsTotal: rows.length,
			checks
		}),
		resume,
		startedAt: progress?.startedAt ?? null,
		completedAt: progress?.completedAt ?? null,
		dueAt: due?.dueAt ? new Date(due.dueAt) : null
	};
}

export interface LessonPage {
	course: { slug: string; title: string };
	slug: string;
	title: string;
	section: string | null;
	minutes: number | null;
	html: string;
	done: boolean;
	previous: { slug: string; title: string } | null;
	next: { slug: string; title: string } | null;
	position: number;
	total: number;
	lessonsDone: number;
}

/** Time spent on a lesson is counted between views, at most this much per view. */
const MAX_SECONDS_PER_VIEW = 30 * 60;
/** Opening the lesson one was reading again within this long is not recorded again. */
export const REOPEN_QUIET_MS = 30_000;

/** The lesson as the learner reads it; opening it records progress (started, last opened, time). */
export async function openLesson(
	db: Db,
	actor: Actor,
	input: { courseSlug: string; lessonSlug: string; now: Date; record?: boolean }
): Promise<LessonPage> {
	// The course, its outline, the progress and the files: one write to the database, not four.
	const slugs = { courseSlug: input.courseSlug, lessonSlug: input.lessonSlug };
	const [all, progress, courseFileRows] = await Promise.all([
		managesCourses(actor)
			? lessonOutline(db, true).execute(slugs)
			: lessonOutline(db, false).execute({ ...slugs, ...learnerParams(actor) }),
		lessonProgressInCourse(db).execute({ userId: actor.id, courseSlug: input.courseSlug }),
		courseFiles(db, 'slug').execute({ courseSlug: input.courseSlug })
	]);
	// A course the actor may not see answers exactly like one that does not exist.
	const index = all.findIndex((l) => l.slug === input.lessonSlug);
	if (index < 0) throw new NotFound();
	const lesson = { ...all[index], body: all[index].body ?? '' };
	const course = { id: lesson.courseId, slug: input.courseSlug, title: lesson.courseTitle };
	// A reload, a back button or a link preload of the lesson just opened writes nothing: its
	// reading time is counted at the next recorded opening (from the last one), so none is lost.
	const mine = progress.find((p) => p.lessonId === lesson.id);
	const justOpened =
		mine?.resumeLessonId === lesson.id &&
		input.now.getTime() - mine.lastOpenedAt.getTime() < REOPEN_QUIET_MS;
	if (input.record !== false && !justOpened)
		await recordOpening(db, {
			userId: actor.id,
			courseId: course.id,
			lessonId: lesson.id,
			now: input.now
		});
	const doneIds = new Set(progress.filter((p) => p.completedAt).map((p) => p.lessonId));
	return {
		course: { slug: course.slug, title: course.title },
		slug: input.lessonSlug,
		title: lesson.title,
		section: lesson.section,
		minutes: lesson.minutes,
		html: renderMarkdown(lesson.body, assetResolver(course.id, courseFileRows)),
		done: doneIds.has(lesson.id),
		previous: index > 0 ? { slug: all[index - 1].slug, title: all[index - 1].title } : null,
		next:
			index < all.length - 1 ? { slug: all[index + 1].slug, title: all[index + 1].title } : null,
		position: index + 1,
		total: all.length,
		lessonsDone: doneIds.size
	};
}

async function recordOpening(
	db: Db,
	input: { userId: number; courseId: number; lessonId: number; now: Date }
): Promise<void> {
	const nowIso = input.now.toISOString();
	await db
		.insert(lessonProgress)
		.values({
			userId: input.userId,
			lessonId: input.lessonId,
			firstOpenedAt: input.now,
			lastOpenedAt: input.now
		})
		.onConflictDoUpdate({
			target: [lessonProgress.userId, lessonProgress.lessonId],
			set: {
				lastOpenedAt: input.now,
				secondsSpent: sql`${lessonProgress.secondsSpent} + least(${MAX_SECONDS_PER_VIEW}, greatest(0, extract(epoch from (${nowIso}::timestamptz - ${lessonProgress.lastOpenedAt}))::int))`
			}
		});
	await db
		.insert(courseProgress)
		.values({
			userId: input.userId,
			courseId: input.courseId,
			startedAt: input.now,
			lastLessonId: input.lessonId,
			lastActivityAt: input.now
		})
		.onConflictDoUpdate({
			target: [courseProgress.userId, courseProgress.courseId],
			set: { lastLessonId: input.lessonId, lastActivityAt: input.now }
		});
}

/** Marks a lesson done (or not done again) and re-evaluates the course's completion. */
export async function markLesson(
	db: Db,
	actor: Actor,
	input: { courseSlug: string; lessonSlug: string; done: boolean; now: Date }
): Promise<CompletionState> {
	const course = await findVisibleCourse(db, actor, input.courseSlug);
	const [lesson] = await db
		.select({ id: lessons.id })
		.from(lessons)
		.where(
			and(
				eq(lessons.courseId, course.id),
				eq(lessons.slug, input.lessonSlug),
				eq(lessons.status, 'published')
			)
		);
	if (!lesson) throw new NotFound();
	return db.transaction(async (tx) => {
		await recordOpening(tx, {
			userId: actor.id,
			courseId: course.id,
			lessonId: lesson.id,
			now: input.now
		});
		await tx
			.update(lessonProgress)
			.set({
				completedAt: input.done
					? sql`coalesce(${lessonProgress.completedAt}, ${input.now.toISOString()}::timestamptz)`
					: null
			})
			.where(and(eq(lessonProgress.userId, actor.id), eq(lessonProgress.lessonId, lesson.id)));
		return refreshCompletion(tx, { userId: actor.id, courseId: course.id, now: input.now });
	});
}
