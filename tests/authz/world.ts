// The world the authorisation tests run in: the demo data set, the seven people of the matrix
// logged in, and what they need to point at — other people's attempts, submissions and files, a
// running competition and quiz whose questions carry answer-key markers, objects of their own for
// the staff to change — all made through the app's own pages and actions, as people would.
import { expect } from '@playwright/test';
import { Client, type FormBody } from './client';
import { WHO, type Who } from './matrix';

/** The demo accounts playing each part of the matrix. */
export const ACCOUNTS: Record<Exclude<Who, 'anonymous'>, string> = {
	cadre: 'canbo', // Đảng ủy xã Minh Xuân (Lục Yên), a competitor of the demo hội thi
	leader: 'lanhdao.vanyen', // leader of Huyện ủy Văn Yên: Lục Yên is another unit's
	trainer: 'giangvien',
	organiser: 'bantochuc',
	judge: 'giamkhao2', // a judge of the demo hội thi, not the head
	admin: 'admin'
};

export const DEMO_COMPETITION = 'hoi-thi-cntt-2012';
/** A unit outside the leader's subtree (the cadre's district). */
export const OTHER_UNIT = 'HU-LY';
export const SCRATCH_COMPETITION = 'kiem-thu-phan-quyen';
/** A hội thi of the organiser's taking registrations. */
export const REGISTRATION_COMPETITION = 'kiem-thu-dang-ky';

/**
 * Markers written into every part of the answer key of the test questions (choice feedback,
 * general feedback, accepted short answers, the numerical value): none may reach a competitor.
 */
export const KEY_MARKERS = [
	'khoadapan-phanhoi-dung',
	'khoadapan-phanhoi-sai',
	'khoadapan-chung',
	'khoadapan-dungsai-dung',
	'khoadapan-dungsai-sai',
	'khoadapanlenhping',
	'48213.907'
];

export const MARKER_GIFT = `// Câu hỏi kiểm thử phân quyền: mọi phần của đáp án mang một dấu riêng.
::PQ1 Giao thức thư::Giao thức nào dùng để gửi thư điện tử? {
=SMTP#khoadapan-phanhoi-dung
~HTTP#khoadapan-phanhoi-sai
~FTP#khoadapan-phanhoi-sai
####khoadapan-chung
}

::PQ2 Địa chỉ riêng::Địa chỉ 192.168.1.1 là địa chỉ IP riêng. {TRUE#khoadapan-dungsai-sai#khoadapan-dungsai-dung}

::PQ3 Lệnh kiểm tra::Gõ lệnh dùng để kiểm tra kết nối tới một máy khác. {=khoadapanlenhping}

::PQ4 Số kiểm thử::Nhập số kiểm thử của đề. {#48213.907}

::PQ5 Ghép cặp::Ghép thiết bị với tầng của nó. {
=Switch -> Tầng 2
=Router -> Tầng 3
=Hub -> Tầng 1
}
`;

/** The right answers of the marker questions, by question name (as a competitor would type them). */
export const RIGHT = {
	single: 'SMTP',
	shortanswer: 'khoadapanlenhping',
	numerical: '48213.907'
};

export interface Attempts {
	theory: string;
	practical: string;
	quiz: string;
}

