// A whole competition through the domain functions the pages call, on a controllable clock:
// setup (rounds, question draw, task and rubric, judges), registration from a CSV, a theory and a
// practical round through the lobby and the engine, blind double judging with a flag settled by
// the head judge, standings with the freeze, publication, awards and certificates — and every
// board change heard over LISTEN/NOTIFY on another connection.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type Db } from '../../src/lib/server/db/client';
import {
	auditLog,
	certificates,
	practicalSubmissions,
	rubricCriteria
} from '../../src/lib/server/db/schema';
import type { Actor } from '../../src/lib/server/auth/actor';
import { NotFound } from '../../src/lib/server/errors';
import { saveAnswer, submitAttempt, sweepOverdue } from '../../src/lib/server/assessments/engine';
import { attemptView } from '../../src/lib/server/assessments/review';
import {
	createCompetition,
	updateCompetition
} from '../../src/lib/server/competitions/competitions';
import { addRound, setRoundDraw } from '../../src/lib/server/competitions/rounds';
import { importRegistrations } from '../../src/lib/server/competitions/registration';
import { lobbyView, startRound } from '../../src/lib/server/competitions/lobby';
import {
	addCriterion,
	createTask,
	saveTaskText,
	submitPractical,
	uploadTaskFile
} from '../../src/lib/server/competitions/practical';
import {
	addJudge,
	decideSubmission,
	judgeQueue,
	scoreSubmission
} from '../../src/lib/server/competitions/judging';
import { closeRoundNow } from '../../src/lib/server/competitions/control-room';
import { loadStandings } from '../../src/lib/server/competitions/standings';
import { publishResults } from '../../src/lib/server/competitions/awards';
import { officialResults } from '../../src/lib/server/competitions/results';
import { verifyCertificate } from '../../src/lib/server/reports/certificates';
import { BOARD_CHANNEL } from '../../src/lib/server/realtime/notify';
import { createTestDatabase, testDriver, type TestDatabase } from './helpers/db';
import {
	makeCadre,
	makeCategory,
	makeProvince,
	makeQuestion,
	makeUser,
	singleChoice
} from './helpers/builders';
import { SAMPLE_FILES } from './helpers/practical-builders';

let database: TestDatabase;
let db: Db;
/** Another connection (another app process on PostgreSQL; PGlite is one process by design). */
let other: Database;
const heard: string[] = [];
let unlisten: () => Promise<void>;

