// Courses → sections → lessons, who must take them, and each cadre's progress.
import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	index,
	integer,
	pgTable,
	primaryKey,
	real,
	serial,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import { units, users } from './org';

export type PublishState = 'draft' | 'published';

export const courses = pgTable(
	'courses',
	{
		id: serial('id').primaryKey(),
		slug: text('slug').notNull(),
		title: text('title').notNull(),
		summary: text('summary').notNull().default(''),
		category: text('category').notNull().default(''),
		/** Markdown, rendered with the same sanitising renderer as lessons. */
		description: text('description').notNull().default(''),
		estimatedHours: real('estimated_hours'),
		status: text('status').$type<PublishState>().notNull().default('draft'),
		/** 'everyone': open to all; 'assigned': only to the units/cadres in course_assignments. */
		audience: text('audience').$type<'everyone' | 'assigned'>().notNull().default('everyone'),
		sortOrder: integer('sort_order').notNull().default(0),
		createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
		updatedBy: integer('updated_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		publishedAt: timestamp('published_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('courses_slug_key').on(t.slug),
		index('courses_created_by_idx').on(t.createdBy),
		index('courses_updated_by_idx').on(t.updatedBy)
	]
);

export const courseSections = pgTable(
	'course_sections',
	{
		id: serial('id').primaryKey(),
		courseId: integer('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		position: integer('position').notNull()
	},
	(t) => [index('course_sections_course_id_idx').on(t.courseId, t.position)]
);

export const lessons = pgTable(
	'lessons',
	{
		id: serial('id').primaryKey(),
		courseId: integer('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		sectionId: integer('section_id').references(() => courseSections.id, { onDelete: 'set null' }),
		/** The lesson's URL part: the file name without .md, e.g. '01-mang-lan'. */
		slug: text('slug').notNull(),
		title: text('title').notNull(),
		/** Markdown source. */
		body: text('body').notNull().default(''),
		estimatedMinutes: integer('estimated_minutes'),
		position: integer('position').notNull(),
		status: text('status').$type<PublishState>().notNull().default('draft'),
		updatedBy: integer('updated_by').references(() => users.id, { onDelete: 'set null' }),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('lessons_course_slug_key').on(t.courseId, t.slug),
		index('lessons_course_position_idx').on(t.courseId, t.position),
		index('lessons_section_id_idx').on(t.sectionId),
		index('lessons_updated_by_idx').on(t.updatedBy)
	]
);

/** Every saved version of a lesson: who changed what and when. */
export const lessonRevisions = pgTable(
	'lesson_revisions',
	{
		id: serial('id').primaryKey(),
		lessonId: integer('lesson_id')
			.notNull()
			.references(() => lessons.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		body: text('body').notNull(),
		status: text('status').$type<PublishState>().notNull(),
		editedBy: integer('edited_by').references(() => users.id, { onDelete: 'set null' }),
		editedAt: timestamp('edited_at', { withTimezone: true }).notNull(),
		note: text('note')
	},
	(t) => [
		index('lesson_revisions_lesson_id_idx').on(t.lessonId, t.editedAt),
		index('lesson_revisions_edited_by_idx').on(t.editedBy)
	]
);

/** A course assigned to a unit (with or without its subtree) or to one cadre, maybe with a due date. */
export const courseAssignments = pgTable(
	'course_assignments',
	{
		id: serial('id').primaryKey(),
		courseId: integer('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		unitId: integer('unit_id').references(() => units.id, { onDelete: 'cascade' }),
		userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
		includeSubtree: boolean('include_subtree').notNull().default(true),
		dueAt: timestamp('due_at', { withTimezone: true }),
		assignedBy: integer('assigned_by').references(() => users.id, { onDelete: 'set null' }),
		assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull()
	},
	(t) => [
		index('course_assignments_course_id_idx').on(t.courseId),
		index('course_assignments_unit_id_idx').on(t.unitId),
		index('course_assignments_user_id_idx').on(t.userId),
		index('course_assignments_assigned_by_idx').on(t.assignedBy),
		check('course_assignments_target_check', sql`(${t.unitId} is null) <> (${t.userId} is null)`)
	]
);

export const lessonProgress = pgTable(
	'lesson_progress',
	{
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		lessonId: integer('lesson_id')
			.notNull()
			.references(() => lessons.id, { onDelete: 'cascade' }),
		firstOpenedAt: timestamp('first_opened_at', { withTimezone: true }).notNull(),
		lastOpenedAt: timestamp('last_opened_at', { withTimezone: true }).notNull(),
		completedAt: timestamp('completed_at', { withTimezone: true }),
		/** Reading time, counted in capped increments between page views. */
		secondsSpent: integer('seconds_spent').notNull().default(0)
	},
	(t) => [
		primaryKey({ columns: [t.userId, t.lessonId] }),
		index('lesson_progress_lesson_id_idx').on(t.lessonId)
	]
);

/** Per cadre and course: where they are and when the completion rule was met. */
export const courseProgress = pgTable(
	'course_progress',
	{
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		courseId: integer('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
		lastLessonId: integer('last_lesson_id').references(() => lessons.id, { onDelete: 'set null' }),
		lastActivityAt: timestamp('last_activity_at', { withTimezone: true }).notNull(),
		completedAt: timestamp('completed_at', { withTimezone: true })
	},
	(t) => [
		primaryKey({ columns: [t.userId, t.courseId] }),
		index('course_progress_course_id_idx').on(t.courseId),
		index('course_progress_last_lesson_id_idx').on(t.lastLessonId)
	]
);
