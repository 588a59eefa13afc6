// The question bank: categories (a tree), questions and their immutable versions, and importing
// parsed GIFT/Aiken questions into it — all or nothing, re-imports updating in place.
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { questionCategories, questionVersions, questions } from '../db/schema';
import { recordAudit } from '../audit/log';
import { requireRole, type Actor, actorRef } from '../auth/actor';
import { ImportFailed, Invalid, NotFound, type LineError } from '../errors';
import { m } from '../i18n';
import { nulLine } from '../text';
import { parseAiken } from './formats/aiken';
import { exportGift, parseGift } from './formats/gift';
import { categoryTree } from './categories';
import type { ParsedQuestion, QuestionContent, QuestionData, TextFormat } from './types';

export const DEFAULT_CATEGORY = 'Chung';

/** The category at a path of names, created (with its parents) when missing. */
export async function findOrCreateCategory(
	db: Db,
	path: string[]
): Promise<{ id: number; path: string }> {
	let parent: { id: number; path: string } | null = null;
	for (const rawName of path.length ? path : [DEFAULT_CATEGORY]) {
		const name = rawName.trim().slice(0, 200);
		const [found] = await db
			.select({ id: questionCategories.id, path: questionCategories.path })
			.from(questionCategories)
			.where(
				and(
					eq(questionCategories.name, name),
					parent ? eq(questionCategories.parentId, parent.id) : isNull(questionCategories.parentId)
				)
			);
		if (found) {
			parent = found;
			continue;
		}
		const parentId: number | null = parent?.id ?? null;
		const [created]: Array<{ id: number }> = await db
			.insert(questionCategories)
			.values({ name, parentId, path: '/' })
			.returning({ id: questionCategories.id });
		const fullPath: string = `${parent?.path ?? '/'}${created.id}/`;
		await db
			.update(questionCategories)
			.set({ path: fullPath })
			.where(eq(questionCategories.id, created.id));
		parent = { id: created.id, path: fullPath };
	}
	return parent!;
}

/** JSON with object keys sorted: jsonb stores keys in its own order. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value && typeof value === 'object') {
		return `{${Object.keys(value)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value);
}

/** Two versions are the same question when everything a learner or the grader sees is equal. */
export function sameContent(a: QuestionContent, b: QuestionContent): boolean {
	return (
		a.type === b.type &&
		a.name === b.name &&
		a.stem === b.stem &&
		a.format === b.format &&
		(a.generalFeedback ?? null) === (b.generalFeedback ?? null) &&
		canonicalJson(a.data) === canonicalJson(b.data)
	);
}

export interface ImportCounts {
	created: number;
	updated: number;
	unchanged: number;
}

/**
 * Writes parsed questions into the bank. A question is the same one when its GIFT id matches,
 * or else its name within the same category: then a new version is added only if it changed,
 * so attempts already made keep the version they were given. Call inside a transaction.
 */
export async function importQuestions(
	db: Db,
	actor: Actor,
	input: { questions: ParsedQuestion[]; categoryPath?: string[]; now: Date }
): Promise<ImportCounts> {
	requireRole(actor, 'trainer', 'admin');
	const counts: ImportCounts = { created: 0, updated: 0, unchanged: 0 };
	// Questions of this import already matched: two questions of one file never become one.
	const matched = new Set<number>();
	for (const q of input.questions) {
		const category = await findOrCreateCategory(db, [
			...(input.categoryPath ?? []),
			...(q.category ?? [])
		]);
		const content: QuestionContent = {
			type: q.type,
			name: q.name,
			stem: q.stem,
			format: q.format,
			generalFeedback: q.generalFeedback,
			data: q.data
		};
		const candidates = await db
			.select({
				id: questions.id,
				versionId: questions.currentVersionId,
				version: questionVersions
			})
			.from(questions)
			.leftJoin(questionVersions, eq(questionVersions.id, questions.currentVersionId))
			.where(
				q.idNumber
					? eq(questions.idNumber, q.idNumber)
					: and(eq(questions.categoryId, category.id), eq(questionVersions.name, q.name))
			)
			.orderBy(asc(questions.id));
		const existing = candidates.find((c) => !matched.has(c.id));
		if (existing) matched.add(existing.id);
		if (!existing) {
			const [row] = await db
				.insert(questions)
				.values({
					categoryId: category.id,
					idNumber: q.idNumber,
					tags: q.tags,
					difficulty: q.difficulty,
					createdBy: actorRef(actor),
					createdAt: input.now,
					updatedAt: input.now
				})
				.returning({ id: questions.id });
			matched.add(row.id);
			const [version] = await db
				.insert(questionVersions)
				.values({
					questionId: row.id,
					version: 1,
					...content,
					createdBy: actorRef(actor),
					createdAt: input.now
				})
				.returning({ id: questionVersions.id });
			await db
				.update(questions)
				.set({ currentVersionId: version.id })
				.where(eq(questions.id, row.id));
			counts.created++;
			continue;
		}
		await db
			.update(questions)
			.set({
				categoryId: category.id,
				tags: q.tags,
				difficulty: q.difficulty,
				archived: false,
				updatedAt: input.now
			})
			.where(eq(questions.id, existing.id));
		if (existing.version && sameContent(existing.version, content)) {
			counts.unchanged++;
			continue;
		}
		const [{ next }] = await db
			.select({ next: sql<number>`coalesce(max(${questionVersions.version}), 0)::int + 1` })
			.from(questionVersions)
			.where(eq(questionVersions.questionId, existing.id));
		const [version] = await db
			.insert(questionVersions)
			.values({
				questionId: existing.id,
				version: next,
				...content,
				createdBy: actorRef(actor),
				createdAt: input.now
			})
			.returning({ id: questionVersions.id });
		await db
			.update(questions)
			.set({ currentVersionId: version.id })
			.where(eq(questions.id, existing.id));
		counts.updated++;
	}
	return counts;
}

