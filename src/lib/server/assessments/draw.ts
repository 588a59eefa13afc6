// Which question versions an attempt gets: fixed slots, and random draws from a category subtree
// filtered by tags and difficulty, avoiding what the person has already seen where possible.
import { and, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
	assessmentSlots,
	attemptSlots,
	attempts,
	questionCategories,
	questionVersions,
	questions
} from '../db/schema';
import { Invalid } from '../errors';
import { m } from '../i18n';
import { shuffled } from '../random';
import type { QuestionData, QuestionType } from '../questions/types';

export interface Candidate {
	questionId: number;
	versionId: number;
}

export interface SlotSpec {
	position: number;
	kind: 'fixed' | 'random';
	questionId: number | null;
	categoryId: number | null;
	includeSubcategories: boolean;
	tags: string[];
	difficulty: number | null;
	points: number;
}

/**
 * Picks one candidate per random slot (pure, given the candidates): never a question twice in an
 * attempt, unseen questions first, then the least recently seen ones. `seen` maps a question to
 * when the person last met it (a Set means "seen, time unknown").
 */
export function pickCandidates(
	slots: Array<{ candidates: Candidate[] }>,
	seen: Set<number> | Map<number, number>,
	random: () => number
): Array<Candidate | null> {
	const lastSeen = (id: number): number =>
		seen instanceof Map ? (seen.get(id) ?? -Infinity) : seen.has(id) ? 0 : -Infinity;
	const used = new Set<number>();
	return slots.map(({ candidates }) => {
		const available = candidates.filter((c) => !used.has(c.questionId));
		if (available.length === 0) return null;
		// Unseen questions have -Infinity: they alone form the pool while there are any.
		const oldest = Math.min(...available.map((c) => lastSeen(c.questionId)));
		const pool = available.filter((c) => lastSeen(c.questionId) === oldest);
		const pick = pool[Math.floor(random() * pool.length)];
		used.add(pick.questionId);
		return pick;
	});
}

async function candidatesFor(
	db: Db,
	slot: SlotSpec,
	autoGradedOnly: boolean
): Promise<Candidate[]> {
	if (slot.kind === 'fixed') {
		if (!slot.questionId) return [];
		const [q] = await db
			.select({ questionId: questions.id, versionId: questions.currentVersionId })
			.from(questions)
			.where(and(eq(questions.id, slot.questionId), isNotNull(questions.currentVersionId)));
		return q ? [{ questionId: q.questionId, versionId: q.versionId! }] : [];
	}
	if (!slot.categoryId) return [];
	const conditions: SQL[] = [eq(questions.archived, false), isNotNull(questions.currentVersionId)];
	conditions.push(
		slot.includeSubcategories
			? sql`${questions.categoryId} in (select c.id from ${questionCategories} c, ${questionCategories} root where root.id = ${slot.categoryId} and c.path like root.path || '%')`
			: eq(questions.categoryId, slot.categoryId)
	);
	if (slot.tags.length)
		conditions.push(
			sql`${questions.tags} @> ${sql.raw(`ARRAY[${slot.tags.map((t) => `'${t.replace(/'/g, "''")}'`).join(',')}]::text[]`)}`
		);
	if (slot.difficulty) conditions.push(eq(questions.difficulty, slot.difficulty));
	// Descriptions carry no marks and make no sense as a random draw.
	conditions.push(sql`${questionVersions.type} <> 'description'`);
	if (autoGradedOnly) conditions.push(sql`${questionVersions.type} <> 'essay'`);
	const rows = await db
		.select({ questionId: questions.id, versionId: questions.currentVersionId })
		.from(questions)
		.innerJoin(questionVersions, eq(questionVersions.id, questions.currentVersionId))
		.where(and(...conditions))
		.orderBy(questions.id);
	return rows.map((r) => ({ questionId: r.questionId, versionId: r.versionId! }));
}

/** Questions this person has met in earlier attempts of any assessment, with when they last did. */
async function seenQuestions(db: Db, userId: number): Promise<Map<number, number>> {
	const rows = await db
		.select({
			questionId: questionVersions.questionId,
			last: sql<string>`max(${attempts.startedAt})`
		})
		.from(attemptSlots)
		.innerJoin(attempts, eq(attempts.id, attemptSlots.attemptId))
		.innerJoin(questionVersions, eq(questionVersions.id, attemptSlots.questionVersionId))
		.where(eq(attempts.userId, userId))
		.groupBy(questionVersions.questionId);
	return new Map(rows.map((r) => [r.questionId, new Date(r.last).getTime()]));
}

/** How many questions a slot can draw from now (for the slot editor). */
export async function slotPoolSize(
	db: Db,
	slot: Omit<SlotSpec, 'position' | 'points'>,
	autoGradedOnly = false
): Promise<number> {
	return (await candidatesFor(db, { ...slot, position: 0, points: 0 }, autoGradedOnly)).length;
}

export interface DrawnSlot {
	slot: number;
	questionVersionId: number;
	points: number;
	choiceOrder: number[] | null;
}

export type SlotSpecRow = typeof assessmentSlots.$inferSelect;

