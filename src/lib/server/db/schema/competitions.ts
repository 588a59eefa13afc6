// The hội thi: competitions, their rounds (each an assessment on the attempt engine), registrations
// grouped into unit teams, practical tasks judged blind against a rubric, clarifications and awards.
import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	index,
	integer,
	jsonb,
	numeric,
	pgTable,
	primaryKey,
	serial,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { assessments, attempts } from './assessments';
import { units, users } from './org';
import { PRIZES, type Prize } from '../../../competitions/prizes';

export { PRIZES, type Prize };

export type CompetitionStatus = 'draft' | 'registration' | 'running' | 'finished';
/** How a unit's score is made from its members' totals. */
export type UnitRule = 'best_k' | 'mean_registered' | 'mean_team';
/** How many of each prize: giải Nhất, Nhì, Ba, Khuyến khích; for individuals and toàn đoàn (units). */
export interface PrizeQuotas {
	individual: Record<Prize, number>;
	unit: Record<Prize, number>;
}

export const competitions = pgTable(
	'competitions',
	{
		id: serial('id').primaryKey(),
		slug: text('slug').notNull(),
		title: text('title').notNull(),
		/** Markdown (rules, schedule), rendered with the sanitising renderer. */
		description: text('description').notNull().default(''),
		status: text('status').$type<CompetitionStatus>().notNull().default('draft'),
		unitRule: text('unit_rule').$type<UnitRule>().notNull().default('best_k'),
		/** K for 'best_k'. */
		unitBestK: integer('unit_best_k').notNull().default(3),
		/** Most members a unit's team may have; registrations beyond it are refused. */
		teamSizeMax: integer('team_size_max').notNull().default(5),
		/** Eligibility: only cadres of units of these kinds may register (empty = any unit). */
		eligibleUnitKinds: text('eligible_unit_kinds')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		/** The public board stops changing this many minutes before a running round ends. */
		freezeMinutes: integer('freeze_minutes').notNull().default(0),
		/** Two judges' totals further apart than this are flagged for the head judge. */
		judgeMargin: numeric('judge_margin', { precision: 7, scale: 2, mode: 'number' })
			.notNull()
			.default(2),
		prizeQuotas: jsonb('prize_quotas').$type<PrizeQuotas>().notNull(),
		/** `/board/<slug>` answers without login only while this is on. */
		boardPublic: boolean('board_public').notNull().default(false),
		/** Official results (ranks, prizes, certificates) are visible from this moment. */
		resultsPublishedAt: timestamp('results_published_at', { withTimezone: true }),
		createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('competitions_slug_key').on(t.slug),
		index('competitions_created_by_idx').on(t.createdBy),
		check(
			'competitions_unit_rule_check',
			sql`${t.unitRule} in ('best_k', 'mean_registered', 'mean_team')`
		)
	]
);

/**
 * A round of a competition. Its timing (open/close, time limit, overrides, pause) and its
 * attempts are the attempt engine's: every round owns one assessment of kind 'round'. A theory
 * round's assessment has question slots; a practical round's has none and carries tasks instead.
 */