export type QuestionFileFormat = 'gift' | 'aiken';

export function parseQuestionFile(
	text: string,
	format: QuestionFileFormat,
	categoryPath?: string[]
) {
	return format === 'aiken' ? parseAiken(text, { category: categoryPath }) : parseGift(text);
}

/** Parses a file for a preview: its questions, or every error with its line (an empty file is one). */
export function readQuestionFile(
	text: string,
	format: QuestionFileFormat
): { questions: ParsedQuestion[]; errors: LineError[] } {
	const nul = nulLine(text);
	if (nul !== null)
		return { questions: [], errors: [{ line: nul, message: m.text_nul_character({ line: nul }) }] };
	const parsed = format === 'aiken' ? parseAiken(text) : parseGift(text);
	if (parsed.errors.length === 0 && parsed.questions.length === 0)
		return { questions: [], errors: [{ line: 1, message: m.bank_file_no_questions() }] };
	return parsed;
}

/** GIFT unless the file says Aiken: by its name (.aiken), or by ANSWER: lines and no braces. */
export function detectFormat(fileName: string, text: string): QuestionFileFormat {
	if (/\.aiken$/i.test(fileName)) return 'aiken';
	if (/\.gift$/i.test(fileName)) return 'gift';
	return /^\s*ANSWER\s*:\s*[A-Z]\s*$/im.test(text) && !text.includes('{') ? 'aiken' : 'gift';
}

/** Parses and imports a whole file in one transaction; any error means nothing is written. */
export async function importQuestionFile(
	db: Db,
	actor: Actor,
	input: {
		text: string;
		format: QuestionFileFormat;
		fileName?: string;
		categoryPath?: string[];
		dryRun?: boolean;
		now: Date;
		ip?: string | null;
	}
): Promise<{ questions: ParsedQuestion[]; counts: ImportCounts | null }> {
	requireRole(actor, 'trainer', 'admin');
	const parsed = readQuestionFile(input.text, input.format);
	if (parsed.errors.length)
		throw new ImportFailed(parsed.errors.map((e) => ({ ...e, file: input.fileName })));
	if (input.dryRun) return { questions: parsed.questions, counts: null };
	const counts = await db.transaction(async (tx) => {
		const result = await importQuestions(tx, actor, {
			questions: parsed.questions,
			categoryPath: input.categoryPath,
			now: input.now
		});
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'questions.import',
			targetType: 'question_bank',
			details: { file: input.fileName ?? null, format: input.format, ...result },
			ip: input.ip,
			now: input.now
		});
		return result;
	});
	return { questions: parsed.questions, counts };
}

/** A category path given as 'A/B/C' on the command line or in a form. */
export function parseCategoryInput(text: string | undefined | null): string[] | undefined {
	if (!text?.trim()) return undefined;
	const parts = text
		.split('/')
		.map((p) => p.trim())
		.filter(Boolean);
	if (parts.some((p) => p.length > 200))
		throw new Invalid({ category: m.bank_category_too_long() });
	return parts;
}

export interface CategoryView {
	id: number;
	name: string;
	parentId: number | null;
	path: string;
	questions: number;
}

export async function listCategories(db: Db): Promise<CategoryView[]> {
	const rows = await db
		.select({
			id: questionCategories.id,
			name: questionCategories.name,
			parentId: questionCategories.parentId,
			path: questionCategories.path,
			questions: sql<number>`(select count(*)::int from ${questions} q where q.category_id = "question_categories"."id" and not q.archived)`
		})
		.from(questionCategories)
		.orderBy(asc(questionCategories.path));
	return rows;
}

/**
 * The bank (or one category with its subcategories) as GIFT, with $CATEGORY lines, ids, tags and
 * difficulty, in tree order: importing the file again gives the same questions.
 */
export async function exportQuestions(
	db: Db,
	actor: Actor,
	input: { categoryId?: number | null } = {}
): Promise<{ text: string; count: number }> {
	requireRole(actor, 'trainer', 'admin');
	const tree = await categoryTree(db);
	const root = input.categoryId ? tree.find((c) => c.id === input.categoryId) : null;
	if (input.categoryId && !root) throw new NotFound();
	const included = root ? tree.filter((c) => c.path.startsWith(root.path)) : tree;
	if (included.length === 0) return { text: '', count: 0 };
	const rows = await db
		.select({ q: questions, v: questionVersions })
		.from(questions)
		.innerJoin(questionVersions, eq(questionVersions.id, questions.currentVersionId))
		.where(
			and(
				eq(questions.archived, false),
				inArray(
					questions.categoryId,
					included.map((c) => c.id)
				)
			)
		)
		.orderBy(asc(questions.id));
	const order = new Map(included.map((c, i) => [c.id, i]));
	const names = new Map(included.map((c) => [c.id, c.names]));
	rows.sort((a, b) => order.get(a.q.categoryId)! - order.get(b.q.categoryId)! || a.q.id - b.q.id);
	const text = exportGift(
		rows.map(({ q, v }) => ({
			type: v.type,
			name: v.name,
			stem: v.stem,
			format: v.format as TextFormat,
			generalFeedback: v.generalFeedback,
			data: v.data as QuestionData,
			category: names.get(q.categoryId)!,
			tags: q.tags,
			idNumber: q.idNumber,
			difficulty: (q.difficulty as 1 | 2 | 3 | null) ?? null
		}))
	);
	return { text, count: rows.length };
}