export interface World {
	baseURL: string;
	/** The demo hội thi (running; its board is public). */
	competition: string;
	/** A hội thi taking registrations. */
	registration: string;
	/** Cadres of Lục Yên registered nowhere (outside the leader of Văn Yên's units). */
	registrable: string[];
	clients: Record<Who, Client>;
	/** Sessions of the two victims (competitors whose work the others must not reach). */
	victims: { a: Client; b: Client };
	/** Registered competitors of the demo hội thi in Lục Yên, neither of them a matrix account. */
	victimA: { username: string; fullName: string; id: number; attempts: Attempts; file: string };
	victimB: {
		username: string;
		fullName: string;
		unitName: string;
		id: number;
		/** Their submitted attempt at the scratch hội thi's theory round, and its score. */
		scratchTheory: string;
		quiz: string;
		demoPractical: string;
	};
	/** The cadre's own attempts (the demo hội thi's rounds, the marker quiz, the scratch theory round). */
	own: Attempts & { scratchTheory: string };
	/** Competitors' names and usernames other than the cadre (what a judge must never see). */
	competitors: Array<{ username: string; fullName: string; unitName: string }>;
	judgeCode: string;
	/** The rubric criteria of judgeCode's task. */
	judgeCriteria: Array<{ id: number; maxPoints: number }>;
	/** User ids of the demo judges by username. */
	judges: Record<string, number>;
	/** An attachment of the demo practical round. */
	taskFile: string;
	certificate: string;
	/** A certificate of a Lục Yên cadre: the leader of Văn Yên may not see it. */
	otherCertificate: string;
	openCourse: { id: number; slug: string; lesson: string };
	/** The open course's own quiz (the demo's). */
	openQuiz: number;
	quiz: number;
	markerCategory: number;
	question: number;
	/** A demo bank category with many questions, and one of its questions. */
	demoCategory: number;
	demoQuestion: number;
	/** The current version of `question`, and its editor form as the page fills it. */
	questionVersion: number;
	questionForm: FormBody;
	/** The marker quiz's settings form as its page fills it. */
	quizForm: FormBody;
	/** The scratch hội thi's settings form. */
	scratchForm: FormBody;
	essay: { versionId: number; attemptId: string; slot: number };
	course: {
		id: number;
		slug: string;
		sectionId: number;
		lessonId: number;
		lessonSlug: string;
		revisionId: number;
		currentRevisionId: number;
		assignmentId: number;
	};
	scratch: {
		slug: string;
		theory: number;
		practical: number;
		taskId: number;
		criterionId: number;
		attachmentId: string;
		clarificationId: number;
	};
	/** An image in the draft course's lesson (only its authors may see it). */
	lessonFile: string;
	/** Victim B's private clarification question in the scratch hội thi. */
	privateQuestion: string;
	scratchUnit: { id: number; code: string };
	scratchUser: { id: number; username: string };
	/** A cadre of the leader's own unit, not registered for the demo hội thi. */
	leaderCadre: string;
}

const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
	'base64'
);
export const SMALL_PNG = { name: 'so-do.png', mimeType: 'image/png', buffer: PNG };

/** Vietnam wall-clock time for datetime-local inputs, `minutes` from now. */
export function localInput(minutes: number): string {
	return new Date(Date.now() + 7 * 3600_000 + minutes * 60_000).toISOString().slice(0, 16);
}

/** Form values as the browser posts them: booleans become checkboxes. */
export function fields(values: Record<string, unknown>): FormBody {
	const out: FormBody = {};
	for (const [key, value] of Object.entries(values)) {
		if (value === true) out[key] = 'on';
		else if (value === false || value === null || value === undefined) continue;
		else if (Array.isArray(value)) out[key] = value.map(String);
		else out[key] = String(value);
	}
	return out;
}

const idFrom = (location: string | null, pattern: RegExp): string => {
	const match = pattern.exec(location ?? '');
	if (!match) throw new Error(`no id in ${location}`);
	return match[1];
};

/** Starts a round of a competition from the lobby; the attempt id from where it leads. */
export async function startRound(client: Client, slug: string, position: number): Promise<string> {
	const result = await client.must(`/competitions/${slug}`, 'start', {
		position: String(position)
	});
	return idFrom(result.location, /\/(?:attempts|practical)\/([0-9a-f-]{36})/);
}

interface Slot {
	slot: number;
	type: string;
	name?: string;
	stemHtml?: string;
	choices?: Array<{ index: number; html?: string; text?: string }>;
	prompts?: Array<{ index: number }>;
}