export const competitionRounds = pgTable(
	'competition_rounds',
	{
		id: serial('id').primaryKey(),
		competitionId: integer('competition_id')
			.notNull()
			.references(() => competitions.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		name: text('name').notNull(),
		kind: text('kind').$type<'theory' | 'practical'>().notNull(),
		/** 'fixed': everyone starts at open_at and ends together; 'window': each starts when ready within the window. */
		startMode: text('start_mode').$type<'fixed' | 'window'>().notNull().default('fixed'),
		assessmentId: integer('assessment_id')
			.notNull()
			.references(() => assessments.id, { onDelete: 'restrict' }),
		/** Counted in the competition total (a practice round is not). */
		counts: boolean('counts').notNull().default(true),
		/**
		 * Set when the organisers close the round early: where the public board's freeze for it
		 * begins (its scheduled freeze point, or the early close if that came first), so an early
		 * close never hides what the board had already shown. Null: close_at - freeze minutes.
		 */
		freezeAt: timestamp('freeze_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('competition_rounds_position_key').on(t.competitionId, t.position),
		uniqueIndex('competition_rounds_assessment_key').on(t.assessmentId),
		check('competition_rounds_kind_check', sql`${t.kind} in ('theory', 'practical')`)
	]
);

/** A unit's team in a competition (its registered members, up to the size limit). */
export const competitionTeams = pgTable(
	'competition_teams',
	{
		id: serial('id').primaryKey(),
		competitionId: integer('competition_id')
			.notNull()
			.references(() => competitions.id, { onDelete: 'cascade' }),
		unitId: integer('unit_id')
			.notNull()
			.references(() => units.id, { onDelete: 'restrict' }),
		name: text('name').notNull()
	},
	(t) => [
		uniqueIndex('competition_teams_unit_key').on(t.competitionId, t.unitId),
		index('competition_teams_unit_id_idx').on(t.unitId)
	]
);

export const competitionRegistrations = pgTable(
	'competition_registrations',
	{
		competitionId: integer('competition_id')
			.notNull()
			.references(() => competitions.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** The unit the competitor represents (their unit when registered; ranks are by it). */
		unitId: integer('unit_id')
			.notNull()
			.references(() => units.id, { onDelete: 'restrict' }),
		/** Member of the unit's team (counts for 'mean_team'); null = individual only. */
		teamId: integer('team_id').references(() => competitionTeams.id, { onDelete: 'set null' }),
		status: text('status').$type<'registered' | 'withdrawn'>().notNull().default('registered'),
		registeredBy: integer('registered_by').references(() => users.id, { onDelete: 'set null' }),
		registeredAt: timestamp('registered_at', { withTimezone: true }).notNull()
	},
	(t) => [
		primaryKey({ columns: [t.competitionId, t.userId] }),
		index('competition_registrations_user_id_idx').on(t.userId),
		index('competition_registrations_unit_id_idx').on(t.unitId),
		index('competition_registrations_team_id_idx').on(t.teamId),
		index('competition_registrations_registered_by_idx').on(t.registeredBy)
	]
);

/** Judges of a competition; the head judge (trưởng ban giám khảo) settles flagged scores. */
export const competitionJudges = pgTable(
	'competition_judges',
	{
		competitionId: integer('competition_id')
			.notNull()
			.references(() => competitions.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		isHead: boolean('is_head').notNull().default(false)
	},
	(t) => [
		primaryKey({ columns: [t.competitionId, t.userId] }),
		index('competition_judges_user_id_idx').on(t.userId)
	]
);

/** A task of a practical round: a Markdown statement plus attached files (files.owner_type 'task'). */
export const practicalTasks = pgTable(
	'practical_tasks',
	{
		id: serial('id').primaryKey(),
		roundId: integer('round_id')
			.notNull()
			.references(() => competitionRounds.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		title: text('title').notNull(),
		statement: text('statement').notNull().default(''),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('practical_tasks_position_key').on(t.roundId, t.position)]
);

/** What a task is scored on: criteria with maximum points; a task's maximum is their sum. */
export const rubricCriteria = pgTable(
	'rubric_criteria',
	{
		id: serial('id').primaryKey(),
		taskId: integer('task_id')
			.notNull()
			.references(() => practicalTasks.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		name: text('name').notNull(),
		description: text('description').notNull().default(''),
		maxPoints: numeric('max_points', { precision: 7, scale: 2, mode: 'number' }).notNull()
	},
	(t) => [uniqueIndex('rubric_criteria_position_key').on(t.taskId, t.position)]
);

/**
 * A competitor's answer to a task, within their attempt at the practical round: text plus files
 * (files.owner_type 'submission'). Judges know it only by its blind code.
 */
export const practicalSubmissions = pgTable(
	'practical_submissions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		taskId: integer('task_id')
			.notNull()
			.references(() => practicalTasks.id, { onDelete: 'cascade' }),
		attemptId: uuid('attempt_id')
			.notNull()
			.references(() => attempts.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** Shown to judges instead of any name, e.g. 'BT-4K7Q'. */
		blindCode: text('blind_code').notNull(),
		text: text('text').notNull().default(''),
		/** Like answer saves: the highest seq wins, so replays after a reconnect are harmless. */
		seq: integer('seq').notNull().default(0),
		savedAt: timestamp('saved_at', { withTimezone: true }).notNull(),
		/** The score that counts: the judges' average, or the head judge's decision when flagged. */
		finalScore: numeric('final_score', { precision: 7, scale: 2, mode: 'number' }),
		finalBy: integer('final_by').references(() => users.id, { onDelete: 'set null' }),
		finalAt: timestamp('final_at', { withTimezone: true }),
		finalNote: text('final_note')
	},
	(t) => [
		uniqueIndex('practical_submissions_task_attempt_key').on(t.taskId, t.attemptId),
		uniqueIndex('practical_submissions_blind_code_key').on(t.blindCode),
		index('practical_submissions_attempt_id_idx').on(t.attemptId),
		index('practical_submissions_user_id_idx').on(t.userId),
		index('practical_submissions_final_by_idx').on(t.finalBy)
	]
);

/** Which judges mark a submission (two per submission). */
export const judgeAssignments = pgTable(
	'judge_assignments',
	{
		submissionId: uuid('submission_id')
			.notNull()
			.references(() => practicalSubmissions.id, { onDelete: 'cascade' }),
		judgeId: integer('judge_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull()
	},
	(t) => [
		primaryKey({ columns: [t.submissionId, t.judgeId] }),
		index('judge_assignments_judge_id_idx').on(t.judgeId)
	]
);

/** One judge's marks for one submission: points per rubric criterion, their total and a comment. */
export const judgeScores = pgTable(
	'judge_scores',
	{
		submissionId: uuid('submission_id')
			.notNull()
			.references(() => practicalSubmissions.id, { onDelete: 'cascade' }),
		judgeId: integer('judge_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** criterion id → points. */
		points: jsonb('points').$type<Record<string, number>>().notNull(),
		total: numeric('total', { precision: 7, scale: 2, mode: 'number' }).notNull(),
		comment: text('comment').notNull().default(''),
		scoredAt: timestamp('scored_at', { withTimezone: true }).notNull()
	},
	(t) => [
		primaryKey({ columns: [t.submissionId, t.judgeId] }),
		index('judge_scores_judge_id_idx').on(t.judgeId)
	]
);

/** A competitor's question to the organisers, and the answer (to that person or to everyone). */
export const clarifications = pgTable(
	'clarifications',
	{
		id: serial('id').primaryKey(),
		competitionId: integer('competition_id')
			.notNull()
			.references(() => competitions.id, { onDelete: 'cascade' }),
		roundId: integer('round_id').references(() => competitionRounds.id, { onDelete: 'set null' }),
		/** null: an announcement the organisers made without a question. */
		askedBy: integer('asked_by').references(() => users.id, { onDelete: 'cascade' }),
		question: text('question').notNull().default(''),
		askedAt: timestamp('asked_at', { withTimezone: true }).notNull(),
		answer: text('answer'),
		answeredBy: integer('answered_by').references(() => users.id, { onDelete: 'set null' }),
		answeredAt: timestamp('answered_at', { withTimezone: true }),
		/** 'private': only the asker sees the answer; 'all': every competitor does. */
		visibility: text('visibility').$type<'private' | 'all'>().notNull().default('private')
	},
	(t) => [
		index('clarifications_competition_id_idx').on(t.competitionId, t.askedAt),
		index('clarifications_round_id_idx').on(t.roundId),
		index('clarifications_asked_by_idx').on(t.askedBy),
		index('clarifications_answered_by_idx').on(t.answeredBy)
	]
);

/** Prizes as published with the official results: a snapshot, so later edits cannot move them. */
export const competitionAwards = pgTable(
	'competition_awards',
	{
		id: serial('id').primaryKey(),
		competitionId: integer('competition_id')
			.notNull()
			.references(() => competitions.id, { onDelete: 'cascade' }),
		kind: text('kind').$type<'individual' | 'unit'>().notNull(),
		userId: integer('user_id').references(() => users.id, { onDelete: 'restrict' }),
		unitId: integer('unit_id').references(() => units.id, { onDelete: 'restrict' }),
		prize: text('prize').$type<Prize>().notNull(),
		rank: integer('rank').notNull(),
		score: numeric('score', { precision: 9, scale: 3, mode: 'number' }).notNull(),
		awardedAt: timestamp('awarded_at', { withTimezone: true }).notNull()
	},
	(t) => [
		index('competition_awards_competition_id_idx').on(t.competitionId),
		index('competition_awards_user_id_idx').on(t.userId),
		index('competition_awards_unit_id_idx').on(t.unitId),
		check(
			'competition_awards_target_check',
			sql`(${t.kind} = 'individual' and ${t.userId} is not null) or (${t.kind} = 'unit' and ${t.unitId} is not null)`
		)
	]
);
