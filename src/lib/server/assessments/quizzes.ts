// Course quizzes: trainers create and configure them (settings, slots, per-person overrides);
// learners see the intro page with their attempts and whether they may start.
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import * as v from 'valibot';
import type { Db } from '../db/client';
import {
	assessmentOverrides,
	assessmentSlots,
	assessments,
	attempts,
	courses,
	questionCategories,
	questionVersions,
	questions,
	users
} from '../db/schema';
import type { GradingMethod, ReviewFlags, ReviewOptions } from '../db/schema';
import { recordAudit } from '../audit/log';
import { requireRole, type Actor, actorRef } from '../auth/actor';
import { canSeeCourse } from '../courses/access';
import { Invalid, NotAllowed, NotFound } from '../errors';
import { m } from '../i18n';
import { renderMarkdown } from '../markdown/render';
import { effectiveClose } from './time';
import { reviewPhase } from './review';
import { requireController } from './control';
import { finalPercent } from './results';

const flags = (on: boolean): ReviewFlags => ({
	score: on,
	correctness: on,
	feedback: on,
	rightAnswer: on
});

/** Moodle-like defaults: nothing during, everything right after and later, everything after close. */
export const DEFAULT_REVIEW: ReviewOptions = {
	during: flags(false),
	immediately: { score: true, correctness: true, feedback: true, rightAnswer: false },
	later: { score: true, correctness: true, feedback: true, rightAnswer: false },
	afterClose: flags(true)
};

export const quizSettings = v.object({
	title: v.pipe(v.string(), v.trim(), v.minLength(3), v.maxLength(200)),
	description: v.pipe(v.string(), v.maxLength(20_000)),
	status: v.picklist(['draft', 'published']),
	openAt: v.nullable(v.date()),
	closeAt: v.nullable(v.date()),
	timeLimitMinutes: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(600))),
	attemptsAllowed: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100))),
	gradingMethod: v.picklist(['highest', 'last', 'average', 'first']),
	passPercent: v.pipe(v.number(), v.minValue(0), v.maxValue(100)),
	shuffleQuestions: v.boolean(),
	shuffleChoices: v.boolean(),
	graceSeconds: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(3600)),
	requiredForCompletion: v.boolean(),
	reviewOptions: v.custom<ReviewOptions>((x) => !!x && typeof x === 'object')
});
export type QuizSettings = v.InferOutput<typeof quizSettings>;

/** Validates assessment settings (a course quiz's, or a competition round's). */
export function parseSettings(input: unknown): QuizSettings {
	const result = v.safeParse(quizSettings, input);
	const fields: Record<string, string> = {};
	if (!result.success) {
		for (const issue of result.issues) {
			const key = String(issue.path?.[0]?.key ?? 'form');
			fields[key] ??= key === 'title' ? m.quiz_title_invalid() : m.quiz_field_invalid();
		}
		throw new Invalid(fields);
	}
	const s = result.output;
	if (s.openAt && s.closeAt && s.closeAt <= s.openAt)
		throw new Invalid({ closeAt: m.quiz_close_before_open() });
	return s;
}

/** The assessments columns for validated settings. */
export function toColumns(s: QuizSettings) {
	return {
		title: s.title,
		description: s.description,
		status: s.status,
		openAt: s.openAt,
		closeAt: s.closeAt,
		timeLimitSeconds: s.timeLimitMinutes ? s.timeLimitMinutes * 60 : null,
		attemptsAllowed: s.attemptsAllowed,
		gradingMethod: s.gradingMethod as GradingMethod,
		passPercent: s.passPercent,
		shuffleQuestions: s.shuffleQuestions,
		shuffleChoices: s.shuffleChoices,
		graceSeconds: s.graceSeconds,
		requiredForCompletion: s.requiredForCompletion,
		reviewOptions: s.reviewOptions
	};
}

