// Boards from real attempts made through the engine, on a controllable clock: standings and
// ranks, unit rules, the freeze, publishing results (awards, certificates), exports, question
// statistics, who may see what, and live updates over LISTEN/NOTIFY.
import ExcelJS from 'exceljs';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unpackBoard, type PackedBoard } from '../../src/lib/board/view';
import { startAttempt, submitAttempt } from '../../src/lib/server/assessments/engine';
import { openDatabase, type Database, type Db } from '../../src/lib/server/db/client';
import {
	attempts,
	auditLog,
	certificates,
	competitionAwards,
	competitions
} from '../../src/lib/server/db/schema';
import type { Actor } from '../../src/lib/server/auth/actor';
import { Conflict, Invalid, NotAllowed } from '../../src/lib/server/errors';
import { loadStandings, type Standings } from '../../src/lib/server/competitions/standings';
import { boardAccess, buildBoard, variantFor } from '../../src/lib/server/competitions/board';
import { publishResults } from '../../src/lib/server/competitions/awards';
import {
	officialResults,
	resultsOverview,
	resultsSheets,
	setBoardPublic,
	setFreezeMinutes
} from '../../src/lib/server/competitions/results';
import { questionStatistics } from '../../src/lib/server/competitions/statistics';
import { toCsv, toXlsx } from '../../src/lib/server/reports/export';
import { BOARD_CHANNEL, notifyBoard } from '../../src/lib/server/realtime/notify';
import { BoardHub, type Viewer } from '../../src/lib/server/realtime/hub';
import { computeBoard } from '../../src/lib/server/realtime/boards';
import { createTestDatabase, testDriver, type TestDatabase } from './helpers/db';
import {
	makeCadre,
	makeCategory,
	makeProvince,
	makeQuestion,
	makeUser,
	singleChoice
} from './helpers/builders';
import { makeCompetition, makeRound, makeTeam, quotas, register } from './helpers/board-builders';