/** Answers the marker questions of an attempt rightly (through the autosave endpoint) and submits. */
export async function answerAndSubmit(client: Client, attemptId: string): Promise<void> {
	const pages = (await client.pageData<{ pages: number }>(`/attempts/${attemptId}`)).pages;
	let seq = 1;
	for (let page = 1; page <= pages; page++) {
		const data = await client.pageData<{ slots: Slot[] }>(`/attempts/${attemptId}?page=${page}`);
		for (const s of data.slots) {
			let response: unknown = null;
			const text = (c: { html?: string; text?: string }) => c.html ?? c.text ?? '';
			if (s.type === 'single') {
				const choice = s.choices?.find((c) => text(c).includes(RIGHT.single));
				response = { type: 'single', choice: choice?.index ?? 0 };
			} else if (s.type === 'truefalse') response = { type: 'truefalse', answer: true };
			else if (s.type === 'shortanswer')
				response = { type: 'shortanswer', text: RIGHT.shortanswer };
			else if (s.type === 'numerical') response = { type: 'numerical', text: RIGHT.numerical };
			if (!response) continue;
			const res = await client.post(`/attempts/${attemptId}/save`, {
				json: { slot: s.slot, seq: seq++, response }
			});
			expect(res.status, `save slot ${s.slot}: ${res.text}`).toBe(200);
		}
	}
	const submitted = await client.action(`/attempts/${attemptId}/submit`, 'default', {});
	expect(submitted.type, submitted.text).toBe('redirect');
}