export async function createQuiz(
	db: Db,
	actor: Actor,
	input: { courseId: number; settings: unknown; now: Date; ip?: string | null }
): Promise<{ id: number }> {
	requireRole(actor, 'trainer', 'admin');
	const settings = parseSettings(input.settings);
	const [course] = await db
		.select({ id: courses.id })
		.from(courses)
		.where(eq(courses.id, input.courseId));
	if (!course) throw new Invalid({ courseId: m.quiz_course_missing() });
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(assessments)
			.values({
				kind: 'quiz',
				courseId: course.id,
				...toColumns(settings),
				createdBy: actorRef(actor),
				createdAt: input.now,
				updatedAt: input.now
			})
			.returning({ id: assessments.id });
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'quiz.create',
			targetType: 'assessment',
			targetId: row.id,
			details: { title: settings.title, courseId: course.id },
			ip: input.ip,
			now: input.now
		});
		return row;
	});
}

export async function updateQuiz(
	db: Db,
	actor: Actor,
	input: { id: number; settings: unknown; now: Date; ip?: string | null }
): Promise<void> {
	requireRole(actor, 'trainer', 'admin');
	const settings = parseSettings(input.settings);
	await db.transaction(async (tx) => {
		const [before] = await tx
			.select()
			.from(assessments)
			.where(and(eq(assessments.id, input.id), eq(assessments.kind, 'quiz')));
		if (!before) throw new NotFound();
		await tx
			.update(assessments)
			.set({ ...toColumns(settings), updatedAt: input.now })
			.where(eq(assessments.id, input.id));
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'quiz.update',
			targetType: 'assessment',
			targetId: input.id,
			details: { title: settings.title, status: settings.status },
			ip: input.ip,
			now: input.now
		});
	});
}

export interface SlotInput {
	kind: 'fixed' | 'random';
	questionId?: number | null;
	categoryId?: number | null;
	includeSubcategories?: boolean;
	tags?: string[];
	difficulty?: number | null;
	points: number;
}

/** Replaces the quiz's slots. Attempts already made keep the questions they were given. */
export async function setSlots(
	db: Db,
	actor: Actor,
	input: { id: number; slots: SlotInput[]; now: Date; ip?: string | null }
): Promise<void> {
	requireRole(actor, 'trainer', 'organiser', 'admin');
	if (input.slots.length === 0 || input.slots.length > 200)
		throw new Invalid({ slots: m.quiz_slots_count() });
	for (const [i, s] of input.slots.entries()) {
		const position = i + 1;
		if (!(s.points > 0 && s.points <= 100))
			throw new Invalid({ slots: m.quiz_slot_points({ position }) });
		if (s.kind === 'fixed' && !s.questionId)
			throw new Invalid({ slots: m.quiz_slot_question({ position }) });
		if (s.kind === 'random' && !s.categoryId)
			throw new Invalid({ slots: m.quiz_slot_category({ position }) });
	}
	await db.transaction(async (tx) => {
		const [quiz] = await tx
			.select({ id: assessments.id, kind: assessments.kind })
			.from(assessments)
			.where(eq(assessments.id, input.id));
		if (!quiz) throw new NotFound();
		// Trainers set a quiz's questions, organisers a competition round's.
		requireController(actor, quiz.kind);
		const fixedIds = input.slots.flatMap((s) => (s.kind === 'fixed' ? [s.questionId!] : []));
		const categoryIds = input.slots.flatMap((s) => (s.kind === 'random' ? [s.categoryId!] : []));
		const foundQuestions = fixedIds.length
			? await tx.select({ id: questions.id }).from(questions).where(inArray(questions.id, fixedIds))
			: [];
		const foundCategories = categoryIds.length
			? await tx
					.select({ id: questionCategories.id })
					.from(questionCategories)
					.where(inArray(questionCategories.id, categoryIds))
			: [];
		for (const [i, s] of input.slots.entries()) {
			if (s.kind === 'fixed' && !foundQuestions.some((q) => q.id === s.questionId))
				throw new Invalid({ slots: m.quiz_slot_question({ position: i + 1 }) });
			if (s.kind === 'random' && !foundCategories.some((c) => c.id === s.categoryId))
				throw new Invalid({ slots: m.quiz_slot_category({ position: i + 1 }) });
		}
		await tx.delete(assessmentSlots).where(eq(assessmentSlots.assessmentId, input.id));
		await tx.insert(assessmentSlots).values(
			input.slots.map((s, i) => ({
				assessmentId: input.id,
				position: i + 1,
				kind: s.kind,
				questionId: s.kind === 'fixed' ? s.questionId! : null,
				categoryId: s.kind === 'random' ? s.categoryId! : null,
				includeSubcategories: s.includeSubcategories ?? true,
				tags: s.tags ?? [],
				difficulty: s.difficulty ?? null,
				points: s.points
			}))
		);
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'quiz.slots',
			targetType: 'assessment',
			targetId: input.id,
			details: { slots: input.slots.length },
			ip: input.ip,
			now: input.now
		});
	});
}

