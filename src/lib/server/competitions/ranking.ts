// The competition's rules as pure functions: ranking with shared ranks, the unit rules, prizes
// from quotas, and the scoreboard freeze. No database here: standings.ts feeds these.
import type { Prize, PrizeQuotas, UnitRule } from '../db/schema';
import { PRIZES } from '../db/schema';

/** Scores are numeric(9,3) in the database; sums of them compare at that precision. */
export function roundScore(value: number): number {
	return Math.round(value * 1000) / 1000;
}

const scoreKey = (score: number) => Math.round(score * 1000);

export interface Rankable {
	score: number;
	/** Time used, the individual tie-break; null (never started) sorts last. */
	timeMs?: number | null;
	/** Only orders entries that share a rank (alphabetically), never changes a rank. */
	name?: string;
}

export type Ranked<T> = T & { rank: number };

const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

/**
 * Ranks by score (descending), then, when `byTime`, by time used (ascending). Entries equal on
 * every key share the rank of the first of them and the next rank skips: 1, 2, 2, 4.
 */
export function rank<T extends Rankable>(
	entries: readonly T[],
	options: { byTime: boolean }
): Ranked<T>[] {
	const time = (e: T) => e.timeMs ?? Number.POSITIVE_INFINITY;
	const compare = (a: T, b: T) => {
		const byScore = scoreKey(b.score) - scoreKey(a.score);
		if (byScore !== 0) return byScore;
		if (!options.byTime) return 0;
		const ta = time(a);
		const tb = time(b);
		return ta === tb ? 0 : ta < tb ? -1 : 1;
	};
	const sorted = [...entries].sort(
		(a, b) => compare(a, b) || collator.compare(a.name ?? '', b.name ?? '')
	);
	const out: Ranked<T>[] = [];
	sorted.forEach((entry, i) => {
		const previous = out[i - 1];
		const shared = previous && compare(sorted[i - 1], entry) === 0;
		out.push({ ...entry, rank: shared ? previous.rank : i + 1 });
	});
	return out;
}

/** Individual ranking: total score descending, then time used ascending; ties share a rank. */
export function rankIndividuals<T extends Rankable>(entries: readonly T[]): Ranked<T>[] {
	return rank(entries, { byTime: true });
}

// ---------------------------------------------------------------------------------------------
// Units

export interface UnitMember {
	unitId: number;
	/** In the unit's team (counts for 'mean_team'). */
	inTeam: boolean;
	/** The member's total; 0 for a registered member who did not compete. */
	score: number;
}

export interface UnitScore {
	unitId: number;
	score: number;
	/** Members whose scores make the unit's score (K best, all registered, or the team). */
	counted: number;
	/** Registered members of the unit. */
	members: number;
}

/**
 * A unit's score by the organiser's rule:
 * - 'best_k': the sum of its K best members' totals (fewer than K members: the sum of those it has);
 * - 'mean_registered': the mean over every registered member, absent members counting 0;
 * - 'mean_team': the mean over its team's members (absent ones count 0); a unit without a team
 *   is not ranked.
 */
export function scoreUnits(
	members: readonly UnitMember[],
	rule: UnitRule,
	bestK: number
): UnitScore[] {
	const byUnit = new Map<number, UnitMember[]>();
	for (const member of members) {
		const list = byUnit.get(member.unitId) ?? [];
		list.push(member);
		byUnit.set(member.unitId, list);
	}
	const out: UnitScore[] = [];
	for (const [unitId, list] of byUnit) {
		const scores = (rule === 'mean_team' ? list.filter((m) => m.inTeam) : list).map((m) => m.score);
		if (scores.length === 0) continue;
		let score: number;
		let counted: number;
		if (rule === 'best_k') {
			const best = [...scores].sort((a, b) => b - a).slice(0, Math.max(0, bestK));
			score = best.reduce((sum, s) => sum + s, 0);
			counted = best.length;
		} else {
			score = scores.reduce((sum, s) => sum + s, 0) / scores.length;
			counted = scores.length;
		}
		out.push({ unitId, score: roundScore(score), counted, members: list.length });
	}
	return out;
}

/** Unit ranking: unit score descending; equal scores share a rank (no time tie-break for units). */
export function rankUnits<T extends Rankable>(entries: readonly T[]): Ranked<T>[] {
	return rank(entries, { byTime: false });
}

// ---------------------------------------------------------------------------------------------
// Prizes

