import ExcelJS from 'exceljs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig, type AppConfig } from '../../src/lib/server/app';
import { migrateDatabase, openDatabase } from '../../src/lib/server/db/client';
import { attempts } from '../../src/lib/server/db/schema';
import { makeCadre, makeUnit } from '../../tests/integration/helpers/builders';
import {
	makeCompetition,
	makeRound,
	register
} from '../../tests/integration/helpers/board-builders';
import { main } from '../cli';

// `hocthi results export` against a real PGlite data dir, as an operator would run it.
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

beforeAll(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocthi-results-'));
	config = {
		...readConfig({ HOCTHI_ROOT: process.cwd() }),
		dataDir: path.join(dir, 'data'),
		databaseUrl: undefined
	};
	const database = await openDatabase({ dataDir: config.dataDir });
	await migrateDatabase(database);
	const db = database.db;
	const unit = await makeUnit(db, { code: 'HU-MCC', name: 'Huyện ủy Mù Cang Chải' });
	const c = await makeCompetition(db, { slug: 'hoi-thi-cli', title: 'Hội thi Tin học' });
	const round = await makeRound(db, {
		competitionId: c.id,
		position: 1,
		name: 'Vòng sơ khảo',
		openAt: new Date('2012-09-20T01:00:00Z'),
		closeAt: new Date('2012-09-20T02:00:00Z')
	});
	const cadre = await makeCadre(db, unit, { fullName: 'Giàng A Páo' });
	await register(db, { competitionId: c.id, cadre, unit });
	await db.insert(attempts).values({
		assessmentId: round.assessmentId,
		userId: cadre.id,
		number: 1,
		status: 'submitted',
		startedAt: new Date('2012-09-20T01:00:00Z'),
		submittedAt: new Date('2012-09-20T01:20:00Z'),
		timeUsedMs: 20 * 60_000,
		score: 8.5,
		maxScore: 10,
		seed: 1
	});
	await database.close();
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('hocthi results export', () => {
	it('writes the standings to XLSX and CSV with Vietnamese intact', async () => {
		const xlsx = path.join(dir, 'ket-qua.xlsx');
		const run = io();
		expect(
			await main(
				['results', 'export', 'hoi-thi-cli', '--format', 'xlsx', '--out', xlsx],
				run.io,
				config
			)
		).toBe(0);
		expect(run.out[0]).toBe(`1 competitors and 1 units of Hội thi Tin học written to ${xlsx}`);
		const book = new ExcelJS.Workbook();
		await book.xlsx.readFile(xlsx);
		const row = book.getWorksheet('Cá nhân')!.getRow(2).values as unknown[];
		expect(row.slice(1, 8)).toEqual([
			1,
			'Giàng A Páo',
			'Huyện ủy Mù Cang Chải',
			'HU-MCC',
			8.5,
			8.5,
			10
		]);
		expect(row[8]).toBe('20:00');
		expect(row[10]).toBe('Giải Nhất');

		const csv = path.join(dir, 'ket-qua.csv');
		expect(await main(['results', 'export', 'hoi-thi-cli', '--out', csv], io().io, config)).toBe(0);
		const text = fs.readFileSync(csv, 'utf8');
		expect(text.charCodeAt(0)).toBe(0xfeff);
		expect(text).toContain('Giàng A Páo,Huyện ủy Mù Cang Chải');
	}, 60_000);

	it('refuses an unknown competition and bad arguments', async () => {
		const missing = io();
		expect(
			await main(
				['results', 'export', 'khong-co', '--out', path.join(dir, 'x.csv')],
				missing.io,
				config
			)
		).toBe(1);
		expect(missing.err[0]).toBe('no competition with slug khong-co');
		const bad = io();
		expect(
			await main(
				['results', 'export', 'hoi-thi-cli', '--format', 'pdf', '--out', 'x'],
				bad.io,
				config
			)
		).toBe(2);
		expect(bad.err[0]).toContain('--format must be xlsx or csv');
		const usage = io();
		expect(await main(['results', 'export'], usage.io, config)).toBe(2);
	}, 60_000);
});