/** Extra time, extra attempts or a later close for one person; a reason is kept. */
export async function setOverride(
	db: Db,
	actor: Actor,
	input: {
		assessmentId: number;
		username: string;
		extraMinutes: number;
		extraAttempts: number;
		closeAt: Date | null;
		reason: string;
		now: Date;
		ip?: string | null;
	}
): Promise<void> {
	requireRole(actor, 'trainer', 'admin');
	const [assessment] = await db
		.select({ kind: assessments.kind })
		.from(assessments)
		.where(eq(assessments.id, input.assessmentId));
	if (!assessment) throw new NotFound();
	requireController(actor, assessment.kind);
	const [user] = await db
		.select({ id: users.id })
		.from(users)
		.where(eq(users.username, input.username.trim().toLowerCase()));
	if (!user)
		throw new Invalid({
			username: m.quiz_override_user_missing({ username: input.username.trim() })
		});
	if (!Number.isInteger(input.extraMinutes) || input.extraMinutes < 0 || input.extraMinutes > 600)
		throw new Invalid({ extraMinutes: m.control_minutes_invalid() });
	if (!Number.isInteger(input.extraAttempts) || input.extraAttempts < 0 || input.extraAttempts > 20)
		throw new Invalid({ extraAttempts: m.quiz_field_invalid() });
	if (input.reason.trim().length < 3) throw new Invalid({ reason: m.control_reason_required() });
	await db.transaction(async (tx) => {
		const values = {
			extraSeconds: input.extraMinutes * 60,
			extraAttempts: input.extraAttempts,
			closeAt: input.closeAt,
			reason: input.reason.trim(),
			updatedBy: actorRef(actor),
			updatedAt: input.now
		};
		await tx
			.insert(assessmentOverrides)
			.values({ assessmentId: input.assessmentId, userId: user.id, ...values })
			.onConflictDoUpdate({
				target: [assessmentOverrides.assessmentId, assessmentOverrides.userId],
				set: values
			});
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'quiz.override',
			targetType: 'assessment',
			targetId: input.assessmentId,
			details: {
				username: input.username,
				extraMinutes: input.extraMinutes,
				extraAttempts: input.extraAttempts,
				closeAt: input.closeAt?.toISOString() ?? null,
				reason: input.reason.trim()
			},
			ip: input.ip,
			now: input.now
		});
	});
}

/** Removes one person's override; the reason goes to the audit log. */
export async function removeOverride(
	db: Db,
	actor: Actor,
	input: { assessmentId: number; username: string; reason: string; now: Date; ip?: string | null }
): Promise<void> {
	requireRole(actor, 'trainer', 'admin');
	if (input.reason.trim().length < 3) throw new Invalid({ reason: m.control_reason_required() });
	await db.transaction(async (tx) => {
		const [row] = await tx
			.select({ o: assessmentOverrides, kind: assessments.kind })
			.from(assessmentOverrides)
			.innerJoin(users, eq(users.id, assessmentOverrides.userId))
			.innerJoin(assessments, eq(assessments.id, assessmentOverrides.assessmentId))
			.where(
				and(
					eq(assessmentOverrides.assessmentId, input.assessmentId),
					eq(users.username, input.username.trim().toLowerCase())
				)
			);
		if (!row) throw new NotFound();
		requireController(actor, row.kind);
		await tx
			.delete(assessmentOverrides)
			.where(
				and(
					eq(assessmentOverrides.assessmentId, input.assessmentId),
					eq(assessmentOverrides.userId, row.o.userId)
				)
			);
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'quiz.override_removed',
			targetType: 'assessment',
			targetId: input.assessmentId,
			details: {
				username: input.username.trim().toLowerCase(),
				reason: input.reason.trim(),
				extraMinutes: Math.round(row.o.extraSeconds / 60),
				extraAttempts: row.o.extraAttempts,
				closeAt: row.o.closeAt?.toISOString() ?? null
			},
			ip: input.ip,
			now: input.now
		});
	});
}

