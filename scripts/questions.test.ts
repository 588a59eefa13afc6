import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig, type AppConfig } from '../src/lib/server/app';
import { parseGift } from '../src/lib/server/questions/formats/gift';
import { main } from './cli';

// `hocthi questions` against a real PGlite data dir in a temp folder, as an operator would run it.
let dir: string;
let config: AppConfig;

function io() {
	const out: string[] = [];
	const err: string[] = [];
	return {
		out,
		err,
		io: {
			out: (l: string) => out.push(l),
			err: (l: string) => err.push(l),
			readStdin: async () => ''
		}
	};
}

function write(name: string, text: string | Buffer): string {
	const file = path.join(dir, name);
	fs.writeFileSync(file, text);
	return file;
}

beforeAll(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocthi-questions-'));
	config = {
		...readConfig({ HOCTHI_ROOT: process.cwd() }),
		dataDir: path.join(dir, 'data'),
		databaseUrl: undefined
	};
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const GOOD = [
	'\ufeff$CATEGORY: Quản trị mạng/Địa chỉ IP',
	'',
	'// [id:IP-01] [tag:de]',
	'::Mặt nạ /24::Mạng /24 có bao nhiêu địa chỉ dùng được? {#254}',
	'',
	'::Lớp mạng::Địa chỉ 10.1.8.25 thuộc dải nào? {=riêng ~công cộng}',
	'',
	'::Tự luận::Trình bày cách chia mạng con. {}'
].join('\n');

describe('hocthi questions', () => {
	it('prints exactly the JSON of a file with errors, exits non-zero and imports nothing', async () => {
		const file = write(
			'loi.gift',
			'::Tốt::A? {T}\n\n::Hỏng::B? {=x ~y\n\n::Trọng số::C? {~%37%a ~%63%b}\n'
		);
		const run = io();
		expect(await main(['questions', 'import', file, '--json'], run.io, config)).toBe(1);
		expect(run.err).toEqual([]);
		expect(run.out).toHaveLength(1);
		const report = JSON.parse(run.out[0]);
		expect(Object.keys(report)).toEqual(['questions', 'errors']);
		expect(report.questions).toEqual([]);
		expect(report.errors.map((e: { line: number }) => e.line)).toEqual([3, 5, 5]);
		expect(Object.keys(report.errors[0])).toEqual(['line', 'message']);
		// Without --json: one line per error naming the file and line.
		const plain = io();
		expect(await main(['questions', 'import', file], plain.io, config)).toBe(1);
		expect(plain.err[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: `));
		expect(plain.err.at(-1)).toBe('nothing imported (3 errors)');
		const exported = io();
		expect(await main(['questions', 'export'], exported.io, config)).toBe(0);
		expect(exported.out.join('\n')).not.toContain('Tốt');
	}, 60_000);

	it('dry-runs, then imports under a category, printing the questions as JSON', async () => {
		const file = write('tot.gift', GOOD);
		const dry = io();
		expect(await main(['questions', 'import', file, '--dry-run', '--json'], dry.io, config)).toBe(
			0
		);
		expect(JSON.parse(dry.out[0])).toEqual({
			questions: [
				{ type: 'numerical', name: 'Mặt nạ /24' },
				{ type: 'single', name: 'Lớp mạng' },
				{ type: 'essay', name: 'Tự luận' }
			],
			errors: []
		});
		const none = io();
		await main(['questions', 'export'], none.io, config);
		expect(none.out.join('')).not.toContain('Mặt nạ');

		const run = io();
		expect(
			await main(
				['questions', 'import', file, '--category', 'Khóa 1 / Ngân hàng', '--json'],
				run.io,
				config
			)
		).toBe(0);
		expect(run.out).toEqual([dry.out[0]]);
		const again = io();
		expect(
			await main(['questions', 'import', file, '--category', 'Khóa 1/Ngân hàng'], again.io, config)
		).toBe(0);
		expect(again.out[0]).toBe('imported 3 questions: created 0, updated 0, unchanged 3');
	}, 60_000);

	it('exports a category to a file that imports back unchanged', async () => {
		const out = path.join(dir, 'xuat.gift');
		const run = io();
		expect(
			await main(
				['questions', 'export', '--category', 'Khóa 1/Ngân hàng/Quản trị mạng', '--out', out],
				run.io,
				config
			)
		).toBe(0);
		expect(run.out[0]).toBe(`exported 3 questions to ${out}`);
		const text = fs.readFileSync(out, 'utf8');
		expect(text).toContain('$CATEGORY: Khóa 1/Ngân hàng/Quản trị mạng/Địa chỉ IP');
		expect(text).toContain('[id:IP-01]');
		const source = parseGift(GOOD).questions.map(({ line: _l, category: _c, ...q }) => q);
		expect(parseGift(text).questions.map(({ line: _l, category: _c, ...q }) => q)).toEqual(source);
		const back = io();
		expect(await main(['questions', 'import', out], back.io, config)).toBe(0);
		expect(back.out[0]).toBe('imported 3 questions: created 0, updated 0, unchanged 3');
		const missing = io();
		expect(await main(['questions', 'export', '--category', 'Không có'], missing.io, config)).toBe(
			1
		);
		expect(missing.err[0]).toContain('Không có');
	}, 60_000);

	it('reads Aiken files, and refuses a file that is not UTF-8', async () => {
		const aiken = write('cau-hoi.txt', 'Cổng HTTPS mặc định?\nA) 80\nB) 443\nANSWER: B\n');
		const run = io();
		expect(await main(['questions', 'import', aiken, '--dry-run', '--json'], run.io, config)).toBe(
			0
		);
		expect(JSON.parse(run.out[0]).questions).toEqual([
			{ type: 'single', name: 'Cổng HTTPS mặc định?' }
		]);
		const latin1 = write('latin1.gift', Buffer.from([0x43, 0xe2, 0x75, 0x20, 0x7b, 0x54, 0x7d]));
		const bad = io();
		expect(await main(['questions', 'import', latin1, '--json'], bad.io, config)).toBe(1);
		expect(JSON.parse(bad.out[0])).toEqual({
			questions: [],
			errors: [{ line: 1, message: expect.stringContaining('UTF-8') }]
		});
		const usage = io();
		expect(await main(['questions', 'import'], usage.io, config)).toBe(2);
		expect(await main(['questions', 'import', aiken, '--format', 'xml'], io().io, config)).toBe(2);
	}, 60_000);
});
