// A practical round end to end on a controllable clock: organisers write tasks and rubrics,
// competitors hand in text and files within deadline plus grace, two judges mark blind, the head
// judge settles a disagreement, and attempts.score stays the sum of the final scores.
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeIfOverdue, gradeAttempt } from '../../src/lib/server/assessments/engine';
import { pauseAssessment, resumeAssessment } from '../../src/lib/server/assessments/control';
import type { Actor } from '../../src/lib/server/auth/actor';
import {
	attemptEvents,
	attempts,
	auditLog,
	judgeAssignments,
	practicalSubmissions
} from '../../src/lib/server/db/schema';
import { Conflict, Invalid, NotAllowed, NotFound, TooLate } from '../../src/lib/server/errors';
import { fileForActor } from '../../src/lib/server/files/access';
import { MIB } from '../../src/lib/server/files/store';
import {
	addCriterion,
	addTaskAttachment,
	createTask,
	deleteCriterion,
	deleteTask,
	moveTask,
	practicalRoundForOrganiser,
	practicalView,
	removeTaskFile,
	saveTaskText,
	saveTaskTexts,
	submitPractical,
	taskForOrganiser,
	updateCriterion,
	uploadTaskFile
} from '../../src/lib/server/competitions/practical';
import {
	addJudge,
	assignPending,
	decideSubmission,
	judgeQueue,
	judgingOverview,
	reassignJudge,
	removeJudge,
	scoreSubmission,
	setHeadJudge,
	submissionForJudge
} from '../../src/lib/server/competitions/judging';
import { BOARD_CHANNEL } from '../../src/lib/server/realtime/notify';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeCadre, makeUnit, makeUser, type MadeUnit } from './helpers/builders';
import {
	makeCompetition,
	makeRound,
	makeTask,
	register,
	SAMPLE_FILES,
	startRoundAttempt
} from './helpers/practical-builders';

