// Hostile files into the question and course-folder importers, against a real database: either
// the import succeeds, or it fails with line-numbered errors (ImportFailed) and the database is
// exactly as it was — never an unexpected exception, never half an import.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/auth/actor';
import { importCourseFolder } from '../../src/lib/server/courses/import';
import { ImportFailed } from '../../src/lib/server/errors';
import { importRoster } from '../../src/lib/server/org/roster';
import { importQuestionFile } from '../../src/lib/server/questions/bank';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeUnit, makeUser } from './helpers/builders';
import { makePng } from './helpers/png';

let database: TestDatabase;
let trainer: Actor;
let admin: Actor;
let scratch: string;
const now = new Date('2012-09-20T01:00:00Z');

export const QUESTION_RUNS = 80;
export const FOLDER_RUNS = 60;
export const ROSTER_RUNS = 80;

beforeAll(async () => {
	database = await createTestDatabase();
	trainer = await makeUser(database.db, { roles: ['trainer'] });
	admin = await makeUser(database.db, { roles: ['admin'] });
	await makeUnit(database.db, { code: 'HU-LY' });
	scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hocthi-hostile-import-'));
});
afterAll(async () => {
	await database.close();
	fs.rmSync(scratch, { recursive: true, force: true });
});

/** Every table's row count and content digest: equal fingerprints mean nothing was written. */
async function fingerprint(): Promise<string> {
	const tables = await database.query<{ name: string }>(
		`select table_name as name from information_schema.tables
		  where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`
	);
	const parts: string[] = [];
	for (const { name } of tables) {
		const [row] = await database.query<{ n: number | string; digest: string | null }>(
			`select count(*) as n, md5(string_agg(t::text, '|' order by t::text)) as digest from "${name}" t`
		);
		parts.push(`${name}:${row.n}:${row.digest ?? ''}`);
	}
	return parts.join('\n');
}

function expectLineErrors(error: unknown): void {
	// Anything other than ImportFailed is an unexpected exception: the property fails with it.
	if (!(error instanceof ImportFailed)) throw error;
	expect(error.errors.length).toBeGreaterThan(0);
	for (const e of error.errors) {
		expect(Number.isInteger(e.line) && e.line >= 1).toBe(true);
		expect(e.message.length).toBeGreaterThan(0);
		expect(e.message).not.toMatch(/\n\s+at /);
	}
}

const giftText = fc
	.array(
		fc.constantFrom(
			'::Q::',
			'Câu hỏi?',
			'{',
			'}',
			'=đúng',
			'~sai',
			'#phản hồi',
			'T',
			'F',
			'->',
			'%50%',
			'$CATEGORY: Mạng/LAN\n',
			'\n\n',
			'\n',
			'\\',
			'//c\n',
			'[html]',
			'\u0000',
			' '
		),
		{ maxLength: 50 }
	)
	.map((t) => t.join(''));

describe('question import under hostile files', () => {
	it('imports, or fails with line numbers and writes nothing', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(
					giftText,
					fc.string({ maxLength: 300 }),
					fc.constant('::A::Hỏi {=đúng ~sai}\n\n::A::Hỏi {=x ~y}')
				),
				fc.constantFrom('gift', 'aiken') as fc.Arbitrary<'gift' | 'aiken'>,
				async (text, format) => {
					const before = await fingerprint();
					try {
						await importQuestionFile(database.db, trainer, {
							text,
							format,
							fileName: 'q.gift',
							now
						});
					} catch (error) {
						expectLineErrors(error);
						expect(await fingerprint()).toBe(before);
					}
				}
			),
			{ numRuns: QUESTION_RUNS }
		);
	});
});

const pngBytes = makePng(4, 4);
const htmlAsPng = Buffer.from('<!doctype html><script>alert(1)</script>');

const frontMatterLine = fc.constantFrom(
	'slug: khoa-hoc-thu',
	'slug: Khóa Học',
	'slug: ../../etc',
	'title: Khóa học thử',
	'title: ""',
	'title: [1, 2',
	'summary: Tóm tắt',
	'estimated_hours: 3',
	'estimated_hours: -2',
	'estimated_hours: nhiều',
	'published: false',
	'published: có',
	'units: [HU-LY]',
	'units: [KHONG-CO]',
	'units: 5',
	'section: Phần 1',
	'estimated_minutes: 10',
	'estimated_minutes: "x"',
	': : [',
	'\u0000',
	'title: Bài học'
);
const bodyLine = fc.constantFrom(
	'Nội dung bài học.',
	'![hình](images/a.png)',
	'![giả](images/gia.png)',
	'[tệp](files/tai-lieu.pdf)',
	'[mật khẩu](../../etc/passwd)',
	'![thư mục](images/thu-muc)',
	'[thiếu](files/khong-co.pdf)',
	'<script>alert(1)</script>',
	'# Tiêu đề',
	''
);
const markdownFile = fc
	.tuple(
		fc.boolean(),
		fc.array(frontMatterLine, { maxLength: 5 }),
		fc.array(bodyLine, { maxLength: 4 })
	)
	.map(([fenced, fm, body]) =>
		fenced ? `---\n${fm.join('\n')}\n---\n${body.join('\n')}` : body.join('\n')
	);
