// Whether a person may sit a competition round (registered for the round's competition, not
// withdrawn, while the competition is running: the engine asks before every start), and what they
// may see of their attempt afterwards.
import { and, eq, sql } from 'drizzle-orm';
import { prepared } from '../db/prepared';
import type { Db } from '../db/client';
import { competitionRegistrations, competitionRounds, competitions } from '../db/schema';
import type { ReviewFlags } from '../db/schema';
import type { Actor } from '../auth/actor';

export async function isRegisteredForRound(
	db: Db,
	actor: Actor,
	assessmentId: number
): Promise<boolean> {
	const [row] = await registeredForRound(db).execute({ userId: actor.id, assessmentId });
	return !!row;
}

/** Every start of a round checks the registration: built once (db/prepared.ts). */
const registeredForRound = (db: Db) =>
	prepared(db, 'hocthi_registered_for_round', (db, name) =>
		db
			.select({ userId: competitionRegistrations.userId })
			.from(competitionRounds)
			.innerJoin(competitions, eq(competitions.id, competitionRounds.competitionId))
			.innerJoin(
				competitionRegistrations,
				and(
					eq(competitionRegistrations.competitionId, competitionRounds.competitionId),
					eq(competitionRegistrations.userId, sql.placeholder('userId'))
				)
			)
			.where(
				and(
					eq(competitionRounds.assessmentId, sql.placeholder('assessmentId')),
					eq(competitionRegistrations.status, 'registered'),
					eq(competitions.status, 'running')
				)
			)
			.prepare(name)
	);

/** Every attempt page of a round looks up its competition: built once (db/prepared.ts). */
const competitionOfRound = (db: Db) =>
	prepared(db, 'hocthi_competition_of_round', (db, name) =>
		db
			.select({
				slug: competitions.slug,
				title: competitions.title,
				publishedAt: competitions.resultsPublishedAt
			})
			.from(competitionRounds)
			.innerJoin(competitions, eq(competitions.id, competitionRounds.competitionId))
			.where(eq(competitionRounds.assessmentId, sql.placeholder('assessmentId')))
			.prepare(name)
	);

/** What a competitor may see of their own submitted round attempt. */
export interface RoundReview {
	competition: { slug: string; title: string; resultsPublished: boolean };
	flags: ReviewFlags;
}

const HIDDEN: ReviewFlags = {
	score: false,
	correctness: false,
	feedback: false,
	rightAnswer: false
};
/**
 * Once the official results are out: their own score and which answers were right. Never the
 * right answers themselves: the questions come from the training banks and are used again.
 */
const PUBLISHED: ReviewFlags = {
	score: true,
	correctness: true,
	feedback: false,
	rightAnswer: false
};

/**
 * Review of a round attempt: nothing (no score, no correctness, no key) before the organisers
 * publish the results, whatever the round's stored review options say; afterwards PUBLISHED.
 * Null for an assessment that is no competition round.
 */
export async function roundReview(
	db: Db,
	input: { assessmentId: number; now: Date }
): Promise<RoundReview | null> {
	const [row] = await competitionOfRound(db).execute({ assessmentId: input.assessmentId });
	if (!row) return null;
	const published = row.publishedAt !== null && row.publishedAt <= input.now;
	return {
		competition: { slug: row.slug, title: row.title, resultsPublished: published },
		flags: published ? PUBLISHED : HIDDEN
	};
}
