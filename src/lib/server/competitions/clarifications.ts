// Clarifications: a competitor asks the organisers a question; the organisers answer that person
// or everyone, or post an announcement. Competitors see their own questions and the public answers
// (never who asked them); organisers see everything.
import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
	clarifications,
	competitionRegistrations,
	competitionRounds,
	units,
	users
} from '../db/schema';
import { recordAudit } from '../audit/log';
import type { Actor } from '../auth/actor';
import { Conflict, Invalid, NotAllowed, NotFound } from '../errors';
import { m } from '../i18n';
import { findCompetition, requireOrganiser, visibleCompetition } from './competitions';

const MAX_TEXT = 2000;

function text(value: string, field: string): string {
	const t = value.trim();
	if (t.length < 3) throw new Invalid({ [field]: m.comp_clar_too_short() });
	if (t.length > MAX_TEXT) throw new Invalid({ [field]: m.comp_clar_too_long({ max: MAX_TEXT }) });
	return t;
}

async function roundId(
	db: Db,
	competitionId: number,
	position: number | null
): Promise<number | null> {
	if (position === null) return null;
	const [row] = await db
		.select({ id: competitionRounds.id })
		.from(competitionRounds)
		.where(
			and(
				eq(competitionRounds.competitionId, competitionId),
				eq(competitionRounds.position, position)
			)
		);
	if (!row) throw new Invalid({ round: m.comp_field_invalid() });
	return row.id;
}

/** A registered competitor asks a question (about a round, or the competition in general). */
export async function askClarification(
	db: Db,
	actor: Actor,
	input: { slug: string; question: string; round: number | null; now: Date }
): Promise<void> {
	const competition = await visibleCompetition(db, actor, input.slug);
	const question = text(input.question, 'question');
	if (competition.status === 'finished') throw new Conflict(m.comp_clar_closed());
	const [registration] = await db
		.select({ status: competitionRegistrations.status })
		.from(competitionRegistrations)
		.where(
			and(
				eq(competitionRegistrations.competitionId, competition.id),
				eq(competitionRegistrations.userId, actor.id)
			)
		);
	if (registration?.status !== 'registered') throw new NotAllowed();
	await db.insert(clarifications).values({
		competitionId: competition.id,
		roundId: await roundId(db, competition.id, input.round),
		askedBy: actor.id,
		question,
		askedAt: input.now,
		visibility: 'private'
	});
}

/** Organisers answer: to the person who asked, or to everyone (the question is shown without its author). */
export async function answerClarification(
	db: Db,
	actor: Actor,
	input: {
		slug: string;
		id: number;
		answer: string;
		visibility: 'private' | 'all';
		now: Date;
		ip?: string | null;
	}
): Promise<void> {
	requireOrganiser(actor);
	const answer = text(input.answer, 'answer');
	if (input.visibility !== 'private' && input.visibility !== 'all')
		throw new Invalid({ visibility: m.comp_field_invalid() });
	await db.transaction(async (tx) => {
		const competition = await findCompetition(tx, input.slug);
		const [row] = await tx
			.select({ id: clarifications.id })
			.from(clarifications)
			.where(
				and(eq(clarifications.id, input.id), eq(clarifications.competitionId, competition.id))
			);
		if (!row) throw new NotFound();
		await tx
			.update(clarifications)
			.set({
				answer,
				answeredBy: actor.id,
				answeredAt: input.now,
				visibility: input.visibility
			})
			.where(eq(clarifications.id, row.id));
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'competition.clarification_answer',
			targetType: 'clarification',
			targetId: row.id,
			details: { slug: competition.slug, visibility: input.visibility },
			ip: input.ip,
			now: input.now
		});
	});
}

/** An announcement to every competitor, without a question. */
export async function announce(
	db: Db,
	actor: Actor,
	input: { slug: string; text: string; round: number | null; now: Date; ip?: string | null }
): Promise<void> {
	requireOrganiser(actor);
	const body = text(input.text, 'text');
	await db.transaction(async (tx) => {
		const competition = await findCompetition(tx, input.slug);
		const [row] = await tx
			.insert(clarifications)
			.values({
				competitionId: competition.id,
				roundId: await roundId(tx, competition.id, input.round),
				askedBy: null,
				question: '',
				askedAt: input.now,
				answer: body,
				answeredBy: actor.id,
				answeredAt: input.now,
				visibility: 'all'
			})
			.returning({ id: clarifications.id });
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'competition.announce',
			targetType: 'clarification',
			targetId: row.id,
			details: { slug: competition.slug },
			ip: input.ip,
			now: input.now
		});
	});
}

