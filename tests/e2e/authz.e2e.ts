// Wrong roles, tested like a bank would: the authorisation matrix generated from the route tree
// (tests/authz) run against a demo server of its own — every page (its HTML and its data), form
// action and endpoint, as anonymous, a cadre, a leader of another unit, a trainer, an organiser,
// a judge and an admin, refusals checked to write nothing — then the specific checks: other
// people's attempts and files, answer keys and scores before publication, judges blind to
// names, sessions that rotate and end, security headers, the CSRF check, and the audit log.
import { expect, test, type Browser } from '@playwright/test';
import { Client } from '../authz/client';
import { missingEntries, staleEntries } from '../authz/coverage';
import { matrix } from '../authz/matrix';
import { enumerateRoutes } from '../authz/routes';
import {
	changedTables,
	checksFor,
	fingerprint,
	newTally,
	runAllowed,
	runRefusals,
	type Tally
} from '../authz/run';
import { startDemoServer, type RunningServer } from '../authz/server';
import { KEY_MARKERS, RIGHT, prepareWorld, type World } from '../authz/world';

test.describe.configure({ mode: 'serial' });

let server: RunningServer;
let world: World;
const targets = enumerateRoutes(process.cwd());
const tally: Tally = newTally();

test.beforeAll(async () => {
	test.setTimeout(600_000);
	server = await startDemoServer('authz');
	world = await prepareWorld(server.baseURL);
});

test.afterAll(async () => {
	if (world) {
		for (const client of [...Object.values(world.clients), world.victims.a, world.victims.b])
			await client.close();
	}
	await server?.stop();
});

/** Keys of the question data that only the server may hold while an attempt runs. */
const KEY_FIELDS = [
	'fraction',
	'tolerance',
	'generalFeedback',
	'feedbackRight',
	'feedbackWrong',
	'caseSensitive',
	'pairs',
	'graderInfo'
];

function keysIn(value: unknown, found = new Set<string>()): Set<string> {
	if (Array.isArray(value)) for (const v of value) keysIn(v, found);
	else if (value && typeof value === 'object')
		for (const [k, v] of Object.entries(value)) {
			found.add(k);
			keysIn(v, found);
		}
	return found;
}

/** Everything a person receives for a page: its HTML and the data the client router fetches. */
async function received(
	client: Client,
	path: string
): Promise<{ status: number; text: string; keys: Set<string> }> {
	const html = await client.get(path);
	const data = await client.data(path);
	const keys = new Set<string>();
	for (const node of data.nodes) if (node.type === 'data') keysIn(node.data, keys);
	return { status: html.status, text: `${html.text}\n${data.text}`, keys };
}

test('every page, form action and endpoint has an entry in the authorisation matrix', () => {
	expect(missingEntries(matrix, targets)).toEqual([]);
	expect(staleEntries(matrix, targets)).toEqual([]);
});