/** The slots of an assessment in order, as drawSlots reads them (the query is sent at once). */
export async function slotSpecs(db: Db, assessmentId: number): Promise<SlotSpecRow[]> {
	return await db
		.select()
		.from(assessmentSlots)
		.where(eq(assessmentSlots.assessmentId, assessmentId))
		.orderBy(assessmentSlots.position);
}

/** Every slot of the assessment, drawn and shuffled with the attempt's seed. */
export async function drawSlots(
	db: Db,
	input: {
		assessmentId: number;
		userId: number;
		shuffleQuestions: boolean;
		shuffleChoices: boolean;
		random: () => number;
		/**
		 * A practical round has tasks instead of questions: no slots is right for it. Asked only
		 * when there are no slots (a function: the question costs a query).
		 */
		allowEmpty?: boolean | (() => boolean | Promise<boolean>);
		/**
		 * Random slots draw no essay (a competition round: scored at once, and its board and
		 * results cannot wait for a trainer's marking).
		 */
		autoGradedOnly?: boolean;
		/** The assessment's slots when the caller has read them already (slotSpecs). */
		specs?: SlotSpecRow[];
	}
): Promise<DrawnSlot[]> {
	const specs = input.specs ?? (await slotSpecs(db, input.assessmentId));
	if (specs.length === 0) {
		const allowEmpty =
			typeof input.allowEmpty === 'function' ? await input.allowEmpty() : input.allowEmpty;
		if (allowEmpty) return [];
		throw new Invalid({ slots: m.engine_no_slots() });
	}
	// Fixed questions come in one query with their current versions (a round of fixed questions:
	// one round trip, not one per slot, and no second one for the versions).
	const fixedIds = specs.flatMap((s) => (s.kind === 'fixed' && s.questionId ? [s.questionId] : []));
	const fixedRows = fixedIds.length
		? await db
				.select({
					questionId: questions.id,
					id: questionVersions.id,
					type: questionVersions.type,
					data: questionVersions.data
				})
				.from(questions)
				.innerJoin(questionVersions, eq(questionVersions.id, questions.currentVersionId))
				.where(inArray(questions.id, fixedIds))
		: [];
	const fixed = new Map(fixedRows.map((q) => [q.questionId, q.id]));
	// Slots that draw from the same pool ask the database once.
	const pools = new Map<string, Promise<Candidate[]>>();
	const candidateLists = await Promise.all(
		specs.map((s) => {
			if (s.kind === 'fixed') {
				const versionId = s.questionId ? fixed.get(s.questionId) : undefined;
				return versionId ? [{ questionId: s.questionId!, versionId }] : [];
			}
			const key = JSON.stringify([
				s.kind,
				s.questionId,
				s.categoryId,
				s.includeSubcategories,
				s.tags,
				s.difficulty
			]);
			if (!pools.has(key)) pools.set(key, candidatesFor(db, s, input.autoGradedOnly ?? false));
			return pools.get(key)!;
		})
	);
	// Only a draw from a pool can prefer questions the person has not met; fixed slots need no history.
	const seen = specs.some((s) => s.kind !== 'fixed')
		? await seenQuestions(db, input.userId)
		: new Map<number, number>();
	const picks = pickCandidates(
		candidateLists.map((candidates) => ({ candidates })),
		seen,
		input.random
	);
	if (picks.some((p) => p === null))
		throw new Invalid({
			slots: m.engine_slot_empty({ position: picks.findIndex((p) => p === null) + 1 })
		});
	const versionIds = picks.map((p) => p!.versionId);
	const byId = new Map<number, { id: number; type: QuestionType; data: QuestionData }>(
		fixedRows.map((v) => [v.id, v])
	);
	const missing = versionIds.filter((id) => !byId.has(id));
	if (missing.length)
		for (const v of await db
			.select({ id: questionVersions.id, type: questionVersions.type, data: questionVersions.data })
			.from(questionVersions)
			.where(inArray(questionVersions.id, missing)))
			byId.set(v.id, v);
	const drawn = specs.map((spec, i) => {
		const version = byId.get(versionIds[i])!;
		return {
			versionId: version.id,
			points: version.type === 'description' ? 0 : spec.points,
			choiceOrder: choiceOrderFor(version.type, version.data, input.shuffleChoices, input.random)
		};
	});
	const order = input.shuffleQuestions ? shuffled(drawn, input.random) : drawn;
	return order.map((d, i) => ({
		slot: i + 1,
		questionVersionId: d.versionId,
		points: d.points,
		choiceOrder: d.choiceOrder
	}));
}

/** Display order of choices (or of a matching question's answers, which are always shuffled). */
export function choiceOrderFor(
	type: QuestionType,
	data: QuestionData,
	shuffleChoices: boolean,
	random: () => number
): number[] | null {
	if ((data.type === 'single' || data.type === 'multiple') && shuffleChoices)
		return shuffled(
			data.choices.map((_, i) => i),
			random
		);
	if (data.type === 'matching')
		return shuffled(
			data.pairs.map((_, i) => i),
			random
		);
	void type;
	return null;
}