let database: TestDatabase;
let db: Db;
let province: Awaited<ReturnType<typeof makeProvince>>;
let q1: number;
let q2: number;
let organiser: Actor;
const t0 = new Date('2012-09-20T01:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

const right = [
	{ slot: 1, seq: 1, response: { type: 'single', choice: 1 } },
	{ slot: 2, seq: 1, response: { type: 'truefalse', answer: true } }
];
const onlyFirst = [
	{ slot: 1, seq: 1, response: { type: 'single', choice: 1 } },
	{ slot: 2, seq: 1, response: { type: 'truefalse', answer: false } }
];
const onlySecond = [
	{ slot: 1, seq: 1, response: { type: 'single', choice: 0 } },
	{ slot: 2, seq: 1, response: { type: 'truefalse', answer: true } }
];

/** Starts at `from` and submits at `to` (minutes after t0), through the engine. */
async function sit(
	cadre: Actor,
	assessmentId: number,
	from: number,
	to: number | null,
	answers = right
) {
	const { attemptId } = await startAttempt(db, cadre, { assessmentId, now: at(from) });
	if (to !== null) await submitAttempt(db, cadre, { attemptId, now: at(to), answers });
	return attemptId;
}

beforeAll(async () => {
	database = await createTestDatabase();
	db = database.db;
	province = await makeProvince(db);
	const cat = await makeCategory(db, { name: 'Tin học văn phòng' });
	q1 = (await makeQuestion(db, { categoryId: cat.id, data: singleChoice(1), name: 'Phím tắt' }))
		.questionId;
	q2 = (
		await makeQuestion(db, {
			categoryId: cat.id,
			name: 'Tường lửa',
			data: { type: 'truefalse', answer: true, feedbackWrong: null, feedbackRight: null }
		})
	).questionId;
	organiser = await makeUser(db, { roles: ['organiser'], fullName: 'Ban Tổ Chức' });
});
afterAll(() => database.close());

/**
 * Competition 1: a practice round that does not count and a theory round (1 + 2 points).
 * Huyện ủy A: A1, A2 (team, 3 points in 10 min each), A3 (1 point in 5 min);
 * Huyện ủy B: B1 (2 points in 12 min), B2 (still working), B3 (never started); W withdrawn.
 */
async function competitionOne() {
	const c = await makeCompetition(db, {
		slug: 'hoi-thi-mot',
		title: 'Hội thi Tin học khối Đảng',
		unitRule: 'best_k',
		unitBestK: 2,
		prizeQuotas: quotas({ nhat: 1, nhi: 1, ba: 1, kk: 1 }, { nhat: 1 })
	});
	const practice = await makeRound(db, {
		competitionId: c.id,
		position: 1,
		name: 'Thi thử',
		counts: false,
		openAt: at(-120),
		closeAt: at(-60),
		questions: [{ questionId: q1 }]
	});
	const theory = await makeRound(db, {
		competitionId: c.id,
		position: 2,
		name: 'Lý thuyết',
		openAt: t0,
		closeAt: at(60),
		timeLimitSeconds: 1800,
		questions: [{ questionId: q1 }, { questionId: q2, points: 2 }]
	});
	const { districtA: A, districtB: B } = province;
	const team = await makeTeam(db, { competitionId: c.id, unit: A });
	const people: Record<string, Actor> = {};
	for (const [name, unit, inTeam] of [
		['Nguyễn Văn An', A, true],
		['Trần Thị Bình', A, true],
		['Lê Văn Cường', A, false],
		['Phạm Thị Dung', B, false],
		['Hoàng Văn Em', B, false],
		['Vũ Thị Giang', B, false]
	] as const) {
		const cadre = await makeCadre(db, unit, { fullName: name });
		await register(db, { competitionId: c.id, cadre, unit, teamId: inTeam ? team.id : null });
		people[name] = cadre;
	}
	const withdrawn = await makeCadre(db, B, { fullName: 'Đỗ Văn Rút' });
	await register(db, { competitionId: c.id, cadre: withdrawn, unit: B, status: 'withdrawn' });
	return { c, practice, theory, people, withdrawn };
}

let one: Awaited<ReturnType<typeof competitionOne>>;

const names = (s: Standings) => s.individuals.map((c) => [c.fullName, c.rank, c.score]);

describe('standings from attempts made through the engine', () => {
	beforeAll(async () => {
		one = await competitionOne();
	});

	it('shows the practice round before any counting round has an attempt', async () => {
		const { people, practice } = one;
		await sit(people['Vũ Thị Giang'], practice.assessmentId, -100, -95, [right[0]]);
		const s = (await loadStandings(db, {
			competitionId: one.c.id,
			variant: 'live',
			now: at(-50)
		}))!;
		expect(s.scope).toEqual({ kind: 'round', roundId: practice.id });
		expect(s.individuals[0]).toMatchObject({ fullName: 'Vũ Thị Giang', rank: 1, score: 1 });
	});

	it('ranks by total then time, ties share a rank, running and absent competitors are last', async () => {
		const { people, theory, withdrawn } = one;
		const id = theory.assessmentId;
		await sit(people['Nguyễn Văn An'], id, 0, 10);
		await sit(people['Trần Thị Bình'], id, 2, 12);
		await sit(people['Lê Văn Cường'], id, 1, 6, onlyFirst);
		await sit(people['Phạm Thị Dung'], id, 0, 12, onlySecond);
		await sit(people['Hoàng Văn Em'], id, 3, null);
		await expect(startAttempt(db, withdrawn, { assessmentId: id, now: at(4) })).rejects.toThrow(
			NotAllowed
		);

		const s = (await loadStandings(db, { competitionId: one.c.id, variant: 'live', now: at(20) }))!;
		expect(s.scope).toEqual({ kind: 'total' });
		expect(names(s)).toEqual([
			['Nguyễn Văn An', 1, 3],
			['Trần Thị Bình', 1, 3],
			['Phạm Thị Dung', 3, 2],
			['Lê Văn Cường', 4, 1],
			['Hoàng Văn Em', 5, 0],
			['Vũ Thị Giang', 5, 0]
		]);
		const an = s.individuals[0];
		expect(an.timeMs).toBe(10 * 60_000);
		expect(an.maxScore).toBe(3);
		// The practice round's point does not count; its cell is there for the record.
		expect(s.individuals.find((c) => c.fullName === 'Vũ Thị Giang')!.cells[0]).toMatchObject({
			score: 1,
			state: 'final'
		});
		const em = s.individuals.find((c) => c.fullName === 'Hoàng Văn Em')!;
		expect(em.provisional).toBe(true);
		expect(em.cells[1]).toMatchObject({ state: 'running', score: null });
		expect(s.individuals.find((c) => c.fullName === 'Vũ Thị Giang')!.provisional).toBe(false);
		expect(s.individuals.some((c) => c.fullName === 'Đỗ Văn Rút')).toBe(false);
		// Projected prizes: two share Nhất, Nhì's place is used up, then Ba and Khuyến khích.
		expect(s.individuals.slice(0, 4).map((c) => c.prize)).toEqual(['nhat', 'nhat', 'ba', 'kk']);
	});

	it('scores units by the organiser’s rule', async () => {
		const unitsBy = async (rule: 'best_k' | 'mean_registered' | 'mean_team') => {
			await db.update(competitions).set({ unitRule: rule }).where(eq(competitions.id, one.c.id));
			const s = (await loadStandings(db, {
				competitionId: one.c.id,
				variant: 'live',
				now: at(20)
			}))!;
			return s.units.map((u) => [u.unitCode, u.rank, u.score, u.counted, u.members]);
		};
		expect(await unitsBy('best_k')).toEqual([
			['HU-A', 1, 6, 2, 3],
			['HU-B', 2, 2, 2, 3]
		]);
		expect(await unitsBy('mean_registered')).toEqual([
			['HU-A', 1, 2.333, 3, 3],
			['HU-B', 2, 0.667, 3, 3]
		]);
		expect(await unitsBy('mean_team')).toEqual([['HU-A', 1, 3, 2, 3]]);
		await db.update(competitions).set({ unitRule: 'best_k' }).where(eq(competitions.id, one.c.id));
	});
});

describe('freeze', () => {
	it('the public board counts only attempts final before the freeze; organisers see live', async () => {
		const c = await makeCompetition(db, { freezeMinutes: 10 });
		const round = await makeRound(db, {
			competitionId: c.id,
			position: 1,
			openAt: t0,
			closeAt: at(60),
			questions: [{ questionId: q1 }, { questionId: q2, points: 2 }]
		});
		const people: Actor[] = [];
		for (const name of ['Sớm Trước Băng', 'Nộp Sau Băng', 'Bắt Đầu Sau Băng']) {
			const cadre = await makeCadre(db, province.communeA1, { fullName: name });
			await register(db, { competitionId: c.id, cadre, unit: province.communeA1 });
			people.push(cadre);
		}
		await sit(people[0], round.assessmentId, 0, 40, onlyFirst);
		await sit(people[1], round.assessmentId, 5, 55);
		await sit(people[2], round.assessmentId, 52, 56);

		const view = async (variant: 'public' | 'live', minute: number) =>
			(await loadStandings(db, { competitionId: c.id, variant, now: at(minute) }))!;
		const before = await view('public', 45);
		expect(before.frozen).toBeNull();

		const frozen = await view('public', 57);
		expect(frozen.frozen?.cutoff.toISOString()).toBe(at(50).toISOString());
		expect(frozen.individuals.map((r) => [r.fullName, r.score, r.cells[0].state])).toEqual([
			['Sớm Trước Băng', 1, 'final'],
			['Bắt Đầu Sau Băng', 0, 'none'],
			['Nộp Sau Băng', 0, 'running']
		]);
		const live = await view('live', 57);
		expect(live.frozen).toBeNull();
		expect(live.individuals.map((r) => [r.fullName, r.score])).toEqual([
			['Bắt Đầu Sau Băng', 3],
			['Nộp Sau Băng', 3],
			['Sớm Trước Băng', 1]
		]);
		// The board says when it will change by the clock alone: nothing further for one round.
		expect((await view('public', 45)).nextChange?.toISOString()).toBe(at(50).toISOString());

		// Lifting the freeze (0 minutes) shows everything to the public, and tells the boards.
		await setFreezeMinutes(db, organiser, { slug: c.slug, minutes: '0', now: at(58) });
		expect((await view('public', 58)).frozen).toBeNull();
		await expect(
			setFreezeMinutes(db, organiser, { slug: c.slug, minutes: '-3', now: at(58) })
		).rejects.toThrow(Invalid);
		await expect(
			setFreezeMinutes(db, organiser, { slug: c.slug, minutes: '2.5', now: at(58) })
		).rejects.toThrow(Invalid);
	});

	it('hides a practical round’s scores from the public while judging goes on (blind judging)', async () => {
		const c = await makeCompetition(db, {});
		const practical = await makeRound(db, {
			competitionId: c.id,
			position: 1,
			kind: 'practical',
			openAt: t0,
			closeAt: at(60)
		});
		// What the judging domain keeps on a practical attempt: Σ final scores, and needs grading
		// until every task has its final score.
		const ids: string[] = [];
		for (const [name, score, needsGrading] of [
			['Thực Hành Một', 7.5, false],
			['Thực Hành Hai', 4, true]
		] as const) {
			const cadre = await makeCadre(db, province.communeB1, { fullName: name });
			await register(db, { competitionId: c.id, cadre, unit: province.communeB1 });
			const [row] = await db
				.insert(attempts)
				.values({
					assessmentId: practical.assessmentId,
					userId: cadre.id,
					number: 1,
					status: 'submitted',
					startedAt: at(0),
					submittedAt: at(30),
					timeUsedMs: 30 * 60_000,
					score,
					maxScore: 10,
					needsGrading,
					seed: 1
				})
				.returning({ id: attempts.id });
			ids.push(row.id);
		}
		const pub = (await loadStandings(db, { competitionId: c.id, variant: 'public', now: at(70) }))!;
		expect(pub.individuals.map((r) => [r.score, r.cells[0].score, r.cells[0].state])).toEqual([
			[0, null, 'provisional'],
			[0, null, 'provisional']
		]);
		const live = (await loadStandings(db, { competitionId: c.id, variant: 'live', now: at(70) }))!;
		expect(live.individuals.map((r) => [r.fullName, r.score, r.cells[0].state])).toEqual([
			['Thực Hành Một', 7.5, 'final'],
			['Thực Hành Hai', 4, 'provisional']
		]);
		await db.update(attempts).set({ needsGrading: false }).where(eq(attempts.id, ids[1]));
		const done = (await loadStandings(db, {
			competitionId: c.id,
			variant: 'public',
			now: at(70)
		}))!;
		expect(done.individuals.map((r) => r.score)).toEqual([7.5, 4]);
	});
});

describe('publishing results', () => {
	it('refuses while a round is open or scores are provisional, and to non-organisers', async () => {
		const overview = await resultsOverview(db, organiser, { slug: one.c.slug, now: at(30) });
		expect(overview.blockers.length).toBe(2);
		await expect(publishResults(db, organiser, { slug: one.c.slug, now: at(30) })).rejects.toThrow(
			Conflict
		);
		const cadre = one.people['Nguyễn Văn An'];
		await expect(publishResults(db, cadre, { slug: one.c.slug, now: at(90) })).rejects.toThrow(
			NotAllowed
		);
		await expect(resultsOverview(db, cadre, { slug: one.c.slug, now: at(90) })).rejects.toThrow(
			NotAllowed
		);
		await expect(resultsSheets(db, cadre, { slug: one.c.slug, now: at(90) })).rejects.toThrow(
			NotAllowed
		);
	});

	it('writes the awards once, issues certificates to individual winners, and is idempotent', async () => {
		// The last competitor submits (nothing answered); the round ends.
		const [open] = await db
			.select({ id: attempts.id })
			.from(attempts)
			.where(
				and(
					eq(attempts.userId, one.people['Hoàng Văn Em'].id),
					eq(attempts.assessmentId, one.theory.assessmentId)
				)
			);
		await submitAttempt(db, one.people['Hoàng Văn Em'], { attemptId: open.id, now: at(25) });
		const result = await publishResults(db, organiser, {
			slug: one.c.slug,
			now: at(90),
			ip: '10.0.0.1'
		});
		expect(result).toEqual({
			alreadyPublished: false,
			individualAwards: 4,
			unitAwards: 1,
			certificates: 4
		});
		const awards = await db
			.select()
			.from(competitionAwards)
			.where(eq(competitionAwards.competitionId, one.c.id))
			.orderBy(competitionAwards.rank, competitionAwards.id);
		expect(awards.map((a) => [a.kind, a.prize, a.rank, a.score])).toEqual([
			['individual', 'nhat', 1, 3],
			['individual', 'nhat', 1, 3],
			['unit', 'nhat', 1, 6],
			['individual', 'ba', 3, 2],
			['individual', 'kk', 4, 1]
		]);
		const certs = await db
			.select()
			.from(certificates)
			.where(sql`${certificates.subject} like ${`competition:${one.c.id}:%`}`);
		expect(certs).toHaveLength(4);
		const an = certs.find((x) => x.userId === one.people['Nguyễn Văn An'].id)!;
		expect(an.subject).toBe(`competition:${one.c.id}:nhat`);
		expect(an.data).toMatchObject({
			fullName: 'Nguyễn Văn An',
			unit: 'Huyện ủy A',
			prizeName: 'Giải Nhất',
			competition: 'Hội thi Tin học khối Đảng',
			rank: 1,
			score: 3
		});

		const again = await publishResults(db, organiser, { slug: one.c.slug, now: at(95) });
		expect(again.alreadyPublished).toBe(true);
		expect(
			await db.select().from(competitionAwards).where(eq(competitionAwards.competitionId, one.c.id))
		).toHaveLength(5);
		expect(
			await db
				.select()
				.from(certificates)
				.where(sql`${certificates.subject} like ${`competition:${one.c.id}:%`}`)
		).toHaveLength(4);
		const audit = await db
			.select()
			.from(auditLog)
			.where(eq(auditLog.action, 'competition.results_publish'));
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ actorId: organiser.id, ip: '10.0.0.1' });
	});

	it('keeps the awarded prizes even when a score changes later (a snapshot)', async () => {
		await db
			.update(attempts)
			.set({ score: 3 })
			.where(
				and(
					eq(attempts.userId, one.people['Lê Văn Cường'].id),
					eq(attempts.assessmentId, one.theory.assessmentId)
				)
			);
		const s = (await loadStandings(db, { competitionId: one.c.id, variant: 'live', now: at(99) }))!;
		expect(s.prizesAwarded).toBe(true);
		const cuong = s.individuals.find((c) => c.fullName === 'Lê Văn Cường')!;
		expect(cuong.rank).toBe(1);
		expect(cuong.prize).toBe('kk');
		await db
			.update(attempts)
			.set({ score: 1 })
			.where(
				and(
					eq(attempts.userId, one.people['Lê Văn Cường'].id),
					eq(attempts.assessmentId, one.theory.assessmentId)
				)
			);
	});

	it('shows the official results to logged-in users, with certificate links only for one’s own', async () => {
		const an = one.people['Nguyễn Văn An'];
		const mine = await officialResults(db, an, { slug: one.c.slug, now: at(100) });
		expect(mine.publishedAt?.toISOString()).toBe(at(90).toISOString());
		expect(mine.prizes.individual.map((p) => [p.name, p.prize, !!p.certificateCode])).toEqual([
			['Nguyễn Văn An', 'nhat', true],
			['Trần Thị Bình', 'nhat', false],
			['Phạm Thị Dung', 'ba', false],
			['Lê Văn Cường', 'kk', false]
		]);
		expect(mine.prizes.unit).toEqual([{ prize: 'nhat', rank: 1, name: 'Huyện ủy A', score: 6 }]);
		expect(mine.individuals.find((c) => c.self)?.name).toBe('Nguyễn Văn An');
		expect(mine.rounds).toEqual([{ name: 'Lý thuyết' }]);
		const org = await officialResults(db, organiser, { slug: one.c.slug, now: at(100) });
		expect(org.prizes.individual.every((p) => p.certificateCode)).toBe(true);

		// Before publication nobody learns anything from this page.
		const other = await makeCompetition(db, {});
		const none = await officialResults(db, an, { slug: other.slug, now: at(100) });
		expect(none).toMatchObject({ publishedAt: null, individuals: [], units: [] });
	});
});