test('another person’s attempts, practical work and files are refused on every endpoint that takes them', async () => {
	const { cadre } = world.clients;
	const a = world.victimA;
	const before = await fingerprint(world.clients.anonymous);
	const refusals: string[] = [];
	const refused = (what: string, status: number, expected = 404) => {
		if (status !== expected) refusals.push(`${what}: ${status}`);
	};
	for (const id of [a.attempts.theory, a.attempts.quiz]) {
		for (const page of [`/attempts/${id}`, `/attempts/${id}/review`, `/attempts/${id}/submit`]) {
			refused(`GET ${page}`, (await cadre.get(page)).status);
			const leaf = (await cadre.data(page)).nodes.at(-1);
			refused(`${page}/__data.json`, leaf?.type === 'error' ? (leaf.status ?? 500) : 200);
		}
		refused(
			`?/save ${id}`,
			(await cadre.action(`/attempts/${id}`, 'save', { slots: '1', goto: '1', a1: '0' })).status
		);
		refused(
			`POST /attempts/${id}/save`,
			(
				await cadre.post(`/attempts/${id}/save`, {
					json: { slot: 1, seq: 5000, response: { type: 'truefalse', answer: false } }
				})
			).status
		);
		refused(`GET /attempts/${id}/status`, (await cadre.get(`/attempts/${id}/status`)).status);
		refused(`submit ${id}`, (await cadre.action(`/attempts/${id}/submit`, 'default')).status);
	}
	const p = a.attempts.practical;
	refused(`GET /practical/${p}`, (await cadre.get(`/practical/${p}`)).status);
	for (const action of ['save', 'remove', 'finish'])
		refused(
			`?/${action} ${p}`,
			(await cadre.action(`/practical/${p}`, action, { t1: 'Bài của tôi', file: a.file })).status
		);
	refused(
		`POST /practical/${p}/save`,
		(
			await cadre.post(`/practical/${p}/save`, {
				json: { slot: 1, seq: 5000, response: { text: 'Sửa bài người khác' } }
			})
		).status
	);
	refused(`GET /practical/${p}/submit`, (await cadre.get(`/practical/${p}/submit`)).status);
	refused(`submit ${p}`, (await cadre.action(`/practical/${p}/submit`, 'default')).status);
	refused(`GET /files/${a.file}`, (await cadre.get(`/files/${a.file}`)).status);
	// Through the cadre's own attempt: another person's file, a task of another round.
	const own = world.own.practical;
	const removed = await cadre.action(`/practical/${own}`, 'remove', { file: a.file });
	if (removed.type === 'success')
		refusals.push(`?/remove of victim A's file through the cadre's own attempt: ${removed.text}`);
	const foreignTask = await cadre.post(`/practical/${own}/save`, {
		json: { slot: world.scratch.taskId, seq: 1, response: { text: 'Đề của vòng khác' } }
	});
	if (foreignTask.status < 400)
		refusals.push(`a task of another round saved: ${foreignTask.status}`);
	const foreignUpload = await cadre.action(`/practical/${own}`, 'save', {
		[`f${world.scratch.taskId}`]: {
			name: 'bai.png',
			mimeType: 'image/png',
			buffer: Buffer.from(
				'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
				'base64'
			)
		}
	});
	if (foreignUpload.type === 'success') refusals.push('a file uploaded to a task of another round');
	// Files of what a person may not see: an image of a draft course's lesson; a round's task
	// attachment before the person has started the round, or to someone not in the competition.
	refused(`lesson image of a draft course`, (await cadre.get(`/files/${world.lessonFile}`)).status);
	refused(
		`task attachment, round not started`,
		(await cadre.get(`/files/${world.scratch.attachmentId}`)).status
	);
	refused(
		`task attachment, not competing`,
		(await world.victims.a.get(`/files/${world.scratch.attachmentId}`)).status
	);
	refused(
		`task attachment, judge of another hội thi`,
		(await world.clients.judge.get(`/files/${world.scratch.attachmentId}`)).status
	);
	expect(refusals).toEqual([]);
	expect(changedTables(before, await fingerprint(world.clients.anonymous))).toEqual([]);
	expect((await world.clients.trainer.get(`/files/${world.lessonFile}`)).status).toBe(200);
	expect((await world.clients.organiser.get(`/files/${world.scratch.attachmentId}`)).status).toBe(
		200
	);

	// The owner, for contrast, reaches all of it.
	const owner = world.victims.a;
	expect((await owner.get(`/attempts/${a.attempts.theory}/status`)).status).toBe(200);
	expect((await owner.get(`/practical/${p}`)).status).toBe(200);
	expect((await owner.get(`/files/${a.file}`)).status).toBe(200);
});

