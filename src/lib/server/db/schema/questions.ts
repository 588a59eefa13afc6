// The question bank: a category tree, questions, and immutable versions of each question.
import { sql, type SQL } from 'drizzle-orm';
import {
	type AnyPgColumn,
	boolean,
	index,
	integer,
	jsonb,
	pgTable,
	serial,
	smallint,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import { users } from './org';
import type { QuestionData, QuestionType, TextFormat } from '../../questions/types';

export const questionCategories = pgTable(
	'question_categories',
	{
		id: serial('id').primaryKey(),
		parentId: integer('parent_id').references((): AnyPgColumn => questionCategories.id, {
			onDelete: 'restrict'
		}),
		name: text('name').notNull(),
		/** Materialised path of ids, '/3/8/': a category with subcategories is `path LIKE '/3/%'`. */
		path: text('path').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('question_categories_parent_id_idx').on(t.parentId),
		index('question_categories_path_idx').using('btree', sql`${t.path} text_pattern_ops`),
		uniqueIndex('question_categories_parent_name_key').on(
			sql`coalesce(${t.parentId}, 0)` as SQL,
			t.name
		)
	]
);

export const questions = pgTable(
	'questions',
	{
		id: serial('id').primaryKey(),
		categoryId: integer('category_id')
			.notNull()
			.references(() => questionCategories.id, { onDelete: 'restrict' }),
		/** The version new attempts get; older versions stay for attempts already made. */
		currentVersionId: integer('current_version_id').references(
			(): AnyPgColumn => questionVersions.id,
			{
				onDelete: 'set null'
			}
		),
		/** GIFT [id:…], unique when present: re-imports update the same question. */
		idNumber: text('id_number'),
		tags: text('tags')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		/** 1 easy, 2 medium, 3 hard. */
		difficulty: smallint('difficulty'),
		archived: boolean('archived').notNull().default(false),
		createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('questions_category_id_idx').on(t.categoryId),
		index('questions_current_version_id_idx').on(t.currentVersionId),
		index('questions_tags_idx').using('gin', t.tags),
		index('questions_created_by_idx').on(t.createdBy),
		uniqueIndex('questions_id_number_key').on(t.idNumber)
	]
);

/** A question as it was at one time: attempts point at the version they were given. */
export const questionVersions = pgTable(
	'question_versions',
	{
		id: serial('id').primaryKey(),
		questionId: integer('question_id')
			.notNull()
			.references((): AnyPgColumn => questions.id, { onDelete: 'cascade' }),
		version: integer('version').notNull(),
		type: text('type').$type<QuestionType>().notNull(),
		name: text('name').notNull(),
		stem: text('stem').notNull(),
		format: text('format').$type<TextFormat>().notNull().default('markdown'),
		generalFeedback: text('general_feedback'),
		/** Choices, answers and the answer key: never sent to a browser that may not see them. */
		data: jsonb('data').$type<QuestionData>().notNull(),
		createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('question_versions_question_version_key').on(t.questionId, t.version),
		index('question_versions_created_by_idx').on(t.createdBy)
	]
);
