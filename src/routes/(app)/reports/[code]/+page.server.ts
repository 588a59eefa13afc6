import { guard, requireActor } from '$lib/server/http';
import { histogram, progressOverTime, unitReport } from '$lib/server/reports/reports';
import type { PageServerLoad } from './$types';

const WEEK = 7 * 24 * 3600_000;

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const db = event.locals.db;
	const now = new Date();
	const report = await guard(() => unitReport(db, actor, { unitCode: event.params.code, now }));
	// The chart covers the 16 weeks up to the latest activity (the demo data lives in 2012).
	const to = new Date(Math.min(now.getTime(), (report.latestActivity ?? now).getTime() + WEEK));
	const weeks = await guard(() =>
		progressOverTime(db, actor, {
			unitCode: report.unit.code,
			from: new Date(to.getTime() - 16 * WEEK),
			to
		})
	);
	const strip = (s: typeof report.stats) => ({
		code: s.unit.code,
		name: s.unit.name,
		kind: s.unit.kind,
		cadres: s.cadres,
		participationRate: s.participationRate,
		overall: s.overall,
		courses: s.courses,
		leaders: s.leaders
	});
	return {
		unit: { code: report.unit.code, name: report.unit.name, kind: report.unit.kind },
		breadcrumb: report.breadcrumb,
		stats: strip(report.stats),
		children: report.children.map(strip),
		cadres: report.cadres.map((c) => ({
			id: c.cadre.id,
			fullName: c.cadre.fullName,
			position: c.cadre.position,
			isLeader: c.cadre.isLeader,
			assigned: c.assigned,
			started: c.started,
			completed: c.completed,
			overdue: c.overdue,
			averageScore: c.averageScore,
			lastActivity: c.lastActivity
		})),
		histogram: histogram(report.scores),
		weeks
	};
};
