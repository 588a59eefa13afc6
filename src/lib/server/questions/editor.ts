// Writing questions by hand: validation of every type (the same rules as the GIFT importer, so
// what is saved exports and re-imports), create, edit (a new version; attempts keep theirs),
// archive, and the bank's list and question view for trainers.
import { and, asc, count, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { selectRows } from '../db/raw';
import { attemptSlots, questionCategories, questionVersions, questions, users } from '../db/schema';
import { recordAudit } from '../audit/log';
import { requireRole, type Actor, actorRef } from '../auth/actor';
import { Invalid, NotFound, type FieldErrors } from '../errors';
import { m } from '../i18n';
import { renderText } from '../markdown/render';
import {
	DIFFICULTY_TAG,
	gradeOptions,
	isBlankRow,
	isDifficultyTag,
	parseTags,
	TEXT_FORMATS,
	type QuestionFormValues
} from '../../questions/form';
import { rightAnswerOf } from './grading';
import { matchMoodleFraction } from './formats/gift';
import { sameContent } from './bank';
import {
	QUESTION_TYPES,
	type Choice,
	type NumericalAnswer,
	type QuestionContent,
	type QuestionData,
	type QuestionType,
	type TextFormat
} from './types';

/** A question as the editor saves it. */
export interface QuestionInput extends QuestionContent {
	categoryId: number;
	tags: string[];
	difficulty: 1 | 2 | 3 | null;
	idNumber: string | null;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const LIMITS = { name: 255, stem: 20_000, feedback: 5_000, answer: 2_000, idNumber: 100, tag: 50 };

/** Text GIFT would read differently on the way back in: a leading %weight% or [format]. */
function unexportable(text: string): boolean {
	return /^%-?\d{1,3}(\.\d*)?%/.test(text) || /^\[(markdown|html|plain|moodle)\]/.test(text);
}

/**
 * Turns the editor's fields into a question, or throws Invalid naming every bad field. Rows left
 * blank are ignored; row numbers in messages count from 1 as the page shows them.
 */
export function questionInputFromForm(values: QuestionFormValues): QuestionInput {
	const errors: FieldErrors = {};
	const type = values.type;
	if (!(QUESTION_TYPES as readonly string[]).includes(type))
		throw new Invalid({ type: m.bank_type_invalid() });
	const categoryId = Number(values.categoryId);
	if (!Number.isSafeInteger(categoryId) || categoryId <= 0)
		errors.categoryId = m.bank_category_required();
	const grades = new Set(gradeOptions(true));
	const rows = values.rows
		.map((row, i) => ({ ...row, n: i + 1 }))
		.filter((row) => !isBlankRow(row));
	const fraction = (grade: string, n: number): number => {
		if (!grades.has(grade)) {
			errors.answers ??= m.bank_grade_invalid({ row: n });
			return 0;
		}
		return matchMoodleFraction(Number(grade) / 100) ?? 0;
	};
	const text = (s: string) => s.trim();
	const orNull = (s: string) => (s.trim() ? s.trim() : null);
	for (const row of rows) {
		if (type !== 'matching' && !row.text.trim()) errors.answers ??= m.bank_row_text({ row: row.n });
		if (
			[row.text, row.feedback, row.answer].some((s) => s.length > LIMITS.answer) ||
			row.tolerance.length > 50
		)
			errors.answers ??= m.bank_row_too_long({ row: row.n, max: LIMITS.answer });
		if (unexportable(row.text.trim()) || unexportable(row.feedback.trim()))
			errors.answers ??= m.bank_row_unexportable({ row: row.n });
	}
	let data: QuestionData;
	switch (type) {
		case 'single':
		case 'multiple': {
			const choices: Choice[] = rows.map((r) => ({
				text: text(r.text),
				fraction: fraction(r.grade, r.n),
				feedback: orNull(r.feedback)
			}));
			data = { type, choices };
			if (errors.answers) break;
			if (choices.length < 2) errors.answers = m.bank_choices_too_few();
			else if (type === 'single' && !choices.some((c) => c.fraction === 1))
				errors.answers = m.gift_single_needs_full();
			else if (type === 'single' && choices.some((c) => c.fraction < 0))
				errors.answers = m.bank_single_negative();
			else if (type === 'multiple') {
				const sum = choices.filter((c) => c.fraction > 0).reduce((a, c) => a + c.fraction, 0);
				if (Math.abs(sum - 1) > 0.0001)
					errors.answers = m.gift_multiple_sum({ sum: Math.round(sum * 10000) / 100 });
			}
			break;
		}
		case 'shortanswer': {
			const answers: Choice[] = rows.map((r) => ({
				text: text(r.text),
				fraction: fraction(r.grade, r.n),
				feedback: orNull(r.feedback)
			}));
			data = { type, answers, caseSensitive: values.caseSensitive };
			if (errors.answers) break;
			if (answers.length === 0) errors.answers = m.bank_answers_none();
			else if (!answers.some((a) => a.fraction > 0)) errors.answers = m.gift_shortanswer_no_right();
			break;
		}
		case 'numerical': {
			const answers: NumericalAnswer[] = [];
			for (const r of rows) {
				let value = r.text.trim().replace(/,/g, '.');
				let tolerance = r.tolerance.trim().replace(',', '.') || '0';
				// A range 'min..max' (as GIFT writes it) is its middle ± half its width.
				const range = /^(.+?)\.\.(.+)$/.exec(value);
				if (range && NUMBER.test(range[1].trim()) && NUMBER.test(range[2].trim())) {
					const [lo, hi] = [Number(range[1]), Number(range[2])].sort((a, b) => a - b);
					value = String((lo + hi) / 2);
					tolerance = String((hi - lo) / 2);
				}
				if (!NUMBER.test(value) || !NUMBER.test(tolerance) || Number(tolerance) < 0) {
					errors.answers ??= m.bank_numerical_not_number({ row: r.n });
					continue;
				}
				answers.push({
					value: Number(value),
					tolerance: Number(tolerance),
					fraction: fraction(r.grade, r.n),
					feedback: orNull(r.feedback)
				});
			}
			if (!errors.answers && answers.length === 0) errors.answers = m.bank_answers_none();
			else if (!errors.answers && !answers.some((a) => a.fraction > 0))
				errors.answers = m.gift_shortanswer_no_right();
			if (values.otherFeedback.trim())
				answers.push({
					value: null,
					tolerance: 0,
					fraction: 0,
					feedback: values.otherFeedback.trim()
				});
			data = { type, answers };
			break;
		}
		case 'matching': {
			const pairs = rows.map((r) => ({ prompt: text(r.text), answer: text(r.answer) }));
			data = { type, pairs };
			if (errors.answers) break;
			const missing = rows.find((r) => !r.answer.trim());
			if (missing) errors.answers = m.bank_matching_answer_missing({ row: missing.n });
			else if (rows.some((r) => r.text.includes('->'))) errors.answers = m.bank_matching_arrow();
			else if (pairs.filter((p) => p.prompt).length < 2) errors.answers = m.bank_matching_too_few();
			break;
		}
		case 'truefalse':
			data = {
				type,
				answer: values.tfAnswer !== 'false',
				feedbackRight: orNull(values.tfFeedbackRight),
				feedbackWrong: orNull(values.tfFeedbackWrong)
			};
			break;
		case 'essay':
			data = { type };
			break;
		default:
			data = { type: 'description' };
	}
	const stem = values.stem.trim();
	if (!stem) errors.stem = m.bank_stem_required();
	else if (stem.length > LIMITS.stem) errors.stem = m.field_too_long({ max: LIMITS.stem });
	else if (unexportable(stem)) errors.stem = m.bank_text_unexportable();
	const format: TextFormat = TEXT_FORMATS.includes(values.format) ? values.format : 'markdown';
	let name = values.name.trim().replace(/\s+/g, ' ');
	if (!name && stem) name = defaultName(stem);
	if (name.length > LIMITS.name) errors.name = m.field_too_long({ max: LIMITS.name });
	const generalFeedback = values.generalFeedback.trim();
	if (generalFeedback.length > LIMITS.feedback)
		errors.generalFeedback = m.field_too_long({ max: LIMITS.feedback });
	for (const f of [values.tfFeedbackRight, values.tfFeedbackWrong, values.otherFeedback])
		if (f.length > LIMITS.feedback) errors.answers ??= m.field_too_long({ max: LIMITS.feedback });
	const idNumber = values.idNumber.trim();
	if (idNumber.length > LIMITS.idNumber || /[\]\s]/.test(idNumber))
		errors.idNumber = m.bank_id_invalid({ max: LIMITS.idNumber });
	const difficulty = values.difficulty ? Number(values.difficulty) : null;
	if (difficulty !== null && ![1, 2, 3].includes(difficulty))
		errors.difficulty = m.quiz_field_invalid();
	const tags = parseTags(values.tags).filter((t) => !isDifficultyTag(t));
	if (tags.some((t) => t.length > LIMITS.tag) || tags.length > 20)
		errors.tags = m.bank_tags_invalid({ max: LIMITS.tag });
	if (Object.keys(errors).length) throw new Invalid(errors);
	return {
		type,
		name,
		stem,
		format,
		generalFeedback: generalFeedback || null,
		data,
		categoryId,
		// The difficulty is also a tag, as GIFT files carry it ([tag:kho]).
		tags: difficulty ? [...tags, DIFFICULTY_TAG[difficulty as 1 | 2 | 3]] : tags,
		difficulty: difficulty as 1 | 2 | 3 | null,
		idNumber: idNumber || null
	};
}

function defaultName(stem: string): string {
	const plain = stem
		.replace(/<[^>]*>/g, ' ')
		.replace(/[*_#`>[\]]/g, '')
		.replace(/\s+/g, ' ')
		.trim();
	return plain.length > 80 ? `${plain.slice(0, 77)}...` : plain;
}

async function requireCategory(db: Db, id: number): Promise<void> {
	const [row] = await db
		.select({ id: questionCategories.id })
		.from(questionCategories)
		.where(eq(questionCategories.id, id));
	if (!row) throw new Invalid({ categoryId: m.bank_category_required() });
}

async function requireFreeIdNumber(db: Db, idNumber: string | null, except?: number) {
	if (!idNumber) return;
	const [taken] = await db
		.select({ id: questions.id })
		.from(questions)
		.where(eq(questions.idNumber, idNumber));
	if (taken && taken.id !== except)
		throw new Invalid({ idNumber: m.bank_id_taken({ id: idNumber }) });
}

const contentOf = (q: QuestionInput): QuestionContent => ({
	type: q.type,
	name: q.name,
	stem: q.stem,
	format: q.format,
	generalFeedback: q.generalFeedback,
	data: q.data
});

export async function createQuestion(
	db: Db,
	actor: Actor,
	input: { question: QuestionInput; now: Date; ip?: string | null }
): Promise<{ id: number }> {
	requireRole(actor, 'trainer', 'admin');
	const q = input.question;
	return db.transaction(async (tx) => {
		await requireCategory(tx, q.categoryId);
		await requireFreeIdNumber(tx, q.idNumber);
		const [row] = await tx
			.insert(questions)
			.values({
				categoryId: q.categoryId,
				idNumber: q.idNumber,
				tags: q.tags,
				difficulty: q.difficulty,
				createdBy: actorRef(actor),
				createdAt: input.now,
				updatedAt: input.now
			})
			.returning({ id: questions.id });
		const [version] = await tx
			.insert(questionVersions)
			.values({
				questionId: row.id,
				version: 1,
				...contentOf(q),
				createdBy: actorRef(actor),
				createdAt: input.now
			})
			.returning({ id: questionVersions.id });
		await tx
			.update(questions)
			.set({ currentVersionId: version.id })
			.where(eq(questions.id, row.id));
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'question.create',
			targetType: 'question',
			targetId: row.id,
			details: { name: q.name, type: q.type },
			ip: input.ip,
			now: input.now
		});
		return row;
	});
}

/**
 * Saves an edit. When what a learner sees or the answer key changed, a new version is added and
 * becomes current; attempts already made keep the version they were given. Category, tags,
 * difficulty and id are the question's own and change in place.
 */
export async function updateQuestion(
	db: Db,
	actor: Actor,
	input: { id: number; question: QuestionInput; now: Date; ip?: string | null }
): Promise<{ version: number; newVersion: boolean }> {
	requireRole(actor, 'trainer', 'admin');
	const q = input.question;
	return db.transaction(async (tx) => {
		const [existing] = await tx
			.select({ id: questions.id, version: questionVersions })
			.from(questions)
			.leftJoin(questionVersions, eq(questionVersions.id, questions.currentVersionId))
			.where(eq(questions.id, input.id))
			.for('update', { of: questions });
		if (!existing) throw new NotFound();
		await requireCategory(tx, q.categoryId);
		await requireFreeIdNumber(tx, q.idNumber, existing.id);
		await tx
			.update(questions)
			.set({
				categoryId: q.categoryId,
				idNumber: q.idNumber,
				tags: q.tags,
				difficulty: q.difficulty,
				updatedAt: input.now
			})
			.where(eq(questions.id, existing.id));
		const current = existing.version;
		if (current && sameContent(current, contentOf(q))) {
			await recordAudit(tx, {
				actorId: actor.id,
				action: 'question.update',
				targetType: 'question',
				targetId: existing.id,
				details: { name: q.name, version: current.version, newVersion: false },
				ip: input.ip,
				now: input.now
			});
			return { version: current.version, newVersion: false };
		}
		const [{ next }] = await tx
			.select({ next: sql<number>`coalesce(max(${questionVersions.version}), 0)::int + 1` })
			.from(questionVersions)
			.where(eq(questionVersions.questionId, existing.id));
		const [version] = await tx
			.insert(questionVersions)
			.values({
				questionId: existing.id,
				version: next,
				...contentOf(q),
				createdBy: actorRef(actor),
				createdAt: input.now
			})
			.returning({ id: questionVersions.id });
		await tx
			.update(questions)
			.set({ currentVersionId: version.id })
			.where(eq(questions.id, existing.id));
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'question.update',
			targetType: 'question',
			targetId: existing.id,
			details: { name: q.name, version: next, newVersion: true },
			ip: input.ip,
			now: input.now
		});
		return { version: next, newVersion: true };
	});
}

