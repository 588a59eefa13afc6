// What a competitor sees of a competition: its rules, the rounds with their state (not open yet,
// open, in progress, submitted, closed, paused), the server's time for the countdowns, and the
// start of a round through the attempt engine.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
	assessmentOverrides,
	attempts,
	competitionRegistrations,
	competitionTeams,
	units
} from '../db/schema';
import type { Actor } from '../auth/actor';
import { Conflict, NotFound } from '../errors';
import { m } from '../i18n';
import { renderMarkdown } from '../markdown/render';
import { startAttempt } from '../assessments/engine';
import { notifyBoard } from '../realtime/notify';
import { effectiveClose } from '../assessments/time';
import { isOrganiser, visibleCompetition } from './competitions';
import { listRounds, roundOfSlug, type RoundKind, type StartMode } from './rounds';
import { canRegisterFor } from './registration';
import type { CompetitionStatus, Prize } from '../db/schema';
import { loadStandings } from './standings';

export type RoundState = 'not_open' | 'open' | 'paused' | 'in_progress' | 'submitted' | 'closed';

/**
 * A round's state for one competitor (pure). An attempt whose time and grace ran out counts as
 * submitted: the sweeper closes it with what was saved.
 */
export function roundState(input: {
	published: boolean;
	ready: boolean;
	openAt: Date | null;
	closeAt: Date | null;
	paused: boolean;
	graceSeconds: number;
	attempt: { status: 'in_progress' | 'submitted'; deadlineAt: Date | null } | null;
	now: Date;
}): RoundState {
	const { attempt, now } = input;
	if (attempt?.status === 'submitted') return 'submitted';
	if (attempt) {
		if (input.paused) return 'in_progress';
		const end = attempt.deadlineAt
			? attempt.deadlineAt.getTime() + input.graceSeconds * 1000
			: Infinity;
		return now.getTime() <= end ? 'in_progress' : 'submitted';
	}
	if (!input.published || !input.ready) return 'not_open';
	if (input.openAt && now < input.openAt) return 'not_open';
	if (input.closeAt && now >= input.closeAt) return 'closed';
	if (input.paused) return 'paused';
	return 'open';
}

export interface LobbyRound {
	position: number;
	name: string;
	kind: RoundKind;
	startMode: StartMode;
	counts: boolean;
	state: RoundState;
	openAt: Date | null;
	closeAt: Date | null;
	timeLimitMinutes: number | null;
	/** For an attempt in progress: its deadline; where it continues. */
	deadlineAt: Date | null;
	continueUrl: string | null;
	submittedAt: Date | null;
	/** For a handed-in attempt: where the competitor reads it again (no score before publication). */
	reviewUrl: string | null;
	/** Set when the start time is known but not reached: the countdown's target. */
	startsAt: Date | null;
	/** Why the round cannot be started, when it cannot. */
	note: string | null;
}

export interface Lobby {
	competition: {
		slug: string;
		title: string;
		status: CompetitionStatus;
		descriptionHtml: string;
		resultsPublished: boolean;
	};
	registration: { unitName: string; teamName: string | null } | null;
	/** Once the official results are out: the competitor's own rank, total and prize. */
	myResult: { rank: number; score: number; maxScore: number; prize: Prize | null } | null;
	/** Unit leaders (and organisers) may register cadres. */
	canRegister: boolean;
	organiser: boolean;
	rounds: LobbyRound[];
	serverNow: Date;
}

/** Where an attempt is worked on: theory rounds on the attempt pages, practical work on its own page. */
export function attemptUrl(kind: RoundKind, attemptId: string): string {
	return kind === 'practical' ? `/practical/${attemptId}` : `/attempts/${attemptId}`;
}

