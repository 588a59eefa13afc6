// Progress reports along the unit tree, scoped to what the actor may see: a leader their
// subtree, admins and organisers everything, a cadre only their own record.
import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { selectRows } from '../db/raw';
import {
	assessments,
	attempts,
	competitionRounds,
	competitions,
	courses,
	units,
	users
} from '../db/schema';
import { canSeeUnit, hasRole, scopeOf, type Actor } from '../auth/actor';
import { NotAllowed, NotFound } from '../errors';
import { findUnit, findUnitByCode, listUnits, type UnitView } from '../org/units';
import { loadFacts, type CourseFact, type CourseInfo } from './facts';
import { rollUp, summariseCadres, isOverdue, type CadreSummary, type UnitStats } from './rollup';
import { certificatesOf, type CertificateView } from './certificates';

/** The unit a report opens on when none is named: the province for admins, the own unit for leaders. */
export async function defaultReportUnit(db: Db, actor: Actor): Promise<UnitView> {
	const scope = scopeOf(actor);
	if (scope.kind === 'self') throw new NotAllowed();
	if (scope.kind === 'subtree') {
		const unit = actor.unitId ? await findUnit(db, actor.unitId) : null;
		if (!unit) throw new NotFound();
		return unit;
	}
	const [root] = (await listUnits(db)).filter((u) => u.parentId === null);
	if (!root) throw new NotFound();
	return root;
}

export interface UnitReport {
	unit: UnitView;
	/** Ancestors the actor may open, root first. */
	breadcrumb: Array<{ code: string; name: string }>;
	stats: UnitStats;
	children: UnitStats[];
	cadres: CadreSummary[];
	courses: CourseInfo[];
	/** Best quiz percentages of the subtree, for the score distribution. */
	scores: number[];
	/** The latest start or completion in the subtree. */
	latestActivity: Date | null;
}

export async function unitReport(
	db: Db,
	actor: Actor,
	input: { unitCode?: string; now: Date }
): Promise<UnitReport> {
	const unit = input.unitCode
		? await findUnitByCode(db, input.unitCode)
		: await defaultReportUnit(db, actor);
	if (!unit) throw new NotFound();
	if (!canSeeUnit(actor, unit.path)) throw new NotAllowed();
	const all = await listUnits(db);
	const subtree = all.filter((u) => u.path.startsWith(unit.path));
	const data = await loadFacts(db, { pathPrefix: unit.path });
	const stats = rollUp({
		units: subtree,
		cadres: data.cadres,
		courses: data.courses,
		facts: data.facts,
		now: input.now
	});
	const children = subtree
		.filter((u) => u.parentId === unit.id)
		.sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }))
		.map((u) => stats.get(u.id)!);
	const breadcrumb = all
		.filter((u) => unit.path.startsWith(u.path) && u.id !== unit.id && canSeeUnit(actor, u.path))
		.sort((a, b) => a.depth - b.depth)
		.map((u) => ({ code: u.code, name: u.name }));
	return {
		unit,
		breadcrumb,
		stats: stats.get(unit.id)!,
		children,
		cadres: summariseCadres(
			data.cadres.filter((c) => c.unitId === unit.id),
			data.facts,
			input.now
		),
		courses: data.courses,
		scores: data.facts.filter((f) => f.quizBestPercent !== null).map((f) => f.quizBestPercent!),
		latestActivity: latest(data.facts.flatMap((f) => [f.startedAt, f.completedAt]))
	};
}

export interface CadreRecord {
	cadre: {
		id: number;
		username: string;
		fullName: string;
		position: string;
		isLeader: boolean;
		unitCode: string | null;
		unitName: string | null;
	};
	courses: Array<
		CourseFact & { title: string; slug: string; lessonCount: number; overdue: boolean }
	>;
	attempts: Array<{
		assessment: string;
		course: string | null;
		kind: string;
		number: number;
		percent: number | null;
		submittedAt: Date | null;
		status: string;
	}>;
	/** Competitions whose official results are published, with the person's total and prize. */
	competitions: Array<{
		slug: string;
		title: string;
		total: number | null;
		maxTotal: number | null;
		prize: string | null;
		rank: number | null;
	}>;
	certificates: CertificateView[];
	secondsSpent: number;
}

