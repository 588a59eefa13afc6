// The leaderboard journeys on a competition the organiser builds in the pages: the public board
// is refused until the organisers publish it; without JavaScript it refreshes itself; the
// projector updates live while a competitor submits in another browser; a frozen board stays
// frozen for the public while organisers see live; exports download and re-read with their
// Vietnamese intact. And, on a server of its own, the server stops cleanly with boards open.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { logIn } from './helpers';
import {
	addRound,
	anonymous,
	answer,
	boardRow,
	createCompetition,
	drawQuestions,
	fullNameOf,
	handIn,
	openRoundNow,
	registerFromCsv,
	saveSettings,
	signedIn,
	startFromLobby
} from './competition-steps';
import { prepareBoardData } from './board-fixture';

test.describe.configure({ mode: 'serial' });

const SLUG = 'hoi-thi-bang-diem';
const TITLE = 'Hội thi bảng điểm trực tiếp';
const ROUND = 'Vòng lý thuyết bảng điểm';
/** The two competitors' full names, as their pages show them. */
const names: Record<'hocvien4' | 'hocvien5', string> = { hocvien4: '', hocvien5: '' };

test.beforeAll(async ({ browser }) => {
	test.setTimeout(180_000);
	const organiser = await signedIn(browser, 'bantochuc');
	await createCompetition(organiser, { title: TITLE, slug: SLUG });
	await addRound(organiser, SLUG, { name: ROUND, kind: 'theory', minutes: 60 });
	await drawQuestions(organiser, { bank: 'An toàn, bảo mật thông tin', count: 2 });
	await saveSettings(organiser, SLUG, { status: 'running' });
	await registerFromCsv(organiser, SLUG, [
		['hocvien4', 'HU-VY'],
		['hocvien5', '']
	]);
	await openRoundNow(organiser, SLUG, ROUND);
	await organiser.context().close();
	for (const username of ['hocvien4', 'hocvien5'] as const) {
		const page = await signedIn(browser, username);
		names[username] = await fullNameOf(page);
		await page.context().close();
	}
});

test('the public board is refused until the organisers publish it', async ({ browser }) => {
	const board = `/board/${SLUG}`;
	const visitor = await anonymous(browser);
	await visitor.goto(board);
	await expect(visitor).toHaveURL(/\/login\?redirectTo=%2Fboard%2Fhoi-thi-bang-diem/);
	const events = await visitor.request.get(`${board}/events`);
	expect(events.status()).toBe(403);

	const competitor = await signedIn(browser, 'hocvien4');
	const refused = await competitor.goto(board);
	expect(refused?.status()).toBe(403);
	await expect(
		competitor.getByText('Bảng xếp hạng này chưa được ban tổ chức công bố.')
	).toBeVisible();
	// Nor the official results, nor the organisers' page.
	await competitor.goto(`/competitions/${SLUG}/results`);
	await expect(competitor.getByText('Kết quả chính thức chưa được công bố.')).toBeVisible();
	await expect(competitor.getByText(names.hocvien5)).toHaveCount(0);
	const manage = await competitor.goto(`/manage/competitions/${SLUG}/results`);
	expect(manage?.status()).toBe(403);

	const organiser = await signedIn(browser, 'bantochuc');
	await organiser.goto(`/manage/competitions/${SLUG}/results`);
	await expect(organiser.getByText('Chưa công khai')).toBeVisible();
	await organiser.getByRole('button', { name: 'Công khai bảng xếp hạng' }).click();
	await expect(organiser.getByText('Bảng xếp hạng đã được công khai.')).toBeVisible();

	await visitor.goto(board);
	await expect(visitor.getByRole('heading', { name: TITLE })).toBeVisible();
	await expect(boardRow(visitor, names.hocvien4)).toBeVisible();
	for (const p of [visitor, competitor, organiser]) await p.context().close();
});

test('without JavaScript the projector refreshes itself', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto(`/board/${SLUG}`);
	await expect(page.getByRole('heading', { name: TITLE })).toBeVisible();
	await expect(page.locator('meta[http-equiv="refresh"]')).toHaveAttribute('content', '30');
	await context.close();
});

test('the projector updates live while a competitor submits in another browser', async ({
	browser
}) => {
	const projector = await anonymous(browser);
	await projector.goto(`/board/${SLUG}`);
	await expect(projector.getByText('Cập nhật trực tiếp')).toBeVisible();

	const competitor = await signedIn(browser, 'hocvien4');
	await startFromLobby(competitor, SLUG, ROUND);
	await expect(boardRow(projector, names.hocvien4)).toContainText('đang thi');
	for (const n of [0, 1]) await answer(competitor, n);
	await expect(competitor.getByRole('status').filter({ hasText: 'Đã lưu lúc' })).toBeVisible();
	await handIn(competitor);

	// No reload: the new standings arrive over the event stream.
	const row = boardRow(projector, names.hocvien4);
	await expect(row).not.toContainText('đang thi');
	await expect(row.getByRole('cell').first()).toHaveText('1');
	await competitor.context().close();
	await projector.context().close();
});

