// Item statistics of a quiz for trainers (classical test theory, as Moodle's quiz statistics):
// facility index, discrimination index, how often each option was chosen, and weak questions.
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
	assessments,
	attemptAnswers,
	attemptSlots,
	attempts,
	questionVersions
} from '../db/schema';
import type { Actor } from '../auth/actor';
import { NotFound } from '../errors';
import { gradeResponse } from '../questions/grading';
import type { QuestionData, QuestionType, Response } from '../questions/types';
import { requireController } from './control';

/** One question as one attempt met it. */
export interface ItemScore {
	versionId: number;
	points: number;
	/** 0–1; null while a trainer has not graded it (essays). */
	fraction: number | null;
	response: Response | null;
}

export interface AttemptScores {
	score: number;
	maxScore: number;
	items: ItemScore[];
}

export type ItemFlag = 'hard' | 'easy' | 'weak' | 'negative';

export interface ItemStatistic {
	versionId: number;
	/** Attempts in which this question was graded. */
	n: number;
	/** Mean score on the question, 0–1 (Moodle's facility index / 100). */
	facility: number | null;
	/** Standard deviation of the question's score, 0–1. */
	sd: number | null;
	/**
	 * Correlation between the score on this question and on the rest of the attempt, −1–1
	 * (Moodle's discrimination index / 100); null when either never varies.
	 */
	discrimination: number | null;
	flags: ItemFlag[];
	/** Graded fully right (fraction 1) and partly right, of the n. */
	right: number;
	partial: number;
	/** Answered but not graded yet (an essay waiting for its trainer), not in n. */
	pending: number;
}

/** Thresholds for a question worth a second look. */
export const WEAK = { hard: 0.2, easy: 0.9, discrimination: 0.2 } as const;