export async function prepareWorld(baseURL: string): Promise<World> {
	const clients = {} as Record<Who, Client>;
	clients.anonymous = await Client.anonymous(baseURL);
	for (const who of WHO)
		if (who !== 'anonymous') clients[who] = await Client.logIn(baseURL, ACCOUNTS[who], who);
	const { cadre, leader, trainer, organiser, judge, admin } = clients;

	// Competitors of the demo hội thi from the cadre's district, and everybody's names.
	type Registrations = {
		view: {
			units: Array<{
				code: string;
				members: Array<{ username: string; fullName: string; unitName: string }>;
			}>;
		};
	};
	const registrations = await organiser.pageData<Registrations>(
		`/manage/competitions/${DEMO_COMPETITION}/registrations`
	);
	const competitors = registrations.view.units
		.flatMap((u) => u.members)
		.filter((m) => m.username !== ACCOUNTS.cadre);
	const [a, b] = registrations.view.units
		.find((u) => u.code === OTHER_UNIT)!
		.members.filter((m) => m.username !== ACCOUNTS.cadre);
	const victimAClient = await Client.logIn(baseURL, a.username);
	const victimBClient = await Client.logIn(baseURL, b.username);
	type UnitMembers = { members: Array<{ username: string; isLeader: boolean }> };
	const registered = new Set(
		registrations.view.units.flatMap((u) => u.members.map((m) => m.username))
	);
	const registrable: string[] = [];
	for (const code of [OTHER_UNIT, 'LY-MINHXUAN', 'LY-YENTHE'])
		for (const m of (await admin.pageData<UnitMembers>(`/units/${code}`)).members)
			if (!m.isLeader && !registered.has(m.username) && m.username !== ACCOUNTS.cadre)
				registrable.push(m.username);
	expect(registrable.length, 'enough Lục Yên cadres to register').toBeGreaterThanOrEqual(13);
	const idOf = async (username: string) => {
		const users = await admin.pageData<{ users: Array<{ id: number; username: string }> }>(
			`/admin/users?q=${encodeURIComponent(username)}`
		);
		return users.users.find((u) => u.username === username)!.id;
	};

	// The trainer's marker questions, in a category of their own.
	await trainer.must('/manage/questions/categories', 'create', { name: 'Kiểm thử phân quyền' });
	type Categories = { categories: Array<{ id: number; name: string }> };
	const markerCategory = (
		await trainer.pageData<Categories>('/manage/questions/categories')
	).categories.find((c) => c.name === 'Kiểm thử phân quyền')!.id;
	const imported = await trainer.must('/manage/questions/import', 'confirm', {
		text: MARKER_GIFT,
		fileName: 'kiem-thu.gift',
		format: 'gift',
		categoryId: String(markerCategory)
	});
	expect(imported.type).toBe('success');
	const questions = await trainer.pageData<{ questions: Array<{ id: number; name: string }> }>(
		`/manage/questions?category=${markerCategory}`
	);
	const question = questions.questions.find((q) => q.name === 'PQ1 Giao thức thư')!.id;
	const demoCategory = (await trainer.pageData<Categories>('/manage/questions/categories'))
		.categories[0].id;
	const demoQuestion = (
		await trainer.pageData<{ questions: Array<{ id: number }> }>(
			`/manage/questions?category=${demoCategory}`
		)
	).questions[0].id;
	const questionVersion = (
		await trainer.pageData<{ question: { versionId: number } }>(`/manage/questions/${question}`)
	).question.versionId;
	const questionForm = questionFormBody(
		(await trainer.pageData<{ values: QuestionValues }>(`/manage/questions/${question}/edit`))
			.values
	);

	// A quiz in an open demo course drawing those questions, reviews hidden until it closes.
	type Catalogue = { courses: Array<{ id: number; slug: string }> };
	const open = (await cadre.pageData<Catalogue>('/courses')).courses.find(
		(c) => c.slug === 'quan-tri-mang-co-ban'
	)!;
	const openLesson = (
		await cadre.pageData<{ course: { sections: Array<{ lessons: Array<{ slug: string }> }> } }>(
			`/courses/${open.slug}`
		)
	).course;
	const lessonSlug =
		(openLesson as unknown as { sections?: Array<{ lessons: Array<{ slug: string }> }> })
			.sections?.[0]?.lessons[0]?.slug ?? '01-mang-lan-wan-va-mo-hinh-phan-lop';
	const quizCreated = await trainer.must('/manage/quizzes/new', 'default', {
		courseId: String(open.id),
		title: 'Kiểm tra phân quyền',
		description: '',
		status: 'published',
		timeLimitMinutes: '30',
		attemptsAllowed: '3',
		gradingMethod: 'highest',
		passPercent: '50',
		graceSeconds: '60'
	});
	const quiz = Number(idFrom(quizCreated.location, /\/manage\/quizzes\/(\d+)/));
	await trainer.must(`/manage/quizzes/${quiz}/slots`, 'addRandom', {
		categoryId: String(markerCategory),
		count: '5',
		points: '1'
	});
	const quizForm = (await trainer.pageData<{ values: FormBody }>(`/manage/quizzes/${quiz}`)).values;
	type Quizzes = { quizzes: Array<{ id: number; courseTitle: string; title: string }> };
	const openQuiz = (await trainer.pageData<Quizzes>('/manage/quizzes')).quizzes.find(
		(q) => q.id !== quiz && q.courseTitle === 'Quản trị mạng cơ bản'
	)!.id;
	// The demo's learning history may have used up someone's attempts at it (the seed's draws are
	// random): an extra attempt each, so that "may start" is what the matrix checks.
	for (const username of Object.values(ACCOUNTS)) {
		await trainer.must(`/manage/quizzes/${openQuiz}/overrides`, 'save', {
			username,
			extraMinutes: '',
			extraAttempts: '3',
			closeAt: '',
			reason: 'Kiểm thử phân quyền'
		});
	}

	// The demo hội thi: both victims and the cadre start its rounds; victim A uploads a file;
	// victim B hands in the practical round, which goes to the judges.
	const own = {} as World['own'];
	own.theory = await startRound(cadre, DEMO_COMPETITION, 2);
	own.practical = await startRound(cadre, DEMO_COMPETITION, 3);
	const aAttempts = {} as Attempts;
	aAttempts.theory = await startRound(victimAClient, DEMO_COMPETITION, 2);
	aAttempts.practical = await startRound(victimAClient, DEMO_COMPETITION, 3);
	type Practical = {
		view: {
			tasks: Array<{
				id: number;
				statementHtml?: string;
				attachments?: Array<{ id: string }>;
				answer?: { files: Array<{ id: string }> };
			}>;
		};
	};
	const aPractical = await victimAClient.pageData<Practical>(`/practical/${aAttempts.practical}`);
	const firstTask = aPractical.view.tasks[0];
	const taskFile = firstTask.attachments?.[0]?.id;
	expect(taskFile, 'the demo task has an attachment').toBeTruthy();
	await victimAClient.must(`/practical/${aAttempts.practical}`, 'save', {
		[`t${firstTask.id}`]: 'Bài làm của thí sinh A',
		[`f${firstTask.id}`]: { name: 'bai-lam.png', mimeType: 'image/png', buffer: PNG }
	});
	const aFiles = (await victimAClient.pageData<Practical>(`/practical/${aAttempts.practical}`)).view
		.tasks[0].answer?.files;
	expect(aFiles?.length, 'victim A uploaded a file').toBeTruthy();

	const demoPractical = await startRound(victimBClient, DEMO_COMPETITION, 3);
	await victimBClient.must(`/practical/${demoPractical}`, 'save', {
		[`t${firstTask.id}`]: 'Bài làm của thí sinh B',
		[`f${firstTask.id}`]: { name: `bai-lam-${b.username}.png`, mimeType: 'image/png', buffer: PNG }
	});
	await victimBClient.must(`/practical/${demoPractical}/submit`, 'default', {});
	await organiser.must(`/manage/competitions/${DEMO_COMPETITION}/judging`, 'assign', {});
	type Queue = { queue: { toScore: Array<{ code: string }> } };
	const queue = await judge.pageData<Queue>('/judging');
	const judgeCode = queue.queue.toScore[0]?.code;
	expect(judgeCode, `giamkhao2 has a submission to judge: ${JSON.stringify(queue)}`).toBeTruthy();
	const judgeCriteria = (
		await judge.pageData<{ submission: { criteria: Array<{ id: number; maxPoints: number }> } }>(
			`/judging/${judgeCode}`
		)
	).submission.criteria.map((c) => ({ id: c.id, maxPoints: c.maxPoints }));
	type Overview = { judges: Array<{ userId: number; username: string }> };
	const judges = Object.fromEntries(
		(
			await organiser.pageData<Overview>(`/manage/competitions/${DEMO_COMPETITION}/judging`)
		).judges.map((j) => [j.username, j.userId])
	);

	// The quiz: victim B hands it in with a score, victim A and the cadre are in the middle of it.
	const startQuiz = async (client: Client) =>
		idFrom(
			(await client.must(`/quizzes/${quiz}`, 'start', {})).location,
			/\/attempts\/([0-9a-f-]{36})/
		);
	const bQuiz = await startQuiz(victimBClient);
	await answerAndSubmit(victimBClient, bQuiz);
	aAttempts.quiz = await startQuiz(victimAClient);
	own.quiz = await startQuiz(cadre);

	// The organiser's scratch hội thi: running, a theory round drawing the marker questions, a
	// practical round with a task, a rubric and an attachment; the cadre and victim B compete.
	const base = `/manage/competitions/${SCRATCH_COMPETITION}`;
	await organiser.must('/manage/competitions', 'create', {
		slug: SCRATCH_COMPETITION,
		title: 'Hội thi kiểm thử phân quyền'
	});
	type Managed = { competition: Record<string, unknown> };
	const settings = (await organiser.pageData<Managed>(base)).competition;
	const scratchForm = competitionForm({ ...settings, status: 'running' });
	await organiser.must(base, 'save', scratchForm);
	const round = (name: string, kind: string) =>
		fields({
			name,
			kind,
			startMode: 'window',
			instructions: '',
			openAt: localInput(-60),
			closeAt: localInput(7 * 24 * 60),
			timeLimitMinutes: 30,
			graceSeconds: 60,
			counts: true,
			published: true
		});
	await organiser.must(base, 'addRound', round('Vòng lý thuyết', 'theory'));
	await organiser.must(base, 'addRound', round('Vòng thực hành', 'practical'));
	await organiser.must(`${base}/rounds/1`, 'draw', {
		rows: '1',
		count_1: '5',
		category_1: String(markerCategory),
		points_1: '1'
	});
	const task = await organiser.must(`${base}/rounds/2/tasks`, 'create', {
		title: 'Đề kiểm thử',
		statement: 'Nêu cách sửa sơ đồ. ![Sơ đồ](so-do.png)'
	});
	const taskId = Number(idFrom(task.location, /\/tasks\/(\d+)/));
	const taskPath = `${base}/rounds/2/tasks/${taskId}`;
	await organiser.must(taskPath, 'addCriterion', {
		name: 'Đúng lỗi',
		description: '',
		maxPoints: '5'
	});
	await organiser.must(taskPath, 'attach', { file: SMALL_PNG });
	type TaskView = { criteria?: Array<{ id: number }>; attachments?: Array<{ id: string }> };
	const taskView = await organiser.pageData<TaskView>(taskPath);
	for (const username of [ACCOUNTS.cadre, b.username])
		await organiser.must(`${base}/registrations`, 'register', { username, team: '' });
	const scratchTheory = await startRound(victimBClient, SCRATCH_COMPETITION, 1);
	await answerAndSubmit(victimBClient, scratchTheory);
	own.scratchTheory = await startRound(cadre, SCRATCH_COMPETITION, 1);
	const privateQuestion = 'Câu hỏi riêng của thí sinh B về đề thi';
	await victimBClient.must(`/competitions/${SCRATCH_COMPETITION}`, 'ask', {
		question: privateQuestion,
		round: '1'
	});
	type Clarifications = { clarifications?: Array<{ id: number }>; items?: Array<{ id: number }> };
	const clar = await organiser.pageData<Clarifications>(`${base}/clarifications`);
	const clarificationId = (clar.clarifications ?? clar.items ?? [])[0]?.id;
	expect(clarificationId, JSON.stringify(clar).slice(0, 300)).toBeTruthy();

	// A second hội thi, taking registrations, for the registration pages.
	await organiser.must('/manage/competitions', 'create', {
		slug: REGISTRATION_COMPETITION,
		title: 'Hội thi đang nhận đăng ký'
	});
	const registrationSettings = (
		await organiser.pageData<Managed>(`/manage/competitions/${REGISTRATION_COMPETITION}`)
	).competition;
	await organiser.must(
		`/manage/competitions/${REGISTRATION_COMPETITION}`,
		'save',
		competitionForm({
			...registrationSettings,
			status: 'registration',
			eligibleUnitKinds: ['agency', 'district', 'commune']
		})
	);

	// Someone of Lục Yên already registered, for the refused withdrawals.
	await organiser.must(
		`/manage/competitions/${REGISTRATION_COMPETITION}/registrations`,
		'register',
		{
			username: registrable[12],
			team: ''
		}
	);

	// Certificates: one of the cadre's district (not the cadre's), any other.
	type Certificates = { certificates: Array<{ code: string; fullName: string }> };
	const lucYen = await admin.pageData<Certificates>(`/certificates?unit=${OTHER_UNIT}`);
	const otherCertificate = lucYen.certificates.find((c) => c.fullName !== 'x')!.code;

	// The trainer's draft course with a section, a lesson (two revisions) and a unit assignment.
	const created = await trainer.must('/manage/courses/new', 'default', {
		slug: 'kiem-thu-phan-quyen',
		title: 'Khóa học kiểm thử phân quyền',
		summary: 'Khóa học nháp',
		category: 'Kiểm thử',
		estimatedHours: '1',
		description: ''
	});
	const courseId = Number(idFrom(created.location, /\/manage\/courses\/(\d+)/));
	const coursePath = `/manage/courses/${courseId}`;
	await trainer.must(coursePath, 'addSection', { title: 'Phần một' });
	type Outline = { outline: { sections: Array<{ id: number }> } };
	const sectionId = (await trainer.pageData<Outline>(coursePath)).outline.sections[0].id;
	const lesson = await trainer.must(coursePath, 'addLesson', {
		title: 'Bài nháp',
		sectionId: String(sectionId)
	});
	const lessonId = Number(idFrom(lesson.location, /\/lessons\/(\d+)/));
	const lessonPath = `${coursePath}/lessons/${lessonId}`;
	type LessonEdit = { lesson: { slug: string; baseRevisionId: number | null; title: string } };
	const before = (await trainer.pageData<LessonEdit>(lessonPath)).lesson;
	let lessonBase = before.baseRevisionId;
	for (const [body, status] of [
		['Nội dung bài nháp.', 'draft'],
		['Nội dung bài, xuất bản.', 'published']
	]) {
		await trainer.must(lessonPath, 'save', {
			title: before.title,
			slug: before.slug,
			estimatedMinutes: '10',
			body,
			note: 'sửa',
			status,
			baseRevisionId: String(lessonBase ?? '')
		});
		lessonBase = (await trainer.pageData<LessonEdit>(lessonPath)).lesson.baseRevisionId;
	}
	await trainer.must(lessonPath, 'upload', {
		file: SMALL_PNG,
		alt: 'Sơ đồ',
		body: 'Nội dung bài, xuất bản.',
		cursor: ''
	});
	type LessonFiles = { lesson: { files: Array<{ id: string }> } };
	const lessonFile = (await trainer.pageData<LessonFiles>(lessonPath)).lesson.files[0].id;
	type History = { revisions: Array<{ id: number; current: boolean }> };
	const revisions = (await trainer.pageData<History>(`${lessonPath}/history`)).revisions;
	// The draft with content: restoring it is possible.
	const revisionId = revisions.filter((r) => !r.current)[0].id;
	await trainer.must(`${coursePath}/enrolment`, 'assignUnit', {
		unitCode: OTHER_UNIT,
		includeSubtree: 'on',
		due: ''
	});
	type Enrolment = { enrolment: { assignments: Array<{ id: number }> } };
	const assignmentId = (await trainer.pageData<Enrolment>(`${coursePath}/enrolment`)).enrolment
		.assignments[0].id;

	// An essay answer waiting for a mark.
	type Groups = { groups: Array<{ questionVersionId: number }> };
	const versionId = (await trainer.pageData<Groups>('/manage/grading')).groups[0].questionVersionId;
	type Marking = { answers: Array<{ attemptId: string; slot: number }> };
	const pending = (await trainer.pageData<Marking>(`/manage/grading/${versionId}`)).answers[0];

	// The admin's scratch unit (under Lục Yên, no members) and account.
	await admin.must('/admin/units', 'create', {
		code: 'KT-PHANQUYEN',
		name: 'Đơn vị kiểm thử phân quyền',
		kind: 'commune',
		parentCode: OTHER_UNIT
	});
	type Units = { units: Array<{ id: number; code: string }> };
	const scratchUnit = (await admin.pageData<Units>('/admin/units')).units.find(
		(u) => u.code === 'KT-PHANQUYEN'
	)!;
	const user = await admin.must('/admin/users/new', 'default', {
		username: 'kiemthu.phanquyen',
		fullName: 'Người Kiểm Thử',
		unitCode: 'KT-PHANQUYEN',
		position: 'Chuyên viên',
		roles: ['cadre'],
		password: 'Mat-khau-kiem-thu-2012'
	});
	const scratchUserId = Number(idFrom(user.location, /\/admin\/users\/(\d+)/));

	// A cadre of the leader's own district, for the leader's own registrations.
	const leaderUnit = await leader.pageData<UnitMembers>('/units/HU-VY');
	const leaderCadre = leaderUnit.members.find(
		(m) => !m.isLeader && !registered.has(m.username)
	)!.username;

	const myCertificates = await admin.pageData<Certificates>('/certificates');

	const world: World = {
		baseURL,
		competition: DEMO_COMPETITION,
		victims: { a: victimAClient, b: victimBClient },
		registration: REGISTRATION_COMPETITION,
		registrable,
		clients,
		victimA: {
			username: a.username,
			fullName: a.fullName,
			id: await idOf(a.username),
			attempts: aAttempts,
			file: aFiles![0].id
		},
		victimB: {
			username: b.username,
			fullName: b.fullName,
			unitName: b.unitName,
			id: await idOf(b.username),
			scratchTheory,
			quiz: bQuiz,
			demoPractical
		},
		own,
		competitors,
		judgeCode: judgeCode!,
		judgeCriteria,
		judges,
		taskFile: taskFile!,
		certificate: myCertificates.certificates[0].code,
		otherCertificate,
		openCourse: { id: open.id, slug: open.slug, lesson: lessonSlug },
		openQuiz,
		quiz,
		markerCategory,
		question,
		demoCategory,
		demoQuestion,
		questionVersion,
		questionForm,
		quizForm,
		scratchForm,
		essay: { versionId, attemptId: pending.attemptId, slot: pending.slot },
		course: {
			id: courseId,
			slug: 'kiem-thu-phan-quyen',
			sectionId,
			lessonId,
			lessonSlug: before.slug,
			revisionId,
			currentRevisionId: lessonBase!,
			assignmentId
		},
		scratch: {
			slug: SCRATCH_COMPETITION,
			theory: 1,
			practical: 2,
			taskId,
			criterionId: taskView.criteria![0].id,
			attachmentId: taskView.attachments![0].id,
			clarificationId: clarificationId!
		},
		lessonFile,
		privateQuestion,
		scratchUnit: { id: scratchUnit.id, code: scratchUnit.code },
		scratchUser: { id: scratchUserId, username: 'kiemthu.phanquyen' },
		leaderCadre
	};
	return world;
}