/** One cadre's whole record; the cadre themselves, their leaders up the tree, admins and organisers. */
export async function cadreRecord(
	db: Db,
	actor: Actor,
	input: { userId: number; now: Date }
): Promise<CadreRecord> {
	const [row] = await db
		.select({
			id: users.id,
			username: users.username,
			fullName: users.fullName,
			position: users.position,
			isLeader: users.isLeader,
			unitCode: units.code,
			unitName: units.name,
			unitPath: units.path
		})
		.from(users)
		.leftJoin(units, eq(units.id, users.unitId))
		.where(eq(users.id, input.userId));
	if (!row) throw new NotFound();
	if (
		row.id !== actor.id &&
		!(row.unitPath && canSeeUnit(actor, row.unitPath)) &&
		!hasRole(actor, 'admin')
	)
		throw new NotAllowed();
	const data = row.unitPath
		? await loadFacts(db, { pathPrefix: row.unitPath })
		: { courses: [], facts: [], cadres: [] };
	const courseById = new Map(data.courses.map((c) => [c.id, c]));
	const mine = data.facts.filter((f) => f.userId === row.id);
	// Round scores stay hidden until the competition's results are published (as on the boards).
	const attemptRows = await db
		.select({
			assessment: assessments.title,
			course: courses.title,
			kind: assessments.kind,
			number: attempts.number,
			score: attempts.score,
			maxScore: attempts.maxScore,
			submittedAt: attempts.submittedAt,
			status: attempts.status
		})
		.from(attempts)
		.innerJoin(assessments, eq(assessments.id, attempts.assessmentId))
		.leftJoin(courses, eq(courses.id, assessments.courseId))
		.leftJoin(competitionRounds, eq(competitionRounds.assessmentId, assessments.id))
		.leftJoin(competitions, eq(competitions.id, competitionRounds.competitionId))
		.where(
			sql`${attempts.userId} = ${row.id} and (${assessments.kind} <> 'round' or ${competitions.resultsPublishedAt} is not null)`
		)
		.orderBy(desc(attempts.startedAt));
	const competitionRows = await selectRows<Record<string, unknown>>(
		db,
		sql`select c.slug, c.title,
		           (select sum(a.score) from competition_rounds cr
		              join attempts a on a.assessment_id = cr.assessment_id and a.user_id = r.user_id and a.status = 'submitted'
		             where cr.competition_id = c.id and cr.counts) as total,
		           (select sum(a.max_score) from competition_rounds cr
		              join attempts a on a.assessment_id = cr.assessment_id and a.user_id = r.user_id and a.status = 'submitted'
		             where cr.competition_id = c.id and cr.counts) as max_total,
		           aw.prize, aw.rank
		      from competition_registrations r
		      join competitions c on c.id = r.competition_id
		      left join lateral (select prize, rank from competition_awards aw
		                          where aw.competition_id = c.id and aw.kind = 'individual' and aw.user_id = r.user_id
		                          order by aw.rank limit 1) aw on true
		     where r.user_id = ${row.id} and r.status = 'registered' and c.results_published_at is not null
		     order by c.results_published_at desc`
	);
	const optional = (v: unknown) => (v === null || v === undefined ? null : Number(v));
	const { unitPath: _path, ...cadre } = row;
	void _path;
	return {
		cadre,
		courses: mine.map((f) => {
			const course = courseById.get(f.courseId)!;
			return {
				...f,
				title: course.title,
				slug: course.slug,
				lessonCount: course.lessonCount,
				overdue: isOverdue(f, input.now)
			};
		}),
		attempts: attemptRows.map((a) => ({
			assessment: a.assessment,
			course: a.course,
			kind: a.kind,
			number: a.number,
			percent:
				a.score !== null && a.maxScore > 0 ? Math.round((1000 * a.score) / a.maxScore) / 10 : null,
			submittedAt: a.submittedAt,
			status: a.status
		})),
		competitions: competitionRows.map((c) => ({
			slug: String(c.slug),
			title: String(c.title),
			total: optional(c.total),
			maxTotal: optional(c.max_total),
			prize: c.prize === null || c.prize === undefined ? null : String(c.prize),
			rank: optional(c.rank)
		})),
		certificates: await certificatesOf(db, actor, { userId: row.id }),
		secondsSpent: mine.reduce((sum, f) => sum + f.secondsSpent, 0)
	};
}

/** Lesson and course completions per week in a subtree, for the progress-over-time chart. */
export async function progressOverTime(
	db: Db,
	actor: Actor,
	input: { unitCode: string; from: Date; to: Date }
): Promise<Array<{ week: string; lessons: number; courses: number }>> {
	const unit = await findUnitByCode(db, input.unitCode);
	if (!unit) throw new NotFound();
	if (!canSeeUnit(actor, unit.path)) throw new NotAllowed();
	const prefix = `${unit.path}%`;
	const from = input.from.toISOString();
	const to = input.to.toISOString();
	// Weeks start on Monday, in Vietnam time.
	const rows = await selectRows<{ week: string; lessons: number; courses: number }>(
		db,
		sql`with cadre as (select u.id from users u join units un on un.id = u.unit_id where un.path like ${prefix} and 'cadre' = any(u.roles)),
		    l as (select to_char(date_trunc('week', lp.completed_at at time zone 'Asia/Ho_Chi_Minh'), 'YYYY-MM-DD') as week, count(*)::int as n
		            from lesson_progress lp join cadre c on c.id = lp.user_id
		           where lp.completed_at >= ${from}::timestamptz and lp.completed_at < ${to}::timestamptz group by 1),
		    c as (select to_char(date_trunc('week', cp.completed_at at time zone 'Asia/Ho_Chi_Minh'), 'YYYY-MM-DD') as week, count(*)::int as n
		            from course_progress cp join cadre c on c.id = cp.user_id
		           where cp.completed_at >= ${from}::timestamptz and cp.completed_at < ${to}::timestamptz group by 1),
		    weeks as (select to_char(g, 'YYYY-MM-DD') as week
		                from generate_series(date_trunc('week', ${from}::timestamptz at time zone 'Asia/Ho_Chi_Minh'),
		                                     ${to}::timestamptz at time zone 'Asia/Ho_Chi_Minh', interval '1 week') g)
		    select w.week, coalesce(l.n, 0)::int as lessons, coalesce(c.n, 0)::int as courses
		      from weeks w left join l on l.week = w.week left join c on c.week = w.week order by w.week`
	);
	return rows.map((r) => ({
		week: String(r.week),
		lessons: Number(r.lessons),
		courses: Number(r.courses)
	}));
}

function latest(dates: Array<Date | null>): Date | null {
	const times = dates.filter((d): d is Date => d !== null).map((d) => d.getTime());
	return times.length ? new Date(Math.max(...times)) : null;
}

/** Counts of scores in ten bins: [0,10), [10,20), … [90,100]. */
export function histogram(scores: number[]): number[] {
	const bins = Array.from({ length: 10 }, () => 0);
	for (const s of scores) bins[Math.min(9, Math.max(0, Math.floor(s / 10)))]++;
	return bins;
}
