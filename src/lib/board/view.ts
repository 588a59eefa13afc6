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

// ---------------------------------------------------------------------------------------------
// The board on the wire (Server-Sent Events): every viewer receives the whole board on every
// change, so it travels compact — rows as arrays, each unit's name once — about a third of the
// size of BoardView as JSON (620 competitors: about 45 KB instead of 130 KB per event).

const CELL_STATES: CellState[] = ['final', 'provisional', 'running', 'none'];

/** [rank, name, unit index, cells as [score, state index], score, maxScore, timeMs, provisional, prize] */
type PackedIndividual = [
	number,
	string,
	number,
	Array<[number | null, number]>,
	number,
	number,
	number | null,
	0 | 1,
	Prize | null
];
/** [rank, name, score, counted, members, provisional, prize] */
type PackedUnit = [number, string, number, number, number, 0 | 1, Prize | null];

export interface PackedBoard extends Omit<BoardView, 'individuals' | 'units'> {
	/** Unit names, referred to by index from the individuals. */
	unitNames: string[];
	individuals: PackedIndividual[];
	units: PackedUnit[];
}

export function packBoard(view: BoardView): PackedBoard {
	const unitIndex = new Map<string, number>();
	const unitNames: string[] = [];
	const indexOf = (name: string) => {
		let i = unitIndex.get(name);
		if (i === undefined) {
			i = unitNames.push(name) - 1;
			unitIndex.set(name, i);
		}
		return i;
	};
	const { individuals, units, ...rest } = view;
	return {
		...rest,
		unitNames,
		individuals: individuals.map((c) => [
			c.rank,
			c.name,
			indexOf(c.unit),
			c.cells.map((cell) => [cell.score, CELL_STATES.indexOf(cell.state)]),
			c.score,
			c.maxScore,
			c.timeMs,
			c.provisional ? 1 : 0,
			c.prize
		]),
		units: units.map((u) => [
			u.rank,
			u.name,
			u.score,
			u.counted,
			u.members,
			u.provisional ? 1 : 0,
			u.prize
		])
	};
}

export function unpackBoard(packed: PackedBoard): BoardView {
	const { unitNames, individuals, units, ...rest } = packed;
	return {
		...rest,
		individuals: individuals.map(
			([rank, name, unit, cells, score, maxScore, timeMs, provisional, prize]) => ({
				rank,
				name,
				unit: unitNames[unit],
				cells: cells.map(([s, state]) => ({ score: s, state: CELL_STATES[state] })),
				score,
				maxScore,
				timeMs,
				provisional: provisional === 1,
				prize
			})
		),
		units: units.map(([rank, name, score, counted, members, provisional, prize]) => ({
			rank,
			name,
			score,
			counted,
			members,
			provisional: provisional === 1,
			prize
		}))
	};
}
