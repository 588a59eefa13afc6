// Per-question statistics of a competition's theory rounds, for the organisers: each round's
// item statistics as the quiz statistics compute them (assessments/statistics.ts: facility,
// discrimination, the spread of answers), with how often each question was drawn and answered.
import type { Db } from '../db/client';
import { requireRole, type Actor } from '../auth/actor';
import { NotFound } from '../errors';
import { quizStatistics } from '../assessments/statistics';
import { findCompetition, loadRounds } from './standings';

export interface OptionCount {
	label: string;
	count: number;
	/** This option is (part of) the right answer. */
	correct: boolean;
}

export interface QuestionStat {
	versionId: number;
	name: string;
	type: string;
	/** Attempts that were given this question. */
	given: number;
	answered: number;
	/** Graded fully right / partly right / wrong (answered and graded). */
	right: number;
	partial: number;
	wrong: number;
	/** Answered but not graded yet (essays). */
	ungraded: number;
	/** Mean fraction of the points earned over those graded (unanswered = 0), 0–1. */
	facility: number | null;
	/** How well the question separates stronger from weaker competitors, −1–1. */
	discrimination: number | null;
	/** Per choice (single, multiple, true/false); empty for other types. */
	options: OptionCount[];
}

export interface RoundStats {
	position: number;
	name: string;
	attempts: number;
	questions: QuestionStat[];
}

export async function questionStatistics(
	db: Db,
	actor: Actor,
	input: { slug: string }
): Promise<{ title: string; slug: string; rounds: RoundStats[] }> {
	requireRole(actor, 'organiser', 'admin');
	const competition = await findCompetition(db, { slug: input.slug });
	if (!competition) throw new NotFound();
	const rounds = (await loadRounds(db, competition.id)).filter((r) => r.kind === 'theory');
	const out: RoundStats[] = [];
	for (const round of rounds) {
		const stats = await quizStatistics(db, actor, round.assessmentId);
		out.push({
			position: round.position,
			name: round.name,
			attempts: stats.attempts,
			questions: stats.items
				.map((item) => {
					const choices = item.type === 'single' || item.type === 'multiple';
					const given = item.n + item.pending;
					const answered = given - item.unanswered;
					return {
						versionId: item.versionId,
						name: item.name,
						type: item.type,
						given,
						answered,
						right: item.right,
						partial: item.partial,
						wrong: item.n - item.unanswered - item.right - item.partial,
						ungraded: item.pending,
						facility: item.facility === null ? null : Math.round(item.facility * 1000) / 1000,
						discrimination: item.discrimination,
						options:
							choices || item.type === 'truefalse'
								? item.options.map((o) => ({
										label: o.label,
										count: o.count,
										correct: (o.fraction ?? 0) > 0
									}))
								: []
					};
				})
				.sort((a, b) => (a.facility ?? 2) - (b.facility ?? 2))
		});
	}
	return { title: competition.title, slug: competition.slug, rounds: out };
}
