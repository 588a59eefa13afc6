// The facts every progress report is built from: one row per cadre and course they are assigned
// or have started, read in a single query for a unit subtree.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { selectRows } from '../db/raw';

export interface CadreInfo {
	id: number;
	username: string;
	fullName: string;
	position: string;
	isLeader: boolean;
	unitId: number;
	unitPath: string;
}

export interface CourseInfo {
	id: number;
	slug: string;
	title: string;
	lessonCount: number;
}

/** A cadre's standing in one course. */
export interface CourseFact {
	userId: number;
	courseId: number;
	assigned: boolean;
	dueAt: Date | null;
	startedAt: Date | null;
	completedAt: Date | null;
	lessonsDone: number;
	secondsSpent: number;
	/** Best quiz result in the course, 0–100, or null without a graded attempt. */
	quizBestPercent: number | null;
	quizPassed: boolean | null;
}

export interface Facts {
	cadres: CadreInfo[];
	courses: CourseInfo[];
	facts: CourseFact[];
}

const toDate = (v: unknown): Date | null =>
	v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v));

/** Active cadres under `pathPrefix` (a unit path like '/1/12/'), with their course facts. */
export async function loadFacts(db: Db, input: { pathPrefix: string }): Promise<Facts> {
	const prefix = `${input.pathPrefix}%`;
	const cadreRows = await selectRows<Record<string, unknown>>(
		db,
		sql`select u.id, u.username, u.full_name, u.position, u.is_leader, u.unit_id, un.path
		      from users u join units un on un.id = u.unit_id
		     where u.active and 'cadre' = any(u.roles) and un.path like ${prefix}
		     order by un.path, u.is_leader desc, u.full_name`
	);
	const courseRows = await selectRows<Record<string, unknown>>(
		db,
		sql`select c.id, c.slug, c.title,
		           (select count(*) from lessons l where l.course_id = c.id and l.status = 'published')::int as lesson_count
		      from courses c where c.status = 'published' order by c.sort_order, c.title`
	);
	const factRows = await selectRows<Record<string, unknown>>(
		db,
		sql`with cadres as (
		      select u.id, u.unit_id, un.path from users u join units un on un.id = u.unit_id
		       where u.active and 'cadre' = any(u.roles) and un.path like ${prefix}
		    ), assigned as (
		      select c.id as user_id, a.course_id, min(a.due_at) as due_at
		        from cadres c
		        join course_assignments a on a.user_id = c.id
		          or (a.unit_id is not null and exists (
		                select 1 from units au where au.id = a.unit_id
		                   and (c.unit_id = a.unit_id or (a.include_subtree and c.path like au.path || '%'))))
		       group by c.id, a.course_id
		    ), pairs as (
		      select user_id, course_id from assigned
		      union
		      select cp.user_id, cp.course_id from course_progress cp join cadres c on c.id = cp.user_id
		    ), lessons_done as (
		      select lp.user_id, l.course_id,
		             count(*) filter (where lp.completed_at is not null and l.status = 'published')::int as done,
		             coalesce(sum(lp.seconds_spent), 0)::int as seconds
		        from lesson_progress lp join lessons l on l.id = lp.lesson_id join cadres c on c.id = lp.user_id
		       group by lp.user_id, l.course_id
		    ), quiz as (
		      select at.user_id, a.course_id,
		             max(case when at.max_score > 0 then 100.0 * at.score / at.max_score end) as best,
		             bool_or(at.max_score > 0 and 100.0 * at.score / at.max_score >= a.pass_percent) as passed
		        from attempts at join assessments a on a.id = at.assessment_id join cadres c on c.id = at.user_id
		       where a.kind = 'quiz' and a.course_id is not null and at.status = 'submitted' and at.score is not null
		       group by at.user_id, a.course_id
		    )
		    select p.user_id, p.course_id, (asg.user_id is not null) as assigned, asg.due_at,
		           cp.started_at, cp.completed_at, coalesce(ld.done, 0) as lessons_done, coalesce(ld.seconds, 0) as seconds,
		           q.best as quiz_best, q.passed as quiz_passed
		      from pairs p
		      join courses co on co.id = p.course_id and co.status = 'published'
		      left join assigned asg on asg.user_id = p.user_id and asg.course_id = p.course_id
		      left join course_progress cp on cp.user_id = p.user_id and cp.course_id = p.course_id
		      left join lessons_done ld on ld.user_id = p.user_id and ld.course_id = p.course_id
		      left join quiz q on q.user_id = p.user_id and q.course_id = p.course_id`
	);
	return {
		cadres: cadreRows.map((r) => ({
			id: Number(r.id),
			username: String(r.username),
			fullName: String(r.full_name),
			position: String(r.position ?? ''),
			isLeader: r.is_leader === true || r.is_leader === 't',
			unitId: Number(r.unit_id),
			unitPath: String(r.path)
		})),
		courses: courseRows.map((r) => ({
			id: Number(r.id),
			slug: String(r.slug),
			title: String(r.title),
			lessonCount: Number(r.lesson_count)
		})),
		facts: factRows.map((r) => ({
			userId: Number(r.user_id),
			courseId: Number(r.course_id),
			assigned: r.assigned === true || r.assigned === 't',
			dueAt: toDate(r.due_at),
			startedAt: toDate(r.started_at),
			completedAt: toDate(r.completed_at),
			lessonsDone: Number(r.lessons_done),
			secondsSpent: Number(r.seconds),
			quizBestPercent:
				r.quiz_best === null || r.quiz_best === undefined
					? null
					: Math.round(Number(r.quiz_best) * 10) / 10,
			quizPassed:
				r.quiz_passed === null || r.quiz_passed === undefined
					? null
					: r.quiz_passed === true || r.quiz_passed === 't'
		}))
	};
}
