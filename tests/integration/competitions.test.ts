// Setting up and running a competition: settings, rounds on the attempt engine, registration by
// organisers and unit leaders (scope, team size, eligibility, CSV all or nothing), starts through
// the engine, the control room's reasons in the audit log, clarifications, and a restart mid-round.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	assessmentSlots,
	assessments,
	attemptEvents,
	attempts,
	auditLog,
	competitionJudges,
	competitionRegistrations,
	competitionTeams,
	competitions
} from '../../src/lib/server/db/schema';
import { Conflict, ImportFailed, Invalid, NotAllowed, NotFound } from '../../src/lib/server/errors';
import {
	createCompetition,
	listCompetitionsFor,
	updateCompetition,
	managedCompetition,
	DEFAULT_QUOTAS
} from '../../src/lib/server/competitions/competitions';
import {
	addRound,
	deleteRound,
	listRounds,
	managedRound,
	moveRound,
	setRoundDraw,
	updateRound
} from '../../src/lib/server/competitions/rounds';
import {
	importRegistrations,
	registerCompetitor,
	registrationsView,
	withdrawCompetitor
} from '../../src/lib/server/competitions/registration';
import { isRegisteredForRound } from '../../src/lib/server/competitions/access';
import { lobbyView, startRound } from '../../src/lib/server/competitions/lobby';
import {
	closeRoundNow,
	controlRoom,
	extendRoundTime,
	openRoundNow,
	pauseRound,
	resumeRound
} from '../../src/lib/server/competitions/control-room';
import {
	announce,
	answerClarification,
	askClarification,
	competitorClarifications,
	organiserClarifications
} from '../../src/lib/server/competitions/clarifications';
import {
	attemptClock,
	saveAnswer,
	startAttempt,
	submitAttempt,
	sweepOverdue
} from '../../src/lib/server/assessments/engine';
import { BOARD_CHANNEL } from '../../src/lib/server/realtime/notify';
import { migrateDatabase, openDatabase, type Database } from '../../src/lib/server/db/client';
import type { Actor } from '../../src/lib/server/auth/actor';
import type { Db } from '../../src/lib/server/db/client';
import { createTestDatabase, testDriver, type TestDatabase } from './helpers/db';
import {
	makeCadre,
	makeCategory,
	makeLeader,
	makeProvince,
	makeQuestion,
	makeUser,
	singleChoice
} from './helpers/builders';
import { makeCompetition, makeRound, registerFor } from './helpers/competitions';