test('a competitor receives no answer key and nobody else’s answers or score before the results are published', async () => {
	const c = world.clients.cadre;
	const own = world.own;
	const pages = [
		'/',
		'/my',
		'/competitions',
		`/competitions/${world.competition}`,
		`/competitions/${world.scratch.slug}`,
		`/competitions/${world.competition}/results`,
		`/competitions/${world.scratch.slug}/results`,
		`/attempts/${own.scratchTheory}`,
		`/attempts/${own.scratchTheory}/submit`,
		`/attempts/${own.quiz}`,
		`/attempts/${own.quiz}/submit`,
		`/attempts/${own.theory}`,
		`/practical/${own.practical}`,
		`/practical/${own.practical}/submit`,
		`/quizzes/${world.quiz}`,
		`/courses/${world.openCourse.slug}`,
		`/certificates`
	];
	const secrets = [
		...KEY_MARKERS,
		world.victimB.fullName,
		world.victimB.username,
		world.privateQuestion
	];
	const leaks: string[] = [];
	const check = (what: string, text: string, keys = new Set<string>()) => {
		for (const secret of secrets) if (text.includes(secret)) leaks.push(`${what}: «${secret}»`);
		for (const key of KEY_FIELDS) if (keys.has(key)) leaks.push(`${what}: the key «${key}»`);
	};
	for (const page of pages) {
		const got = await received(c, page);
		expect(got.status, page).toBeLessThan(400);
		check(page, got.text, got.keys);
	}
	// JSON answers of the attempt endpoints, a wrong answer saved included.
	for (const id of [own.scratchTheory, own.quiz])
		check(`status ${id}`, (await c.get(`/attempts/${id}/status`)).text);
	const slots = (
		await c.pageData<{ slots: Array<{ slot: number; type: string }> }>(
			`/attempts/${own.scratchTheory}`
		)
	).slots;
	const tf = slots.find((s) => s.type === 'truefalse')!;
	const saved = await c.post(`/attempts/${own.scratchTheory}/save`, {
		json: { slot: tf.slot, seq: 1, response: { type: 'truefalse', answer: false } }
	});
	expect(saved.status).toBe(200);
	check('an answer saved', saved.text);
	// The scratch hội thi's board is not published: refused to competitors, its live events too.
	expect((await c.get(`/board/${world.scratch.slug}`)).status).toBe(403);
	expect((await c.get(`/board/${world.scratch.slug}/events`)).status).toBe(403);
	// Having handed in, before the results: victim B's review shows B's own answers, no key.
	const review = await received(world.victims.b, `/attempts/${world.victimB.scratchTheory}/review`);
	expect(review.status).toBe(200);
	const typedByB = [RIGHT.shortanswer, RIGHT.numerical];
	for (const marker of KEY_MARKERS.filter((m) => !typedByB.includes(m)))
		if (review.text.includes(marker)) leaks.push(`victim B's review: «${marker}»`);
	for (const key of KEY_FIELDS)
		if (review.keys.has(key)) leaks.push(`victim B's review: the key «${key}»`);
	expect(leaks).toEqual([]);

	// The scan sees what it looks for: the key is in the trainer's editor, victim B's score on the
	// organisers' results page.
	const editor = await received(world.clients.trainer, `/manage/questions/${world.question}/edit`);
	expect(editor.text).toContain(KEY_MARKERS[0]);
	expect(editor.keys.has('generalFeedback')).toBe(true);
	const results = await received(
		world.clients.organiser,
		`/manage/competitions/${world.scratch.slug}/results`
	);
	expect(results.text).toContain(world.victimB.fullName);
});