/**
 * Prizes by place: with quotas Nhất 1, Nhì 2, Ba 3, Khuyến khích 4, places 1 get Nhất, 2–3 Nhì,
 * 4–6 Ba and 7–10 Khuyến khích. An entry wins the prize of the place equal to its rank, so
 * entries tied at a quota boundary all win the better prize, and the places they fill are used
 * up below them (two tied for Nhất with a quota of 1: both win Nhất, the next entry has rank 3
 * and wins Ba if Nhì had one place). Only the last prize can thus go to more entries than its
 * quota. A score of 0 wins nothing.
 */
export function prizeForRank(rankValue: number, quota: Record<Prize, number>): Prize | null {
	let last = 0;
	for (const prize of PRIZES) {
		last += Math.max(0, quota[prize] ?? 0);
		if (rankValue <= last) return prize;
	}
	return null;
}

export function allocatePrizes<T extends { rank: number; score: number }>(
	ranked: readonly T[],
	quota: Record<Prize, number>
): Array<T & { prize: Prize | null }> {
	return ranked.map((entry) => ({
		...entry,
		prize: entry.score > 0 ? prizeForRank(entry.rank, quota) : null
	}));
}

export const NO_PRIZES: PrizeQuotas = {
	individual: { nhat: 0, nhi: 0, ba: 0, kk: 0 },
	unit: { nhat: 0, nhi: 0, ba: 0, kk: 0 }
};

// ---------------------------------------------------------------------------------------------
// Freeze

export interface FreezeRound {
	openAt: Date | null;
	closeAt: Date | null;
	/** The freeze point fixed when the round was closed early (see competition_rounds.freeze_at). */
	freezeAt?: Date | null;
}

/** Where a round's freeze begins: freezeMinutes before it closes, unless fixed at an early close. */
export function freezePoint(round: FreezeRound, freezeMinutes: number): number | null {
	if (round.freezeAt) return round.freezeAt.getTime();
	return round.closeAt ? round.closeAt.getTime() - freezeMinutes * 60_000 : null;
}

export interface FreezeState {
	/** Attempts finalised at or after this moment are hidden from the public board. */
	cutoff: Date;
}

/**
 * Whether the public board is frozen, and from when. A round freezes `freezeMinutes` before it
 * closes; the freeze holds through its end (so the last minutes stay secret) until the official
 * results are published or a later round opens. While several rounds are frozen, the earliest
 * freeze point holds, so a frozen board never moves. Organisers lift it early by setting the
 * minutes to 0. Organisers always see the live standings.
 */
export function freezeState(input: {
	rounds: readonly FreezeRound[];
	freezeMinutes: number;
	resultsPublishedAt: Date | null;
	now: Date;
}): FreezeState | null {
	const { rounds, freezeMinutes, now } = input;
	if (freezeMinutes <= 0) return null;
	if (input.resultsPublishedAt && input.resultsPublishedAt <= now) return null;
	let cutoff: number | null = null;
	for (const round of rounds) {
		const freezeAt = freezePoint(round, freezeMinutes);
		if (freezeAt === null || !round.closeAt) continue;
		if (freezeAt > now.getTime()) continue;
		// A later round has opened: this round's freeze is over (its results show again).
		const superseded = rounds.some(
			(later) =>
				later.openAt &&
				later.openAt.getTime() >= round.closeAt!.getTime() &&
				later.openAt.getTime() <= now.getTime()
		);
		if (superseded) continue;
		cutoff = cutoff === null ? freezeAt : Math.min(cutoff, freezeAt);
	}
	return cutoff === null ? null : { cutoff: new Date(cutoff) };
}

/**
 * The next moment at which the freeze state may change by the clock alone (a freeze point, a
 * round opening), so live boards can recompute then without any write having happened.
 */
export function nextFreezeChange(input: {
	rounds: readonly FreezeRound[];
	freezeMinutes: number;
	resultsPublishedAt: Date | null;
	now: Date;
}): Date | null {
	if (input.freezeMinutes <= 0 || input.resultsPublishedAt) return null;
	const moments: number[] = [];
	for (const round of input.rounds) {
		const freezeAt = freezePoint(round, input.freezeMinutes);
		if (freezeAt !== null) moments.push(freezeAt);
		if (round.openAt) moments.push(round.openAt.getTime());
	}
	const future = moments.filter((t) => t > input.now.getTime());
	return future.length ? new Date(Math.min(...future)) : null;
}
