// The organisers' control room for one round: every registered competitor's state (not connected,
// in progress with the last save, submitted), grouped by unit; extra time for one person or for
// everyone, an emergency pause and resume — each with a reason, through the engine's controls
// (audit log and attempt events) — and opening a round now or closing it.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
	assessments,
	attemptEvents,
	competitionRegistrations,
	competitionRounds,
	units,
	users
} from '../db/schema';
import { notifyBoard } from '../realtime/notify';
import { recordAudit } from '../audit/log';
import type { Actor } from '../auth/actor';
import { Conflict, Invalid, NotFound } from '../errors';
import { m } from '../i18n';
import { selectRows } from '../db/raw';
import {
	extendTime,
	participantStates,
	pauseAssessment,
	resumeAssessment
} from '../assessments/control';
import { findCompetition, requireOrganiser } from './competitions';
import { findRound, listRounds, type RoundSummary } from './rounds';

export type ParticipantState = 'not_started' | 'in_progress' | 'submitted';

export interface Participant {
	username: string;
	fullName: string;
	state: ParticipantState;
	lastSaveAt: Date | null;
	deadlineAt: Date | null;
}

export interface ControlRoom {
	competition: { slug: string; title: string; status: string };
	rounds: Array<{ position: number; name: string }>;
	round: RoundSummary;
	units: Array<{ name: string; participants: Participant[] }>;
	totals: Record<ParticipantState, number>;
	serverNow: Date;
}

export async function controlRoom(
	db: Db,
	actor: Actor,
	input: { slug: string; position: number | null; now: Date }
): Promise<ControlRoom> {
	requireOrganiser(actor);
	const competition = await findCompetition(db, input.slug);
	const rounds = await listRounds(db, competition.id);
	if (!rounds.length) throw new NotFound();
	// Without a choice: the round running now, else the next one to open, else the last.
	const round =
		input.position !== null
			? rounds.find((r) => r.position === input.position)
			: (rounds.find(
					(r) =>
						r.published &&
						(!r.openAt || r.openAt <= input.now) &&
						(!r.closeAt || r.closeAt > input.now)
				) ??
				rounds.find((r) => r.published && r.openAt && r.openAt > input.now) ??
				rounds.at(-1));
	if (!round) throw new NotFound();
	const people = await db
		.select({
			userId: users.id,
			username: users.username,
			fullName: users.fullName,
			unitName: units.name,
			unitPath: units.path
		})
		.from(competitionRegistrations)
		.innerJoin(users, eq(users.id, competitionRegistrations.userId))
		.innerJoin(units, eq(units.id, competitionRegistrations.unitId))
		.where(
			and(
				eq(competitionRegistrations.competitionId, competition.id),
				eq(competitionRegistrations.status, 'registered')
			)
		)
		.orderBy(asc(units.path), asc(users.fullName));
	const states = await participantStates(db, round.assessmentId);
	const totals: Record<ParticipantState, number> = { not_started: 0, in_progress: 0, submitted: 0 };
	// Units in tree order ('/1/2/' before '/1/12/'), people by name within them.
	people.sort(
		(a, b) =>
			a.unitPath.localeCompare(b.unitPath, 'en', { numeric: true }) ||
			a.fullName.localeCompare(b.fullName, 'vi')
	);
	const byUnit = new Map<string, { name: string; participants: Participant[] }>();
	for (const p of people) {
		const s = states.get(p.userId);
		const state: ParticipantState = s ? s.status : 'not_started';
		totals[state]++;
		const group = byUnit.get(p.unitPath) ?? { name: p.unitName, participants: [] };
		group.participants.push({
			username: p.username,
			fullName: p.fullName,
			state,
			lastSaveAt: s?.lastSaveAt ?? null,
			deadlineAt: s?.status === 'in_progress' ? s.deadlineAt : null
		});
		byUnit.set(p.unitPath, group);
	}
	return {
		competition: { slug: competition.slug, title: competition.title, status: competition.status },
		rounds: rounds.map((r) => ({ position: r.position, name: r.name })),
		round,
		units: [...byUnit.values()].map(({ name, participants }) => ({ name, participants })),
		totals,
		serverNow: input.now
	};
}

interface RoundControlInput {
	slug: string;
	position: number;
	reason: string;
	now: Date;
	ip?: string | null;
}

async function roundOf(db: Db, actor: Actor, slug: string, position: number) {
	requireOrganiser(actor);
	const competition = await findCompetition(db, slug);
	return { competition, round: await findRound(db, competition.id, position) };
}

/** Extra minutes for one registered competitor (username) or for everyone (null). */
export async function extendRoundTime(
	db: Db,
	actor: Actor,
	input: RoundControlInput & { username: string | null; minutes: number }
): Promise<{ attemptsMoved: number }> {
	const { competition, round } = await roundOf(db, actor, input.slug, input.position);
	let userId: number | null = null;
	if (input.username) {
		const [row] = await db
			.select({ id: users.id })
			.from(competitionRegistrations)
			.innerJoin(users, eq(users.id, competitionRegistrations.userId))
			.where(
				and(
					eq(competitionRegistrations.competitionId, competition.id),
					eq(competitionRegistrations.status, 'registered'),
					eq(users.username, input.username.trim().toLowerCase())
				)
			);
		if (!row)
			throw new Invalid({ username: m.comp_control_not_registered({ username: input.username }) });
		userId = row.id;
	}
	return extendTime(db, actor, {
		assessmentId: round.assessmentId,
		userId,
		minutes: input.minutes,
		reason: input.reason,
		now: input.now,
		ip: input.ip
	});
}