test('a judge never receives the names, usernames or units of the competitors', async () => {
	test.setTimeout(120_000);
	const head = await Client.logIn(world.baseURL, 'giamkhao1', 'head judge');
	const names = world.competitors.flatMap((c) => [c.fullName, c.username]);
	const secrets = [...names, world.victimB.unitName, world.victimB.demoPractical];
	const leaks: string[] = [];
	for (const judge of [world.clients.judge, head]) {
		const queue = await judge.pageData<{
			queue: Record<string, Array<{ code: string }>>;
		}>('/judging');
		const codes = Object.values(queue.queue).flatMap((list) => list.map((s) => s.code));
		if (judge === world.clients.judge) expect(codes).toContain(world.judgeCode);
		const pages = [
			'/',
			'/my',
			'/judging',
			...codes.map((code) => `/judging/${code}`),
			'/competitions',
			`/competitions/${world.competition}`
		];
		if (judge === head) pages.push(`/manage/competitions/${world.competition}/judging`);
		for (const page of pages) {
			const got = await received(judge, page);
			expect(got.status, `${judge.who} ${page}`).toBe(200);
			for (const secret of secrets)
				if (got.text.includes(secret)) leaks.push(`${judge.who} ${page}: «${secret}»`);
		}
		// The files of a submission come under a blind name.
		const submission = await world.clients.judge.pageData<{
			submission: { files: Array<{ id: string }> };
		}>(`/judging/${world.judgeCode}`);
		expect(submission.submission.files.length, 'victim B handed in a file').toBeGreaterThan(0);
		for (const file of submission.submission.files) {
			const res = await judge.get(`/files/${file.id}`);
			expect(res.status).toBe(200);
			const header = decodeURIComponent(res.headers['content-disposition'] ?? '');
			for (const secret of secrets)
				if (header.includes(secret)) leaks.push(`${judge.who} file ${file.id}: «${secret}»`);
		}
	}
	await head.close();
	expect(leaks).toEqual([]);
	// The organisers (not judges) see who is behind each code: the scan would see a name.
	const overview = await received(
		world.clients.organiser,
		`/manage/competitions/${world.competition}/judging`
	);
	expect(overview.text).toContain(world.victimB.fullName);
});

test('the matrix: every refused page, action and endpoint is refused, and wrote nothing', async () => {
	test.setTimeout(600_000);
	const failures = await runRefusals(world, checksFor(targets, world), tally);
	expect(failures).toEqual([]);
});

test('the matrix: everything allowed is allowed', async () => {
	test.setTimeout(600_000);
	const failures = await runAllowed(world, checksFor(targets, world), tally);
	expect(failures).toEqual([]);
	const routes = new Set(targets.map((t) => t.route)).size;
	const summary =
		`${routes} routes, ${targets.length} targets (${targets.filter((t) => t.kind === 'page').length} pages, ` +
		`${targets.filter((t) => t.kind === 'action').length} actions, ${targets.filter((t) => t.kind === 'endpoint').length} endpoints) × 7 people: ` +
		`${tally.checks} checks (${tally.pages} page loads + ${tally.dataRequests} data requests, ${tally.actions} actions, ` +
		`${tally.endpoints} endpoint calls), ${tally.writeChecks} write checks, ${tally.notRerun} consuming requests not re-run`;
	test.info().annotations.push({ type: 'matrix', description: summary });
	console.log(summary);
});