export async function lobbyView(
	db: Db,
	actor: Actor,
	input: { slug: string; now: Date }
): Promise<Lobby> {
	const competition = await visibleCompetition(db, actor, input.slug);
	const [registration] = await db
		.select({
			status: competitionRegistrations.status,
			unitName: units.name,
			teamName: competitionTeams.name
		})
		.from(competitionRegistrations)
		.innerJoin(units, eq(units.id, competitionRegistrations.unitId))
		.leftJoin(competitionTeams, eq(competitionTeams.id, competitionRegistrations.teamId))
		.where(
			and(
				eq(competitionRegistrations.competitionId, competition.id),
				eq(competitionRegistrations.userId, actor.id)
			)
		);
	const registered = registration?.status === 'registered';
	const rounds = await listRounds(db, competition.id);
	const ids = rounds.map((r) => r.assessmentId);
	const mine = ids.length
		? await db
				.select({
					id: attempts.id,
					assessmentId: attempts.assessmentId,
					status: attempts.status,
					deadlineAt: attempts.deadlineAt,
					submittedAt: attempts.submittedAt
				})
				.from(attempts)
				.where(and(inArray(attempts.assessmentId, ids), eq(attempts.userId, actor.id)))
				.orderBy(asc(attempts.number))
		: [];
	const overrides = ids.length
		? await db
				.select()
				.from(assessmentOverrides)
				.where(
					and(
						inArray(assessmentOverrides.assessmentId, ids),
						eq(assessmentOverrides.userId, actor.id)
					)
				)
		: [];
	const view: LobbyRound[] = rounds
		.filter((r) => r.published || isOrganiser(actor))
		.map((r) => {
			const attempt = mine.filter((a) => a.assessmentId === r.assessmentId).at(-1) ?? null;
			const personal = overrides.find((o) => o.assessmentId === r.assessmentId) ?? null;
			const closeAt = effectiveClose(r, personal);
			const ready = r.kind === 'practical' || r.questionCount > 0;
			const state = roundState({
				published: r.published,
				ready,
				openAt: r.openAt,
				closeAt,
				paused: r.paused,
				graceSeconds: r.graceSeconds,
				attempt,
				now: input.now
			});
			let note: string | null = null;
			if (!registered && state === 'open') note = m.comp_lobby_not_registered();
			else if (competition.status !== 'running' && state === 'open')
				note = m.comp_lobby_not_running();
			else if (state === 'paused') note = m.engine_paused();
			else if (state === 'not_open' && (!r.published || !ready)) note = m.comp_lobby_not_ready();
			const timeLimitMinutes = r.timeLimitMinutes
				? r.timeLimitMinutes + Math.round((personal?.extraSeconds ?? 0) / 60)
				: null;
			return {
				position: r.position,
				name: r.name,
				kind: r.kind,
				startMode: r.startMode,
				counts: r.counts,
				state,
				openAt: r.openAt,
				closeAt,
				timeLimitMinutes,
				deadlineAt: state === 'in_progress' ? (attempt?.deadlineAt ?? null) : null,
				continueUrl: state === 'in_progress' && attempt ? attemptUrl(r.kind, attempt.id) : null,
				submittedAt: attempt?.status === 'submitted' ? attempt.submittedAt : null,
				reviewUrl: state === 'submitted' && attempt ? attemptUrl(r.kind, attempt.id) : null,
				startsAt:
					state === 'not_open' && r.published && r.openAt && input.now < r.openAt ? r.openAt : null,
				note
			};
		});
	let myResult: Lobby['myResult'] = null;
	if (registered && competition.resultsPublishedAt && competition.resultsPublishedAt <= input.now) {
		const standings = await loadStandings(db, {
			competitionId: competition.id,
			variant: 'live',
			now: input.now,
			roundId: 'total'
		});
		const me = standings?.individuals.find((c) => c.userId === actor.id);
		if (me) myResult = { rank: me.rank, score: me.score, maxScore: me.maxScore, prize: me.prize };
	}
	return {
		myResult,
		competition: {
			slug: competition.slug,
			title: competition.title,
			status: competition.status,
			descriptionHtml: renderMarkdown(competition.description),
			resultsPublished: competition.resultsPublishedAt !== null
		},
		registration: registered
			? { unitName: registration.unitName, teamName: registration.teamName }
			: null,
		canRegister: canRegisterFor(actor, competition.status),
		organiser: isOrganiser(actor),
		rounds: view,
		serverNow: input.now
	};
}

/**
 * Starts (or resumes) the competitor's attempt at a round through the engine, which checks the
 * registration, the window and the one attempt allowed. Returns where to continue.
 */
export async function startRound(
	db: Db,
	actor: Actor,
	input: { slug: string; position: number; now: Date; ip?: string | null }
): Promise<{ attemptId: string; url: string; resumed: boolean }> {
	// Both by the slug, read at the same time (620 cadres press Start within seconds).
	const [competition, round] = await Promise.all([
		visibleCompetition(db, actor, input.slug),
		roundOfSlug(db, input.slug, input.position)
	]);
	if (!round) throw new NotFound();
	if (competition.status !== 'running') throw new Conflict(m.comp_lobby_not_running());
	// The engine checks the registration (canTakeAssessment): refused with NotAllowed there.
	const outcome = await startAttempt(db, actor, {
		assessmentId: round.assessmentId,
		now: input.now,
		ip: input.ip
	});
	// Boards show who is at work ("đang thi").
	if (!outcome.resumed) await notifyBoard(db, competition.id);
	return { ...outcome, url: attemptUrl(round.kind, outcome.attemptId) };
}
