// THE attempt engine's tables, shared by course quizzes and competition rounds.
import { sql } from 'drizzle-orm';
import {
	bigserial,
	boolean,
	index,
	integer,
	jsonb,
	numeric,
	pgTable,
	primaryKey,
	serial,
	smallint,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { courses } from './courses';
import { users } from './org';
import { questionCategories, questionVersions, questions } from './questions';
import type { Response } from '../../questions/types';

export type AssessmentKind = 'quiz' | 'round';
export type GradingMethod = 'highest' | 'last' | 'average' | 'first';
export type AttemptStatus = 'in_progress' | 'submitted';

/** What a learner may see of their attempt, by phase. */
export interface ReviewFlags {
	/** Their score. */
	score: boolean;
	/** Whether each answer was right. */
	correctness: boolean;
	/** Per-answer and general feedback. */
	feedback: boolean;
	/** The right answer. */
	rightAnswer: boolean;
}
export interface ReviewOptions {
	/** While the attempt is in progress. */
	during: ReviewFlags;
	/** Right after submitting (until the assessment closes). */
	immediately: ReviewFlags;
	/** Later, while the assessment is still open. */
	later: ReviewFlags;
	/** After the close time. */
	afterClose: ReviewFlags;
}

export const assessments = pgTable(
	'assessments',
	{
		id: serial('id').primaryKey(),
		kind: text('kind').$type<AssessmentKind>().notNull(),
		/** The course a quiz belongs to (null for competition rounds). */
		courseId: integer('course_id').references(() => courses.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		description: text('description').notNull().default(''),
		status: text('status').$type<'draft' | 'published'>().notNull().default('draft'),
		/** Nobody starts before openAt; a fixed-start round sets openAt to the start time. */
		openAt: timestamp('open_at', { withTimezone: true }),
		/** Nobody starts after closeAt, and every deadline is capped by it (plus overrides). */
		closeAt: timestamp('close_at', { withTimezone: true }),
		timeLimitSeconds: integer('time_limit_seconds'),
		/** null = unlimited. */
		attemptsAllowed: integer('attempts_allowed'),
		gradingMethod: text('grading_method').$type<GradingMethod>().notNull().default('highest'),
		/** Percentage needed to pass, 0–100. */
		passPercent: numeric('pass_percent', { precision: 5, scale: 2, mode: 'number' })
			.notNull()
			.default(50),
		shuffleQuestions: boolean('shuffle_questions').notNull().default(true),
		shuffleChoices: boolean('shuffle_choices').notNull().default(true),
		/** Saves and submits are still accepted this long after the deadline (slow links). */
		graceSeconds: integer('grace_seconds').notNull().default(60),
		reviewOptions: jsonb('review_options').$type<ReviewOptions>().notNull(),
		/** A passing grade is part of the course's completion rule. */
		requiredForCompletion: boolean('required_for_completion').notNull().default(false),
		/** Emergency pause (competition): clocks stop; on resume every open deadline moves by the pause. */
		pausedAt: timestamp('paused_at', { withTimezone: true }),
		createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('assessments_course_id_idx').on(t.courseId),
		index('assessments_created_by_idx').on(t.createdBy)
	]
);

/** A place in the assessment: a fixed question, or a random draw from a category. */
export const assessmentSlots = pgTable(
	'assessment_slots',
	{
		id: serial('id').primaryKey(),
		assessmentId: integer('assessment_id')
			.notNull()
			.references(() => assessments.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		kind: text('kind').$type<'fixed' | 'random'>().notNull(),
		questionId: integer('question_id').references(() => questions.id, { onDelete: 'restrict' }),
		categoryId: integer('category_id').references(() => questionCategories.id, {
			onDelete: 'restrict'
		}),
		includeSubcategories: boolean('include_subcategories').notNull().default(true),
		/** A random draw takes only questions having all these tags. */
		tags: text('tags')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		difficulty: smallint('difficulty'),
		points: numeric('points', { precision: 7, scale: 2, mode: 'number' }).notNull().default(1)
	},
	(t) => [
		index('assessment_slots_assessment_id_idx').on(t.assessmentId, t.position),
		index('assessment_slots_question_id_idx').on(t.questionId),
		index('assessment_slots_category_id_idx').on(t.categoryId)
	]
);

/** Per-person exceptions: extra time, extra attempts, a later close. */
export const assessmentOverrides = pgTable(
	'assessment_overrides',
	{
		assessmentId: integer('assessment_id')
			.notNull()
			.references(() => assessments.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		extraSeconds: integer('extra_seconds').notNull().default(0),
		extraAttempts: integer('extra_attempts').notNull().default(0),
		closeAt: timestamp('close_at', { withTimezone: true }),
		reason: text('reason'),
		updatedBy: integer('updated_by').references(() => users.id, { onDelete: 'set null' }),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.assessmentId, t.userId] }),
		index('assessment_overrides_user_id_idx').on(t.userId),
		index('assessment_overrides_updated_by_idx').on(t.updatedBy)
	]
);

export const attempts = pgTable(
	'attempts',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		assessmentId: integer('assessment_id')
			.notNull()
			.references(() => assessments.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** 1, 2, … per person and assessment. */
		number: integer('number').notNull(),
		status: text('status').$type<AttemptStatus>().notNull().default('in_progress'),
		startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
		/** min(started + limit + extra, close): stored at start, the server's clock is the truth. */
		deadlineAt: timestamp('deadline_at', { withTimezone: true }),
		submittedAt: timestamp('submitted_at', { withTimezone: true }),
		/** 'user', 'sweeper' (deadline plus grace passed) or 'organiser'. */
		finishedBy: text('finished_by'),
		/** Points earned, and out of how many; null until graded. */
		score: numeric('score', { precision: 9, scale: 3, mode: 'number' }),
		maxScore: numeric('max_score', { precision: 9, scale: 3, mode: 'number' }).notNull().default(0),
		/** Essays still waiting for a trainer. */
		needsGrading: boolean('needs_grading').notNull().default(false),
		/** Time from start to submit, minus pauses: the competition tie-break. */
		timeUsedMs: integer('time_used_ms'),
		/** Emergency pauses this attempt sat through (added on resume). */
		pausedMs: integer('paused_ms').notNull().default(0),
		/** Seed of this attempt's shuffles, so the same page shows the same order after a reload. */
		seed: integer('seed').notNull(),
		ip: text('ip')
	},
	(t) => [
		uniqueIndex('attempts_assessment_user_number_key').on(t.assessmentId, t.userId, t.number),
		index('attempts_user_id_idx').on(t.userId),
		// The sweeper's scan: open attempts by deadline.
		index('attempts_open_deadline_idx')
			.on(t.deadlineAt)
			.where(sql`${t.status} = 'in_progress'`)
	]
);

/** The questions one attempt was given, in its order, each at the version it was given. */
export const attemptSlots = pgTable(
	'attempt_slots',
	{
		attemptId: uuid('attempt_id')
			.notNull()
			.references(() => attempts.id, { onDelete: 'cascade' }),
		slot: integer('slot').notNull(),
		questionVersionId: integer('question_version_id')
			.notNull()
			.references(() => questionVersions.id, { onDelete: 'restrict' }),
		points: numeric('points', { precision: 7, scale: 2, mode: 'number' }).notNull(),
		/** Display order of choices (indexes into the version's choices), when shuffled. */
		choiceOrder: integer('choice_order').array()
	},
	(t) => [
		primaryKey({ columns: [t.attemptId, t.slot] }),
		index('attempt_slots_question_version_id_idx').on(t.questionVersionId)
	]
);

/** The latest saved answer per slot: the highest seq wins; grading fields once graded. */
export const attemptAnswers = pgTable(
	'attempt_answers',
	{
		attemptId: uuid('attempt_id')
			.notNull()
			.references(() => attempts.id, { onDelete: 'cascade' }),
		slot: integer('slot').notNull(),
		seq: integer('seq').notNull(),
		response: jsonb('response').$type<Response>().notNull(),
		savedAt: timestamp('saved_at', { withTimezone: true }).notNull(),
		/** 0–1 of the slot's points; null = not graded yet. */
		fraction: numeric('fraction', { precision: 8, scale: 7, mode: 'number' }),
		gradeState: text('grade_state'),
		/** A trainer's grade and comment (essays, or an override). */
		manualComment: text('manual_comment'),
		gradedBy: integer('graded_by').references(() => users.id, { onDelete: 'set null' }),
		gradedAt: timestamp('graded_at', { withTimezone: true })
	},
	(t) => [
		primaryKey({ columns: [t.attemptId, t.slot] }),
		index('attempt_answers_graded_by_idx').on(t.gradedBy)
	]
);

/** Append-only: every state change and every save, so any attempt can be replayed and audited. */
export const attemptEvents = pgTable(
	'attempt_events',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		attemptId: uuid('attempt_id')
			.notNull()
			.references(() => attempts.id, { onDelete: 'cascade' }),
		at: timestamp('at', { withTimezone: true }).notNull(),
		/** start, save, save_stale, save_rejected, submit, finalise, extend, pause, resume, grade, regrade */
		type: text('type').notNull(),
		slot: integer('slot'),
		seq: integer('seq'),
		userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
		ip: text('ip'),
		details: jsonb('details').$type<Record<string, unknown>>()
	},
	(t) => [
		index('attempt_events_attempt_id_idx').on(t.attemptId, t.id),
		index('attempt_events_user_id_idx').on(t.userId)
	]
);