test('privileged actions are written to the audit log', async () => {
	const { admin, organiser } = world.clients;
	// The head judge, given the submission in place of giamkhao3 (the matrix's reassignment),
	// marks it far from giamkhao2's mark, then settles it.
	const head = await Client.logIn(world.baseURL, 'giamkhao1', 'head judge');
	await head.must(`/judging/${world.judgeCode}`, 'score', {
		...Object.fromEntries(world.judgeCriteria.map((c) => [`c${c.id}`, String(c.maxPoints)])),
		comment: 'Bài tốt'
	});
	await head.must(`/judging/${world.judgeCode}`, 'decide', { score: '6', note: 'Chốt điểm' });
	await head.close();
	// The results of the scratch hội thi, once its rounds are closed.
	const scratch = `/manage/competitions/${world.scratch.slug}`;
	const { rounds } = await organiser.pageData<{ rounds: Array<{ position: number }> }>(scratch);
	for (const { position } of rounds)
		await organiser.action(`${scratch}/control`, 'close', {
			position: String(position),
			reason: 'Hết giờ thi'
		});
	// The cadre hands in (within the grace period after the cut).
	await world.clients.cadre.must(`/attempts/${world.own.scratchTheory}/submit`, 'default');
	await organiser.must(`${scratch}/results`, 'publish', { confirm: 'yes' });
	type Audit = { actions: string[] };
	const actions = new Set((await admin.pageData<Audit>('/admin/audit')).actions);
	const privileged: Record<string, string> = {
		'user.privileges': 'an admin changes an account’s roles',
		'user.password_reset': 'an admin resets a password',
		'user.unlock': 'an admin unlocks an account',
		'user.create': 'an admin adds an account',
		'roster.import': 'an admin imports the roster',
		'unit.create': 'an admin adds a unit',
		'unit.update': 'an admin edits a unit',
		'questions.import': 'a trainer imports questions',
		'grade.manual': 'a trainer grades an answer',
		'grade.key_corrected': 'a trainer corrects an answer key',
		'quiz.override': 'a trainer gives someone extra time or attempts',
		'assessment.extend_time': 'an organiser extends a round’s time',
		'assessment.pause': 'an organiser pauses a round',
		'assessment.resume': 'an organiser resumes a round',
		'competition.round_close': 'an organiser closes a round',
		'competition.register': 'an organiser registers competitors',
		'competition.withdraw': 'an organiser withdraws a competitor',
		'judging.reassign': 'an organiser reassigns a judge',
		'judging.decide': 'the head judge settles a score',
		'judging.score': 'a judge scores',
		'certificate.revoke': 'an admin revokes a certificate',
		'competition.results_publish': 'the organisers publish the results',
		'backup.download': 'an admin downloads a backup'
	};
	const missing = Object.entries(privileged)
		.filter(([action]) => !actions.has(action))
		.map(([action, what]) => `${action} (${what})`);
	expect(missing).toEqual([]);
});

test('a session id is new at every login: a planted or earlier cookie does not survive it', async () => {
	const base = world.baseURL;
	const planted = await Client.withSession(base, 'kethutuchondaysaumuoi12345', 'planted');
	const res = await planted.ctx.post('/login', {
		form: { username: 'hocvien4', password: 'HocThi@2012' },
		headers: { accept: 'text/html' },
		maxRedirects: 0
	});
	expect(res.status()).toBe(303);
	const first = (await planted.sessionToken())!;
	expect(first).not.toBe('kethutuchondaysaumuoi12345');
	expect(await planted.loggedIn()).toBe(true);
	// Logging in again in the same browser: a new id, the old one ends.
	await planted.ctx.post('/login', {
		form: { username: 'hocvien4', password: 'HocThi@2012' },
		headers: { accept: 'text/html' },
		maxRedirects: 0
	});
	const second = (await planted.sessionToken())!;
	expect(second).not.toBe(first);
	const old = await Client.withSession(base, first);
	expect(await old.loggedIn()).toBe(false);
	expect(await planted.loggedIn()).toBe(true);
	for (const c of [planted, old]) await c.close();
});

test('logging out ends the session on the server: a copied cookie no longer works', async () => {
	const base = world.baseURL;
	const user = await Client.logIn(base, 'hocvien4');
	const copy = await Client.withSession(base, (await user.sessionToken())!);
	expect(await copy.loggedIn()).toBe(true);
	const out = await user.post('/logout', { form: {} });
	expect(out.status).toBe(303);
	expect(await copy.loggedIn()).toBe(false);
	for (const c of [user, copy]) await c.close();
});

