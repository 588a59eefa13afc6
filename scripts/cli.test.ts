import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig, type AppConfig } from '../src/lib/server/app';
import { main } from './cli';

// The CLI against a real PGlite data dir in a temp folder, as an operator would run it.
let dir: string;
let config: AppConfig;

function io(stdin = '') {
	const out: string[] = [];
	const err: string[] = [];
	return {
		out,
		err,
		io: {
			out: (l: string) => out.push(l),
			err: (l: string) => err.push(l),
			readStdin: async () => stdin
		}
	};
}

beforeAll(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocthi-cli-'));
	config = {
		...readConfig({ HOCTHI_ROOT: process.cwd() }),
		dataDir: path.join(dir, 'data'),
		databaseUrl: undefined
	};
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('hocthi CLI', () => {
	it('seeds the demo set once and lists units and users as JSON', async () => {
		const seed = io();
		expect(await main(['seed', '--demo'], seed.io, config)).toBe(0);
		const again = io();
		expect(await main(['seed'], again.io, config)).toBe(1);
		expect(again.err.join('\n')).toContain('not empty');

		const units = io();
		expect(await main(['units', 'list', '--json'], units.io, config)).toBe(0);
		const unitRows = JSON.parse(units.out.join('')) as Array<{
			code: string;
			parent: string | null;
		}>;
		expect(unitRows.find((u) => u.code === 'HU-LY')).toMatchObject({ parent: 'TU-YB' });

		const users = io();
		expect(await main(['users', 'list', '--unit', 'HU-LY', '--json'], users.io, config)).toBe(0);
		const userRows = JSON.parse(users.out.join('')) as Array<{
			username: string;
			unit_code: string;
		}>;
		expect(userRows.some((u) => u.username === 'lanhdao')).toBe(true);
		expect(userRows.some((u) => u.unit_code === 'LY-MINHXUAN')).toBe(true);
		expect(userRows.every((u) => u.unit_code === 'HU-LY' || u.unit_code.startsWith('LY-'))).toBe(
			true
		);
	}, 120_000);

	it('adds a user with a password from stdin', async () => {
		const add = io('Mat-khau-moi-2012\n');
		expect(
			await main(
				[
					'users',
					'add',
					'tranvt',
					'--name',
					'Trần Văn Tú',
					'--unit',
					'VPTU',
					'--role',
					'trainer,cadre',
					'--password-stdin'
				],
				add.io,
				config
			)
		).toBe(0);
		const dup = io();
		expect(
			await main(
				['users', 'add', 'tranvt', '--name', 'X', '--role', 'cadre', '--unit', 'VPTU'],
				dup.io,
				config
			)
		).toBe(1);
		expect(dup.err.join('\n')).toContain('tranvt');
		const bad = io();
		expect(
			await main(['users', 'add', 'x1', '--name', 'X', '--role', 'boss'], bad.io, config)
		).toBe(2);
	});

	it('a roster with one bad row exits non-zero naming that line, and imports nothing', async () => {
		const file = path.join(dir, 'roster.csv');
		fs.writeFileSync(
			file,
			'\ufeffusername,full_name,unit_code,position,role,is_leader\nmoi1,Người Mới Một,VPTU,,cadre,0\nmoi2,Người Mới Hai,KHONG-CO,,cadre,0\nmoi3,Người Mới Ba,VPTU,,cadre,0\n'
		);
		const run = io();
		expect(await main(['users', 'import', file], run.io, config)).toBe(1);
		expect(run.err[0]).toBe(`${file}:3: Không có đơn vị mã "KHONG-CO".`);
		const list = io();
		await main(['users', 'list', '--json'], list.io, config);
		expect(list.out.join('')).not.toContain('moi1');

		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('KHONG-CO', 'VPTU'));
		const ok = io();
		expect(await main(['users', 'import', file], ok.io, config)).toBe(0);
		expect(ok.out[0]).toBe('created 3, updated 0, unchanged 0');
		const again = io();
		expect(await main(['users', 'import', file], again.io, config)).toBe(0);
		expect(again.out[0]).toBe('created 0, updated 0, unchanged 3');
	}, 60_000);

	it('refuses a data dir held by a running server, without touching it', async () => {
		const lock = path.join(config.dataDir, 'hocthi.lock');
		// The parent process (the test runner) stands in for a live server.
		fs.writeFileSync(
			lock,
			JSON.stringify({ pid: process.ppid, owner: 'server', startedAt: '2012-09-15T08:00:00Z' })
		);
		const run = io();
		expect(await main(['units', 'list'], run.io, config)).toBe(3);
		expect(run.err[0]).toContain(`in use by the HọcThi server (pid ${process.ppid}`);
		expect(fs.existsSync(lock)).toBe(true);
		fs.rmSync(lock);
	});

	it('backs up and restores into another data dir, refusing to overwrite without --yes', async () => {
		const file = path.join(dir, 'sao-luu.hocthi.gz');
		const backup = io();
		expect(await main(['backup', file], backup.io, config)).toBe(0);
		expect(fs.existsSync(file)).toBe(true);
		const other = { ...config, dataDir: path.join(dir, 'data-2') };
		const restore = io();
		expect(await main(['restore', file], restore.io, other)).toBe(0);
		expect(restore.out[0]).toMatch(/^restored \d+ rows in \d+ tables/);
		const again = io();
		expect(await main(['restore', file], again.io, other)).toBe(1);
		expect(again.err[0]).toContain('--yes');
		expect(await main(['restore', file, '--yes'], io().io, other)).toBe(0);
		const users = io();
		await main(['users', 'list', '--json'], users.io, other);
		expect(users.out.join('')).toContain('"username":"tranvt"');
		const broken = path.join(dir, 'hong.gz');
		fs.writeFileSync(broken, fs.readFileSync(file).subarray(0, 200));
		const bad = io();
		expect(await main(['restore', broken, '--yes'], bad.io, other)).toBe(1);
		expect(bad.err[0]).toContain('nothing restored');
	}, 120_000);

	it('exports a progress report as XLSX and CSV', async () => {
		const xlsx = path.join(dir, 'tien-do.xlsx');
		const run = io();
		expect(
			await main(
				['reports', 'progress', '--unit', 'HU-LY', '--format', 'xlsx', '--out', xlsx],
				run.io,
				config
			)
		).toBe(0);
		expect(run.out[0]).toContain('Huyện ủy Lục Yên');
		expect(fs.readFileSync(xlsx).subarray(0, 2).toString()).toBe('PK');
		const csv = path.join(dir, 'tien-do.csv');
		expect(
			await main(['reports', 'progress', '--format', 'csv', '--out', csv], io().io, config)
		).toBe(0);
		const text = fs.readFileSync(csv, 'utf8');
		expect(text.charCodeAt(0)).toBe(0xfeff);
		expect(text).toContain('Đảng ủy xã Minh Xuân');
		const bad = io();
		expect(
			await main(['reports', 'progress', '--unit', 'NOPE', '--out', csv], bad.io, config)
		).toBe(1);
	}, 60_000);

	it('imports a course folder, and refuses a broken one naming files and lines', async () => {
		const ok = io();
		expect(
			await main(['courses', 'import', path.resolve('content/quan-tri-mang-co-ban')], ok.io, config)
		).toBe(0);
		expect(ok.out[0]).toMatch(/^updated quan-tri-mang-co-ban/);
		const bad = io();
		expect(
			await main(
				['courses', 'import', path.resolve('tests/fixtures/courses/bad-course')],
				bad.io,
				config
			)
		).toBe(1);
		expect(bad.err.some((l) => l.startsWith('course.md:2:'))).toBe(true);
		expect(bad.err.some((l) => l.startsWith('questions.gift:1:'))).toBe(true);
		expect(bad.err.at(-1)).toMatch(/^nothing imported/);
	}, 60_000);

	it('explains usage errors', async () => {
		const run = io();
		expect(await main(['frobnicate'], run.io, config)).toBe(2);
		expect(run.err[0]).toContain('unknown command');
	});
});
