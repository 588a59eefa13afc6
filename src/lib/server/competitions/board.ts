// The leaderboard as viewers receive it (projector, organisers' live view): who may see which
// variant, and the view model, built once per change and sent as the same JSON to every viewer.
import type { Db } from '../db/client';
import type { Prize } from '../db/schema';
import type { BoardVariant, BoardView } from '../../board/view';
import { hasRole, type Actor } from '../auth/actor';
import { NotAllowed, NotFound } from '../errors';
import { findCompetition, loadRounds, loadStandings } from './standings';

export type { BoardVariant, BoardView };

export interface BoardRef {
	competitionId: number;
	variant: BoardVariant;
	/** A single round's board (by position); null: the default scope. */
	round: number | null;
}

export const isOrganiser = (actor: Actor | null): boolean =>
	!!actor && hasRole(actor, 'organiser', 'admin');

/**
 * Who may open a competition's board: organisers and admins always; anyone else (even without
 * an account) only while the organisers have published it.
 */
export async function boardAccess(
	db: Db,
	actor: Actor | null,
	input: { slug: string }
): Promise<{ competitionId: number; organiser: boolean }> {
	const competition = await findCompetition(db, { slug: input.slug });
	if (!competition) throw new NotFound();
	const organiser = isOrganiser(actor);
	if (!organiser && !competition.boardPublic) throw new NotAllowed();
	return { competitionId: competition.id, organiser };
}

/** The view of a board, or null when the competition is gone. */
export async function buildBoard(
	db: Db,
	ref: BoardRef,
	now: Date
): Promise<{ view: BoardView; boardPublic: boolean; nextChange: Date | null } | null> {
	let roundId: number | undefined;
	if (ref.round !== null) {
		const rounds = await loadRounds(db, ref.competitionId);
		roundId = rounds.find((r) => r.position === ref.round)?.id;
	}
	const standings = await loadStandings(db, {
		competitionId: ref.competitionId,
		variant: ref.variant,
		now,
		roundId
	});
	if (!standings) return null;
	const { competition, rounds, scope } = standings;
	const shown = rounds
		.map((r, i) => ({ r, i }))
		.filter(({ r }) => (scope.kind === 'total' ? r.counts : r.id === scope.roundId));
	// The public sees prizes only once they are awarded.
	const prize = (p: Prize | null) => (ref.variant === 'live' || standings.prizesAwarded ? p : null);
	const scopeRound = scope.kind === 'round' ? rounds.find((r) => r.id === scope.roundId)! : null;
	const view: BoardView = {
		slug: competition.slug,
		title: competition.title,
		variant: ref.variant,
		frozenAt: standings.frozen?.cutoff.toISOString() ?? null,
		resultsPublished: competition.resultsPublishedAt !== null,
		prizesAwarded: standings.prizesAwarded,
		scope: scopeRound
			? { kind: 'round', position: scopeRound.position, name: scopeRound.name }
			: { kind: 'total' },
		rounds: rounds.map((r) => ({ position: r.position, name: r.name, counts: r.counts })),
		columns: shown.map(({ r }) => ({ position: r.position, name: r.name, maxScore: r.maxScore })),
		unitRule: competition.unitRule,
		unitBestK: competition.unitBestK,
		individuals: standings.individuals.map((c) => ({
			rank: c.rank,
			name: c.fullName,
			unit: c.unitName,
			cells: shown.map(({ i }) => ({ score: c.cells[i].score, state: c.cells[i].state })),
			score: c.score,
			maxScore: c.maxScore,
			timeMs: c.timeMs,
			provisional: c.provisional,
			prize: prize(c.prize)
		})),
		units: standings.units.map((u) => ({
			rank: u.rank,
			name: u.unitName,
			score: u.score,
			counted: u.counted,
			members: u.members,
			provisional: u.provisional,
			prize: prize(u.prize)
		})),
		computedAt: now.toISOString()
	};
	return { view, boardPublic: competition.boardPublic, nextChange: standings.nextChange };
}

/** The variant a viewer gets: organisers may ask for the live board; everyone else sees the public one. */
export function variantFor(organiser: boolean, wantsLive: boolean): BoardVariant {
	if (wantsLive && !organiser) throw new NotAllowed();
	return wantsLive ? 'live' : 'public';
}