test('a change of privilege, a reset or a password change ends the person’s other sessions', async () => {
	const base = world.baseURL;
	const { admin } = world.clients;
	const made = await admin.must('/admin/users/new', 'default', {
		username: 'kiemthu.phien',
		fullName: 'Người Thử Phiên',
		unitCode: 'HU-LY',
		position: 'Chuyên viên',
		roles: ['cadre'],
		password: 'Mat-khau-phien-2012'
	});
	const id = /\/admin\/users\/(\d+)/.exec(made.location!)![1];
	const password = { value: 'Mat-khau-phien-2012' };
	const logIn = () => Client.logIn(base, 'kiemthu.phien', 'kiemthu.phien', password.value);
	// Must change the password at first login: change it, which also rotates the session.
	const first = await logIn();
	const other = await logIn();
	const before = (await first.sessionToken())!;
	const changed = await first.action('/account/password', 'default', {
		current: password.value,
		next: 'Mat-khau-moi-phien-2012',
		confirm: 'Mat-khau-moi-phien-2012'
	});
	expect(changed.type, changed.text).toBe('success');
	password.value = 'Mat-khau-moi-phien-2012';
	const after = (await first.sessionToken())!;
	expect(after).not.toBe(before);
	expect(await first.loggedIn()).toBe(true);
	const stale = await Client.withSession(base, before);
	expect(await stale.loggedIn()).toBe(false);
	expect(await other.loggedIn()).toBe(false);

	// An admin makes the person a trainer: every session of theirs ends.
	const a = await logIn();
	const b = await logIn();
	const edit = {
		username: 'kiemthu.phien',
		fullName: 'Người Thử Phiên',
		unitCode: 'HU-LY',
		position: 'Chuyên viên',
		active: 'on'
	};
	await admin.must(`/admin/users/${id}`, 'update', { ...edit, roles: ['cadre'] });
	expect(await a.loggedIn()).toBe(true); // nothing of privilege changed
	await admin.must(`/admin/users/${id}`, 'update', { ...edit, roles: ['cadre', 'trainer'] });
	expect(await a.loggedIn()).toBe(false);
	expect(await b.loggedIn()).toBe(false);

	// The roster file makes them a leader: the same.
	const c = await logIn();
	const roster = `username,full_name,unit_code,position,role,is_leader\nkiemthu.phien,Người Thử Phiên,HU-LY,Chuyên viên,cadre;trainer,1\n`;
	await admin.must('/admin/users/import', 'default', {
		file: { name: 'danh-sach.csv', mimeType: 'text/csv', buffer: Buffer.from(roster) }
	});
	expect(await c.loggedIn()).toBe(false);

	// An admin resets the password: the same.
	const d = await logIn();
	await admin.must(`/admin/users/${id}`, 'reset', { password: 'Mat-khau-tam-phien-2012' });
	expect(await d.loggedIn()).toBe(false);
	for (const client of [first, other, stale, a, b, c, d]) await client.close();
});

