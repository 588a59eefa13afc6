import { describe, expect, it } from 'vitest';
import type { CadreInfo, CourseFact, CourseInfo } from './facts';
import { rates, rollUp, summariseCadres, type UnitRef } from './rollup';

// A hand-computed fixture: province P → district D → communes C1, C2; and agency E.
const unit = (
	id: number,
	code: string,
	parentId: number | null,
	path: string,
	depth: number
): UnitRef => ({ id, code, name: code, kind: 'x', parentId, path, depth });
const units = [
	unit(1, 'P', null, '/1/', 0),
	unit(2, 'D', 1, '/1/2/', 1),
	unit(3, 'C1', 2, '/1/2/3/', 2),
	unit(4, 'C2', 2, '/1/2/4/', 2),
	unit(5, 'E', 1, '/1/5/', 1)
];
const cadre = (id: number, unitId: number, path: string, isLeader = false): CadreInfo => ({
	id,
	username: `u${id}`,
	fullName: `Cán bộ ${id}`,
	position: '',
	isLeader,
	unitId,
	unitPath: path
});
const d1 = cadre(11, 2, '/1/2/', true);
const d2 = cadre(12, 2, '/1/2/');
const c1 = cadre(31, 3, '/1/2/3/', true);
const c2 = cadre(32, 3, '/1/2/3/');
const c3 = cadre(41, 4, '/1/2/4/');
const e1 = cadre(51, 5, '/1/5/', true);
const cadres = [d1, d2, c1, c2, c3, e1];
const courses: CourseInfo[] = [
	{ id: 100, slug: 'a', title: 'A', lessonCount: 3 },
	{ id: 200, slug: 'b', title: 'B', lessonCount: 2 }
];
const d = (s: string) => new Date(s);
const fact = (userId: number, courseId: number, f: Partial<CourseFact>): CourseFact => ({
	userId,
	courseId,
	assigned: false,
	dueAt: null,
	startedAt: null,
	completedAt: null,
	lessonsDone: 0,
	secondsSpent: 0,
	quizBestPercent: null,
	quizPassed: null,
	...f
});
const facts: CourseFact[] = [
	fact(11, 100, {
		assigned: true,
		dueAt: d('2012-09-01'),
		startedAt: d('2012-08-01'),
		completedAt: d('2012-08-20'),
		quizBestPercent: 80,
		quizPassed: true
	}),
	fact(12, 100, {
		assigned: true,
		dueAt: d('2012-09-01'),
		startedAt: d('2012-08-05'),
		quizBestPercent: 40,
		quizPassed: false
	}),
	fact(31, 100, { assigned: true, dueAt: d('2012-10-01') }),
	fact(32, 100, {
		assigned: true,
		dueAt: d('2012-10-01'),
		startedAt: d('2012-08-10'),
		completedAt: d('2012-09-02'),
		quizBestPercent: 90,
		quizPassed: true
	}),
	fact(32, 200, { startedAt: d('2012-09-05') }),
	fact(41, 100, { assigned: true, startedAt: d('2012-09-01') }),
	fact(51, 200, { assigned: true, dueAt: d('2012-09-10') })
];
const now = d('2012-09-15T00:00:00Z');

describe('rollUp', () => {
	const stats = rollUp({ units, cadres, courses, facts, now });

	it('rolls a district up over its communes', () => {
		const s = stats.get(2)!;
		expect(s.cadres).toBe(5);
		expect(s.participants).toBe(4);
		expect(s.participationRate).toBeCloseTo(0.8);
		expect(s.overall).toEqual({
			target: 6,
			assigned: 5,
			started: 5,
			completed: 2,
			overdue: 1,
			completionRate: 2 / 6,
			quizTaken: 3,
			quizPassed: 2,
			passRate: 2 / 3,
			averageScore: 70
		});
		expect(s.courses.map((c) => [c.title, c.target, c.completed, c.completionRate])).toEqual([
			['A', 5, 2, 0.4],
			['B', 1, 0, 0]
		]);
	});

	it('compares leaders with their own office', () => {
		expect(stats.get(2)!.leaders).toEqual({
			leaders: 1,
			leaderAssigned: 1,
			leaderCompleted: 1,
			leaderRate: 1,
			unitRate: 0.5,
			leadsByExample: true
		});
		expect(stats.get(3)!.leaders).toMatchObject({
			leaderRate: 0,
			unitRate: 0.5,
			leadsByExample: false
		});
		// Nobody in the agency has completed anything: the leader is not leading.
		expect(stats.get(5)!.leaders).toMatchObject({
			leaderRate: 0,
			unitRate: 0,
			leadsByExample: false
		});
		expect(stats.get(4)!.leaders).toMatchObject({
			leaders: 0,
			leaderRate: null,
			leadsByExample: null
		});
	});

	it('counts the whole province, with overdue courses past their due date only', () => {
		const p = stats.get(1)!;
		expect(p.cadres).toBe(6);
		expect(p.overall.target).toBe(7);
		expect(p.overall.overdue).toBe(2);
		expect(stats.get(3)!.overall.overdue).toBe(0);
	});

	it('summarises each cadre of a unit', () => {
		const [leader, member] = summariseCadres([c1, c2], facts, now);
		expect(leader).toMatchObject({
			assigned: 1,
			started: 0,
			completed: 0,
			overdue: 0,
			averageScore: null,
			lastActivity: null
		});
		expect(member).toMatchObject({ assigned: 1, started: 2, completed: 1, averageScore: 90 });
		expect(member.lastActivity?.toISOString()).toBe('2012-09-05T00:00:00.000Z');
	});

	it('gives null rates, not zero, when there is nothing to measure', () => {
		expect(rates([], now)).toMatchObject({
			target: 0,
			completionRate: null,
			passRate: null,
			averageScore: null
		});
	});
});
