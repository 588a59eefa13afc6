// Hostile requests against the built server over real HTTP: random and malformed bodies to the
// attempt save endpoint and submit, and to a representative set of form actions (login, roster
// import, question import, registration). Never a 500, never a stack trace, a clear message on
// refusal, and a refused save writes nothing.
import fc from 'fast-check';
import { FormData } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionResult, Client, startTestServer, type Answer, type TestServer } from './server';

let server: TestServer;
let competitor: Client;
let admin: Client;
let trainer: Client;
let organiser: Client;
let attemptId = '';

/** Runs per property: the report multiplies these by the number of properties. */
export const RUNS = {
	save: 300,
	savePath: 60,
	submit: 60,
	login: 60,
	roster: 40,
	questions: 60,
	registration: 60
};

beforeAll(async () => {
	// Thousands of failed logins from one address are the point here, not an attack to stop.
	server = await startTestServer('hostile', { HOCTHI_IP_FAILURE_LIMIT: '1000000' });
	competitor = new Client(server.url);
	await competitor.logIn('canbo');
	// Logged in before the login property runs: it may lock these accounts ('admin\n' is 'admin').
	admin = new Client(server.url);
	await admin.logIn('admin');
	trainer = new Client(server.url);
	await trainer.logIn('giangvien');
	organiser = new Client(server.url);
	await organiser.logIn('bantochuc');
	for (const position of [2, 3, 1]) {
		const started = actionResult(
			await competitor.action('/competitions/hoi-thi-cntt-2012?/start', {
				position: String(position)
			})
		);
		const match = /^\/attempts\/([0-9a-f-]{36})/.exec(started.location ?? '');
		if (match) {
			attemptId = match[1];
			break;
		}
	}
	if (!attemptId) throw new Error('canbo could not start the theory round');
}, 300_000);
afterAll(() => server?.stop());

const STACK = /\n\s+at \S|node_modules|\.ts:\d+:\d+/;

/** A refusal: 4xx, JSON with a message for the person, no internals. */
function expectClearRefusal(answer: Answer): void {
	expect(answer.status, answer.text.slice(0, 300)).toBeGreaterThanOrEqual(400);
	expect(answer.status, answer.text.slice(0, 300)).toBeLessThan(500);
	const body = JSON.parse(answer.text) as { message?: unknown };
	expect(typeof body.message).toBe('string');
	expect((body.message as string).length).toBeGreaterThan(0);
	expect(answer.text).not.toMatch(STACK);
}

/** A form action's answer: success, redirect or a 4xx failure/error — never a 5xx. */
function expectNoServerError(answer: Answer): ReturnType<typeof actionResult> {
	expect(answer.status, answer.text.slice(0, 300)).toBeLessThan(500);
	expect(answer.text).not.toMatch(STACK);
	const result = actionResult(answer);
	expect(['success', 'failure', 'redirect', 'error']).toContain(result.type);
	if (result.type === 'failure' || result.type === 'error') {
		expect(result.status).toBeGreaterThanOrEqual(400);
		expect(result.status).toBeLessThan(500);
	}
	return result;
}

async function seqs(): Promise<Record<string, number>> {
	const data = await competitor.pageData<{ seqs: Record<string, number> }>(
		`/attempts/${attemptId}`
	);
	return data.seqs;
}