/** Archived questions are never drawn again and leave the list; attempts and fixed slots keep them. */
export async function setArchived(
	db: Db,
	actor: Actor,
	input: { id: number; archived: boolean; now: Date; ip?: string | null }
): Promise<void> {
	requireRole(actor, 'trainer', 'admin');
	await db.transaction(async (tx) => {
		const [row] = await tx
			.update(questions)
			.set({ archived: input.archived, updatedAt: input.now })
			.where(eq(questions.id, input.id))
			.returning({ id: questions.id });
		if (!row) throw new NotFound();
		await recordAudit(tx, {
			actorId: actor.id,
			action: input.archived ? 'question.archive' : 'question.restore',
			targetType: 'question',
			targetId: input.id,
			ip: input.ip,
			now: input.now
		});
	});
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface QuestionFilter {
	categoryId?: number | null;
	includeSubcategories?: boolean;
	type?: QuestionType | null;
	tag?: string | null;
	difficulty?: number | null;
	q?: string | null;
	archived?: boolean;
	limit?: number;
	offset?: number;
}

export interface QuestionRow {
	id: number;
	name: string;
	type: QuestionType;
	categoryId: number;
	categoryName: string;
	tags: string[];
	difficulty: number | null;
	version: number;
	archived: boolean;
	updatedAt: Date;
}

function escapeLike(text: string): string {
	return text.replace(/[%_\\]/g, '\\$&');
}

/** The bank's list: by category (with subcategories), type, tag, difficulty and words in name or text. */
export async function listQuestions(
	db: Db,
	actor: Actor,
	filter: QuestionFilter = {}
): Promise<{ rows: QuestionRow[]; total: number }> {
	requireRole(actor, 'trainer', 'admin');
	const conditions: SQL[] = [eq(questions.archived, filter.archived ?? false)];
	if (filter.categoryId) {
		conditions.push(
			filter.includeSubcategories === false
				? eq(questions.categoryId, filter.categoryId)
				: sql`${questions.categoryId} in (select c.id from ${questionCategories} c, ${questionCategories} root where root.id = ${filter.categoryId} and c.path like root.path || '%')`
		);
	}
	if (filter.type) conditions.push(eq(questionVersions.type, filter.type));
	if (filter.tag) conditions.push(sql`${filter.tag} = any(${questions.tags})`);
	if (filter.difficulty) conditions.push(eq(questions.difficulty, filter.difficulty));
	if (filter.q?.trim()) {
		const words = `%${escapeLike(filter.q.trim())}%`;
		conditions.push(
			or(
				ilike(questionVersions.name, words),
				ilike(questionVersions.stem, words),
				eq(questions.idNumber, filter.q.trim())
			)!
		);
	}
	const where = and(...conditions);
	const [{ total }] = await db
		.select({ total: count() })
		.from(questions)
		.innerJoin(questionVersions, eq(questionVersions.id, questions.currentVersionId))
		.where(where);
	const rows = await db
		.select({
			id: questions.id,
			name: questionVersions.name,
			type: questionVersions.type,
			categoryId: questions.categoryId,
			categoryName: questionCategories.name,
			tags: questions.tags,
			difficulty: questions.difficulty,
			version: questionVersions.version,
			archived: questions.archived,
			updatedAt: questions.updatedAt
		})
		.from(questions)
		.innerJoin(questionVersions, eq(questionVersions.id, questions.currentVersionId))
		.innerJoin(questionCategories, eq(questionCategories.id, questions.categoryId))
		.where(where)
		.orderBy(asc(questionCategories.path), asc(questionVersions.name), asc(questions.id))
		.limit(filter.limit ?? 50)
		.offset(filter.offset ?? 0);
	return { rows, total };
}

/** Every tag in use, for the filter. */
export async function listTags(db: Db): Promise<string[]> {
	const rows = await selectRows<{ tag: string }>(
		db,
		sql`select distinct unnest(${questions.tags}) as tag from ${questions} where not ${questions.archived} order by 1`
	);
	return rows.map((r) => String(r.tag)).filter((t) => !isDifficultyTag(t));
}

export interface QuestionView {
	id: number;
	categoryId: number;
	categoryNames: string[];
	idNumber: string | null;
	tags: string[];
	difficulty: number | null;
	archived: boolean;
	version: number;
	versionId: number;
	type: QuestionType;
	name: string;
	format: TextFormat;
	stemHtml: string;
	generalFeedbackHtml: string | null;
	/** The answers as trainers see them: text (rendered), grade and feedback. */
	answers: Array<{ html: string; percent: number | null; feedback: string | null; extra?: string }>;
	caseSensitive: boolean | null;
	rightAnswer: string[];
	versions: Array<{
		id: number;
		version: number;
		createdAt: Date;
		createdBy: string | null;
		attempts: number;
	}>;
	/** The raw content, for the edit form. */
	content: QuestionContent;
}

/** One question for trainers: the current version rendered as a learner would see it, the key, and its versions. */
export async function getQuestion(db: Db, actor: Actor, id: number): Promise<QuestionView> {
	requireRole(actor, 'trainer', 'admin');
	const [row] = await db
		.select({ q: questions, v: questionVersions, categoryPath: questionCategories.path })
		.from(questions)
		.innerJoin(questionVersions, eq(questionVersions.id, questions.currentVersionId))
		.innerJoin(questionCategories, eq(questionCategories.id, questions.categoryId))
		.where(eq(questions.id, id));
	if (!row) throw new NotFound();
	const ids = row.categoryPath.split('/').filter(Boolean).map(Number);
	const cats = await db
		.select({ id: questionCategories.id, name: questionCategories.name })
		.from(questionCategories)
		.where(inArray(questionCategories.id, ids.length ? ids : [0]));
	const names = ids.map((i) => cats.find((c) => c.id === i)?.name ?? '?');
	const versions = await db
		.select({
			id: questionVersions.id,
			version: questionVersions.version,
			createdAt: questionVersions.createdAt,
			createdBy: users.fullName,
			attempts: sql<number>`(select count(*)::int from ${attemptSlots} s where s.question_version_id = "question_versions"."id")`
		})
		.from(questionVersions)
		.leftJoin(users, eq(users.id, questionVersions.createdBy))
		.where(eq(questionVersions.questionId, id))
		.orderBy(desc(questionVersions.version));
	const v = row.v;
	const format = v.format as TextFormat;
	const data = v.data as QuestionData;
	const render = (t: string) => renderText(t, format);
	let answers: QuestionView['answers'] = [];
	switch (data.type) {
		case 'single':
		case 'multiple':
			answers = data.choices.map((c) => ({
				html: render(c.text),
				percent: c.fraction * 100,
				feedback: c.feedback
			}));
			break;
		case 'shortanswer':
			answers = data.answers.map((a) => ({
				html: render(a.text),
				percent: a.fraction * 100,
				feedback: a.feedback
			}));
			break;
		case 'numerical':
			answers = data.answers.map((a) => ({
				html: a.value === null ? '*' : render(String(a.value)),
				percent: a.fraction * 100,
				feedback: a.feedback,
				extra: a.value !== null && a.tolerance ? `± ${a.tolerance}` : undefined
			}));
			break;
		case 'matching':
			answers = data.pairs.map((p) => ({
				html: p.prompt ? render(p.prompt) : '',
				percent: null,
				feedback: null,
				extra: p.answer
			}));
			break;
		case 'truefalse':
			answers = [
				{
					html: data.answer ? m.attempt_true() : m.attempt_false(),
					percent: 100,
					feedback: data.feedbackRight
				},
				{
					html: data.answer ? m.attempt_false() : m.attempt_true(),
					percent: 0,
					feedback: data.feedbackWrong
				}
			];
			break;
	}
	return {
		id: row.q.id,
		categoryId: row.q.categoryId,
		categoryNames: names,
		idNumber: row.q.idNumber,
		tags: row.q.tags,
		difficulty: row.q.difficulty,
		archived: row.q.archived,
		version: v.version,
		versionId: v.id,
		type: v.type,
		name: v.name,
		format,
		stemHtml: render(v.stem),
		generalFeedbackHtml: v.generalFeedback ? render(v.generalFeedback) : null,
		answers,
		caseSensitive: data.type === 'shortanswer' ? data.caseSensitive : null,
		rightAnswer: rightAnswerOf(data),
		versions,
		content: {
			type: v.type,
			name: v.name,
			stem: v.stem,
			format,
			generalFeedback: v.generalFeedback,
			data
		}
	};
}

/** One stored version (for correcting its key after attempts used it). */
export async function getVersion(
	db: Db,
	actor: Actor,
	versionId: number
): Promise<{
	id: number;
	questionId: number;
	version: number;
	content: QuestionContent;
	categoryId: number;
	attempts: number;
}> {
	requireRole(actor, 'trainer', 'admin');
	const [row] = await db
		.select({
			v: questionVersions,
			categoryId: questions.categoryId,
			attempts: sql<number>`(select count(*)::int from ${attemptSlots} s where s.question_version_id = "question_versions"."id")`
		})
		.from(questionVersions)
		.innerJoin(questions, eq(questions.id, questionVersions.questionId))
		.where(eq(questionVersions.id, versionId));
	if (!row) throw new NotFound();
	const v = row.v;
	return {
		id: v.id,
		questionId: v.questionId,
		version: v.version,
		categoryId: row.categoryId,
		attempts: row.attempts,
		content: {
			type: v.type,
			name: v.name,
			stem: v.stem,
			format: v.format as TextFormat,
			generalFeedback: v.generalFeedback,
			data: v.data as QuestionData
		}
	};
}