export interface ClarificationView {
	id: number;
	round: string | null;
	/** Empty for an announcement. */
	question: string;
	askedAt: Date;
	answer: string | null;
	answeredAt: Date | null;
	visibility: 'private' | 'all';
	/** The competitor's own question. */
	mine: boolean;
	announcement: boolean;
}

/** What a competitor sees: their own questions (answered or not) and every public answer. */
export async function competitorClarifications(
	db: Db,
	actor: Actor,
	input: { slug: string }
): Promise<ClarificationView[]> {
	const competition = await visibleCompetition(db, actor, input.slug);
	const rows = await db
		.select({
			id: clarifications.id,
			round: competitionRounds.name,
			question: clarifications.question,
			askedAt: clarifications.askedAt,
			askedBy: clarifications.askedBy,
			answer: clarifications.answer,
			answeredAt: clarifications.answeredAt,
			visibility: clarifications.visibility
		})
		.from(clarifications)
		.leftJoin(competitionRounds, eq(competitionRounds.id, clarifications.roundId))
		.where(
			and(
				eq(clarifications.competitionId, competition.id),
				or(
					eq(clarifications.askedBy, actor.id),
					and(eq(clarifications.visibility, 'all'), sql`${clarifications.answer} is not null`)
				)
			)
		)
		.orderBy(
			desc(sql`coalesce(${clarifications.answeredAt}, ${clarifications.askedAt})`),
			desc(clarifications.id)
		);
	return rows.map((r) => ({
		id: r.id,
		round: r.round,
		question: r.question,
		askedAt: r.askedAt,
		answer: r.answer,
		answeredAt: r.answeredAt,
		visibility: r.visibility,
		mine: r.askedBy === actor.id,
		announcement: r.askedBy === null
	}));
}

export interface OrganiserClarification extends ClarificationView {
	askedBy: { fullName: string; username: string; unitName: string | null } | null;
}

/** Everything, unanswered questions first, for the organisers. */
export async function organiserClarifications(
	db: Db,
	actor: Actor,
	input: { slug: string }
): Promise<{
	competition: { slug: string; title: string };
	items: OrganiserClarification[];
	rounds: Array<{ position: number; name: string }>;
}> {
	requireOrganiser(actor);
	const competition = await findCompetition(db, input.slug);
	const rows = await db
		.select({
			id: clarifications.id,
			round: competitionRounds.name,
			question: clarifications.question,
			askedAt: clarifications.askedAt,
			askedBy: clarifications.askedBy,
			answer: clarifications.answer,
			answeredAt: clarifications.answeredAt,
			visibility: clarifications.visibility,
			fullName: users.fullName,
			username: users.username,
			unitName: units.name
		})
		.from(clarifications)
		.leftJoin(competitionRounds, eq(competitionRounds.id, clarifications.roundId))
		.leftJoin(users, eq(users.id, clarifications.askedBy))
		.leftJoin(units, eq(units.id, users.unitId))
		.where(eq(clarifications.competitionId, competition.id))
		.orderBy(
			sql`(${clarifications.answer} is null) desc`,
			desc(sql`coalesce(${clarifications.answeredAt}, ${clarifications.askedAt})`),
			desc(clarifications.id)
		);
	const rounds = await db
		.select({ position: competitionRounds.position, name: competitionRounds.name })
		.from(competitionRounds)
		.where(eq(competitionRounds.competitionId, competition.id))
		.orderBy(competitionRounds.position);
	return {
		competition: { slug: competition.slug, title: competition.title },
		rounds,
		items: rows.map((r) => ({
			id: r.id,
			round: r.round,
			question: r.question,
			askedAt: r.askedAt,
			answer: r.answer,
			answeredAt: r.answeredAt,
			visibility: r.visibility,
			mine: false,
			announcement: r.askedBy === null,
			askedBy:
				r.askedBy !== null && r.username
					? { fullName: r.fullName!, username: r.username, unitName: r.unitName }
					: null
		}))
	};
}

/** How many questions wait for an answer (shown on the organiser's pages). */
export async function unansweredCount(db: Db, competitionId: number): Promise<number> {
	const [row] = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(clarifications)
		.where(and(eq(clarifications.competitionId, competitionId), isNull(clarifications.answer)));
	return row?.n ?? 0;
}