const anyValue = fc.oneof(
	fc.integer(),
	fc.constantFrom(
		0,
		-1,
		1,
		2,
		3,
		1.5,
		2 ** 31,
		2 ** 31 - 1,
		2 ** 53,
		2 ** 53 + 2,
		1e20,
		1e308,
		-1e308,
		9_999_999
	),
	fc.double(),
	fc.string({ maxLength: 20 }),
	fc.constantFrom('1', 'NaN', 'Infinity', '-0', '', '\u0000'),
	fc.constant(null),
	fc.boolean(),
	fc.array(fc.integer(), { maxLength: 3 }),
	fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 3 })
);
const response = fc.oneof(
	fc.jsonValue(),
	fc.record(
		{
			type: fc.constantFrom(
				'single',
				'multiple',
				'truefalse',
				'shortanswer',
				'numerical',
				'essay',
				'matching',
				'description',
				'x',
				''
			),
			choice: anyValue,
			choices: fc.oneof(
				anyValue,
				fc.array(anyValue, { maxLength: 5 }),
				fc.constant(Array.from({ length: 200 }, (_, i) => i))
			),
			answer: anyValue,
			text: fc.oneof(
				fc.string({ maxLength: 50 }),
				fc.constant('x'.repeat(25_000)),
				fc.constant('a\u0000b'),
				anyValue
			),
			answers: fc.oneof(
				anyValue,
				fc.dictionary(
					fc.constantFrom('0', '1', '99', '100', 'a', '-1'),
					fc.oneof(fc.string({ maxLength: 5 }), fc.constant(null), anyValue)
				)
			)
		},
		{ requiredKeys: [] }
	)
);
const saveBody = fc.oneof(
	{
		weight: 4,
		arbitrary: fc
			.record({ slot: anyValue, seq: anyValue, response }, { requiredKeys: [] })
			.map((b) => JSON.stringify(b))
	},
	{ weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
	{ weight: 1, arbitrary: fc.string({ maxLength: 100 }) },
	{
		weight: 1,
		arbitrary: fc.constantFrom(
			'',
			'null',
			'[]',
			'"text"',
			'42',
			'{',
			'{"slot":',
			'{"slot":1,"seq":1}',
			'\u0000',
			'{"__proto__":{"slot":1}}'
		)
	}
);

describe('the attempt save endpoint under malformed bodies', () => {
	it('answers 4xx with a message, never 500; a refused save writes nothing', async () => {
		let refused = 0;
		let accepted = 0;
		await fc.assert(
			fc.asyncProperty(saveBody, async (body) => {
				const before = await seqs();
				const answer = await competitor.json(`/attempts/${attemptId}/save`, body);
				if (answer.status === 200) {
					accepted++;
					const ack = JSON.parse(answer.text) as { seq: unknown };
					expect(typeof ack.seq).toBe('number');
					return;
				}
				refused++;
				expectClearRefusal(answer);
				expect(await seqs()).toEqual(before);
			}),
			{ numRuns: RUNS.save }
		);
		expect(refused).toBeGreaterThan(0);
		// The generator reaches real saves too (the answer counts, so seqs would show a write).
		expect(refused + accepted).toBe(RUNS.save);
	});

	it('a well-formed save acknowledges; an older seq never overwrites a newer one', async () => {
		const page = await competitor.pageData<{ slots: Array<{ slot: number; type: string }> }>(
			`/attempts/${attemptId}`
		);
		// The round's draw is random: take the first slot of a type whose answer is easy to write.
		const answers: Record<string, (n: number) => unknown> = {
			single: (n) => ({ type: 'single', choice: n }),
			truefalse: (n) => ({ type: 'truefalse', answer: n % 2 === 0 }),
			multiple: (n) => ({ type: 'multiple', choices: [n] }),
			shortanswer: (n) => ({ type: 'shortanswer', text: `đáp án ${n}` }),
			numerical: (n) => ({ type: 'numerical', text: String(n) }),
			essay: (n) => ({ type: 'essay', text: `bài làm ${n}` })
		};
		const target = page.slots.find((x) => x.type in answers);
		expect(target, `slot types: ${page.slots.map((x) => x.type).join(', ')}`).toBeTruthy();
		const answerOf = (n: number) => answers[target!.type](n);
		const newer = (await seqs())[target!.slot] + 10;
		const save = (seq: number, n: number) =>
			competitor.json(
				`/attempts/${attemptId}/save`,
				JSON.stringify({ slot: target!.slot, seq, response: answerOf(n) })
			);
		const first = await save(newer, 1);
		expect(first.status).toBe(200);
		expect(JSON.parse(first.text)).toMatchObject({ status: 'saved', seq: newer });
		const older = await save(newer - 5, 0);
		expect(older.status).toBe(200);
		expect(JSON.parse(older.text)).toMatchObject({ status: 'stale', seq: newer });
		expect((await seqs())[target!.slot]).toBe(newer);
	});

	it('refuses unknown, foreign and malformed attempt ids with 4xx', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(
					fc.uuid(),
					fc.string({ minLength: 1, maxLength: 40 }).map(encodeURIComponent),
					fc.constantFrom(
						'0',
						'-1',
						'99999999999999999999',
						'null',
						'%00',
						'..%2F..%2Fetc%2Fpasswd'
					)
				),
				saveBody,
				async (id, body) => {
					const answer = await competitor.json(`/attempts/${id}/save`, body);
					expect(answer.status, answer.text.slice(0, 200)).toBeGreaterThanOrEqual(400);
					expect(answer.status, answer.text.slice(0, 200)).toBeLessThan(500);
					expect(answer.text).not.toMatch(STACK);
				}
			),
			{ numRuns: RUNS.savePath }
		);
	});

	it('refuses the practical autosave of malformed bodies the same way', async () => {
		for (const body of [
			'null',
			'[]',
			'"x"',
			'{"slot":1e20,"seq":1,"response":{"text":"a"}}',
			'{"slot":1,"seq":"a"}',
			'{'
		]) {
			const answer = await competitor.json(`/practical/${attemptId}/save`, body);
			expect(answer.status, `${body}: ${answer.text}`).toBeGreaterThanOrEqual(400);
			expect(answer.status, `${body}: ${answer.text}`).toBeLessThan(500);
			expect(answer.text).not.toMatch(STACK);
		}
	});
});