let database: TestDatabase;
let province: Awaited<ReturnType<typeof makeProvince>>;
let organiser: Actor;
let leaderA: Actor;
let leaderB: Actor;
let cadre: Actor;
const people: Record<string, Actor> = {};
let bank: { id: number; path: string };
let easy: { id: number; path: string };
const t0 = new Date('2012-09-20T01:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

const settings = (over: Record<string, unknown> = {}) => ({
	slug: 'hoi-thi-thu',
	title: 'Hội thi thử nghiệm năm 2012',
	description: '## Thể lệ\n\nMỗi đơn vị cử **tối đa 3** thành viên.',
	status: 'registration',
	unitRule: 'best_k',
	unitBestK: 3,
	teamSizeMax: 3,
	eligibleUnitKinds: [],
	freezeMinutes: 15,
	judgeMargin: 2,
	prizeQuotas: DEFAULT_QUOTAS,
	...over
});

const theoryRound = (over: Record<string, unknown> = {}) => ({
	name: 'Vòng sơ khảo — lý thuyết',
	kind: 'theory',
	startMode: 'fixed',
	instructions: 'Làm bài trong **30 phút**.',
	openAt: t0,
	closeAt: null,
	timeLimitMinutes: 30,
	graceSeconds: 60,
	counts: true,
	published: true,
	shuffleQuestions: true,
	shuffleChoices: true,
	...over
});

const drawRow = (over: Record<string, unknown> = {}) => ({
	count: '3',
	categoryId: String(bank.id),
	includeSubcategories: true,
	tags: '',
	difficulty: '',
	points: '1',
	...over
});

async function fields(promise: Promise<unknown>): Promise<Record<string, string>> {
	try {
		await promise;
	} catch (e) {
		if (e instanceof Invalid) return e.fields;
		throw e;
	}
	throw new Error('expected Invalid');
}

async function importErrors(
	promise: Promise<unknown>
): Promise<Array<{ line: number; message: string }>> {
	try {
		await promise;
	} catch (e) {
		if (e instanceof ImportFailed) return e.errors;
		throw e;
	}
	throw new Error('expected ImportFailed');
}

beforeAll(async () => {
	database = await createTestDatabase();
	const db = database.db;
	province = await makeProvince(db);
	organiser = await makeUser(db, { username: 'btc', roles: ['organiser'] });
	leaderA = await makeLeader(db, province.districtA, { username: 'lanhdao.a' });
	leaderB = await makeLeader(db, province.districtB, { username: 'lanhdao.b' });
	cadre = await makeCadre(db, province.districtA, { username: 'canbo.a' });
	people.a1 = await makeCadre(db, province.communeA1, { username: 'xa.a1' });
	people.a2 = await makeCadre(db, province.communeA2, { username: 'xa.a2' });
	people.a3 = await makeCadre(db, province.districtA, { username: 'huyen.a3' });
	people.a4 = await makeCadre(db, province.districtA, { username: 'huyen.a4' });
	people.b1 = await makeCadre(db, province.communeB1, { username: 'xa.b1' });
	people.b2 = await makeCadre(db, province.districtB, { username: 'huyen.b2' });
	people.judge = await makeCadre(db, province.districtB, { username: 'giamkhao.b' });
	people.trainer = await makeUser(db, {
		unit: province.districtA,
		username: 'giangvien.a',
		roles: ['trainer']
	});
	bank = await makeCategory(db, { name: 'Quản trị mạng' });
	easy = await makeCategory(db, { name: 'Địa chỉ IP', parent: bank });
	for (let i = 0; i < 8; i++)
		await makeQuestion(db, {
			categoryId: i < 5 ? easy.id : bank.id,
			data: singleChoice(i % 4),
			difficulty: i < 5 ? 1 : 3,
			tags: i < 5 ? ['dia-chi-ip'] : ['mang-lan']
		});
	await makeQuestion(db, { categoryId: easy.id, data: { type: 'description' }, difficulty: 1 });
});
afterAll(() => database.close());

describe('setting up a competition', () => {
	it('creates and edits a competition; slugs are unique and the status moves by the rules', async () => {
		const db = database.db;
		await expect(
			createCompetition(db, cadre, { slug: 'x-thi', title: 'Hội thi của tôi', now: t0 })
		).rejects.toThrow(NotAllowed);
		const created = await createCompetition(db, organiser, {
			slug: 'hoi-thi-thu',
			title: 'Hội thi thử nghiệm',
			now: t0
		});
		expect(created.slug).toBe('hoi-thi-thu');
		expect(
			await fields(
				createCompetition(db, organiser, { slug: 'hoi-thi-thu', title: 'Lần nữa nhé', now: t0 })
			)
		).toHaveProperty('slug');
		// Drafts are for organisers only.
		expect((await listCompetitionsFor(db, cadre)).map((c) => c.slug)).not.toContain('hoi-thi-thu');
		await updateCompetition(db, organiser, { slug: 'hoi-thi-thu', settings: settings(), now: t0 });
		const view = await managedCompetition(db, organiser, 'hoi-thi-thu');
		expect(view.settings).toMatchObject({
			status: 'registration',
			teamSizeMax: 3,
			freezeMinutes: 15
		});
		expect(view.descriptionHtml).toContain('<strong>tối đa 3</strong>');
		expect(
			await fields(
				updateCompetition(db, organiser, {
					slug: 'hoi-thi-thu',
					settings: settings({ status: 'draft', unitBestK: 0 }),
					now: t0
				})
			)
		).toHaveProperty('unitBestK');
		await updateCompetition(db, organiser, {
			slug: 'hoi-thi-thu',
			settings: settings({ status: 'finished' }),
			now: t0
		});
		expect(
			await fields(
				updateCompetition(db, organiser, {
					slug: 'hoi-thi-thu',
					settings: settings({ status: 'running' }),
					now: t0
				})
			)
		).toHaveProperty('status');
		const [row] = await db.select().from(competitions).where(eq(competitions.slug, 'hoi-thi-thu'));
		expect(row.status).toBe('finished');
		// Back to a fresh competition for the rest of the file.
		await db
			.update(competitions)
			.set({ status: 'registration' })
			.where(eq(competitions.id, row.id));
		const audit = await db
			.select()
			.from(auditLog)
			.where(eq(auditLog.targetId, String(row.id)));
		expect(audit.map((a) => a.action)).toEqual(
			expect.arrayContaining(['competition.create', 'competition.update'])
		);
	});

	it('adds rounds, each with its own assessment on the engine, and keeps them in step', async () => {
		const db = database.db;
		const { position } = await addRound(db, organiser, {
			slug: 'hoi-thi-thu',
			round: theoryRound(),
			now: t0
		});
		expect(position).toBe(1);
		await addRound(db, organiser, {
			slug: 'hoi-thi-thu',
			round: theoryRound({
				name: 'Vòng chung khảo — thực hành',
				kind: 'practical',
				startMode: 'window',
				openAt: at(7200),
				closeAt: at(7200 + 86400),
				timeLimitMinutes: 90
			}),
			now: t0
		});
		const comp = await managedCompetition(db, organiser, 'hoi-thi-thu');
		const [theory, practical] = await listRounds(db, comp.id);
		const [a] = await db.select().from(assessments).where(eq(assessments.id, theory.assessmentId));
		expect(a).toMatchObject({
			kind: 'round',
			courseId: null,
			title: 'Vòng sơ khảo — lý thuyết',
			status: 'published',
			attemptsAllowed: 1,
			timeLimitSeconds: 1800,
			graceSeconds: 60
		});
		// Fixed start: everyone ends together.
		expect(a.openAt?.toISOString()).toBe(t0.toISOString());
		expect(a.closeAt?.toISOString()).toBe(at(1800).toISOString());
		expect(Object.values(a.reviewOptions).every((f) => !f.score && !f.rightAnswer)).toBe(true);
		expect(practical).toMatchObject({ kind: 'practical', startMode: 'window', position: 2 });

		// The limit is changed: the fixed end follows. A round's kind stays what it was.
		await updateRound(db, organiser, {
			slug: 'hoi-thi-thu',
			position: 1,
			round: theoryRound({ timeLimitMinutes: 45, kind: 'practical' }),
			now: t0
		});
		const [b] = await db.select().from(assessments).where(eq(assessments.id, theory.assessmentId));
		expect(b.closeAt?.toISOString()).toBe(at(2700).toISOString());
		expect((await listRounds(db, comp.id))[0].kind).toBe('theory');

		// Reordering swaps neighbours; the first cannot go further up.
		await moveRound(db, organiser, { slug: 'hoi-thi-thu', position: 2, direction: 'up', now: t0 });
		expect((await listRounds(db, comp.id)).map((r) => r.name)).toEqual([
			'Vòng chung khảo — thực hành',
			'Vòng sơ khảo — lý thuyết'
		]);
		await moveRound(db, organiser, {
			slug: 'hoi-thi-thu',
			position: 1,
			direction: 'down',
			now: t0
		});
		expect((await listRounds(db, comp.id))[0].name).toBe('Vòng sơ khảo — lý thuyết');
		await expect(
			moveRound(db, leaderA, { slug: 'hoi-thi-thu', position: 1, direction: 'down', now: t0 })
		).rejects.toThrow(NotAllowed);

		// A round nobody started can go; positions close up.
		await addRound(db, organiser, {
			slug: 'hoi-thi-thu',
			round: theoryRound({ name: 'Vòng phụ', published: false, openAt: null }),
			now: t0
		});
		await deleteRound(db, organiser, { slug: 'hoi-thi-thu', position: 3, now: t0 });
		expect(await listRounds(db, comp.id)).toHaveLength(2);
	});

	it('draws a theory round from bank categories by tag and difficulty, refusing what the bank cannot fill', async () => {
		const db = database.db;
		// Five easy IP questions (plus a description, never drawn) and three hard ones elsewhere.
		expect(
			await fields(
				setRoundDraw(db, organiser, {
					slug: 'hoi-thi-thu',
					position: 1,
					rows: [drawRow({ count: '6', categoryId: String(easy.id) })],
					now: t0
				})
			)
		).toEqual({ row_1: expect.stringMatching(/6 câu.*5 câu/) });
		expect(
			await fields(
				setRoundDraw(db, organiser, {
					slug: 'hoi-thi-thu',
					position: 1,
					rows: [
						drawRow({ count: '4', difficulty: '3' }),
						drawRow({ count: '5', tags: 'mang-lan' })
					],
					now: t0
				})
			)
		).toEqual({ row_1: expect.any(String), row_2: expect.any(String) });
		// Both rows fit alone, but together they need more different questions than there are.
		expect(
			await fields(
				setRoundDraw(db, organiser, {
					slug: 'hoi-thi-thu',
					position: 1,
					rows: [drawRow({ count: '5', difficulty: '1' }), drawRow({ count: '4' })],
					now: t0
				})
			)
		).toHaveProperty('draw');
		await setRoundDraw(db, organiser, {
			slug: 'hoi-thi-thu',
			position: 1,
			rows: [
				drawRow({ count: '3', categoryId: String(easy.id), tags: 'dia-chi-ip', difficulty: '1' }),
				drawRow({ count: '2', difficulty: '3', points: '2' })
			],
			now: t0
		});
		const view = await managedRound(db, organiser, { slug: 'hoi-thi-thu', position: 1 });
		expect(view.draw).toEqual([
			expect.objectContaining({
				count: 3,
				categoryId: easy.id,
				tags: ['dia-chi-ip'],
				difficulty: 1,
				available: 5
			}),
			expect.objectContaining({
				count: 2,
				categoryId: bank.id,
				difficulty: 3,
				points: 2,
				available: 3
			})
		]);
		expect(view.round.questionCount).toBe(5);
		const slots = await db
			.select()
			.from(assessmentSlots)
			.where(eq(assessmentSlots.assessmentId, view.round.assessmentId));
		expect(slots.every((s) => s.kind === 'random')).toBe(true);
		await expect(
			setRoundDraw(db, organiser, { slug: 'hoi-thi-thu', position: 2, rows: [drawRow()], now: t0 })
		).rejects.toThrow(Conflict);
	});
});

describe('registration', () => {
	it('lets a unit leader register cadres of their own subtree only, into their teams', async () => {
		const db = database.db;
		const slug = 'hoi-thi-thu';
		expect(
			await registerCompetitor(db, leaderA, { slug, username: 'xa.a1', team: 'HU-A', now: t0 })
		).toEqual({ registered: 1, updated: 0, unchanged: 0 });
		// Another district's cadre: refused, and nothing said about them beyond that.
		expect(
			await fields(registerCompetitor(db, leaderA, { slug, username: 'xa.b1', team: '', now: t0 }))
		).toEqual({ username: expect.stringMatching(/không thuộc đơn vị/) });
		// A team of another district, or of a unit the cadre is not in.
		expect(
			await fields(
				registerCompetitor(db, leaderA, { slug, username: 'xa.a2', team: 'HU-B', now: t0 })
			)
		).toHaveProperty('team');
		expect(
			await fields(
				registerCompetitor(db, leaderA, { slug, username: 'xa.a2', team: 'XA-A1', now: t0 })
			)
		).toHaveProperty('team');
		expect(
			await fields(
				registerCompetitor(db, leaderA, { slug, username: 'xa.a2', team: 'TU', now: t0 })
			)
		).toHaveProperty('team');
		// The same again changes nothing; as an individual it moves out of the team.
		expect(
			await registerCompetitor(db, leaderA, { slug, username: 'xa.a1', team: 'HU-A', now: t0 })
		).toMatchObject({ unchanged: 1 });
		await registerCompetitor(db, leaderA, { slug, username: 'xa.a2', team: '', now: t0 });
		// A cadre who leads nothing registers nobody; a trainer is no competitor.
		await expect(
			registerCompetitor(db, cadre, { slug, username: 'huyen.a3', team: '', now: t0 })
		).rejects.toThrow(NotAllowed);
		expect(
			await fields(
				registerCompetitor(db, leaderA, { slug, username: 'giangvien.a', team: '', now: t0 })
			)
		).toHaveProperty('username');
		const view = await registrationsView(db, leaderA, { slug });
		expect(view.total).toBe(2);
		expect(view.units.map((u) => [u.code, u.teamSize, u.members.length])).toEqual([
			['HU-A', 1, 1],
			['XA-A2', 0, 1]
		]);
		expect(view.candidates?.map((c) => c.username)).toContain('huyen.a3');
		expect(view.candidates?.map((c) => c.username)).not.toContain('xa.b1');
		// Leader B sees none of district A's registrations.
		expect((await registrationsView(db, leaderB, { slug })).total).toBe(0);
		await expect(registrationsView(db, cadre, { slug })).rejects.toThrow(NotAllowed);
	});

	it('keeps teams within the size limit', async () => {
		const db = database.db;
		const slug = 'hoi-thi-thu';
		await registerCompetitor(db, leaderA, { slug, username: 'huyen.a3', team: 'HU-A', now: t0 });
		await registerCompetitor(db, leaderA, { slug, username: 'canbo.a', team: 'HU-A', now: t0 });
		expect(
			await fields(
				registerCompetitor(db, leaderA, { slug, username: 'huyen.a4', team: 'HU-A', now: t0 })
			)
		).toEqual({ team: expect.stringMatching(/HU-A.*3/) });
		// Individually, without the team, is fine; withdrawing frees a place in the team.
		await registerCompetitor(db, leaderA, { slug, username: 'huyen.a4', team: '', now: t0 });
		await withdrawCompetitor(db, leaderA, { slug, username: 'canbo.a', now: t0 });
		await registerCompetitor(db, leaderA, { slug, username: 'huyen.a4', team: 'HU-A', now: t0 });
		const comp = await managedCompetition(db, organiser, slug);
		const team = await db
			.select()
			.from(competitionRegistrations)
			.innerJoin(competitionTeams, eq(competitionTeams.id, competitionRegistrations.teamId))
			.where(eq(competitionRegistrations.competitionId, comp.id));
		expect(team).toHaveLength(3);
		await expect(
			withdrawCompetitor(db, leaderB, { slug, username: 'huyen.a4', now: t0 })
		).rejects.toThrow(NotAllowed);
	});

	it('applies eligibility: unit kinds, cadres only, no judges of the competition', async () => {
		const db = database.db;
		const comp = await makeCompetition(db, {
			slug: 'chi-cap-huyen',
			status: 'registration',
			eligibleUnitKinds: ['district']
		});
		await db.insert(competitionJudges).values({ competitionId: comp.id, userId: people.judge.id });
		expect(
			await fields(
				registerCompetitor(db, organiser, { slug: comp.slug, username: 'xa.b1', team: '', now: t0 })
			)
		).toEqual({ username: expect.stringMatching(/Cấp huyện/) });
		expect(
			await fields(
				registerCompetitor(db, organiser, {
					slug: comp.slug,
					username: 'giamkhao.b',
					team: '',
					now: t0
				})
			)
		).toEqual({ username: expect.stringMatching(/giám khảo/) });
		await registerCompetitor(db, organiser, {
			slug: comp.slug,
			username: 'huyen.b2',
			team: 'HU-B',
			now: t0
		});
		// Leaders register only while registration is open; organisers until the end.
		await db.update(competitions).set({ status: 'running' }).where(eq(competitions.id, comp.id));
		await expect(
			registerCompetitor(db, leaderA, { slug: comp.slug, username: 'huyen.a3', team: '', now: t0 })
		).rejects.toThrow(Conflict);
		await registerCompetitor(db, organiser, {
			slug: comp.slug,
			username: 'huyen.a3',
			team: '',
			now: t0
		});
		await db.update(competitions).set({ status: 'finished' }).where(eq(competitions.id, comp.id));
		await expect(
			registerCompetitor(db, organiser, {
				slug: comp.slug,
				username: 'huyen.a4',
				team: '',
				now: t0
			})
		).rejects.toThrow(Conflict);
	});

	it('imports a CSV all or nothing, with every problem on its line, and tells the boards', async () => {
		const db = database.db;
		const comp = await makeCompetition(db, {
			slug: 'nhap-csv',
			status: 'registration',
			teamSizeMax: 2
		});
		const heard: string[] = [];
		const stop = await database.listen(BOARD_CHANNEL, (payload) => heard.push(payload));
		const bad = [
			'username,team',
			'xa.a1,HU-A',
			'khongco,HU-A',
			'huyen.a3,HU-A',
			'huyen.a4,HU-A',
			'xa.b1,HU-A',
			'xa.a1,HU-A',
			'huyen.b2,'
		].join('\n');
		const errors = await importErrors(
			importRegistrations(db, organiser, {
				slug: comp.slug,
				text: bad,
				fileName: 'ds.csv',
				now: t0
			})
		);
		expect(errors.map((e) => e.line)).toEqual([3, 5, 6, 7]);
		expect(errors[0].message).toMatch(/khongco/);
		expect(errors[1].message).toMatch(/HU-A.*2/);
		expect(errors[2].message).toMatch(/xa.b1.*HU-A/);
		expect(errors[3].message).toMatch(/dòng 2/);
		const none = await db
			.select()
			.from(competitionRegistrations)
			.where(eq(competitionRegistrations.competitionId, comp.id));
		expect(none).toHaveLength(0);
		// A leader's file is checked against their subtree, line by line.
		const leaderErrors = await importErrors(
			importRegistrations(db, leaderA, {
				slug: comp.slug,
				text: 'username,team\nxa.a1,HU-A\nhuyen.b2,HU-B\n',
				now: t0
			})
		);
		expect(leaderErrors).toEqual([
			{ line: 3, message: expect.stringMatching(/huyen.b2/), file: undefined }
		]);

		const good = 'username,team\nxa.a1,HU-A\nhuyen.a3,HU-A\nhuyen.b2,\nxa.b1,HU-B\n';
		expect(
			await importRegistrations(db, organiser, {
				slug: comp.slug,
				text: good,
				fileName: 'ds.csv',
				now: t0
			})
		).toEqual({ registered: 4, updated: 0, unchanged: 0 });
		expect(
			await importRegistrations(db, organiser, { slug: comp.slug, text: good, now: t0 })
		).toEqual({ registered: 0, updated: 0, unchanged: 4 });
		await expect.poll(() => heard.includes(String(comp.id))).toBe(true);
		await stop();
	});
});

describe('running a round', () => {
	let slug: string;
	let compId: number;
	let assessmentId: number;

	beforeAll(async () => {
		const db = database.db;
		const comp = await makeCompetition(db, { slug: 'dang-thi', status: 'registration' });
		slug = comp.slug;
		compId = comp.id;
		const round = await makeRound(db, {
			competitionId: comp.id,
			name: 'Vòng sơ khảo',
			startMode: 'fixed',
			openAt: at(600),
			closeAt: at(600 + 1800),
			timeLimitSeconds: 1800,
			slots: [{ categoryId: easy.id }, { categoryId: easy.id }, { categoryId: bank.id }]
		});
		assessmentId = round.assessment.id;
		for (const who of ['a1', 'a3', 'b1', 'b2'])
			await registerFor(db, { competitionId: comp.id, user: people[who], team: true });
		await registerFor(db, { competitionId: comp.id, user: people.a4, status: 'withdrawn' });
	});

	it('starts a round through the engine when registered, and refuses otherwise', async () => {
		const db = database.db;
		// Not running yet: nobody starts, not even through the engine directly.
		expect(await isRegisteredForRound(db, people.a1, assessmentId)).toBe(false);
		await expect(startRound(db, people.a1, { slug, position: 1, now: at(700) })).rejects.toThrow(
			Conflict
		);
		await db.update(competitions).set({ status: 'running' }).where(eq(competitions.id, compId));

		let lobby = await lobbyView(db, people.a1, { slug, now: at(0) });
		expect(lobby.registration).toMatchObject({ unitName: 'Đảng ủy xã A1' });
		expect(lobby.rounds[0]).toMatchObject({ state: 'not_open', startsAt: at(600) });
		await expect(startRound(db, people.a1, { slug, position: 1, now: at(0) })).rejects.toThrow(
			Conflict
		);

		const started = await startRound(db, people.a1, { slug, position: 1, now: at(700) });
		expect(started.url).toBe(`/attempts/${started.attemptId}`);
		// The start is the engine's: one attempt, deadline stored, a 'start' event.
		const [attempt] = await db.select().from(attempts).where(eq(attempts.id, started.attemptId));
		expect(attempt.deadlineAt?.toISOString()).toBe(at(2400).toISOString());
		const events = await db
			.select()
			.from(attemptEvents)
			.where(eq(attemptEvents.attemptId, started.attemptId));
		expect(events.map((e) => e.type)).toEqual(['start']);
		// Twice: the same attempt, resumed.
		expect(await startRound(db, people.a1, { slug, position: 1, now: at(710) })).toMatchObject({
			attemptId: started.attemptId,
			resumed: true
		});
		lobby = await lobbyView(db, people.a1, { slug, now: at(720) });
		expect(lobby.rounds[0]).toMatchObject({ state: 'in_progress', continueUrl: started.url });

		// Not registered, or withdrawn: refused by the lobby and by the engine.
		const outsider = await makeCadre(db, province.districtB);
		await expect(startRound(db, outsider, { slug, position: 1, now: at(700) })).rejects.toThrow(
			NotAllowed
		);
		await expect(startAttempt(db, outsider, { assessmentId, now: at(700) })).rejects.toThrow(
			NotAllowed
		);
		await expect(startAttempt(db, people.a4, { assessmentId, now: at(700) })).rejects.toThrow(
			NotAllowed
		);
		expect((await lobbyView(db, outsider, { slug, now: at(700) })).rounds[0]).toMatchObject({
			state: 'open',
			note: expect.stringMatching(/chưa có tên/)
		});
	});

	it('shows the control room by unit and extends time, pauses and resumes with reasons audited', async () => {
		const db = database.db;
		const b1 = await startRound(db, people.b1, { slug, position: 1, now: at(800) });
		await saveAnswer(db, people.b1, {
			attemptId: b1.attemptId,
			slot: 1,
			seq: 1,
			response: { type: 'single', choice: 0 },
			now: at(900)
		});
		const a3 = await startRound(db, people.a3, { slug, position: 1, now: at(800) });
		await submitAttempt(db, people.a3, { attemptId: a3.attemptId, now: at(1000) });

		await expect(controlRoom(db, leaderA, { slug, position: 1, now: at(1000) })).rejects.toThrow(
			NotAllowed
		);
		const room = await controlRoom(db, organiser, { slug, position: null, now: at(1000) });
		expect(room.round.name).toBe('Vòng sơ khảo');
		expect(room.totals).toEqual({ not_started: 1, in_progress: 2, submitted: 1 });
		const byName = Object.fromEntries(
			room.units.flatMap((u) => u.participants.map((p) => [p.username, { unit: u.name, ...p }]))
		);
		expect(byName['xa.b1']).toMatchObject({
			unit: 'Đảng ủy xã B1',
			state: 'in_progress',
			lastSaveAt: at(900)
		});
		expect(byName['huyen.b2']).toMatchObject({ state: 'not_started', lastSaveAt: null });
		expect(byName['huyen.a3'].state).toBe('submitted');
		expect(byName['xa.a4']).toBeUndefined();

		// Extra time for one competitor needs a reason; it moves only their deadline.
		expect(
			await fields(
				extendRoundTime(db, organiser, {
					slug,
					position: 1,
					username: 'xa.b1',
					minutes: 5,
					reason: '',
					now: at(1000)
				})
			)
		).toHaveProperty('reason');
		expect(
			await fields(
				extendRoundTime(db, organiser, {
					slug,
					position: 1,
					username: 'khongco',
					minutes: 5,
					reason: 'Máy treo',
					now: at(1000)
				})
			)
		).toHaveProperty('username');
		await extendRoundTime(db, organiser, {
			slug,
			position: 1,
			username: 'xa.b1',
			minutes: 5,
			reason: 'Máy tính bị treo 5 phút',
			now: at(1000)
		});
		expect((await attemptClock(db, people.b1, { attemptId: b1.attemptId })).deadlineAt).toEqual(
			at(2400 + 300)
		);
		expect(
			(
				await attemptClock(db, people.a1, {
					attemptId: (await startRound(db, people.a1, { slug, position: 1, now: at(1000) }))
						.attemptId
				})
			).deadlineAt
		).toEqual(at(2400));

		// An emergency pause for everyone, then resume: the deadlines move by the pause.
		await pauseRound(db, organiser, {
			slug,
			position: 1,
			reason: 'Mất điện hội trường',
			now: at(1200)
		});
		expect((await lobbyView(db, people.b2, { slug, now: at(1300) })).rounds[0].state).toBe(
			'paused'
		);
		await resumeRound(db, organiser, {
			slug,
			position: 1,
			reason: 'Đã có điện trở lại',
			now: at(1800)
		});
		expect((await attemptClock(db, people.b1, { attemptId: b1.attemptId })).deadlineAt).toEqual(
			at(2700 + 600)
		);
		const audit = await db
			.select()
			.from(auditLog)
			.where(eq(auditLog.targetId, String(assessmentId)));
		expect(audit.map((a) => [a.action, a.details.reason])).toEqual(
			expect.arrayContaining([
				['assessment.extend_time', 'Máy tính bị treo 5 phút'],
				['assessment.pause', 'Mất điện hội trường'],
				['assessment.resume', 'Đã có điện trở lại']
			])
		);
		const events = await db
			.select()
			.from(attemptEvents)
			.where(eq(attemptEvents.attemptId, b1.attemptId));
		expect(events.map((e) => e.type)).toEqual(['start', 'save', 'extend', 'pause', 'resume']);
		expect(events[2].details).toMatchObject({ reason: 'Máy tính bị treo 5 phút', minutes: 5 });
	});

	it('closes a round now: deadlines are cut, reasons logged; a fixed round can be opened now', async () => {
		const db = database.db;
		const round = await makeRound(db, {
			competitionId: compId,
			name: 'Vòng bổ sung',
			startMode: 'fixed',
			openAt: null,
			closeAt: null,
			timeLimitSeconds: 600,
			status: 'draft',
			slots: [{ categoryId: bank.id }]
		});
		const position = round.position;
		expect(
			(await lobbyView(db, people.b2, { slug, now: at(3000) })).rounds.map((r) => r.name)
		).not.toContain('Vòng bổ sung');
		await openRoundNow(db, organiser, { slug, position, now: at(3000) });
		const [a] = await db.select().from(assessments).where(eq(assessments.id, round.assessment.id));
		expect([a.status, a.openAt, a.closeAt]).toEqual(['published', at(3000), at(3600)]);
		const started = await startRound(db, people.b2, { slug, position, now: at(3010) });
		expect(
			await fields(closeRoundNow(db, organiser, { slug, position, reason: '', now: at(3100) }))
		).toHaveProperty('reason');
		expect(
			await closeRoundNow(db, organiser, { slug, position, reason: 'Sự cố đề thi', now: at(3100) })
		).toEqual({ attemptsCut: 1 });
		expect(
			(await attemptClock(db, people.b2, { attemptId: started.attemptId })).deadlineAt
		).toEqual(at(3100));
		await expect(startRound(db, people.b1, { slug, position, now: at(3101) })).rejects.toThrow();
		// After the grace period the sweeper closes it with what was saved.
		await sweepOverdue(db, { now: at(3161) });
		const [swept] = await db.select().from(attempts).where(eq(attempts.id, started.attemptId));
		expect(swept).toMatchObject({ status: 'submitted', finishedBy: 'sweeper' });
		expect(
			(await lobbyView(db, people.b2, { slug, now: at(3200) })).rounds.find(
				(r) => r.position === position
			)?.state
		).toBe('submitted');
		const [closeAudit] = await db
			.select()
			.from(auditLog)
			.where(
				and(eq(auditLog.action, 'competition.round_close'), eq(auditLog.targetId, String(round.id)))
			);
		expect(closeAudit.details).toMatchObject({ reason: 'Sự cố đề thi', attemptsCut: 1 });
	});

	it('answers clarifications to one competitor or to everyone, and posts announcements', async () => {
		const db = database.db;
		await askClarification(db, people.a1, {
			slug,
			question: 'Câu 2 có lỗi chính tả không ạ?',
			round: 1,
			now: at(1100)
		});
		await askClarification(db, people.b1, {
			slug,
			question: 'Được dùng máy tính bỏ túi không?',
			round: null,
			now: at(1110)
		});
		await expect(
			askClarification(db, await makeCadre(db, province.districtA), {
				slug,
				question: 'Cho tôi hỏi với',
				round: null,
				now: at(1120)
			})
		).rejects.toThrow(NotAllowed);
		expect(
			await fields(
				askClarification(db, people.a1, { slug, question: ' ? ', round: null, now: at(1120) })
			)
		).toHaveProperty('question');

		const list = await organiserClarifications(db, organiser, { slug });
		expect(list.items.map((c) => [c.question, c.askedBy?.username])).toEqual([
			['Được dùng máy tính bỏ túi không?', 'xa.b1'],
			['Câu 2 có lỗi chính tả không ạ?', 'xa.a1']
		]);
		const [calc, typo] = list.items;
		await answerClarification(db, organiser, {
			slug,
			id: typo.id,
			answer: 'Đã sửa: "địa chỉ" thay cho "đại chỉ".',
			visibility: 'all',
			now: at(1200)
		});
		await answerClarification(db, organiser, {
			slug,
			id: calc.id,
			answer: 'Không được.',
			visibility: 'private',
			now: at(1210)
		});
		await announce(db, organiser, {
			slug,
			text: 'Còn 10 phút, các đồng chí kiểm tra lại bài.',
			round: 1,
			now: at(1300)
		});
		await expect(
			answerClarification(db, leaderA, {
				slug,
				id: calc.id,
				answer: 'Được',
				visibility: 'all',
				now: at(1220)
			})
		).rejects.toThrow(NotAllowed);

		const seenByA1 = await competitorClarifications(db, people.a1, { slug });
		expect(seenByA1.map((c) => [c.announcement, c.mine, c.answer])).toEqual([
			[true, false, 'Còn 10 phút, các đồng chí kiểm tra lại bài.'],
			[false, true, 'Đã sửa: "địa chỉ" thay cho "đại chỉ".']
		]);
		// b2 sees the public answer (without who asked) and the announcement, not b1's private one.
		const seenByB2 = await competitorClarifications(db, people.b2, { slug });
		expect(seenByB2.map((c) => c.answer)).toEqual([
			'Còn 10 phút, các đồng chí kiểm tra lại bài.',
			'Đã sửa: "địa chỉ" thay cho "đại chỉ".'
		]);
		expect(JSON.stringify(seenByB2)).not.toContain('xa.a1');
		const seenByB1 = await competitorClarifications(db, people.b1, { slug });
		expect(seenByB1.find((c) => c.mine)?.answer).toBe('Không được.');
		const audit = await db
			.select()
			.from(auditLog)
			.where(eq(auditLog.action, 'competition.clarification_answer'));
		expect(audit).toHaveLength(2);
	});

	it('refuses to delete a round that has attempts', async () => {
		await expect(
			deleteRound(database.db, organiser, { slug, position: 1, now: at(4000) })
		).rejects.toThrow(Conflict);
		await expect(managedRound(database.db, organiser, { slug, position: 9 })).rejects.toThrow(
			NotFound
		);
	});
});

/** A database that can be closed and opened again, as after a server restart. */
async function reopenable(): Promise<{ open: () => Promise<Database>; drop: () => Promise<void> }> {
	if (testDriver === 'postgres') {
		const adminUrl = process.env.TEST_DATABASE_URL!;
		const name = `hocthi_restart_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
		const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database "${name}"`);
		await admin.end();
		const url = new URL(adminUrl);
		url.pathname = `/${name}`;
		return {
			open: () => openDatabase({ url: url.toString(), max: 4 }),
			drop: async () => {
				const dropper = postgres(adminUrl, { max: 1, onnotice: () => {} });
				await dropper.unsafe(`drop database if exists "${name}" with (force)`);
				await dropper.end();
			}
		};
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocthi-restart-'));
	return {
		open: () => openDatabase({ dataDir: dir }),
		drop: async () => fs.rmSync(dir, { recursive: true, force: true })
	};
}

describe('a restart in the middle of a round', () => {
	it('loses no acknowledged answer, and the deadline carries on from the server clock', async () => {
		const store = await reopenable();
		let first: Database | null = await store.open();
		try {
			await migrateDatabase(first);
			const db: Db = first.db;
			const { districtA } = await makeProvince(db);
			const competitor = await makeCadre(db, districtA, { username: 'thi.sinh' });
			const category = await makeCategory(db, { name: 'Mạng' });
			const q = await makeQuestion(db, { categoryId: category.id, data: singleChoice(2) });
			const comp = await makeCompetition(db, { slug: 'khoi-dong-lai' });
			await makeRound(db, {
				competitionId: comp.id,
				openAt: t0,
				closeAt: at(7200),
				timeLimitSeconds: 1800,
				graceSeconds: 30,
				slots: [{ questionId: q.questionId }]
			});
			await registerFor(db, { competitionId: comp.id, user: competitor });
			const { attemptId } = await startRound(db, competitor, {
				slug: comp.slug,
				position: 1,
				now: at(100)
			});
			expect(
				await saveAnswer(db, competitor, {
					attemptId,
					slot: 1,
					seq: 3,
					response: { type: 'single', choice: 2 },
					now: at(400)
				})
			).toMatchObject({ status: 'saved' });
			await first.close();
			first = null;

			// The server comes back twenty minutes later.
			const second = await store.open();
			try {
				const db2 = second.db;
				const lobby = await lobbyView(db2, competitor, { slug: comp.slug, now: at(1300) });
				expect(lobby.rounds[0]).toMatchObject({ state: 'in_progress', deadlineAt: at(1900) });
				expect(lobby.serverNow).toEqual(at(1300));
				// Starting again resumes the same attempt, with the same deadline.
				const again = await startRound(db2, competitor, {
					slug: comp.slug,
					position: 1,
					now: at(1300)
				});
				expect(again).toMatchObject({ attemptId, resumed: true });
				const [row] = await db2.select().from(attempts).where(eq(attempts.id, attemptId));
				expect(row.deadlineAt).toEqual(at(1900));
				// An older save arriving late does not overwrite the acknowledged answer.
				expect(
					await saveAnswer(db2, competitor, {
						attemptId,
						slot: 1,
						seq: 2,
						response: { type: 'single', choice: 0 },
						now: at(1310)
					})
				).toMatchObject({ status: 'stale', seq: 3 });
				// Time ran on while the server was down: past deadline + grace nothing more is accepted.
				await expect(
					saveAnswer(db2, competitor, {
						attemptId,
						slot: 1,
						seq: 4,
						response: { type: 'single', choice: 1 },
						now: at(1931)
					})
				).rejects.toThrow(/hết giờ/);
				expect(await sweepOverdue(db2, { now: at(1931) })).toBe(1);
				const [done] = await db2.select().from(attempts).where(eq(attempts.id, attemptId));
				expect(done).toMatchObject({ status: 'submitted', score: 1, timeUsedMs: 1800_000 });
			} finally {
				await second.close();
			}
		} finally {
			if (first) await first.close();
			await store.drop();
		}
	});
});