/** The competition settings form, from the settings the organiser's page shows. */
export function competitionForm(s: Record<string, unknown>): FormBody {
	const quotas = (s.prizeQuotas ?? {}) as Record<string, Record<string, number>>;
	const out: FormBody = fields({
		slug: s.slug,
		title: s.title,
		description: s.description ?? '',
		status: s.status,
		unitRule: s.unitRule,
		unitBestK: s.unitBestK,
		teamSizeMax: s.teamSizeMax,
		freezeMinutes: s.freezeMinutes,
		judgeMargin: s.judgeMargin
	});
	out.eligibleUnitKinds = ((s.eligibleUnitKinds as string[]) ?? []).map(String);
	for (const group of ['individual', 'unit'])
		for (const prize of ['nhat', 'nhi', 'ba', 'kk'])
			out[`quota_${group}_${prize}`] = String(quotas[group]?.[prize] ?? 0);
	return out;
}

interface QuestionValues {
	[key: string]: unknown;
	rows: Array<Record<string, string>>;
}

/** The question editor's form fields from the values its page fills it with. */
export function questionFormBody(values: QuestionValues): FormBody {
	const { rows, ...rest } = values;
	const out = fields(rest);
	out.rows = String(rows.length);
	rows.forEach((row, i) => {
		for (const [key, value] of Object.entries(row)) out[`a${i}_${key}`] = value;
	});
	return out;
}