const validCourse = fc.constant(
	'---\nslug: khoa-hoc-thu\ntitle: Khóa học thử\nestimated_hours: 2\n---\nGiới thiệu ![hình](images/a.png)\n'
);
const validLesson = fc.constant('---\ntitle: Bài 1\nestimated_minutes: 10\n---\nNội dung.\n');

const folderSpec = fc.record({
	course: fc.option(fc.oneof(validCourse, markdownFile), { nil: null }),
	lessons: fc.array(
		fc.tuple(
			fc.constantFrom('01-mot.md', '02-hai.md', 'bai-ba.md', '03-bốn.md', 'README.md'),
			fc.oneof(validLesson, markdownFile)
		),
		{ maxLength: 3 }
	),
	png: fc.constantFrom('real', 'html', 'none'),
	directory: fc.boolean(),
	gift: fc.option(giftText, { nil: null }),
	binary: fc.boolean()
});
/** A good folder, so that the success path (a re-import updating in place) runs too. */
const goodFolder: fc.Arbitrary<FolderSpec> = fc.record({
	course: validCourse,
	lessons: fc.constant<Array<[string, string]>>([
		['01-mot.md', '---\ntitle: Bài 1\nestimated_minutes: 10\n---\nNội dung.\n']
	]),
	png: fc.constant<FolderSpec['png']>('real'),
	directory: fc.boolean(),
	gift: fc.constant(null),
	binary: fc.constant(false)
});

interface FolderSpec {
	course: string | null;
	lessons: Array<[string, string]>;
	png: 'real' | 'html' | 'none';
	directory: boolean;
	gift: string | null;
	binary: boolean;
}

let folderCount = 0;
function writeFolder(spec: FolderSpec): string {
	const dir = path.join(scratch, `course-${++folderCount}`);
	fs.mkdirSync(path.join(dir, 'images'), { recursive: true });
	if (spec.course !== null) fs.writeFileSync(path.join(dir, 'course.md'), spec.course);
	for (const [name, text] of spec.lessons) fs.writeFileSync(path.join(dir, name), text);
	if (spec.png === 'real') fs.writeFileSync(path.join(dir, 'images', 'a.png'), pngBytes);
	if (spec.png === 'html') fs.writeFileSync(path.join(dir, 'images', 'a.png'), htmlAsPng);
	fs.writeFileSync(path.join(dir, 'images', 'gia.png'), htmlAsPng);
	if (spec.directory) fs.mkdirSync(path.join(dir, 'images', 'thu-muc'));
	if (spec.gift !== null) fs.writeFileSync(path.join(dir, 'questions.gift'), spec.gift);
	if (spec.binary)
		fs.writeFileSync(path.join(dir, '04-nhi-phan.md'), Buffer.from([0xff, 0xfe, 0x00, 0xc3]));
	return dir;
}

describe('course-folder import under hostile folders', () => {
	it('imports, or fails with file and line and writes nothing', async () => {
		let imported = 0;
		await fc.assert(
			fc.asyncProperty(
				fc.oneof({ weight: 1, arbitrary: goodFolder }, { weight: 3, arbitrary: folderSpec }),
				async (spec) => {
					const dir = writeFolder(spec);
					const before = await fingerprint();
					try {
						await importCourseFolder(database.db, trainer, { dir, now });
						imported++;
					} catch (error) {
						expectLineErrors(error);
						expect(await fingerprint()).toBe(before);
					}
				}
			),
			{ numRuns: FOLDER_RUNS }
		);
		// The generator reaches the success path too, not only refusals.
		expect(imported).toBeGreaterThan(0);
	});
});

const rosterCell = fc.oneof(
	fc.string({ maxLength: 12 }),
	fc.constantFrom(
		'',
		'cadre',
		'admin;trainer',
		'leader',
		'HU-LY',
		'KHONG-CO',
		'1',
		'0',
		'có',
		'"',
		'""',
		',',
		'Nguyễn Văn Mới',
		'Trần\u0000Thị',
		'\u0000',
		'nguoi.moi',
		'nguoi.moi2',
		'x'.repeat(300)
	)
);
const rosterFile = fc
	.tuple(
		fc.boolean(),
		fc.array(fc.array(rosterCell, { maxLength: 7 }), { maxLength: 6 }),
		fc.boolean()
	)
	.map(([header, rows, password]) =>
		[
			...(header
				? [`username,full_name,unit_code,position,role,is_leader${password ? ',password' : ''}`]
				: []),
			...rows.map((cells) => cells.join(','))
		].join('\n')
	);
const goodRoster = fc.constantFrom(
	'username,full_name,unit_code,position,role,is_leader\nnguoi.moi,Người Mới,HU-LY,Chuyên viên,cadre,0',
	'username,full_name,unit_code,position,role,is_leader\nnguoi.moi2,Người Mới Hai,HU-LY,,cadre,1'
);

describe('roster import under hostile files', () => {
	it('imports, or fails with line numbers and writes nothing', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.oneof({ weight: 1, arbitrary: goodRoster }, { weight: 4, arbitrary: rosterFile }),
				async (text) => {
					const before = await fingerprint();
					try {
						await importRoster(database.db, admin, { text, fileName: 'ds.csv', now });
					} catch (error) {
						expectLineErrors(error);
						expect(await fingerprint()).toBe(before);
					}
				}
			),
			{ numRuns: ROSTER_RUNS }
		);
	});
});