export async function pauseRound(db: Db, actor: Actor, input: RoundControlInput): Promise<void> {
	const { round } = await roundOf(db, actor, input.slug, input.position);
	await pauseAssessment(db, actor, { assessmentId: round.assessmentId, ...input });
}

export async function resumeRound(
	db: Db,
	actor: Actor,
	input: RoundControlInput
): Promise<{ pausedMs: number }> {
	const { round } = await roundOf(db, actor, input.slug, input.position);
	return resumeAssessment(db, actor, { assessmentId: round.assessmentId, ...input });
}

/**
 * Opens a round now: a fixed round starts now and ends after its time limit; a window opens now
 * and keeps its close. The round is published if it was not.
 */
export async function openRoundNow(
	db: Db,
	actor: Actor,
	input: { slug: string; position: number; now: Date; ip?: string | null }
): Promise<void> {
	const { competition, round } = await roundOf(db, actor, input.slug, input.position);
	if (round.kind === 'theory') {
		const [{ n }] = await selectRows<{ n: number }>(
			db,
			sql`select count(*)::int as n from assessment_slots where assessment_id = ${round.assessmentId}`
		);
		if (Number(n) === 0) throw new Conflict(m.comp_control_no_questions());
	}
	if (!round.timeLimitSeconds) throw new Conflict(m.comp_time_limit_invalid());
	let closeAt: Date | null;
	if (round.startMode === 'fixed')
		closeAt = new Date(input.now.getTime() + round.timeLimitSeconds * 1000);
	else {
		closeAt = round.closeAt;
		if (!closeAt || closeAt <= input.now) throw new Conflict(m.comp_control_window_closed());
	}
	await db.transaction(async (tx) => {
		await tx
			.update(assessments)
			.set({ status: 'published', openAt: input.now, closeAt, updatedAt: input.now })
			.where(eq(assessments.id, round.assessmentId));
		// Open again: the freeze follows the new close.
		await tx
			.update(competitionRounds)
			.set({ freezeAt: null })
			.where(eq(competitionRounds.id, round.id));
		await notifyBoard(tx, competition.id);
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'competition.round_open',
			targetType: 'competition_round',
			targetId: round.id,
			details: {
				competition: competition.slug,
				position: round.position,
				openAt: input.now.toISOString(),
				closeAt: closeAt?.toISOString() ?? null
			},
			ip: input.ip,
			now: input.now
		});
	});
}

/**
 * Closes a round now: nobody starts any more, and every attempt in progress gets its deadline now
 * (the grace period still applies to answers on their way; the sweeper then closes the attempts).
 */
export async function closeRoundNow(
	db: Db,
	actor: Actor,
	input: RoundControlInput
): Promise<{ attemptsCut: number }> {
	const { competition, round } = await roundOf(db, actor, input.slug, input.position);
	const reason = input.reason.trim();
	if (reason.length < 3) throw new Invalid({ reason: m.control_reason_required() });
	if (reason.length > 500) throw new Invalid({ reason: m.control_reason_too_long() });
	if (round.pausedAt) throw new Conflict(m.comp_control_close_paused());
	// The public board's freeze for this round begins where it was due, or now if that is sooner:
	// never earlier, so closing early hides nothing the board already showed.
	const scheduled =
		competition.freezeMinutes > 0 && round.closeAt
			? round.closeAt.getTime() - competition.freezeMinutes * 60_000
			: null;
	const freezeAt =
		competition.freezeMinutes > 0
			? new Date(Math.min(scheduled ?? input.now.getTime(), input.now.getTime()))
			: null;
	return db.transaction(async (tx) => {
		await tx.update(competitionRounds).set({ freezeAt }).where(eq(competitionRounds.id, round.id));
		await tx
			.update(assessments)
			.set({
				closeAt: input.now,
				openAt: sql`least(coalesce(${assessments.openAt}, ${input.now.toISOString()}::timestamptz), ${input.now.toISOString()}::timestamptz)`,
				updatedAt: input.now
			})
			.where(eq(assessments.id, round.assessmentId));
		const cut = await selectRows<{ id: string }>(
			tx,
			sql`update attempts set deadline_at = ${input.now.toISOString()}::timestamptz
			     where assessment_id = ${round.assessmentId} and status = 'in_progress'
			       and (deadline_at is null or deadline_at > ${input.now.toISOString()}::timestamptz)
			 returning id`
		);
		if (cut.length)
			await tx.insert(attemptEvents).values(
				cut.map((r) => ({
					attemptId: String(r.id),
					at: input.now,
					type: 'close',
					userId: actor.id,
					ip: input.ip ?? null,
					details: { reason }
				}))
			);
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'competition.round_close',
			targetType: 'competition_round',
			targetId: round.id,
			details: {
				competition: competition.slug,
				position: round.position,
				reason,
				attemptsCut: cut.length
			},
			ip: input.ip,
			now: input.now
		});
		await notifyBoard(tx, competition.id);
		return { attemptsCut: cut.length };
	});
}
