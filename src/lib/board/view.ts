// The leaderboard as the browser receives it (server-rendered first, then over Server-Sent Events),
// and the labels the board pages share. No server imports: this ships to the browser.
// Relative, not $lib: the CLI loads this without SvelteKit.
import { m } from '../paraglide/messages.js';

export type Prize = 'nhat' | 'nhi' | 'ba' | 'kk';
export type UnitRule = 'best_k' | 'mean_registered' | 'mean_team';
/** final: counts as is; provisional: waits for grading (score may be hidden); running: in progress; none: no attempt. */
export type CellState = 'final' | 'provisional' | 'running' | 'none';
export type BoardVariant = 'public' | 'live';

export interface BoardIndividual {
	rank: number;
	name: string;
	unit: string;
	cells: Array<{ score: number | null; state: CellState }>;
	score: number;
	maxScore: number;
	timeMs: number | null;
	provisional: boolean;
	prize: Prize | null;
}

export interface BoardUnit {
	rank: number;
	name: string;
	score: number;
	counted: number;
	members: number;
	provisional: boolean;
	prize: Prize | null;
}

export interface BoardView {
	slug: string;
	title: string;
	variant: BoardVariant;
	/** ISO time of the freeze cutoff while the public board is frozen. */
	frozenAt: string | null;
	resultsPublished: boolean;
	/** Prizes shown are the published awards (true) or a projection for organisers (false). */
	prizesAwarded: boolean;
	scope: { kind: 'total' } | { kind: 'round'; position: number; name: string };
	rounds: Array<{ position: number; name: string; counts: boolean }>;
	/** The rounds shown as columns (those in scope). */
	columns: Array<{ position: number; name: string; maxScore: number }>;
	unitRule: UnitRule;
	unitBestK: number;
	individuals: BoardIndividual[];
	units: BoardUnit[];
	computedAt: string;
}

export function prizeLabel(prize: Prize): string {
	switch (prize) {
		case 'nhat':
			return m.board_prize_nhat();
		case 'nhi':
			return m.board_prize_nhi();
		case 'ba':
			return m.board_prize_ba();
		case 'kk':
			return m.board_prize_kk();
	}
}

export function unitRuleLabel(rule: UnitRule, k: number): string {
	if (rule === 'best_k') return m.board_rule_best_k({ k });
	if (rule === 'mean_registered') return m.board_rule_mean_registered();
	return m.board_rule_mean_team();
}