/** One change to a quiz's slot list, as the slot editor posts it. */
export type SlotOp =
	| { op: 'add'; slots: SlotInput[] }
	| { op: 'remove'; position: number }
	| { op: 'move'; position: number; by: -1 | 1 }
	| { op: 'points'; points: Record<number, number> };

/** The slot list after one change (pure); positions count from 1. */
export function applySlotOp(slots: SlotInput[], change: SlotOp): SlotInput[] {
	const out = slots.map((s) => ({ ...s }));
	switch (change.op) {
		case 'add':
			return [...out, ...change.slots];
		case 'remove':
			return out.filter((_, i) => i + 1 !== change.position);
		case 'move': {
			const from = change.position - 1;
			const to = from + change.by;
			if (from < 0 || from >= out.length || to < 0 || to >= out.length) return out;
			[out[from], out[to]] = [out[to], out[from]];
			return out;
		}
		case 'points':
			return out.map((s, i) =>
				change.points[i + 1] === undefined ? s : { ...s, points: change.points[i + 1] }
			);
	}
}

/** Applies one change to the stored slots (read, change, replace, in one go for the page). */
export async function editSlots(
	db: Db,
	actor: Actor,
	input: { id: number; change: SlotOp; now: Date; ip?: string | null }
): Promise<void> {
	requireRole(actor, 'trainer', 'organiser', 'admin');
	const current = await db
		.select()
		.from(assessmentSlots)
		.where(eq(assessmentSlots.assessmentId, input.id))
		.orderBy(asc(assessmentSlots.position));
	const slots: SlotInput[] = current.map((s) => ({
		kind: s.kind,
		questionId: s.questionId,
		categoryId: s.categoryId,
		includeSubcategories: s.includeSubcategories,
		tags: s.tags,
		difficulty: s.difficulty,
		points: s.points
	}));
	await setSlots(db, actor, {
		id: input.id,
		slots: applySlotOp(slots, input.change),
		now: input.now,
		ip: input.ip
	});
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface QuizIntro {
	id: number;
	title: string;
	descriptionHtml: string;
	course: { slug: string; title: string } | null;
	timeLimitMinutes: number | null;
	attemptsAllowed: number | null;
	attemptsLeft: number | null;
	gradingMethod: GradingMethod;
	passPercent: number;
	openAt: Date | null;
	closeAt: Date | null;
	questionCount: number;
	inProgress: string | null;
	attempts: Array<{
		id: string;
		number: number;
		status: string;
		submittedAt: Date | null;
		percent: number | null;
	}>;
	finalPercent: number | null;
	passed: boolean | null;
	canStart: boolean;
	reason: string | null;
}

export async function quizIntro(
	db: Db,
	actor: Actor,
	input: { id: number; now: Date }
): Promise<QuizIntro> {
	const [quiz] = await db
		.select({ a: assessments, courseSlug: courses.slug, courseTitle: courses.title })
		.from(assessments)
		.leftJoin(courses, eq(courses.id, assessments.courseId))
		.where(and(eq(assessments.id, input.id), eq(assessments.kind, 'quiz')));
	if (!quiz || !quiz.a.courseId) throw new NotFound();
	if (!(await canSeeCourse(db, actor, quiz.a.courseId))) throw new NotFound();
	const a = quiz.a;
	if (a.status !== 'published' && !actor.roles.some((r) => r === 'trainer' || r === 'admin'))
		throw new NotFound();
	const [override] = await db
		.select()
		.from(assessmentOverrides)
		.where(
			and(eq(assessmentOverrides.assessmentId, a.id), eq(assessmentOverrides.userId, actor.id))
		);
	const mine = await db
		.select()
		.from(attempts)
		.where(and(eq(attempts.assessmentId, a.id), eq(attempts.userId, actor.id)))
		.orderBy(asc(attempts.number));
	const [{ n: questionCount }] = await db
		.select({ n: count() })
		.from(assessmentSlots)
		.where(eq(assessmentSlots.assessmentId, a.id));
	const closeAt = effectiveClose(a, override ?? null);
	const allowed =
		a.attemptsAllowed === null ? null : a.attemptsAllowed + (override?.extraAttempts ?? 0);
	const left = allowed === null ? null : Math.max(0, allowed - mine.length);
	const inProgress = mine.find((t) => t.status === 'in_progress')?.id ?? null;
	const showScore = (t: (typeof mine)[number]) =>
		t.status === 'submitted' &&
		a.reviewOptions[
			reviewPhase({ status: t.status, submittedAt: t.submittedAt, closeAt, now: input.now })
		].score;
	const visible = mine.filter(showScore);
	const final = finalPercent(visible, a.gradingMethod);
	let reason: string | null = null;
	if (a.status !== 'published') reason = m.engine_not_published();
	else if (a.pausedAt) reason = m.engine_paused();
	else if (a.openAt && input.now < a.openAt) reason = m.engine_not_open();
	else if (closeAt && input.now >= closeAt) reason = m.engine_closed();
	else if (!inProgress && left === 0) reason = m.engine_no_attempts_left();
	else if (questionCount === 0) reason = m.engine_no_slots();
	return {
		id: a.id,
		title: a.title,
		descriptionHtml: renderMarkdown(a.description),
		course: quiz.courseSlug ? { slug: quiz.courseSlug, title: quiz.courseTitle! } : null,
		timeLimitMinutes: a.timeLimitSeconds
			? Math.round(a.timeLimitSeconds / 60) + Math.round((override?.extraSeconds ?? 0) / 60)
			: null,
		attemptsAllowed: allowed,
		attemptsLeft: left,
		gradingMethod: a.gradingMethod,
		passPercent: a.passPercent,
		openAt: a.openAt,
		closeAt,
		questionCount,
		inProgress,
		attempts: mine.map((t) => ({
			id: t.id,
			number: t.number,
			status: t.status,
			submittedAt: t.submittedAt,
			percent:
				showScore(t) && t.score !== null && t.maxScore > 0
					? Math.round((1000 * t.score) / t.maxScore) / 10
					: null
		})),
		finalPercent: final,
		passed: final === null ? null : final >= a.passPercent,
		canStart: reason === null || inProgress !== null,
		reason: inProgress ? null : reason
	};
}

/** Quizzes of a course a learner may open (published ones). */
export async function courseQuizzes(
	db: Db,
	actor: Actor,
	courseId: number
): Promise<Array<{ id: number; title: string; requiredForCompletion: boolean }>> {
	if (!(await canSeeCourse(db, actor, courseId))) throw new NotAllowed();
	return db
		.select({
			id: assessments.id,
			title: assessments.title,
			requiredForCompletion: assessments.requiredForCompletion
		})
		.from(assessments)
		.where(
			and(
				eq(assessments.courseId, courseId),
				eq(assessments.kind, 'quiz'),
				eq(assessments.status, 'published')
			)
		)
		.orderBy(asc(assessments.id));
}

export interface ManagedQuiz {
	id: number;
	courseId: number | null;
	courseTitle: string | null;
	settings: QuizSettings;
	slots: Array<SlotInput & { position: number; label: string }>;
	overrides: Array<{
		username: string;
		fullName: string;
		extraMinutes: number;
		extraAttempts: number;
		closeAt: Date | null;
		reason: string | null;
	}>;
	attempts: { total: number; inProgress: number; needsGrading: number };
}

export async function managedQuiz(db: Db, actor: Actor, id: number): Promise<ManagedQuiz> {
	requireRole(actor, 'trainer', 'admin');
	const [row] = await db
		.select({ a: assessments, courseTitle: courses.title })
		.from(assessments)
		.leftJoin(courses, eq(courses.id, assessments.courseId))
		.where(and(eq(assessments.id, id), eq(assessments.kind, 'quiz')));
	if (!row) throw new NotFound();
	const a = row.a;
	const slots = await db
		.select({
			slot: assessmentSlots,
			questionName: questionVersions.name,
			categoryName: questionCategories.name
		})
		.from(assessmentSlots)
		.leftJoin(questions, eq(questions.id, assessmentSlots.questionId))
		.leftJoin(questionVersions, eq(questionVersions.id, questions.currentVersionId))
		.leftJoin(questionCategories, eq(questionCategories.id, assessmentSlots.categoryId))
		.where(eq(assessmentSlots.assessmentId, id))
		.orderBy(asc(assessmentSlots.position));
	const overrides = await db
		.select({ o: assessmentOverrides, username: users.username, fullName: users.fullName })
		.from(assessmentOverrides)
		.innerJoin(users, eq(users.id, assessmentOverrides.userId))
		.where(eq(assessmentOverrides.assessmentId, id))
		.orderBy(desc(assessmentOverrides.updatedAt));
	const [stats] = await db
		.select({
			total: count(),
			inProgress: sql<number>`count(*) filter (where ${attempts.status} = 'in_progress')::int`,
			needsGrading: sql<number>`count(*) filter (where ${attempts.needsGrading})::int`
		})
		.from(attempts)
		.where(eq(attempts.assessmentId, id));
	return {
		id: a.id,
		courseId: a.courseId,
		courseTitle: row.courseTitle,
		settings: {
			title: a.title,
			description: a.description,
			status: a.status,
			openAt: a.openAt,
			closeAt: a.closeAt,
			timeLimitMinutes: a.timeLimitSeconds ? Math.round(a.timeLimitSeconds / 60) : null,
			attemptsAllowed: a.attemptsAllowed,
			gradingMethod: a.gradingMethod,
			passPercent: a.passPercent,
			shuffleQuestions: a.shuffleQuestions,
			shuffleChoices: a.shuffleChoices,
			graceSeconds: a.graceSeconds,
			requiredForCompletion: a.requiredForCompletion,
			reviewOptions: a.reviewOptions
		},
		slots: slots.map(({ slot, questionName, categoryName }) => ({
			position: slot.position,
			kind: slot.kind,
			questionId: slot.questionId,
			categoryId: slot.categoryId,
			includeSubcategories: slot.includeSubcategories,
			tags: slot.tags,
			difficulty: slot.difficulty,
			points: slot.points,
			label: slot.kind === 'fixed' ? (questionName ?? '?') : (categoryName ?? '?')
		})),
		overrides: overrides.map(({ o, username, fullName }) => ({
			username,
			fullName,
			extraMinutes: Math.round(o.extraSeconds / 60),
			extraAttempts: o.extraAttempts,
			closeAt: o.closeAt,
			reason: o.reason
		})),
		attempts: {
			total: stats?.total ?? 0,
			inProgress: stats?.inProgress ?? 0,
			needsGrading: stats?.needsGrading ?? 0
		}
	};
}

/** Every quiz with its course, for the trainers' list. */
export async function listQuizzes(
	db: Db,
	actor: Actor
): Promise<
	Array<{ id: number; title: string; status: string; courseTitle: string | null; attempts: number }>
> {
	requireRole(actor, 'trainer', 'admin');
	const rows = await db
		.select({
			id: assessments.id,
			title: assessments.title,
			status: assessments.status,
			courseTitle: courses.title
		})
		.from(assessments)
		.leftJoin(courses, eq(courses.id, assessments.courseId))
		.where(eq(assessments.kind, 'quiz'))
		.orderBy(asc(courses.title), asc(assessments.id));
	const counts = rows.length
		? await db
				.select({ id: attempts.assessmentId, n: count() })
				.from(attempts)
				.where(
					inArray(
						attempts.assessmentId,
						rows.map((r) => r.id)
					)
				)
				.groupBy(attempts.assessmentId)
		: [];
	const byId = new Map(counts.map((c) => [c.id, c.n]));
	return rows.map((r) => ({ ...r, attempts: byId.get(r.id) ?? 0 }));
}

/** Courses a quiz can belong to, for the trainers' form. */
export async function quizCourses(
	db: Db,
	actor: Actor
): Promise<Array<{ id: number; title: string; status: string }>> {
	requireRole(actor, 'trainer', 'admin');
	return db
		.select({ id: courses.id, title: courses.title, status: courses.status })
		.from(courses)
		.orderBy(asc(courses.title));
}
