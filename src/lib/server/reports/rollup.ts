// Rolls cadre facts up the unit tree: completion, pass rates, overdue, participation and whether
// leaders lead by example. Pure, so the numbers can be checked against a hand-computed fixture.
import type { CadreInfo, CourseFact, CourseInfo } from './facts';

export interface UnitRef {
	id: number;
	code: string;
	name: string;
	kind: string;
	parentId: number | null;
	path: string;
	depth: number;
}

export interface Rates {
	/** Cadres assigned the course or who started it: the denominator of completion. */
	target: number;
	assigned: number;
	started: number;
	completed: number;
	/** Assigned, past the due date, not completed. */
	overdue: number;
	/** completed / target, 0–1, or null when nobody is targeted. */
	completionRate: number | null;
	quizTaken: number;
	quizPassed: number;
	/** quizPassed / quizTaken, or null. */
	passRate: number | null;
	/** Mean of each cadre's best quiz percentage, or null. */
	averageScore: number | null;
}

export interface CourseRates extends Rates {
	courseId: number;
	title: string;
}

export interface LeaderExample {
	leaders: number;
	/** Leaders' assigned courses, and how many of those they completed. */
	leaderAssigned: number;
	leaderCompleted: number;
	leaderRate: number | null;
	/** Completion of the unit's own cadres (the same office), for comparison. */
	unitRate: number | null;
	/** Leaders have completed something and are at or above the unit's own rate; null when they have nothing assigned. */
	leadsByExample: boolean | null;
}

export interface UnitStats {
	unit: UnitRef;
	/** Active cadres in the unit and all units below it. */
	cadres: number;
	/** Of those, how many started at least one course. */
	participants: number;
	participationRate: number | null;
	overall: Rates;
	courses: CourseRates[];
	leaders: LeaderExample;
}

export interface CadreSummary {
	cadre: CadreInfo;
	assigned: number;
	started: number;
	completed: number;
	overdue: number;
	averageScore: number | null;
	lastActivity: Date | null;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export function isOverdue(fact: CourseFact, now: Date): boolean {
	return fact.assigned && fact.dueAt !== null && fact.dueAt < now && fact.completedAt === null;
}

export function rates(facts: CourseFact[], now: Date): Rates {
	const target = facts.length;
	const assigned = facts.filter((f) => f.assigned).length;
	const started = facts.filter((f) => f.startedAt !== null).length;
	const completed = facts.filter((f) => f.completedAt !== null).length;
	const overdue = facts.filter((f) => isOverdue(f, now)).length;
	const quizzes = facts.filter((f) => f.quizBestPercent !== null);
	const quizPassed = quizzes.filter((f) => f.quizPassed).length;
	const average = quizzes.length
		? quizzes.reduce((sum, f) => sum + f.quizBestPercent!, 0) / quizzes.length
		: null;
	return {
		target,
		assigned,
		started,
		completed,
		overdue,
		completionRate: ratio(completed, target),
		quizTaken: quizzes.length,
		quizPassed,
		passRate: ratio(quizPassed, quizzes.length),
		averageScore: average === null ? null : Math.round(average * 10) / 10
	};
}

/** Statistics for each unit, over the cadres of the unit and its whole subtree. */
export function rollUp(input: {
	units: UnitRef[];
	cadres: CadreInfo[];
	courses: CourseInfo[];
	facts: CourseFact[];
	now: Date;
}): Map<number, UnitStats> {
	const factsByUser = new Map<number, CourseFact[]>();
	for (const fact of input.facts) {
		const list = factsByUser.get(fact.userId) ?? [];
		list.push(fact);
		factsByUser.set(fact.userId, list);
	}
	const out = new Map<number, UnitStats>();
	for (const unit of input.units) {
		const inSubtree = input.cadres.filter((c) => c.unitPath.startsWith(unit.path));
		const subtreeFacts = inSubtree.flatMap((c) => factsByUser.get(c.id) ?? []);
		const participants = inSubtree.filter((c) =>
			(factsByUser.get(c.id) ?? []).some((f) => f.startedAt !== null)
		).length;
		const own = input.cadres.filter((c) => c.unitId === unit.id);
		const ownLeaders = own.filter((c) => c.isLeader);
		const leaderFacts = ownLeaders.flatMap((c) =>
			(factsByUser.get(c.id) ?? []).filter((f) => f.assigned)
		);
		const ownFacts = own.flatMap((c) => (factsByUser.get(c.id) ?? []).filter((f) => f.assigned));
		const leaderRate = ratio(leaderFacts.filter((f) => f.completedAt).length, leaderFacts.length);
		const unitRate = ratio(ownFacts.filter((f) => f.completedAt).length, ownFacts.length);
		out.set(unit.id, {
			unit,
			cadres: inSubtree.length,
			participants,
			participationRate: ratio(participants, inSubtree.length),
			overall: rates(subtreeFacts, input.now),
			courses: input.courses.map((course) => ({
				courseId: course.id,
				title: course.title,
				...rates(
					subtreeFacts.filter((f) => f.courseId === course.id),
					input.now
				)
			})),
			leaders: {
				leaders: ownLeaders.length,
				leaderAssigned: leaderFacts.length,
				leaderCompleted: leaderFacts.filter((f) => f.completedAt).length,
				leaderRate,
				unitRate,
				leadsByExample:
					leaderRate === null || unitRate === null ? null : leaderRate > 0 && leaderRate >= unitRate
			}
		});
	}
	return out;
}

/** One line per cadre of a unit (own members only), for the drill-down list. */
export function summariseCadres(
	cadres: CadreInfo[],
	facts: CourseFact[],
	now: Date
): CadreSummary[] {
	return cadres.map((cadre) => {
		const mine = facts.filter((f) => f.userId === cadre.id);
		const r = rates(mine, now);
		const activity = mine
			.flatMap((f) => [f.startedAt, f.completedAt])
			.filter((d): d is Date => d !== null);
		return {
			cadre,
			assigned: r.assigned,
			started: r.started,
			completed: r.completed,
			overdue: r.overdue,
			averageScore: r.averageScore,
			lastActivity: activity.length ? new Date(Math.max(...activity.map((d) => d.getTime()))) : null
		};
	});
}