describe('who may see a board', () => {
	it('organisers always; others only a published board, and never the live variant', async () => {
		const cadre = one.people['Trần Thị Bình'];
		await expect(boardAccess(db, cadre, { slug: one.c.slug })).rejects.toThrow(NotAllowed);
		await expect(boardAccess(db, null, { slug: one.c.slug })).rejects.toThrow(NotAllowed);
		expect(await boardAccess(db, organiser, { slug: one.c.slug })).toMatchObject({
			organiser: true
		});
		await setBoardPublic(db, organiser, { slug: one.c.slug, boardPublic: true, now: at(100) });
		expect(await boardAccess(db, null, { slug: one.c.slug })).toMatchObject({ organiser: false });
		expect(() => variantFor(false, true)).toThrow(NotAllowed);
		expect(variantFor(true, true)).toBe('live');
		await expect(
			setBoardPublic(db, cadre, { slug: one.c.slug, boardPublic: false, now: at(100) })
		).rejects.toThrow(NotAllowed);
	});

	it('sends the public no projected prizes and no scores beyond the board', async () => {
		const c = await makeCompetition(db, { boardPublic: true });
		const round = await makeRound(db, {
			competitionId: c.id,
			position: 1,
			openAt: t0,
			closeAt: at(60),
			questions: [{ questionId: q1 }]
		});
		const cadre = await makeCadre(db, province.communeA2, { fullName: 'Người Xem Thử' });
		await register(db, { competitionId: c.id, cadre, unit: province.communeA2 });
		await sit(cadre, round.assessmentId, 0, 5, [right[0]]);
		const pub = (await buildBoard(
			db,
			{ competitionId: c.id, variant: 'public', round: null },
			at(10)
		))!;
		expect(pub.view.individuals[0]).toMatchObject({ name: 'Người Xem Thử', score: 1, prize: null });
		const json = JSON.stringify(pub.view);
		for (const secret of ['userId', 'fraction', 'response', 'username', '"choices"'])
			expect(json).not.toContain(secret);
		const live = (await buildBoard(
			db,
			{ competitionId: c.id, variant: 'live', round: null },
			at(10)
		))!;
		expect(live.view.individuals[0].prize).toBe('nhat');
	});
});