test('a frozen board stays frozen for the public while organisers see live', async ({
	browser
}) => {
	const competitor = await signedIn(browser, 'hocvien5');
	await startFromLobby(competitor, SLUG, ROUND);

	// The organisers freeze the last 60 minutes: all of this round, so the public board shows
	// the standings as they were when it opened (nobody had started, nobody had a score).
	const organiser = await signedIn(browser, 'bantochuc');
	await organiser.goto(`/manage/competitions/${SLUG}/results`);
	await organiser.getByLabel('Số phút đóng băng trước khi vòng thi kết thúc').fill('60');
	await organiser.getByRole('button', { name: 'Lưu', exact: true }).click();
	await expect(organiser.getByText('Đã lưu cài đặt đóng băng.')).toBeVisible();
	await expect(organiser.getByText(/Bảng điểm đóng băng từ/)).toBeVisible();

	const projector = await anonymous(browser);
	await projector.goto(`/board/${SLUG}`);
	await expect(projector.getByText(/Bảng điểm đóng băng từ \d\d:\d\d/)).toBeVisible();
	const roundCell = (page: Page, name: string) => boardRow(page, name).getByRole('cell').nth(2);
	await expect(roundCell(projector, names.hocvien4)).toHaveText('—');
	await expect(roundCell(projector, names.hocvien5)).toHaveText('—');
	await expect(boardRow(organiser, names.hocvien5)).toContainText('đang thi');

	for (const n of [0, 1]) await answer(competitor, n);
	await expect(competitor.getByRole('status').filter({ hasText: 'Đã lưu lúc' })).toBeVisible();
	await handIn(competitor);

	// The organisers' live standings move at once…
	await expect(boardRow(organiser, names.hocvien5)).not.toContainText('đang thi');
	// …the public board, even freshly loaded, still shows the standings as of the freeze.
	await projector.reload();
	await expect(projector.getByText(/Bảng điểm đóng băng từ/)).toBeVisible();
	await expect(roundCell(projector, names.hocvien5)).toHaveText('—');
	await expect(roundCell(projector, names.hocvien4)).toHaveText('—');
	// The organisers' projector view may show live.
	await organiser.goto(`/board/${SLUG}?live=1`);
	await expect(organiser.getByText('Trực tiếp — chỉ ban tổ chức')).toBeVisible();
	await expect(boardRow(organiser, names.hocvien5)).not.toContainText('đang thi');
	await expect(roundCell(organiser, names.hocvien5)).not.toHaveText('—');
	for (const p of [projector, organiser, competitor]) await p.context().close();
});

test('an organiser downloads the results as XLSX and CSV, Vietnamese intact', async ({
	browser
}) => {
	const context = await browser.newContext({ acceptDownloads: true });
	const organiser = await context.newPage();
	await logIn(organiser, 'bantochuc');
	await organiser.goto(`/manage/competitions/${SLUG}/results`);

	const xlsxDownload = organiser.waitForEvent('download');
	await organiser.getByRole('link', { name: 'Tải Excel (XLSX)' }).click();
	const xlsx = await xlsxDownload;
	expect(xlsx.suggestedFilename()).toMatch(/^ket-qua-hoi-thi-bang-diem-\d{4}-\d\d-\d\d\.xlsx$/);
	const book = new ExcelJS.Workbook();
	await book.xlsx.readFile(await xlsx.path());
	const sheet = book.getWorksheet('Cá nhân')!;
	expect(sheet.getRow(1).getCell(2).value).toBe('Họ và tên');
	const rows = [2, 3].map((r) => sheet.getRow(r).values as unknown[]);
	expect(rows.map((r) => r[2]).sort()).toEqual([names.hocvien4, names.hocvien5].sort());
	expect(rows.map((r) => r[3])).toEqual(['Huyện ủy Văn Yên', 'Huyện ủy Văn Yên']);
	expect(book.getWorksheet('Toàn đoàn')!.getRow(2).getCell(2).value).toBe('Huyện ủy Văn Yên');

	const csvDownload = organiser.waitForEvent('download');
	await organiser.getByRole('link', { name: 'Tải CSV' }).click();
	const csv = fs.readFileSync(await (await csvDownload).path(), 'utf8');
	expect(csv.charCodeAt(0)).toBe(0xfeff);
	expect(csv).toContain(`${names.hocvien4},Huyện ủy Văn Yên,HU-VY`);
	await context.close();
});

// ---------------------------------------------------------------------------------------------
// A server of its own, to stop

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as net.AddressInfo;
			probe.close(() => resolve(port));
		});
	});
}

async function ownServer(dataDir: string): Promise<{
	server: ChildProcess;
	exited: Promise<number | null>;
	baseURL: string;
}> {
	const port = await freePort();
	// The build is the one the shared e2e server made (Playwright starts it before any test).
	const server = spawn(process.execPath, ['scripts/server.js'], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			HOCTHI_DEMO: '0',
			DATABASE_URL: ''
		},
		stdio: ['ignore', 'pipe', 'inherit']
	});
	const exited = new Promise<number | null>((resolve) =>
		server.once('exit', (code) => resolve(code))
	);
	await new Promise<void>((resolve, reject) => {
		server.stdout!.on('data', (chunk: Buffer) => {
			if (chunk.toString().includes('listening on')) resolve();
		});
		server.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
	});
	return { server, exited, baseURL: `http://127.0.0.1:${port}` };
}

async function pageAt(
	browser: Browser,
	baseURL: string
): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ baseURL });
	return { context, page: await context.newPage() };
}

test('the server stops cleanly while live boards are open', async ({ browser }) => {
	test.setTimeout(120_000);
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocthi-board-e2e-'));
	try {
		const { slug } = await prepareBoardData(dataDir, new Date());
		const { server, exited, baseURL } = await ownServer(dataDir);
		try {
			const projector = await pageAt(browser, baseURL);
			await projector.page.goto(`/board/${slug}`);
			await expect(projector.page.getByText('Cập nhật trực tiếp')).toBeVisible();
			server.kill('SIGTERM');
			// With a stream left open the server would wait for its 30 s timeout and exit with 1.
			expect(await exited).toBe(0);
			await expect(projector.page.getByText(/Đang kết nối lại|Mất kết nối/)).toBeVisible();
			await projector.context.close();
		} finally {
			if (server.exitCode === null) server.kill('SIGKILL');
		}
	} finally {
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
});