test('security headers on a page, a JSON endpoint, a download, an event stream, a PDF and a spreadsheet', async () => {
	const { cadre, admin, organiser } = world.clients;
	const page = await cadre.get('/my');
	const csp = page.headers['content-security-policy'] ?? '';
	const directives = Object.fromEntries(
		csp.split(';').map((d) => {
			const [name, ...values] = d.trim().split(/\s+/);
			return [name, values];
		})
	);
	expect(directives['default-src']).toEqual(["'self'"]);
	expect(directives['script-src'][0]).toBe("'self'");
	expect(directives['script-src'].join(' ')).toMatch(/^'self' 'nonce-[A-Za-z0-9+/=]+'$/);
	expect(directives['style-src']).toEqual(["'self'"]);
	expect(directives['frame-ancestors']).toEqual(["'none'"]);
	expect(directives['object-src']).toEqual(["'none'"]);
	expect(directives['base-uri']).toEqual(["'self'"]);
	expect(directives['form-action']).toEqual(["'self'"]);
	// Every script the page carries is the framework's, with this response's nonce.
	const nonce = /'nonce-([^']+)'/.exec(directives['script-src'].join(' '))![1];
	const scripts = [...page.text.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
	expect(scripts.length).toBeGreaterThan(0);
	for (const attrs of scripts) expect(attrs).toContain(`nonce="${nonce}"`);
	expect(page.text).not.toMatch(/\son[a-z]+\s*=\s*["']/i);

	const common = (headers: Record<string, string>, what: string) => {
		expect(headers['x-content-type-options'], what).toBe('nosniff');
		expect(headers['referrer-policy'], what).toBe('same-origin');
		expect(headers['x-frame-options'], what).toBe('DENY');
	};
	common(page.headers, 'page');
	expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
	expect(page.headers['cross-origin-resource-policy']).toBe('same-origin');
	// Strict-Transport-Security once served over https (behind the TLS proxy), not on plain http.
	expect(page.headers['strict-transport-security']).toBeUndefined();
	const https = await cadre.get('/login', { 'x-forwarded-proto': 'https' });
	expect(https.headers['strict-transport-security']).toBe('max-age=31536000');
	// Static files, served before the app's hooks, are not sniffed either.
	for (const asset of ['/robots.txt', '/service-worker.js']) {
		const res = await cadre.get(asset);
		expect(res.status, asset).toBe(200);
		expect(res.headers['x-content-type-options'], asset).toBe('nosniff');
	}

	const status = await cadre.get(`/attempts/${world.own.scratchTheory}/status`);
	common(status.headers, 'JSON');
	expect(status.headers['content-type']).toMatch(/^application\/json/);
	expect(status.headers['cache-control']).toBe('no-store');

	const download = await organiser.get(`/files/${world.victimA.file}`);
	expect(download.status).toBe(200);
	common(download.headers, 'file');
	expect(download.headers['content-disposition']).toMatch(/^attachment;/);
	// An SVG attachment shown on its own runs in a sandbox.
	const svg = await admin.get(`/files/${world.taskFile}`);
	expect(svg.headers['content-type']).toBe('image/svg+xml');
	expect(svg.headers['content-security-policy']).toMatch(/^sandbox;/);
	common(svg.headers, 'svg');

	const controller = new AbortController();
	const events = await fetch(new URL(`/board/${world.competition}/events`, world.baseURL), {
		signal: controller.signal
	});
	expect(events.status).toBe(200);
	expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
	expect(events.headers.get('x-content-type-options')).toBe('nosniff');
	controller.abort();

	const pdf = await admin.get(`/certificates/${world.certificate}/pdf`);
	expect(pdf.status).toBe(200);
	common(pdf.headers, 'pdf');
	expect(pdf.headers['content-type']).toBe('application/pdf');
	expect(pdf.headers['content-disposition']).toMatch(/^attachment; filename="giay-chung-nhan-/);

	for (const path of [
		'/reports/HU-LY/export?format=xlsx',
		`/manage/competitions/${world.scratch.slug}/results/export?format=xlsx`
	]) {
		const xlsx = await admin.get(path);
		expect(xlsx.status, path).toBe(200);
		common(xlsx.headers, path);
		expect(xlsx.headers['content-type']).toBe(
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
		);
		expect(xlsx.headers['content-disposition']).toMatch(/^attachment; filename=".+\.xlsx"$/);
		expect(xlsx.headers['cache-control']).toBe('private, no-store');
	}
});

test('the CSRF origin check refuses a form posted from another site', async () => {
	const { admin, cadre } = world.clients;
	const before = await fingerprint(world.clients.anonymous);
	const evil = { origin: 'http://evil.example' };
	const unit = await admin.post(
		'/admin/units?/create',
		{ form: { code: 'KT-CSRF', name: 'Giả mạo', kind: 'commune', parentCode: 'HU-LY' } },
		evil
	);
	expect(unit.status).toBe(403);
	expect(unit.headers['x-content-type-options']).toBe('nosniff');
	const login = await world.clients.anonymous.post(
		'/login',
		{ form: { username: 'canbo', password: 'HocThi@2012' } },
		evil
	);
	expect(login.status).toBe(403);
	expect(login.headers['set-cookie']).toBeUndefined();
	// A JSON endpoint posted as a text/plain form: refused too.
	const save = await cadre.post(
		`/attempts/${world.own.scratchTheory}/save`,
		{ raw: JSON.stringify({ slot: 1, seq: 99, response: { type: 'truefalse', answer: true } }) },
		{ ...evil, 'content-type': 'text/plain' }
	);
	expect(save.status).toBe(403);
	expect(changedTables(before, await fingerprint(world.clients.anonymous))).toEqual([]);
	// From the site itself the same form goes through.
	const same = await admin.action('/admin/units', 'create', {
		code: 'KT-CUNGGOC',
		name: 'Cùng gốc',
		kind: 'commune',
		parentCode: 'HU-LY'
	});
	expect(same.type).toBe('redirect');
});

test('redirects after login and a language switch stay on the site', async () => {
	const anon = await Client.anonymous(world.baseURL);
	for (const target of ['//evil.example/', '/\\evil.example', 'https://evil.example/']) {
		const lang = await anon.post('/lang', { form: { locale: 'vi', redirectTo: target } });
		expect(lang.status).toBe(303);
		expect(lang.location, target).toBe('/');
		const login = await anon.post(`/login?redirectTo=${encodeURIComponent(target)}`, {
			form: { username: 'hocvien5', password: 'HocThi@2012', redirectTo: target }
		});
		expect(login.location, target).toBe('/');
	}
	await anon.close();
});

test('pages run under the Content Security Policy without a violation: scripts, styles, the service worker and live updates', async ({
	browser
}) => {
	const visit = async (browser: Browser, username: string, paths: string[]) => {
		const context = await browser.newContext({ baseURL: world.baseURL, serviceWorkers: 'allow' });
		await context.addInitScript(() => {
			const w = window as unknown as { __violations: string[] };
			w.__violations = [];
			document.addEventListener('securitypolicyviolation', (e) =>
				w.__violations.push(
					`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`
				)
			);
		});
		const page = await context.newPage();
		await page.goto('/login');
		await page.getByLabel('Tên đăng nhập').fill(username);
		await page.getByLabel('Mật khẩu').fill('HocThi@2012');
		await page.getByRole('button', { name: 'Đăng nhập' }).click();
		await expect(page.getByRole('button', { name: 'Đăng xuất' })).toBeVisible();
		const violations: string[] = [];
		for (const path of paths) {
			const live = path.startsWith('/board/')
				? page.waitForResponse((r) => r.url().includes('/events') && r.status() === 200)
				: null;
			await page.goto(path);
			await page.waitForLoadState('load');
			// The live board gets its events through the policy's connect-src.
			if (live) await live;
			violations.push(
				...(
					await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)
				).map((v) => `${path}: ${v}`)
			);
		}
		return { context, page, violations };
	};
	const competitor = await visit(browser, 'hocvien5', [
		'/my',
		`/courses/${world.openCourse.slug}/${world.openCourse.lesson}`,
		`/competitions/${world.competition}`,
		`/board/${world.competition}`,
		`/quizzes/${world.quiz}`
	]);
	expect(competitor.violations).toEqual([]);
	// The service worker registers and takes control.
	const worker = await competitor.page.evaluate(async () => {
		const registration = await navigator.serviceWorker.ready;
		return registration.active?.scriptURL ?? null;
	});
	expect(worker).toMatch(/\/service-worker\.js$/);
	await competitor.context.close();

	const staff = await visit(browser, 'admin', [
		'/admin/units',
		'/reports/HU-LY',
		'/manage/questions',
		`/manage/competitions/${world.scratch.slug}/results/questions`
	]);
	expect(staff.violations).toEqual([]);
	// The listener hears a violation when there is one: an injected inline script is blocked.
	const blocked = await staff.page.evaluate(() => {
		const script = document.createElement('script');
		script.textContent = 'window.__ran = true';
		document.head.append(script);
		const w = window as unknown as { __ran?: boolean; __violations: string[] };
		return { ran: w.__ran === true, violations: w.__violations.length };
	});
	expect(blocked.ran).toBe(false);
	await expect
		.poll(() =>
			staff.page.evaluate(() =>
				(window as unknown as { __violations: string[] }).__violations.some((v) =>
					v.startsWith('script-src')
				)
			)
		)
		.toBe(true);
	await staff.context.close();
});