describe('exports and statistics', () => {
	it('exports ranks, names, units, round scores, time and prize to XLSX and CSV with diacritics', async () => {
		const { competition, sheets } = await resultsSheets(db, organiser, {
			slug: one.c.slug,
			now: at(100)
		});
		const bytes = await toXlsx(sheets, {
			title: competition.title,
			creator: 'HọcThi',
			now: at(100)
		});
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(bytes.buffer);
		const ws = book.getWorksheet('Cá nhân')!;
		expect(ws.getRow(1).values).toEqual([
			undefined,
			'Hạng',
			'Họ và tên',
			'Đơn vị',
			'Mã đơn vị',
			'Thi thử (không tính điểm)',
			'Lý thuyết',
			'Tổng điểm',
			'Điểm tối đa',
			'Thời gian',
			'Ghi chú',
			'Giải'
		]);
		expect(ws.getRow(2).values).toEqual([
			undefined,
			1,
			'Nguyễn Văn An',
			'Huyện ủy A',
			'HU-A',
			undefined,
			3,
			3,
			3,
			'10:00',
			undefined,
			'Giải Nhất'
		]);
		const units = book.getWorksheet('Toàn đoàn')!;
		expect(units.getRow(2).values).toEqual([
			undefined,
			1,
			'Huyện ủy A',
			'HU-A',
			6,
			2,
			3,
			'Giải Nhất'
		]);
		const csv = toCsv(sheets[0]);
		expect(csv.charCodeAt(0)).toBe(0xfeff);
		expect(csv).toContain('1,Nguyễn Văn An,Huyện ủy A,HU-A,,3,3,3,10:00,,Giải Nhất');
	});

	it('counts per question how often it was given, its facility and the spread of answers', async () => {
		const stats = await questionStatistics(db, organiser, { slug: one.c.slug });
		const theory = stats.rounds.find((r) => r.name === 'Lý thuyết')!;
		expect(theory.attempts).toBe(5);
		const first = theory.questions.find((q) => q.name === 'Phím tắt')!;
		// A, B, C right; D chose A; E answered nothing.
		expect(first).toMatchObject({ given: 5, answered: 4, right: 3, wrong: 1, facility: 0.6 });
		expect(first.options.map((o) => [o.count, o.correct])).toEqual([
			[1, false],
			[3, true],
			[0, false],
			[0, false]
		]);
		const second = theory.questions.find((q) => q.name === 'Tường lửa')!;
		expect(second).toMatchObject({ given: 5, answered: 4, right: 3, facility: 0.6 });
		expect(second.options).toEqual([
			{ label: 'true', count: 3, correct: true },
			{ label: 'false', count: 1, correct: false }
		]);
		await expect(
			questionStatistics(db, one.people['Nguyễn Văn An'], { slug: one.c.slug })
		).rejects.toThrow(NotAllowed);
	});
});