function mean(xs: number[]): number {
	return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Pearson's r, or null when a variable has no variance (or fewer than 2 pairs). */
export function correlation(xs: number[], ys: number[]): number | null {
	if (xs.length < 2 || xs.length !== ys.length) return null;
	const mx = mean(xs);
	const my = mean(ys);
	let sxy = 0;
	let sxx = 0;
	let syy = 0;
	for (let i = 0; i < xs.length; i++) {
		sxy += (xs[i] - mx) * (ys[i] - my);
		sxx += (xs[i] - mx) ** 2;
		syy += (ys[i] - my) ** 2;
	}
	if (sxx < 1e-12 || syy < 1e-12) return null;
	return sxy / Math.sqrt(sxx * syy);
}

/** Facility, spread, discrimination and flags per question version (pure). */
export function itemStatistics(attemptScores: AttemptScores[]): ItemStatistic[] {
	const byVersion = new Map<number, Array<{ x: number; rest: number | null }>>();
	const pending = new Map<number, number>();
	for (const a of attemptScores) {
		for (const item of a.items) {
			if (item.points <= 0) continue;
			if (item.fraction === null) {
				pending.set(item.versionId, (pending.get(item.versionId) ?? 0) + 1);
				byVersion.set(item.versionId, byVersion.get(item.versionId) ?? []);
				continue;
			}
			const restMax = a.maxScore - item.points;
			// The rest of the attempt, as a share of its own maximum (random slots differ in points).
			const rest = restMax > 0 ? (a.score - item.fraction * item.points) / restMax : null;
			const list = byVersion.get(item.versionId) ?? [];
			list.push({ x: item.fraction, rest });
			byVersion.set(item.versionId, list);
		}
	}
	return [...byVersion.entries()].map(([versionId, list]) => {
		const xs = list.map((p) => p.x);
		const counts = {
			right: xs.filter((x) => x >= 1).length,
			partial: xs.filter((x) => x > 0 && x < 1).length,
			pending: pending.get(versionId) ?? 0
		};
		if (xs.length === 0)
			return {
				versionId,
				n: 0,
				facility: null,
				sd: null,
				discrimination: null,
				flags: [],
				...counts
			};
		const facility = mean(xs);
		const sd = list.length > 1 ? Math.sqrt(mean(xs.map((x) => (x - facility) ** 2))) : null;
		const paired = list.filter((p) => p.rest !== null);
		const discrimination = correlation(
			paired.map((p) => p.x),
			paired.map((p) => p.rest!)
		);
		const flags: ItemFlag[] = [];
		if (facility < WEAK.hard) flags.push('hard');
		if (facility > WEAK.easy) flags.push('easy');
		// Negative as shown to two decimals: −0.004 is no evidence of a wrong key, just weak.
		if (discrimination !== null && discrimination <= -0.005) flags.push('negative');
		else if (discrimination !== null && discrimination < WEAK.discrimination) flags.push('weak');
		return { versionId, n: list.length, facility, sd, discrimination, flags, ...counts };
	});
}

export interface OptionCount {
	/** What was chosen or typed (choice text, 'true'/'false', the text typed). */
	label: string;
	count: number;
	/** The grade of that option, 0–1 (null when it depends on the rest of the answer). */
	fraction: number | null;
}

/** How often each option was chosen (choices, true/false), or the commonest answers typed (pure). */
export function optionDistribution(
	data: QuestionData,
	responses: Array<Response | null>
): { options: OptionCount[]; unanswered: number } {
	const answered = responses.filter(
		(r): r is Response => r !== null && r.type === data.type && !isBlank(r)
	);
	const unanswered = responses.length - answered.length;
	switch (data.type) {
		case 'single':
		case 'multiple': {
			const counts = data.choices.map(() => 0);
			for (const r of answered) {
				const picked =
					r.type === 'single' ? [r.choice] : r.type === 'multiple' ? [...new Set(r.choices)] : [];
				for (const i of picked) if (i !== null && counts[i] !== undefined) counts[i]++;
			}
			return {
				options: data.choices.map((c, i) => ({
					label: c.text,
					count: counts[i],
					fraction: c.fraction
				})),
				unanswered
			};
		}
		case 'truefalse': {
			const said = (value: boolean) =>
				answered.filter((r) => r.type === 'truefalse' && r.answer === value).length;
			return {
				options: [
					{ label: 'true', count: said(true), fraction: data.answer ? 1 : 0 },
					{ label: 'false', count: said(false), fraction: data.answer ? 0 : 1 }
				],
				unanswered
			};
		}
		case 'matching': {
			// Per prompt: how many matched it rightly.
			return {
				options: data.pairs
					.map((p, i) => ({ p, i }))
					.filter(({ p }) => p.prompt !== '')
					.map(({ p, i }) => ({
						label: `${p.prompt} → ${p.answer}`,
						count: answered.filter((r) => r.type === 'matching' && r.answers[i] === p.answer)
							.length,
						fraction: null
					})),
				unanswered
			};
		}
		case 'shortanswer':
		case 'numerical': {
			const counts = new Map<string, number>();
			for (const r of answered) {
				if (r.type !== 'shortanswer' && r.type !== 'numerical') continue;
				const key = r.text.trim().replace(/\s+/g, ' ');
				counts.set(key, (counts.get(key) ?? 0) + 1);
			}
			return {
				options: [...counts.entries()]
					.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
					.slice(0, 10)
					.map(([label, count]) => ({
						label,
						count,
						fraction: gradeResponse(data, { type: data.type, text: label }).fraction
					})),
				unanswered
			};
		}
		default:
			return { options: [], unanswered };
	}
}

function isBlank(r: Response): boolean {
	switch (r.type) {
		case 'single':
			return r.choice === null;
		case 'multiple':
			return r.choices.length === 0;
		case 'truefalse':
			return r.answer === null;
		case 'matching':
			return Object.values(r.answers).every((v) => v === null);
		default:
			return r.text.trim() === '';
	}
}

export interface QuizItemReport extends ItemStatistic {
	questionId: number;
	version: number;
	name: string;
	type: QuestionType;
	options: OptionCount[];
	unanswered: number;
}

export interface QuizStatistics {
	assessmentId: number;
	title: string;
	attempts: number;
	/** Mean attempt score, 0–100. */
	meanPercent: number | null;
	items: QuizItemReport[];
}

/** The item statistics of one quiz over its submitted, graded attempts. */
export async function quizStatistics(
	db: Db,
	actor: Actor,
	assessmentId: number
): Promise<QuizStatistics> {
	const [assessment] = await db
		.select({ id: assessments.id, title: assessments.title, kind: assessments.kind })
		.from(assessments)
		.where(eq(assessments.id, assessmentId));
	if (!assessment) throw new NotFound();
	requireController(actor, assessment.kind);
	const done = await db
		.select({ id: attempts.id, score: attempts.score, maxScore: attempts.maxScore })
		.from(attempts)
		.where(
			and(
				eq(attempts.assessmentId, assessmentId),
				eq(attempts.status, 'submitted'),
				isNotNull(attempts.score)
			)
		);
	const slots = done.length
		? await db
				.select({
					attemptId: attemptSlots.attemptId,
					versionId: attemptSlots.questionVersionId,
					points: attemptSlots.points,
					fraction: attemptAnswers.fraction,
					answered: attemptAnswers.seq,
					response: attemptAnswers.response
				})
				.from(attemptSlots)
				.leftJoin(
					attemptAnswers,
					and(
						eq(attemptAnswers.attemptId, attemptSlots.attemptId),
						eq(attemptAnswers.slot, attemptSlots.slot)
					)
				)
				.where(
					inArray(
						attemptSlots.attemptId,
						done.map((a) => a.id)
					)
				)
		: [];
	const byAttempt = new Map<string, ItemScore[]>();
	for (const s of slots) {
		const list = byAttempt.get(s.attemptId) ?? [];
		list.push({
			versionId: s.versionId,
			points: s.points,
			// Nothing saved counts as 0; saved but not graded yet (an essay) is left out.
			fraction: s.answered === null ? 0 : s.fraction,
			response: (s.response as Response | null) ?? null
		});
		byAttempt.set(s.attemptId, list);
	}
	const scores: AttemptScores[] = done.map((a) => ({
		score: a.score!,
		maxScore: a.maxScore,
		items: byAttempt.get(a.id) ?? []
	}));
	const stats = itemStatistics(scores);
	const versionIds = [...new Set(slots.map((s) => s.versionId))];
	const versions = versionIds.length
		? await db
				.select({
					id: questionVersions.id,
					questionId: questionVersions.questionId,
					version: questionVersions.version,
					name: questionVersions.name,
					type: questionVersions.type,
					data: questionVersions.data
				})
				.from(questionVersions)
				.where(inArray(questionVersions.id, versionIds))
		: [];
	const items: QuizItemReport[] = [];
	for (const stat of stats) {
		const v = versions.find((x) => x.id === stat.versionId)!;
		const responses = scores.flatMap((a) =>
			a.items.filter((i) => i.versionId === v.id).map((i) => i.response)
		);
		items.push({
			...stat,
			questionId: v.questionId,
			version: v.version,
			name: v.name,
			type: v.type,
			...optionDistribution(v.data as QuestionData, responses)
		});
	}
	items.sort((a, b) => a.name.localeCompare(b.name, 'vi') || a.version - b.version);
	const percents = scores.filter((s) => s.maxScore > 0).map((s) => (100 * s.score) / s.maxScore);
	return {
		assessmentId,
		title: assessment.title,
		attempts: done.length,
		meanPercent: percents.length ? Math.round(mean(percents) * 10) / 10 : null,
		items
	};
}