const t0 = new Date('2012-09-20T01:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const SLUG = 'hoi-thi-toan-trinh';

let organiser: Actor;
let head: Actor;
let judges: Actor[];
let an: Actor;
let binh: Actor;
let cuong: Actor;
let competitionId: number;
let taskId: number;
/** Attempt ids of the theory round and blind codes of the practical submissions, by username. */
const theory: Record<string, string> = {};
const submissions: Record<string, string> = {};

/** Resolves once the other connection has heard a notice for the competition after `since`. */
async function heardSince(since: number): Promise<void> {
	await expect.poll(() => heard.slice(since).includes(String(competitionId))).toBe(true);
}

beforeAll(async () => {
	database = await createTestDatabase();
	db = database.db;
	other = testDriver === 'postgres' ? await openDatabase({ url: database.url!, max: 2 }) : database;
	unlisten = await other.listen(BOARD_CHANNEL, (payload) => heard.push(payload));
	const units = await makeProvince(db);
	organiser = await makeUser(db, {
		username: 'bantochuc',
		roles: ['organiser'],
		unit: units.province
	});
	head = await makeUser(db, { username: 'truongban', fullName: 'Trưởng Ban', roles: ['judge'] });
	judges = [
		await makeUser(db, { username: 'giamkhao2', fullName: 'Giám Khảo Hai', roles: ['judge'] }),
		await makeUser(db, { username: 'giamkhao3', fullName: 'Giám Khảo Ba', roles: ['judge'] })
	];
	an = await makeCadre(db, units.districtA, { username: 'an', fullName: 'Nguyễn Văn An' });
	binh = await makeCadre(db, units.communeA1, { username: 'binh', fullName: 'Trần Thị Bình' });
	cuong = await makeCadre(db, units.districtB, { username: 'cuong', fullName: 'Lê Văn Cường' });
	const bank = await makeCategory(db, { name: 'Quản trị mạng' });
	for (let i = 0; i < 3; i++)
		await makeQuestion(db, { categoryId: bank.id, name: `Câu ${i + 1}`, data: singleChoice(0) });
	// Essays in the same bank: a round never draws them (nobody marks a round by hand).
	for (let i = 0; i < 3; i++)
		await makeQuestion(db, {
			categoryId: bank.id,
			name: `Tự luận ${i + 1}`,
			data: { type: 'essay' }
		});

	// --- Setup, as the organisers' pages do it.
	const created = await createCompetition(db, organiser, {
		slug: SLUG,
		title: 'Hội thi toàn trình',
		now: at(-14 * 24 * 60)
	});
	competitionId = created.id;
	const settings = (status: string) => ({
		slug: SLUG,
		title: 'Hội thi toàn trình',
		description: '',
		status,
		unitRule: 'best_k',
		unitBestK: 2,
		teamSizeMax: 3,
		eligibleUnitKinds: [],
		freezeMinutes: 15,
		judgeMargin: 2,
		prizeQuotas: {
			individual: { nhat: 1, nhi: 1, ba: 1, kk: 0 },
			unit: { nhat: 1, nhi: 0, ba: 0, kk: 0 }
		}
	});
	await updateCompetition(db, organiser, {
		slug: SLUG,
		settings: settings('registration'),
		now: at(-14 * 24 * 60)
	});
	const round = (name: string, kind: 'theory' | 'practical', open: number, minutes: number) => ({
		name,
		kind,
		startMode: 'window',
		instructions: '',
		openAt: at(open),
		closeAt: at(open + 60),
		timeLimitMinutes: minutes,
		graceSeconds: 60,
		counts: true,
		published: true,
		shuffleQuestions: true,
		shuffleChoices: true
	});
	await addRound(db, organiser, {
		slug: SLUG,
		round: round('Lý thuyết', 'theory', 0, 30),
		now: at(-7 * 24 * 60)
	});
	await setRoundDraw(db, organiser, {
		slug: SLUG,
		position: 1,
		rows: [
			{
				count: '3',
				categoryId: String(bank.id),
				includeSubcategories: true,
				tags: '',
				difficulty: '',
				points: '1'
			}
		],
		now: at(-7 * 24 * 60)
	});
	await addRound(db, organiser, {
		slug: SLUG,
		round: round('Thực hành', 'practical', 60, 45),
		now: at(-7 * 24 * 60)
	});
	const task = await createTask(db, organiser, {
		slug: SLUG,
		position: 2,
		title: 'Sửa sơ đồ mạng',
		statement: 'Tìm và sửa các lỗi của sơ đồ mạng.',
		now: at(-7 * 24 * 60)
	});
	taskId = task.id;
	for (const name of ['Tìm đúng lỗi', 'Sửa đúng'])
		await addCriterion(db, organiser, {
			slug: SLUG,
			position: 2,
			taskId: task.id,
			name,
			description: '',
			maxPoints: 5,
			now: at(-7 * 24 * 60)
		});
	await addJudge(db, organiser, {
		slug: SLUG,
		username: 'truongban',
		isHead: true,
		now: at(-1000)
	});
	for (const j of judges)
		await addJudge(db, organiser, {
			slug: SLUG,
			username: j.username,
			isHead: false,
			now: at(-1000)
		});
	await updateCompetition(db, organiser, {
		slug: SLUG,
		settings: settings('running'),
		now: at(-60)
	});
});

afterAll(async () => {
	await unlisten?.();
	if (other && other !== database) await other.close();
	await database?.close();
});

describe('a whole competition', () => {
	it('registers competitors from a CSV, and their boards hear of it', async () => {
		const before = heard.length;
		const outcome = await importRegistrations(db, organiser, {
			slug: SLUG,
			text: 'username,team\nan,HU-A\nbinh,HU-A\ncuong,HU-B\n',
			now: at(-30)
		});
		expect(outcome.registered).toBe(3);
		await heardSince(before);
		const lobby = await lobbyView(db, an, { slug: SLUG, now: at(-30) });
		expect(lobby.registration).toMatchObject({ unitName: 'Huyện ủy A' });
		expect(lobby.rounds.map((r) => r.state)).toEqual(['not_open', 'not_open']);
	});

	it('runs the theory round through the lobby and the engine; a submit is heard at once', async () => {
		for (const [who, minute] of [
			[an, 1],
			[binh, 2],
			[cuong, 3]
		] as const) {
			const started = await startRound(db, who, { slug: SLUG, position: 1, now: at(minute) });
			expect(started.url).toBe(`/attempts/${started.attemptId}`);
			theory[who.username] = started.attemptId;
		}
		for (const who of [an, binh, cuong]) {
			const view = await attemptView(db, who, { attemptId: theory[who.username], now: at(5) });
			expect(view.slots.map((s) => s.type)).toEqual(['single', 'single', 'single']);
		}
		// The question slots as each attempt drew them: answer choice 0 (right) or 1 (wrong).
		const answerAll = async (who: Actor, rightCount: number, now: Date) => {
			const view = await attemptView(db, who, { attemptId: theory[who.username], now });
			for (const [i, slot] of view.slots.entries()) {
				const rightIndex = slot.choices.findIndex((c) => c.index === 0);
				const wrongIndex = slot.choices.findIndex((c) => c.index !== 0);
				const choice = slot.choices[i < rightCount ? rightIndex : wrongIndex].index;
				await saveAnswer(db, who, {
					attemptId: view.id,
					slot: slot.slot,
					seq: 1,
					response: { type: 'single', choice },
					now
				});
			}
		};
		await answerAll(an, 3, at(10));
		await answerAll(binh, 2, at(11));
		await answerAll(cuong, 3, at(12));
		let before = heard.length;
		await submitAttempt(db, an, { attemptId: theory.an, now: at(20) });
		await heardSince(before);
		await submitAttempt(db, binh, { attemptId: theory.binh, now: at(25) });

		// Before publication a competitor's own review shows no score and no correctness.
		const own = await attemptView(db, an, { attemptId: theory.an, now: at(21) });
		expect(own.score).toBeNull();
		expect(own.slots.every((s) => s.review === undefined)).toBe(true);
		expect(own.competition).toMatchObject({ slug: SLUG, resultsPublished: false });

		// Cường works on into the freeze (the last 15 minutes): the sweeper closes him at his deadline.
		before = heard.length;
		expect(await sweepOverdue(db, { now: at(35) })).toBe(1);
		await heardSince(before);
	});

	it('the public board freezes for the last minutes while the organisers see live', async () => {
		// Cường's attempt ended at 08:33 (his deadline), before the 08:45 freeze: both see it.
		const live = (await loadStandings(db, { competitionId, variant: 'live', now: at(50) }))!;
		const frozen = (await loadStandings(db, { competitionId, variant: 'public', now: at(50) }))!;
		expect(frozen.frozen?.cutoff).toEqual(at(45));
		expect(live.frozen).toBeNull();
		const scores = (s: typeof live) =>
			Object.fromEntries(s.individuals.map((c) => [c.fullName, [c.rank, c.score]]));
		expect(scores(live)).toEqual({
			'Nguyễn Văn An': [1, 3],
			'Lê Văn Cường': [2, 3],
			'Trần Thị Bình': [3, 2]
		});
		expect(scores(frozen)).toEqual(scores(live));
		expect(live.units.map((u) => [u.unitName, u.score])).toEqual([
			['Huyện ủy A', 5],
			['Huyện ủy B', 3]
		]);
	});

	it('runs the practical round: text and files, handed in; judges are assigned blind', async () => {
		for (const [who, minute, text] of [
			[an, 61, 'Sai cổng mặc định và trùng địa chỉ.'],
			[binh, 62, 'Máy in chưa nối mạng.'],
			[cuong, 63, 'Mặt nạ mạng WAN sai.']
		] as const) {
			const started = await startRound(db, who, { slug: SLUG, position: 2, now: at(minute) });
			expect(started.url).toBe(`/practical/${started.attemptId}`);
			const lobby = await lobbyView(db, who, { slug: SLUG, now: at(minute + 1) });
			expect(lobby.rounds[1]).toMatchObject({
				state: 'in_progress',
				continueUrl: `/practical/${started.attemptId}`
			});
			await saveTaskText(db, who, {
				attemptId: started.attemptId,
				taskId,
				seq: 1,
				text,
				now: at(minute + 5)
			});
			await uploadTaskFile(db, who, {
				attemptId: started.attemptId,
				taskId,
				fileName: 'so-do.pdf',
				bytes: SAMPLE_FILES.pdf(),
				now: at(minute + 6)
			});
			await submitPractical(db, who, { attemptId: started.attemptId, now: at(minute + 30) });
			const [sub] = await db
				.select({ code: practicalSubmissions.blindCode })
				.from(practicalSubmissions)
				.where(eq(practicalSubmissions.attemptId, started.attemptId));
			submissions[who.username] = sub.code;
		}
		for (const judge of judges) {
			const queue = await judgeQueue(db, judge);
			expect(queue.toScore.map((q) => q.code).sort()).toEqual(Object.values(submissions).sort());
			expect(JSON.stringify(queue)).not.toMatch(/Nguyễn|Trần|Lê Văn|Huyện ủy/);
		}
		expect((await judgeQueue(db, head)).toScore).toEqual([]);
	});

	it('judges score blind; a disagreement beyond the margin waits for the head judge', async () => {
		const criteria = await criteriaIds();
		const mark = async (judge: Actor, who: string, a: number, b: number, minute: number) => {
			const before = heard.length;
			await scoreSubmission(db, judge, {
				code: submissions[who],
				points: { [criteria[0]]: a, [criteria[1]]: b },
				comment: '',
				now: at(minute)
			});
			return before;
		};
		await mark(judges[0], 'an', 5, 4, 100);
		// Both marks in for An (9 and 8): the average is final, and the boards hear of it.
		const before = await mark(judges[1], 'an', 4, 4, 101);
		await heardSince(before);
		await mark(judges[0], 'binh', 5, 5, 102);
		await mark(judges[1], 'binh', 2, 2, 103);
		await mark(judges[0], 'cuong', 3, 3, 104);
		await mark(judges[1], 'cuong', 3, 2, 110);

		const scores = await finalScores();
		expect(scores).toEqual({ an: 8.5, binh: null, cuong: 5.5 });
		expect((await judgeQueue(db, head)).flagged.map((f) => f.code)).toEqual([submissions.binh]);
		await expect(
			decideSubmission(db, judges[0], {
				code: submissions.binh,
				score: 9,
				note: 'Tôi quyết',
				now: at(111)
			})
		).rejects.toThrow(NotFound);

		// While Bình waits, the public board shows none of the practical scores.
		const shown = (await loadStandings(db, { competitionId, variant: 'public', now: at(112) }))!;
		expect(shown.individuals.every((c) => c.cells[1].score === null)).toBe(true);

		const heardBefore = heard.length;
		await decideSubmission(db, head, {
			code: submissions.binh,
			score: 7,
			note: 'Tìm đúng lỗi; cách sửa còn thiếu.',
			now: at(113)
		});
		await heardSince(heardBefore);
		expect(await finalScores()).toEqual({ an: 8.5, binh: 7, cuong: 5.5 });
	});

	it('freezes the practical round’s last minutes: a score made final after the cutoff waits', async () => {
		// The practical round closes at 10:00; its freeze began at 09:45 (minute 105). Cường's
		// second mark came at minute 110, so his final score is after the cutoff.
		const live = (await loadStandings(db, { competitionId, variant: 'live', now: at(115) }))!;
		const frozen = (await loadStandings(db, { competitionId, variant: 'public', now: at(115) }))!;
		expect(frozen.frozen?.cutoff).toEqual(at(105));
		const cell = (s: typeof live, name: string) =>
			s.individuals.find((c) => c.fullName === name)!.cells[1];
		expect(cell(live, 'Lê Văn Cường')).toMatchObject({ score: 5.5, state: 'final' });
		expect(cell(frozen, 'Lê Văn Cường')).toMatchObject({ score: null, state: 'provisional' });
		expect(live.individuals.map((c) => [c.fullName, c.rank, c.score])).toEqual([
			['Nguyễn Văn An', 1, 11.5],
			['Trần Thị Bình', 2, 9],
			['Lê Văn Cường', 3, 8.5]
		]);
	});

	it('closing a round early keeps the freeze where it was', async () => {
		const before = heard.length;
		await closeRoundNow(db, organiser, {
			slug: SLUG,
			position: 2,
			reason: 'Mọi thí sinh đã nộp bài',
			now: at(116)
		});
		await heardSince(before);
		const frozen = (await loadStandings(db, { competitionId, variant: 'public', now: at(117) }))!;
		expect(frozen.frozen?.cutoff).toEqual(at(105));
	});

	it('publishes the results: awards, certificates, the freeze lifted, heard by the boards', async () => {
		const before = heard.length;
		const outcome = await publishResults(db, organiser, { slug: SLUG, now: at(130) });
		expect(outcome).toMatchObject({ individualAwards: 3, unitAwards: 1, certificates: 3 });
		await heardSince(before);
		const publicBoard = (await loadStandings(db, {
			competitionId,
			variant: 'public',
			now: at(131)
		}))!;
		expect(publicBoard.frozen).toBeNull();
		expect(publicBoard.prizesAwarded).toBe(true);
		expect(publicBoard.individuals.map((c) => [c.fullName, c.prize])).toEqual([
			['Nguyễn Văn An', 'nhat'],
			['Trần Thị Bình', 'nhi'],
			['Lê Văn Cường', 'ba']
		]);
		expect(publicBoard.units.map((u) => [u.unitName, u.prize])).toEqual([
			['Huyện ủy A', 'nhat'],
			['Huyện ủy B', null]
		]);

		const results = await officialResults(db, an, { slug: SLUG, now: at(131) });
		const mine = results.prizes.individual.find((p) => p.name === 'Nguyễn Văn An')!;
		expect(results.prizes.individual.filter((p) => p.certificateCode !== null)).toEqual([mine]);
		const certificate = await verifyCertificate(db, { code: mine.certificateCode! });
		expect(certificate).toMatchObject({
			kind: 'competition',
			fullName: 'Nguyễn Văn An',
			title: 'Hội thi toàn trình',
			prize: 'Giải Nhất',
			rank: 1,
			score: 11.5
		});
		const [{ n }] = await db
			.select({ n: certificates.code })
			.from(certificates)
			.where(and(eq(certificates.userId, an.id), eq(certificates.kind, 'competition')));
		expect(n).toBe(mine.certificateCode);
		const audit = await db
			.select({ action: auditLog.action })
			.from(auditLog)
			.where(eq(auditLog.action, 'competition.results_publish'));
		expect(audit).toHaveLength(1);

		// Now the competitor sees their own score and what was right, never the key.
		const own = await attemptView(db, binh, { attemptId: theory.binh, now: at(131) });
		expect(own.score).toBe(2);
		expect(own.slots.map((s) => s.review?.correctness).sort()).toEqual([
			'correct',
			'correct',
			'incorrect'
		]);
		expect(own.slots.every((s) => s.review?.rightAnswer === undefined)).toBe(true);
	});
});

async function criteriaIds(): Promise<number[]> {
	const rows = await db
		.select({ id: rubricCriteria.id })
		.from(rubricCriteria)
		.orderBy(rubricCriteria.position);
	return rows.map((r) => r.id);
}

async function finalScores(): Promise<Record<string, number | null>> {
	const rows = await db
		.select({ code: practicalSubmissions.blindCode, score: practicalSubmissions.finalScore })
		.from(practicalSubmissions);
	return Object.fromEntries(
		Object.entries(submissions).map(([who, code]) => [
			who,
			rows.find((r) => r.code === code)?.score ?? null
		])
	);
}