// ---------------------------------------------------------------------------------------------
// LISTEN/NOTIFY

/** Listens (and waits until listening) for the first payload on the board channel that `match` accepts. */
async function listenFor(
	listener: Database,
	match: (payload: string) => boolean
): Promise<{ heard: Promise<string> }> {
	let resolve!: (payload: string) => void;
	const heard = new Promise<string>((r) => (resolve = r));
	let done = false;
	const unlisten = await listener.listen(BOARD_CHANNEL, (payload) => {
		if (done || !match(payload)) return;
		done = true;
		resolve(payload);
	});
	return { heard: heard.finally(() => unlisten()) };
}

describe('live boards over LISTEN/NOTIFY', () => {
	let other: Database;

	beforeAll(async () => {
		// On PostgreSQL a second connection pool stands for a second app process; PGlite is one
		// process by design, so there the listener is the same database.
		other =
			testDriver === 'postgres' ? await openDatabase({ url: database.url!, max: 2 }) : database;
	});
	afterAll(async () => {
		if (other !== database) await other.close();
	});

	it('a NOTIFY sent in a transaction is heard by the other connection only after commit', async () => {
		const heard: string[] = [];
		const unlisten = await other.listen(BOARD_CHANNEL, (p) => heard.push(p));
		const committed = await listenFor(other, (p) => p === '424242');
		await db.transaction(async (tx) => {
			await notifyBoard(tx, 424242);
			if (testDriver === 'postgres') {
				// Sent after ours but committed first: once it is heard, ours would have been too.
				const marker = await listenFor(other, (p) => p === '515151');
				await notifyBoard(db, 515151);
				await marker.heard;
			} else {
				await tx.execute(sql`select 1`);
			}
			expect(heard).not.toContain('424242');
		});
		expect(await committed.heard).toBe('424242');
		await unlisten();
	});

	it('finalising a round attempt in the engine tells that competition’s boards; a rollback tells nobody', async () => {
		const c = await makeCompetition(db, {});
		const round = await makeRound(db, {
			competitionId: c.id,
			position: 1,
			openAt: t0,
			closeAt: at(60),
			questions: [{ questionId: q1 }]
		});
		const cadre = await makeCadre(db, province.communeA1, { fullName: 'Người Nộp Bài' });
		await register(db, { competitionId: c.id, cadre, unit: province.communeA1 });
		const told = await listenFor(other, (p) => p === String(c.id));
		await sit(cadre, round.assessmentId, 0, 3, [right[0]]);
		expect(await told.heard).toBe(String(c.id));

		const seen: string[] = [];
		const unlisten = await other.listen(BOARD_CHANNEL, (p) => seen.push(p));
		await db
			.transaction(async (tx) => {
				await notifyBoard(tx, 777777);
				throw new Error('rolled back');
			})
			.catch(() => {});
		const marker = await listenFor(other, (p) => p === '888888');
		await notifyBoard(db, 888888);
		await marker.heard;
		expect(seen).not.toContain('777777');
		await unlisten();
	});

	it('the hub of another process computes once per change and streams it to every viewer', async () => {
		const c = await makeCompetition(db, { boardPublic: true, slug: 'truc-tiep' });
		const round = await makeRound(db, {
			competitionId: c.id,
			position: 1,
			openAt: t0,
			closeAt: at(60),
			questions: [{ questionId: q1 }, { questionId: q2, points: 2 }]
		});
		const racers: Actor[] = [];
		for (const name of ['Thí Sinh Nhanh', 'Thí Sinh Chậm']) {
			const cadre = await makeCadre(db, province.communeB1, { fullName: name });
			await register(db, { competitionId: c.id, cadre, unit: province.communeB1 });
			racers.push(cadre);
		}
		const hub = new BoardHub({
			database: other,
			compute: (key, now) => computeBoard(other.db, key, now),
			clock: () => at(30),
			coalesceMs: 0
		});
		await hub.start();
		const key = { competitionId: c.id, variant: 'public' as const, round: null };
		const viewers = Array.from({ length: 25 }, (_, i) => collect(i % 5 === 0));
		const before = hub.computations;
		for (const v of viewers) hub.subscribe(key, v.viewer);
		await Promise.all(viewers.map((v) => v.nextBoard()));
		expect(hub.computations - before).toBe(1);
		expect(viewers[3].boards[0].individuals.map((r: { score: number }) => r.score)).toEqual([0, 0]);

		const updated = viewers.map((v) => v.nextBoard());
		await sit(racers[0], round.assessmentId, 0, 4);
		const boards = await Promise.all(updated);
		expect(boards[7].individuals[0]).toMatchObject({ name: 'Thí Sinh Nhanh', score: 3, rank: 1 });
		// The very same text went to every viewer.
		expect(new Set(viewers.map((v) => v.raw.at(-1))).size).toBe(1);
		await hub.settled();
		expect(hub.computations - before).toBe(2);

		// Unpublished: the public loses the stream, organisers keep it.
		const next = viewers.map((v) => v.nextBoard());
		await setBoardPublic(db, organiser, { slug: c.slug, boardPublic: false, now: at(31) });
		await Promise.all(next.filter((_, i) => i % 5 === 0));
		await hub.settled();
		expect(viewers.filter((v) => v.ended).length).toBe(20);
		expect(viewers.filter((v, i) => i % 5 === 0 && !v.ended).length).toBe(5);
		expect(hub.viewerCount).toBe(5);

		await hub.close();
		expect(viewers.every((v) => v.ended)).toBe(true);
		expect(hub.viewerCount).toBe(0);
	});
});

/** A viewer that records what it is sent and can wait for the next board. */
function collect(privileged: boolean) {
	const raw: string[] = [];
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	const boards: any[] = [];
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	let waiting: Array<(board: any) => void> = [];
	const state = { ended: false };
	const viewer: Viewer = {
		privileged,
		write(chunk) {
			const match = /^id: \d+\nevent: board\ndata: (.*)\n\n$/s.exec(chunk);
			if (!match) return;
			raw.push(match[1]);
			const board = unpackBoard(JSON.parse(match[1]) as PackedBoard);
			boards.push(board);
			const w = waiting;
			waiting = [];
			for (const resolve of w) resolve(board);
		},
		end() {
			state.ended = true;
		}
	};
	return {
		viewer,
		raw,
		boards,
		get ended() {
			return state.ended;
		},
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		nextBoard: () => new Promise<any>((resolve) => waiting.push(resolve))
	};
}