let database: TestDatabase;
let unitA: MadeUnit;
let unitB: MadeUnit;
let organiser: Actor;
let outsider: Actor;
const t0 = new Date('2012-09-22T01:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

beforeAll(async () => {
	database = await createTestDatabase();
	const db = database.db;
	unitA = await makeUnit(db, { code: 'HU-LY', name: 'Huyện ủy Lục Yên' });
	unitB = await makeUnit(db, { code: 'HU-VY', name: 'Huyện ủy Văn Yên' });
	organiser = await makeUser(db, {
		username: 'btc',
		fullName: 'Ban Tổ Chức',
		roles: ['organiser']
	});
	outsider = await makeCadre(db, unitA, { fullName: 'Người Ngoài Cuộc' });
});
afterAll(() => database.close());

/** Everything a judge could be shown, as one string to search for identities. */
const seen = (x: unknown) => JSON.stringify(x);

async function events(attemptId: string, type: string) {
	return database.db
		.select()
		.from(attemptEvents)
		.where(and(eq(attemptEvents.attemptId, attemptId), eq(attemptEvents.type, type)))
		.orderBy(asc(attemptEvents.id));
}

async function attemptRow(id: string) {
	const [row] = await database.db.select().from(attempts).where(eq(attempts.id, id));
	return row;
}

describe('tasks of a practical round (organisers)', () => {
	it('creates, renders, reorders and deletes tasks; sums the rubric; refuses others', async () => {
		const db = database.db;
		const comp = await makeCompetition(db);
		await makeRound(db, { competitionId: comp.id, openAt: t0 });
		const { round: theory } = await makeRound(db, {
			competitionId: comp.id,
			kind: 'theory',
			position: 2,
			openAt: t0
		});
		const ref = { slug: comp.slug, position: 1, now: t0 };
		const a = await createTask(db, organiser, {
			...ref,
			title: 'Sửa sơ đồ mạng LAN',
			statement: 'Xem ![sơ đồ](so-do.png) và [mẫu](files/mau.pdf).<script>alert(1)</script>'
		});
		const b = await createTask(db, organiser, { ...ref, title: 'Soạn văn bản', statement: '' });
		await addTaskAttachment(db, organiser, {
			...ref,
			taskId: a.id,
			fileName: 'so-do.png',
			bytes: SAMPLE_FILES.png()
		});
		const pdf = await addTaskAttachment(db, organiser, {
			...ref,
			now: at(1),
			taskId: a.id,
			fileName: 'C:\\fakepath\\mau.pdf',
			bytes: SAMPLE_FILES.pdf()
		});
		await addCriterion(db, organiser, {
			...ref,
			taskId: a.id,
			name: 'Đúng địa chỉ IP',
			description: '',
			maxPoints: '4,5'
		});
		await addCriterion(db, organiser, {
			...ref,
			taskId: a.id,
			name: 'Trình bày',
			description: 'Rõ ràng',
			maxPoints: 5
		});
		await addCriterion(db, organiser, {
			...ref,
			taskId: b.id,
			name: 'Đúng thể thức',
			description: '',
			maxPoints: 10
		});

		const task = await taskForOrganiser(db, organiser, { ...ref, taskId: a.id });
		expect(task.task.maxPoints).toBe(9.5);
		expect(task.task.statementHtml).not.toContain('<script');
		expect(task.task.statementHtml).toContain(`href="/files/${pdf.id}"`);
		expect(task.task.statementHtml).toMatch(
			/<img src="\/files\/[0-9a-f-]{36}" alt="sơ đồ" width="1" height="1"/
		);
		expect(task.attachments.map((f) => f.fileName)).toEqual(['so-do.png', 'mau.pdf']);

		await moveTask(db, organiser, { ...ref, taskId: b.id, direction: 'up' });
		let view = await practicalRoundForOrganiser(db, organiser, ref);
		expect(view.tasks.map((t) => [t.position, t.title])).toEqual([
			[1, 'Soạn văn bản'],
			[2, 'Sửa sơ đồ mạng LAN']
		]);
		expect(view.maxPoints).toBe(19.5);
		await deleteTask(db, organiser, { ...ref, taskId: b.id });
		view = await practicalRoundForOrganiser(db, organiser, ref);
		expect(view.tasks.map((t) => [t.position, t.title])).toEqual([[1, 'Sửa sơ đồ mạng LAN']]);

		// Bad input is refused field by field, and nothing is written.
		await expect(createTask(db, organiser, { ...ref, title: 'a', statement: '' })).rejects.toThrow(
			Invalid
		);
		for (const maxPoints of ['0', '0,3', '101', 'mười'])
			await expect(
				addCriterion(db, organiser, {
					...ref,
					taskId: a.id,
					name: 'X tiêu chí',
					description: '',
					maxPoints
				})
			).rejects.toMatchObject({ fields: { maxPoints: expect.any(String) } });
		await expect(
			addTaskAttachment(db, organiser, {
				...ref,
				taskId: a.id,
				fileName: 'de.pdf',
				bytes: SAMPLE_FILES.exe()
			})
		).rejects.toMatchObject({ fields: { file: expect.stringContaining('de.pdf') } });

		// Only organisers; only practical rounds.
		const judge = await makeUser(db, { roles: ['judge'] });
		for (const who of [outsider, judge])
			await expect(practicalRoundForOrganiser(db, who, ref)).rejects.toThrow(NotAllowed);
		await expect(
			practicalRoundForOrganiser(db, organiser, { slug: comp.slug, position: theory.position })
		).rejects.toThrow(NotFound);
		const [audit] = await db
			.select()
			.from(auditLog)
			.where(eq(auditLog.action, 'practical.task.create'));
		expect(audit.actorId).toBe(organiser.id);
	});
});

describe('a practical round end to end', () => {
	let comp: Awaited<ReturnType<typeof makeCompetition>>;
	let assessmentId: number;
	let taskA: number;
	let taskB: number;
	let critA: number[];
	let critB: number[];
	let head: Actor;
	let j2: Actor;
	let j3: Actor;
	let an: Actor;
	let binh: Actor;
	let chi: Actor;
	let anAttempt: string;
	let binhAttempt: string;
	let chiAttempt: string;
	const notices: string[] = [];

	beforeAll(async () => {
		const db = database.db;
		comp = await makeCompetition(db, { judgeMargin: 2 });
		const { round, assessment } = await makeRound(db, {
			competitionId: comp.id,
			openAt: t0,
			timeLimitSeconds: 3600,
			graceSeconds: 60
		});
		assessmentId = assessment.id;
		const a = await makeTask(db, {
			roundId: round.id,
			position: 1,
			title: 'Sửa sơ đồ mạng',
			criteria: [
				{ name: 'Đúng địa chỉ IP', maxPoints: 5 },
				{ name: 'Đúng cấu hình định tuyến', maxPoints: 5 }
			]
		});
		const b = await makeTask(db, {
			roundId: round.id,
			position: 2,
			title: 'Sửa văn bản',
			criteria: [{ name: 'Đúng thể thức', maxPoints: 10 }]
		});
		taskA = a.task.id;
		taskB = b.task.id;
		critA = a.criteria.map((c) => c.id);
		critB = b.criteria.map((c) => c.id);
		head = await makeUser(db, { username: 'gk1', fullName: 'Phạm Minh Đức', roles: ['judge'] });
		j2 = await makeUser(db, { username: 'gk2', fullName: 'Lê Thị Thanh Nga', roles: ['judge'] });
		j3 = await makeUser(db, { username: 'gk3', fullName: 'Nguyễn Hữu Toàn', roles: ['judge'] });
		an = await makeCadre(db, unitA, { username: 'annv', fullName: 'Nguyễn Văn An' });
		binh = await makeCadre(db, unitB, { username: 'binhtt', fullName: 'Trần Thị Bình' });
		chi = await makeCadre(db, unitB, { username: 'chilh', fullName: 'Lò Hoàng Chi' });
		for (const user of [an, binh, chi])
			await register(db, { competitionId: comp.id, user, now: t0 });
		binhAttempt = await startRoundAttempt(db, binh, { assessmentId, now: t0 });
		anAttempt = await startRoundAttempt(db, an, { assessmentId, now: at(60) });
		chiAttempt = await startRoundAttempt(db, chi, { assessmentId, now: at(90) });
		await database.listen(BOARD_CHANNEL, (payload) => notices.push(payload));
	});

	it('organisers name the judges and one head judge; only judges can be named', async () => {
		const db = database.db;
		const ref = { slug: comp.slug, now: t0 };
		await expect(
			addJudge(db, organiser, { ...ref, username: 'annv', isHead: false })
		).rejects.toThrow(Invalid);
		await expect(addJudge(db, j2, { ...ref, username: 'gk2', isHead: false })).rejects.toThrow(
			NotAllowed
		);
		await addJudge(db, organiser, { ...ref, username: 'gk2', isHead: true });
		await addJudge(db, organiser, { ...ref, username: 'gk1', isHead: true });
		await addJudge(db, organiser, { ...ref, username: 'GK3 ', isHead: false });
		await expect(
			addJudge(db, organiser, { ...ref, username: 'gk3', isHead: false })
		).rejects.toThrow(Invalid);
		let overview = await judgingOverview(db, organiser, { slug: comp.slug });
		expect(overview.judges.filter((j) => j.isHead).map((j) => j.username)).toEqual(['gk1']);
		await setHeadJudge(db, organiser, { ...ref, userId: j2.id });
		await setHeadJudge(db, organiser, { ...ref, userId: head.id });
		overview = await judgingOverview(db, organiser, { slug: comp.slug });
		expect(overview.judges.map((j) => [j.username, j.isHead])).toEqual([
			['gk1', true],
			['gk2', false],
			['gk3', false]
		]);
	});

	it('competitors see the tasks of their own attempt only; nobody else’s (IDOR)', async () => {
		const db = database.db;
		const view = await practicalView(db, an, { attemptId: anAttempt, now: at(10) });
		expect(view.tasks.map((t) => [t.title, t.maxPoints])).toEqual([
			['Sửa sơ đồ mạng', 10],
			['Sửa văn bản', 10]
		]);
		expect(view.deadlineAt?.toISOString()).toBe(at(3660).toISOString());
		expect(seen(view)).not.toContain('blindCode');
		await expect(practicalView(db, binh, { attemptId: anAttempt, now: at(10) })).rejects.toThrow(
			NotFound
		);
		await expect(
			practicalView(db, organiser, { attemptId: anAttempt, now: at(10) })
		).rejects.toThrow(NotFound);
		await expect(practicalView(db, an, { attemptId: 'not-a-uuid', now: at(10) })).rejects.toThrow(
			NotFound
		);
	});

	it('autosaves text like answer saves: idempotent, the highest seq wins, every save logged', async () => {
		const db = database.db;
		const first = await saveTaskText(db, an, {
			attemptId: anAttempt,
			taskId: taskA,
			seq: 1,
			text: 'Bản nháp',
			now: at(100)
		});
		expect(first.status).toBe('saved');
		const second = await saveTaskText(db, an, {
			attemptId: anAttempt,
			taskId: taskA,
			seq: 3,
			text: 'Sai ở cổng mặc định 192.168.1.1',
			now: at(120)
		});
		expect(second).toMatchObject({ status: 'saved', seq: 3 });
		// A late replay of an older save is acknowledged but changes nothing.
		const stale = await saveTaskText(db, an, {
			attemptId: anAttempt,
			taskId: taskA,
			seq: 2,
			text: 'cũ',
			now: at(121)
		});
		expect(stale).toMatchObject({ status: 'stale', seq: 3 });
		const again = await saveTaskText(db, an, {
			attemptId: anAttempt,
			taskId: taskA,
			seq: 3,
			text: 'Sai ở cổng mặc định 192.168.1.1',
			now: at(122)
		});
		expect(again).toMatchObject({ status: 'stale', seq: 3 });
		const view = await practicalView(db, an, { attemptId: anAttempt, now: at(130) });
		expect(view.tasks[0].answer).toMatchObject({ text: 'Sai ở cổng mặc định 192.168.1.1', seq: 3 });
		expect((await events(anAttempt, 'save')).map((e) => e.seq)).toEqual([1, 3]);
		expect((await events(anAttempt, 'save_stale')).length).toBe(2);

		// A plain form post is the latest action: numbered after the highest seq; unchanged text skipped.
		const n = await saveTaskTexts(db, an, {
			attemptId: anAttempt,
			texts: [
				{ taskId: taskA, text: 'Sai ở cổng mặc định 192.168.1.1' },
				{ taskId: taskB, text: 'Sửa lại phần căn cứ và nơi nhận.' }
			],
			now: at(140)
		});
		expect(n).toBe(1);
		const after = await practicalView(db, an, { attemptId: anAttempt, now: at(141) });
		expect(after.tasks[1].answer).toMatchObject({
			text: 'Sửa lại phần căn cứ và nơi nhận.',
			seq: 1
		});

		// Someone else's attempt, a task of another round, a bad seq, too long a text.
		await expect(
			saveTaskText(db, binh, {
				attemptId: anAttempt,
				taskId: taskA,
				seq: 9,
				text: 'x',
				now: at(150)
			})
		).rejects.toThrow(NotFound);
		await expect(
			saveTaskText(db, an, {
				attemptId: anAttempt,
				taskId: 999_999,
				seq: 9,
				text: 'x',
				now: at(150)
			})
		).rejects.toThrow(NotFound);
		await expect(
			saveTaskText(db, an, { attemptId: anAttempt, taskId: taskA, seq: 0, text: 'x', now: at(150) })
		).rejects.toThrow(Invalid);
		await expect(
			saveTaskText(db, an, {
				attemptId: anAttempt,
				taskId: taskA,
				seq: 9,
				text: 'x'.repeat(20_001),
				now: at(150)
			})
		).rejects.toThrow(Invalid);
	});

	it('takes files checked by content and size, names them safely, and refuses the rest clearly', async () => {
		const db = database.db;
		const file = await uploadTaskFile(db, an, {
			attemptId: anAttempt,
			taskId: taskA,
			fileName: '../../Nguyễn Văn An - sơ đồ đã sửa.pdf',
			bytes: SAMPLE_FILES.pdf(),
			now: at(200)
		});
		await uploadTaskFile(db, an, {
			attemptId: anAttempt,
			taskId: taskA,
			fileName: 'ban-ghi.pcap',
			bytes: SAMPLE_FILES.pcap(),
			now: at(201)
		});
		const view = await practicalView(db, an, { attemptId: anAttempt, now: at(202) });
		expect(view.tasks[0].answer.files.map((f) => f.fileName)).toEqual([
			'Nguyễn Văn An - sơ đồ đã sửa.pdf',
			'ban-ghi.pcap'
		]);
		expect((await events(anAttempt, 'upload')).map((e) => e.details?.fileName)).toEqual([
			'Nguyễn Văn An - sơ đồ đã sửa.pdf',
			'ban-ghi.pcap'
		]);

		const refusal = (fileName: string, bytes: Uint8Array) =>
			uploadTaskFile(db, an, {
				attemptId: anAttempt,
				taskId: taskA,
				fileName,
				bytes,
				now: at(203)
			});
		await expect(refusal('chuong-trinh.pdf', SAMPLE_FILES.exe())).rejects.toMatchObject({
			fields: { file: expect.stringContaining('không phải là tệp .pdf') }
		});
		await expect(refusal('virus.exe', SAMPLE_FILES.exe())).rejects.toMatchObject({
			fields: { file: expect.stringContaining('Không nhận loại tệp') }
		});
		await expect(
			refusal('anh.svg', new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))
		).rejects.toThrow(Invalid);
		const big = new Uint8Array(10 * MIB + 1);
		big.set(SAMPLE_FILES.pdf());
		await expect(refusal('lon.pdf', big)).rejects.toMatchObject({
			fields: { file: expect.stringContaining('10 MB') }
		});
		await expect(
			uploadTaskFile(db, binh, {
				attemptId: anAttempt,
				taskId: taskA,
				fileName: 'a.pdf',
				bytes: SAMPLE_FILES.pdf(),
				now: at(204)
			})
		).rejects.toThrow(NotFound);

		// Its author downloads it under its own name; other competitors and strangers get nothing.
		expect((await fileForActor(db, an, file.id))?.fileName).toBe(
			'Nguyễn Văn An - sơ đồ đã sửa.pdf'
		);
		expect(await fileForActor(db, binh, file.id)).toBeNull();
		expect(await fileForActor(db, j2, file.id)).toBeNull(); // not submitted yet: no judge sees it
		// A task's files: competitors once they have started, judges, organisers; not others.
		const stored = await addTaskAttachment(db, organiser, {
			slug: comp.slug,
			position: 1,
			taskId: taskA,
			fileName: 'so-do-loi.png',
			bytes: SAMPLE_FILES.png(),
			now: at(205)
		});
		for (const who of [an, j3, organiser])
			expect(await fileForActor(db, who, stored.id), who.username).not.toBeNull();
		expect(await fileForActor(db, outsider, stored.id)).toBeNull();

		// Removing a file: own attempt only, logged.
		const [, pcap] = (await practicalView(db, an, { attemptId: anAttempt, now: at(206) })).tasks[0]
			.answer.files;
		await expect(
			removeTaskFile(db, binh, { attemptId: anAttempt, fileId: pcap.id, now: at(207) })
		).rejects.toThrow(NotFound);
		await removeTaskFile(db, an, { attemptId: anAttempt, fileId: pcap.id, now: at(207) });
		expect((await events(anAttempt, 'upload_removed')).length).toBe(1);
	});

	it('refuses and logs saves, uploads and submits after deadline plus grace; accepts within grace', async () => {
		const db = database.db;
		// Bình's deadline is at(3600), with 60 s of grace: a save after the deadline still counts.
		await saveTaskText(db, binh, {
			attemptId: binhAttempt,
			taskId: taskA,
			seq: 1,
			text: 'Bài của Bình',
			now: at(3640)
		});
		await expect(
			saveTaskText(db, binh, {
				attemptId: binhAttempt,
				taskId: taskA,
				seq: 2,
				text: 'muộn',
				now: at(3661)
			})
		).rejects.toThrow(TooLate);
		await expect(
			uploadTaskFile(db, binh, {
				attemptId: binhAttempt,
				taskId: taskA,
				fileName: 'muon.pdf',
				bytes: SAMPLE_FILES.pdf(),
				now: at(3662)
			})
		).rejects.toThrow(TooLate);
		await expect(
			submitPractical(db, binh, { attemptId: binhAttempt, now: at(3663) })
		).rejects.toThrow(TooLate);
		expect((await events(binhAttempt, 'save_rejected')).map((e) => e.details)).toEqual([
			{ reason: 'too_late' },
			{ reason: 'too_late' }
		]);
		expect((await events(binhAttempt, 'submit_rejected')).length).toBe(1);
		const view = await practicalView(db, binh, { attemptId: binhAttempt, now: at(3664) });
		expect(view.tasks[0].answer.text).toBe('Bài của Bình');
		// It closes with what was saved, as the sweeper would (the submit page does this at once).
		expect(await closeIfOverdue(db, binh, { attemptId: binhAttempt, now: at(3665) })).toBe(true);
		expect((await attemptRow(binhAttempt)).finishedBy).toBe('sweeper');
	});

	it('submits through the engine and assigns two different judges, sparing the head judge', async () => {
		const db = database.db;
		await saveTaskText(db, chi, {
			attemptId: chiAttempt,
			taskId: taskA,
			seq: 1,
			text: 'Bài của Chi',
			now: at(500)
		});
		// Chi touched task 2 and left it empty: nothing to judge there.
		await saveTaskText(db, chi, {
			attemptId: chiAttempt,
			taskId: taskB,
			seq: 1,
			text: '  ',
			now: at(501)
		});
		// Bình's attempt was closed at the deadline, not submitted here: the head judge assigns it.
		await expect(assignPending(db, j2, { slug: comp.slug, now: at(999) })).rejects.toThrow(
			NotAllowed
		);
		expect(await assignPending(db, head, { slug: comp.slug, now: at(999) })).toBe(2);
		await submitPractical(db, an, { attemptId: anAttempt, now: at(1000) });
		await submitPractical(db, chi, { attemptId: chiAttempt, now: at(1001) });
		expect(await submitPractical(db, chi, { attemptId: chiAttempt, now: at(1002) })).toMatchObject({
			status: 'already_submitted'
		});
		await expect(
			saveTaskText(db, an, {
				attemptId: anAttempt,
				taskId: taskA,
				seq: 99,
				text: 'x',
				now: at(1003)
			})
		).rejects.toThrow(Conflict);
		expect((await events(anAttempt, 'submit')).length).toBe(1);

		expect(await assignPending(db, head, { slug: comp.slug, now: at(1101) })).toBe(0);

		const rows = await db
			.select({
				code: practicalSubmissions.blindCode,
				judge: judgeAssignments.judgeId,
				text: practicalSubmissions.text
			})
			.from(judgeAssignments)
			.innerJoin(practicalSubmissions, eq(practicalSubmissions.id, judgeAssignments.submissionId));
		const bySubmission = new Map<string, typeof rows>();
		for (const r of rows) bySubmission.set(r.code, [...(bySubmission.get(r.code) ?? []), r]);
		// An: 2 tasks; Bình: 1; Chi: 1 (the blank one is not judged).
		expect(bySubmission.size).toBe(4);
		for (const judges of bySubmission.values()) {
			expect(judges.map((j) => j.judge).sort()).toEqual([j2.id, j3.id].sort());
		}
		expect(rows.some((r) => r.text.trim() === '')).toBe(false);

		const an1 = await attemptRow(anAttempt);
		expect(an1).toMatchObject({ status: 'submitted', score: 0, maxScore: 20, needsGrading: true });
		const chi1 = await attemptRow(chiAttempt);
		expect(chi1).toMatchObject({ score: 0, maxScore: 20, needsGrading: true });
	});

	it('shows judges only blind codes — never a name, username, unit or attempt', async () => {
		const db = database.db;
		const queue = await judgeQueue(db, j2);
		expect(queue.toScore).toHaveLength(4);
		const everything = [seen(queue)];
		for (const item of queue.toScore) {
			const sub = await submissionForJudge(db, j2, { code: item.code.toLowerCase() });
			everything.push(seen(sub));
			for (const f of sub.files) {
				const served = await fileForActor(db, j2, f.id);
				expect(served?.fileName).toMatch(/^BT-[A-Z2-9]{6}-\d\.pdf$/);
				expect(served?.download).toBe(true);
				everything.push(served!.fileName);
			}
		}
		everything.push(seen(await judgeQueue(db, head)));
		const text = everything.join('\n');
		for (const person of [an, binh, chi]) {
			expect(text).not.toContain(person.fullName);
			expect(text).not.toContain(person.username);
		}
		for (const secret of [
			unitA.code,
			'Huyện ủy',
			anAttempt,
			binhAttempt,
			chiAttempt,
			'userId',
			'attemptId'
		])
			expect(text).not.toContain(secret);

		// The head judge's overview lists codes only; an organiser who is not a judge may lift the blind.
		const headView = seen(await judgingOverview(db, head, { slug: comp.slug }));
		expect(headView).not.toContain(an.fullName);
		expect(headView).not.toContain(unitA.code);
		const organiserView = await judgingOverview(db, organiser, { slug: comp.slug });
		expect(organiserView.showsCompetitors).toBe(true);
		expect(organiserView.submissions.map((s) => s.competitor?.fullName)).toContain(an.fullName);
	});

	it('lets only assigned judges (and the head judge) open and mark a submission', async () => {
		const db = database.db;
		const [code] = (await judgeQueue(db, j2)).toScore.map((i) => i.code);
		for (const who of [an, organiser, outsider])
			await expect(submissionForJudge(db, who, { code }), who.username).rejects.toThrow(NotFound);
		await expect(
			scoreSubmission(db, head, { code, points: {}, comment: '', now: at(2000) })
		).rejects.toThrow(NotFound);
		expect((await submissionForJudge(db, head, { code })).assigned).toBe(false);
		await expect(submissionForJudge(db, j2, { code: 'BT-ZZZZZZ' })).rejects.toThrow(NotFound);
	});

	async function codeOf(attemptId: string, taskId: number) {
		const [row] = await database.db
			.select({ code: practicalSubmissions.blindCode })
			.from(practicalSubmissions)
			.where(
				and(eq(practicalSubmissions.attemptId, attemptId), eq(practicalSubmissions.taskId, taskId))
			);
		return row.code;
	}

	it('averages two marks within the margin and keeps attempts.score the sum of final scores', async () => {
		const db = database.db;
		const code = await codeOf(anAttempt, taskA);
		const mark = (judge: Actor, a: unknown, b: unknown, comment = '') =>
			scoreSubmission(db, judge, {
				code,
				points: { [critA[0]]: a, [critA[1]]: b },
				comment,
				now: at(2100)
			});
		// Out of range, off the half-point step, missing: refused per criterion.
		await expect(mark(j2, '5,5', '2')).rejects.toMatchObject({
			fields: { [`c${critA[0]}`]: expect.any(String) }
		});
		await expect(mark(j2, '2,25', '2')).rejects.toThrow(Invalid);
		await expect(mark(j2, '2', undefined)).rejects.toMatchObject({
			fields: { [`c${critA[1]}`]: expect.any(String) }
		});
		const waiting = await mark(j2, '4,5', '3.5', 'Sửa đúng cổng mặc định');
		expect(waiting).toEqual({ state: 'waiting', scored: 1 });
		// The other judge does not see the first one's marks.
		const other = await submissionForJudge(db, j3, { code });
		expect(other.mine).toBeNull();
		expect(other.marks).toEqual([]);
		const before = notices.length;
		expect(await mark(j3, 4, 2)).toEqual({ state: 'final', score: 7 });
		const [sub] = await db
			.select()
			.from(practicalSubmissions)
			.where(eq(practicalSubmissions.blindCode, code));
		expect(sub).toMatchObject({ finalScore: 7, finalBy: null });
		expect(await attemptRow(anAttempt)).toMatchObject({
			score: 7,
			maxScore: 20,
			needsGrading: true
		});
		await expect.poll(() => notices.length).toBeGreaterThan(before);
		expect(notices.at(-1)).toBe(String(comp.id));
		// A judge may still change their marks: the average follows.
		expect(await mark(j3, 5, 3)).toEqual({ state: 'final', score: 8 });
		expect((await attemptRow(anAttempt)).score).toBe(8);
		// The rubric's points are fixed once marking has started; names may still be clarified.
		await expect(
			addCriterion(db, organiser, {
				slug: comp.slug,
				position: 1,
				now: at(2101),
				taskId: taskA,
				name: 'Thêm',
				description: '',
				maxPoints: 1
			})
		).rejects.toThrow(Conflict);
		await expect(
			deleteCriterion(db, organiser, {
				slug: comp.slug,
				position: 1,
				now: at(2101),
				taskId: taskA,
				criterionId: critA[0]
			})
		).rejects.toThrow(Conflict);
		await updateCriterion(db, organiser, {
			slug: comp.slug,
			position: 1,
			now: at(2101),
			taskId: taskA,
			criterionId: critA[0],
			name: 'Đúng địa chỉ IP và mặt nạ mạng',
			description: '',
			maxPoints: 5
		});
		await expect(
			removeJudge(db, organiser, { slug: comp.slug, userId: j2.id, now: at(2102) })
		).rejects.toThrow(Conflict);
	});

	it('flags a disagreement for the head judge, whose decision is final, noted and audited', async () => {
		const db = database.db;
		const code = await codeOf(anAttempt, taskB);
		const mark = (judge: Actor, p: number) =>
			scoreSubmission(db, judge, { code, points: { [critB[0]]: p }, comment: '', now: at(2200) });
		await mark(j2, 9);
		// Deciding is for flagged submissions only, and for the head judge only.
		await expect(
			decideSubmission(db, head, { code, score: 6, note: 'Xem lại', now: at(2201) })
		).rejects.toThrow(Conflict);
		expect(await mark(j3, 4)).toEqual({ state: 'flagged', difference: 5 });
		expect((await judgeQueue(db, head)).flagged.map((f) => f.code)).toEqual([code]);
		expect((await judgeQueue(db, j2)).flagged).toEqual([]);
		expect(await attemptRow(anAttempt)).toMatchObject({ score: 8, needsGrading: true });

		const headView = await submissionForJudge(db, head, { code });
		expect(headView.marks.map((x) => [x.judge, x.total])).toEqual([
			[j2.fullName, 9],
			[j3.fullName, 4]
		]);
		await expect(
			decideSubmission(db, j2, { code, score: 6, note: 'Tôi quyết', now: at(2202) })
		).rejects.toThrow(NotFound);
		await expect(
			decideSubmission(db, organiser, { code, score: 6, note: 'BTC', now: at(2202) })
		).rejects.toThrow(NotFound);
		await expect(
			decideSubmission(db, head, { code, score: '6,1', note: 'Lý do', now: at(2202) })
		).rejects.toMatchObject({
			fields: { score: expect.any(String) }
		});
		await expect(
			decideSubmission(db, head, { code, score: 11, note: '', now: at(2202) })
		).rejects.toMatchObject({
			fields: { score: expect.any(String), note: expect.any(String) }
		});
		await decideSubmission(db, head, {
			code,
			score: '6,5',
			note: 'Thể thức đúng, thiếu nơi nhận',
			now: at(2203)
		});
		const [sub] = await db
			.select()
			.from(practicalSubmissions)
			.where(eq(practicalSubmissions.blindCode, code));
		expect(sub).toMatchObject({
			finalScore: 6.5,
			finalBy: head.id,
			finalNote: 'Thể thức đúng, thiếu nơi nhận'
		});
		// Both of An's submissions are final now: 8 + 6.5, nothing left to grade.
		expect(await attemptRow(anAttempt)).toMatchObject({
			score: 14.5,
			maxScore: 20,
			needsGrading: false
		});
		// The engine's own grading gives the same numbers (contract 2 holds however it is recomputed).
		expect(await gradeAttempt(db, anAttempt)).toEqual({
			score: 14.5,
			maxScore: 20,
			needsGrading: false
		});
		await expect(mark(j2, 8)).rejects.toThrow(Conflict);
		const [decision] = await db
			.select()
			.from(auditLog)
			.where(eq(auditLog.action, 'judging.decide'));
		expect(decision).toMatchObject({ actorId: head.id, targetId: code });
		expect(decision.details).toMatchObject({ score: 6.5, note: 'Thể thức đúng, thiếu nơi nhận' });
		expect((await judgeQueue(db, head)).flagged).toEqual([]);
	});

	it('lets the head judge swap a judge who has not marked yet, with a reason, audited', async () => {
		const db = database.db;
		const code = await codeOf(chiAttempt, taskA);
		await expect(
			reassignJudge(db, j2, {
				code,
				fromJudgeId: j3.id,
				toJudgeId: head.id,
				reason: 'Bận',
				now: at(2300)
			})
		).rejects.toThrow(NotAllowed);
		await expect(
			reassignJudge(db, head, {
				code,
				fromJudgeId: j3.id,
				toJudgeId: j2.id,
				reason: 'Bị ốm',
				now: at(2300)
			})
		).rejects.toMatchObject({ fields: { toJudgeId: expect.any(String) } });
		await expect(
			reassignJudge(db, head, {
				code,
				fromJudgeId: j3.id,
				toJudgeId: head.id,
				reason: '',
				now: at(2300)
			})
		).rejects.toMatchObject({ fields: { reason: expect.any(String) } });
		await reassignJudge(db, head, {
			code,
			fromJudgeId: j3.id,
			toJudgeId: head.id,
			reason: 'Giám khảo ốm',
			now: at(2300)
		});
		expect((await submissionForJudge(db, head, { code })).assigned).toBe(true);
		await expect(submissionForJudge(db, j3, { code })).rejects.toThrow(NotFound);
		await scoreSubmission(db, head, {
			code,
			points: { [critA[0]]: 3, [critA[1]]: 3 },
			comment: '',
			now: at(2301)
		});
		await expect(
			reassignJudge(db, head, {
				code,
				fromJudgeId: head.id,
				toJudgeId: j3.id,
				reason: 'Đổi lại',
				now: at(2302)
			})
		).rejects.toThrow(Conflict);
		const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, 'judging.reassign'));
		expect(audit.details).toMatchObject({ from: j3.id, to: head.id, reason: 'Giám khảo ốm' });
		await scoreSubmission(db, j2, {
			code,
			points: { [critA[0]]: 4, [critA[1]]: 3 },
			comment: '',
			now: at(2303)
		});
		// Chi's only non-empty submission is final: needs_grading clears.
		expect(await attemptRow(chiAttempt)).toMatchObject({
			score: 6.5,
			maxScore: 20,
			needsGrading: false
		});
		const overview = await judgingOverview(db, organiser, { slug: comp.slug });
		expect(overview.progress).toMatchObject({
			total: 4,
			final: 3,
			flagged: 0,
			waiting: 1,
			unassigned: 0
		});
	});
	it('follows the engine through an emergency pause: work is accepted while paused, the deadline moves', async () => {
		const db = database.db;
		const dung = await makeCadre(db, unitA, { fullName: 'Hà Văn Dũng' });
		await register(db, { competitionId: comp.id, user: dung, now: at(100) });
		const attemptId = await startRoundAttempt(db, dung, { assessmentId, now: at(100) });
		// Deadline at(3700), grace until at(3760). The round is paused at at(3600) for 1000 s.
		await pauseAssessment(db, organiser, {
			assessmentId,
			reason: 'Mất điện hội trường',
			now: at(3600)
		});
		await saveTaskText(db, dung, {
			attemptId,
			taskId: taskA,
			seq: 1,
			text: 'Trong lúc dừng',
			now: at(4000)
		});
		await resumeAssessment(db, organiser, {
			assessmentId,
			reason: 'Có điện trở lại',
			now: at(4600)
		});
		expect((await attemptRow(attemptId)).deadlineAt?.toISOString()).toBe(at(4700).toISOString());
		await uploadTaskFile(db, dung, {
			attemptId,
			taskId: taskA,
			fileName: 'bai-lam.pdf',
			bytes: SAMPLE_FILES.pdf(),
			now: at(4750)
		});
		await expect(
			saveTaskText(db, dung, { attemptId, taskId: taskA, seq: 2, text: 'Quá hạn', now: at(4761) })
		).rejects.toThrow(TooLate);
		expect((await events(attemptId, 'save_rejected')).length).toBe(1);
	});
});