const formFields = fc.dictionary(
	fc.oneof(
		fc.constantFrom(
			'username',
			'password',
			'file',
			'text',
			'position',
			'team',
			'categoryId',
			'format',
			'redirectTo',
			'__proto__'
		),
		fc.string({ maxLength: 8 })
	),
	fc.oneof(
		fc.string({ maxLength: 40 }),
		fc.constantFrom('\u0000', 'x'.repeat(20_000), '-1', '1e20', 'null', '//evil.example', '/\\evil')
	),
	{ maxKeys: 5 }
);

describe('submit under malformed requests', () => {
	it('answers unknown and malformed attempt ids with 4xx, never 500', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent)),
				formFields,
				async (id, fields) => {
					expectNoServerError(await competitor.action(`/attempts/${id}/submit`, fields));
				}
			),
			{ numRuns: RUNS.submit }
		);
	});
});

describe('form actions under hostile input', () => {
	it('login: random names and passwords are refused with a message, never a 500', async () => {
		const anonymous = new Client(server.url);
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(
					fc.string({ maxLength: 40 }),
					fc.constantFrom(
						'\u0000',
						'a\u0000b',
						' ',
						'x'.repeat(10_000),
						"' or 1=1 --",
						'CANBO ',
						'admin\n'
					)
				),
				fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('\u0000', 'x'.repeat(100_000))),
				fc.oneof(
					fc.constant('/'),
					fc.string({ maxLength: 20 }),
					fc.constantFrom('//evil.example', '/\\evil', 'javascript:alert(1)')
				),
				async (username, password, redirectTo) => {
					const result = expectNoServerError(
						await anonymous.action('/login', { username, password, redirectTo })
					);
					expect(result.type).not.toBe('redirect');
					expect(result.type).toBe('failure');
				}
			),
			{ numRuns: RUNS.login }
		);
	});

	it('roster import (admin): random CSV files are imported or refused with line numbers, never a 500', async () => {
		const cell = fc.oneof(
			fc.string({ maxLength: 10 }),
			fc.constantFrom(
				'',
				'cadre',
				'admin;trainer',
				'HU-LY',
				'VPTU',
				'KHONG-CO',
				'1',
				'có',
				'"',
				',',
				'Nguyễn Văn Mới',
				'\u0000',
				'x.moi',
				'y.moi'
			)
		);
		const row = fc.array(cell, { maxLength: 7 }).map((cells) => cells.join(','));
		await fc.assert(
			fc.asyncProperty(
				fc.array(row, { maxLength: 8 }),
				fc.boolean(),
				fc.string({ maxLength: 30 }),
				async (rows, header, name) => {
					const text = (
						header ? ['username,full_name,unit_code,position,role,is_leader', ...rows] : rows
					).join('\n');
					const form = new FormData();
					form.set('file', new Blob([text]), name || 'ds.csv');
					const result = expectNoServerError(await admin.action('/admin/users/import', form));
					if (result.type === 'failure') {
						const data = result.data as {
							lines?: Array<{ line: number }>;
							errors?: Record<string, string>;
						};
						expect(!!data.lines?.length || !!data.errors).toBe(true);
						for (const l of data.lines ?? []) expect(l.line).toBeGreaterThanOrEqual(1);
					}
				}
			),
			{ numRuns: RUNS.roster }
		);
	});

	it('question import (trainer): preview and confirm of random files never answer 500', async () => {
		const gift = fc
			.array(
				fc.constantFrom(
					'::Q::',
					'Câu?',
					'{',
					'}',
					'=a',
					'~b',
					'#c',
					'T',
					'->',
					'%50%',
					'$CATEGORY: X\n',
					'\n\n',
					'\u0000',
					'ANSWER: A\n',
					'A. x\n'
				),
				{ maxLength: 30 }
			)
			.map((t) => t.join(''));
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(gift, fc.string({ maxLength: 200 })),
				fc.constantFrom('gift', 'aiken', '', 'xml'),
				fc.oneof(fc.constantFrom('', '1', '-1', '1e20', 'abc'), fc.string({ maxLength: 5 })),
				async (text, format, categoryId) => {
					const form = new FormData();
					form.set('file', new Blob([text]), 'cau-hoi.gift');
					form.set('format', format);
					form.set('categoryId', categoryId);
					expectNoServerError(await trainer.action('/manage/questions/import?/preview', form));
					expectNoServerError(
						await trainer.action('/manage/questions/import?/confirm', {
							text,
							fileName: 'cau-hoi.gift',
							format,
							categoryId
						})
					);
				}
			),
			{ numRuns: RUNS.questions }
		);
	});

	it('registration (organiser): random names, teams and CSV files never answer 500', async () => {
		const base = '/manage/competitions/hoi-thi-cntt-2012/registrations';
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(
					fc.string({ maxLength: 30 }),
					fc.constantFrom('canbo', 'khong.co', '\u0000', 'x'.repeat(5000))
				),
				fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', 'HU-LY', 'KHONG-CO', '\u0000')),
				fc.array(
					fc.oneof(
						fc.string({ maxLength: 20 }),
						fc.constantFrom('username,team', 'canbo,HU-LY', 'khong.co,', '\u0000,x', '"', ',,,,')
					),
					{ maxLength: 6 }
				),
				async (username, team, lines) => {
					expectNoServerError(await organiser.action(`${base}?/register`, { username, team }));
					const form = new FormData();
					form.set('file', new Blob([lines.join('\n')]), 'dang-ky.csv');
					expectNoServerError(await organiser.action(`${base}?/upload`, form));
					expectNoServerError(
						await organiser.action(`${base}?/withdraw`, { username: `${username}-khong-co` })
					);
				}
			),
			{ numRuns: RUNS.registration }
		);
	});
});

describe('NUL characters in any url-encoded form', () => {
	it('are refused with 400 and a message before any action runs, with or without JavaScript', async () => {
		const posts: Array<[Client, string, Record<string, string>]> = [
			[
				competitor,
				'/competitions/hoi-thi-cntt-2012?/ask',
				{ question: 'Câu hỏi\u0000?', round: '' }
			],
			[
				trainer,
				'/manage/questions/import?/confirm',
				{ text: '::Q:: Hỏi {=a\u0000 ~b}', fileName: 'q.gift', format: 'gift' }
			],
			[
				organiser,
				'/manage/competitions/hoi-thi-cntt-2012/registrations?/register',
				{ username: 'canbo', team: 'HU\u0000LY' }
			],
			[admin, '/admin/units?/create', { code: 'X\u0000', name: 'Đơn vị' }]
		];
		for (const [client, path, fields] of posts) {
			const enhanced = actionResult(await client.action(path, fields));
			expect(enhanced.type, path).toBe('failure');
			expect(enhanced.status).toBe(400);
			expect((enhanced.data as { message: string }).message.length).toBeGreaterThan(0);
			const plain = await client.send('POST', path, new URLSearchParams(fields).toString(), {
				'content-type': 'application/x-www-form-urlencoded'
			});
			expect(plain.status, path).toBe(400);
			expect(plain.text.length).toBeGreaterThan(0);
		}
		// A literal "%00" typed as text arrives as %2500 and is just text.
		const typed = actionResult(
			await competitor.action('/competitions/hoi-thi-cntt-2012?/ask', {
				question: 'Ký hiệu %00 nghĩa là gì?',
				round: ''
			})
		);
		expect(
			typed.type === 'failure' && typed.status === 400 && /NUL/.test(JSON.stringify(typed.data))
		).toBe(false);
	});
});

describe('pages and endpoints under hostile path parameters', () => {
	it('answers 4xx (or a page), never 500, whoever asks', async () => {
		const anonymous = new Client(server.url);
		const routes = [
			'/competitions/X',
			'/competitions/X/results',
			'/board/X',
			'/courses/X',
			'/courses/an-toan-thong-tin/X',
			'/verify/X',
			'/files/X',
			'/attempts/X',
			'/attempts/X/review',
			'/attempts/X/status',
			'/practical/X',
			'/manage/courses/X',
			'/manage/competitions/X',
			'/manage/competitions/hoi-thi-cntt-2012/rounds/X',
			'/admin/users/X'
		];
		const values = [
			'%00',
			'a%00b',
			'99999999999999999999',
			'2147483648',
			'-1',
			'0',
			'1.5',
			'..%2F..%2Fetc%2Fpasswd',
			'%C0%AE',
			'%E1%BA%AF',
			'x'.repeat(3000)
		];
		let tried = 0;
		for (const client of [admin, competitor, anonymous])
			for (const route of routes)
				for (const value of values) {
					const path = route.replace('X', value);
					const answer = await client.get(path);
					tried++;
					expect(answer.status, `${path}: ${answer.text.slice(0, 200)}`).toBeLessThan(500);
					expect(answer.text).not.toMatch(STACK);
				}
		expect(tried).toBe(3 * routes.length * values.length);
	});
});

describe('after submit', () => {
	it('submits once, then refuses saves with 409 and a message', async () => {
		const submitted = expectNoServerError(
			await competitor.action(`/attempts/${attemptId}/submit`, { extra: 'trường lạ' })
		);
		expect(submitted.type).toBe('redirect');
		const late = await competitor.json(
			`/attempts/${attemptId}/save`,
			JSON.stringify({ slot: 1, seq: 1_999_999_999, response: { type: 'single', choice: 0 } })
		);
		expect(late.status).toBe(409);
		expectClearRefusal(late);
	});
});
