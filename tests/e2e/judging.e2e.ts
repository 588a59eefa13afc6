// Practical judging through the pages: the organiser writes a task with an attachment and a
// rubric and appoints the panel; a competitor starts from the lobby, answers with text and files
// and hands in; two judges mark blind; a disagreement goes to the head judge. And the practical
// page without JavaScript.
import { expect, test, type Page } from '@playwright/test';
import { logIn } from './helpers';
import {
	addRound,
	appointJudges,
	createCompetition,
	fullNameOf,
	openRoundNow,
	registerFromCsv,
	saveSettings,
	signedIn,
	startFromLobby
} from './competition-steps';

/** A 1×1 PNG, a small PDF and a Windows program's first bytes. */
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
	'base64'
);
const PDF = Buffer.from(
	'%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'
);
const EXE = Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0]);

const SLUG = 'hoi-thi-cham-thi';
const ROUND = 'Vòng thực hành chấm thi';
const TASK = 'Khắc phục sự cố mạng nội bộ Ban Dân vận';

test.describe.configure({ mode: 'serial' });

/** The competitor, as their page header names them (for the blindness checks). */
let competitor: { username: string; fullName: string; unitName: string };

/**
 * The organiser builds the competition in the pages: a practical round opened now from the
 * control room, two registered competitors (one for each journey below).
 */
test.beforeAll(async ({ browser }) => {
	test.setTimeout(180_000);
	const organiser = await signedIn(browser, 'bantochuc');
	await createCompetition(organiser, { title: 'Hội thi chấm thi thực hành', slug: SLUG });
	await addRound(organiser, SLUG, { name: ROUND, kind: 'practical', minutes: 60 });
	await saveSettings(organiser, SLUG, { status: 'running' });
	await registerFromCsv(organiser, SLUG, [
		['hocvien2', 'HU-VY'],
		['hocvien3', 'HU-VY']
	]);
	await organiser.context().close();
	const page = await signedIn(browser, 'hocvien2');
	competitor = {
		username: 'hocvien2',
		fullName: await fullNameOf(page),
		unitName: 'Huyện ủy Văn Yên'
	};
	await page.context().close();
});

async function expectBlind(page: Page, attemptId: string) {
	const html = await page.content();
	for (const secret of [competitor.fullName, competitor.username, competitor.unitName, attemptId])
		expect(html, secret).not.toContain(secret);
}

test('a practical task is set, answered with text and a file, judged blind twice, and settled by the head judge', async ({
	browser
}) => {
	// Five people in their own browsers, one after another: 30 s alone here, more than the default
	// minute when the whole suite runs beside it on a slow day.
	test.setTimeout(180_000);
	const organiser = await signedIn(browser, 'bantochuc');
	const base = `/manage/competitions/${SLUG}`;

	// The organiser writes the task, attaches the broken diagram and sets the rubric.
	await organiser.goto(`${base}/rounds/1/tasks`);
	await organiser.getByLabel('Tên đề bài').fill(TASK);
	await organiser
		.getByLabel('Nội dung đề bài')
		.fill(
			'Máy trạm không vào được mạng. Xem sơ đồ:\n\n![Sơ đồ mạng bị lỗi](so-do-mang.png)\n\nNêu lỗi và cách sửa.'
		);
	await organiser.getByRole('button', { name: 'Tạo đề bài' }).click();
	await expect(organiser.getByRole('heading', { name: `Bài 1: ${TASK}` })).toBeVisible();
	await organiser
		.getByLabel('Thêm tệp đính kèm')
		.setInputFiles({ name: 'so-do-mang.png', mimeType: 'image/png', buffer: PNG });
	await organiser.getByRole('button', { name: 'Tải lên' }).click();
	await expect(organiser.getByRole('link', { name: 'so-do-mang.png' })).toBeVisible();
	await expect(organiser.getByRole('img', { name: 'Sơ đồ mạng bị lỗi' })).toBeVisible();
	for (const [i, [name, max]] of [
		['Xác định đúng lỗi', '5'],
		['Khắc phục và giải thích', '5']
	].entries()) {
		const form = organiser.locator('form', {
			has: organiser.getByRole('heading', { name: 'Tiêu chí mới' })
		});
		await form.getByLabel('Tên tiêu chí').fill(name);
		await form.getByLabel('Điểm tối đa').fill(max);
		await form.getByRole('button', { name: 'Thêm tiêu chí' }).click();
		// Each criterion is on the page (with its delete button) before the next is typed.
		await expect(organiser.getByRole('button', { name: /^Xóa tiêu chí/ })).toHaveCount(i + 1);
		await expect(organiser.getByRole('button', { name: `Xóa tiêu chí "${name}"` })).toBeVisible();
	}
	await expect(organiser.getByText('tổng điểm các tiêu chí: 10')).toBeVisible();

	// Judges: giamkhao1 heads, giamkhao2 and giamkhao3 mark. The round opens now.
	await appointJudges(organiser, SLUG);
	await openRoundNow(organiser, SLUG, ROUND);

	// The competitor answers: text (autosaved), a refused file, an accepted file; then hands in.
	const work = await signedIn(browser, competitor.username);
	await startFromLobby(work, SLUG, ROUND);
	const attemptId = work.url().split('/').pop()!;
	await expect(work.getByRole('heading', { name: `Bài 1: ${TASK}` })).toBeVisible();
	await expect(work.getByRole('img', { name: 'Sơ đồ mạng bị lỗi' })).toBeVisible();
	await work
		.getByLabel('Câu trả lời của đồng chí')
		.fill('Cổng mặc định của máy trạm đặt sai (192.168.1.254); sửa thành 192.168.1.1.');
	await expect(work.getByRole('status').filter({ hasText: 'Đã lưu lúc' })).toBeVisible();
	const upload = work.getByLabel('Tải tệp bài làm cho bài 1');
	await upload.setInputFiles({ name: 'bao-cao.pdf', mimeType: 'application/pdf', buffer: EXE });
	await work.getByRole('button', { name: 'Lưu bài làm' }).click();
	await expect(work.getByText(/"bao-cao.pdf" không phải là tệp \.pdf/)).toBeVisible();
	const ownName = `Bao cao - ${competitor.fullName}.pdf`;
	await upload.setInputFiles({ name: ownName, mimeType: 'application/pdf', buffer: PDF });
	await work.getByRole('button', { name: 'Lưu bài làm' }).click();
	await expect(work.getByRole('link', { name: ownName })).toBeVisible();
	await work.reload();
	await expect(work.getByLabel('Câu trả lời của đồng chí')).toHaveValue(/192\.168\.1\.1\./);
	await work.getByRole('button', { name: 'Kết thúc bài làm…' }).click();
	await expect(work.getByRole('heading', { name: /Nộp bài thực hành/ })).toBeVisible();
	await work.getByRole('button', { name: 'Nộp bài' }).click();
	await expect(work.getByText(/Bài làm đã nộp lúc/)).toBeVisible();

	// Two judges mark it by its blind code, never seeing who wrote it.
	let code = '';
	for (const [username, marks] of [
		['giamkhao2', ['4,5', '4,5']],
		['giamkhao3', ['2', '2']]
	] as const) {
		const judge = await signedIn(browser, username);
		await judge.goto('/judging');
		await expect(judge.getByRole('heading', { name: /Cần chấm/ })).toBeVisible();
		const link = judge
			.getByRole('region', { name: /Cần chấm/ })
			.getByRole('row', { name: new RegExp(TASK) })
			.getByRole('link', { name: /^BT-/ });
		code = (await link.textContent())!.trim();
		await expectBlind(judge, attemptId);
		await link.click();
		await expect(judge.getByRole('heading', { name: `Bài làm ${code}` })).toBeVisible();
		await expect(judge.getByText('192.168.1.1')).toBeVisible();
		await expectBlind(judge, attemptId);
		// The file comes under a blind name.
		const fileLink = judge.getByRole('link', { name: `${code}-1.pdf` });
		const download = judge.waitForEvent('download');
		await fileLink.click();
		expect((await download).suggestedFilename()).toBe(`${code}-1.pdf`);
		await judge.getByLabel('Xác định đúng lỗi (tối đa 5 điểm)').fill(marks[0]);
		await judge.getByLabel('Khắc phục và giải thích (tối đa 5 điểm)').fill(marks[1]);
		await judge.getByLabel('Nhận xét').fill(`Nhận xét của ${username}`);
		await judge.getByRole('button', { name: 'Lưu điểm' }).click();
		await expect(judge.getByText('Đã lưu điểm.')).toBeVisible();
		await judge.context().close();
	}

	// 9 against 4: more than the margin of 2 apart, so the head judge decides.
	const head = await signedIn(browser, 'giamkhao1');
	await head.goto('/judging');
	await expect(head.getByRole('heading', { name: /Chờ trưởng ban quyết định/ })).toBeVisible();
	await head.getByRole('link', { name: code }).click();
	await expect(head.getByRole('row', { name: /Lê Thị Thanh Nga.*9/ })).toBeVisible();
	await expect(head.getByRole('row', { name: /Nguyễn Hữu Toàn.*4/ })).toBeVisible();
	await expectBlind(head, attemptId);
	await head.getByLabel('Điểm cuối cùng (tối đa 10)').fill('6,5');
	await head
		.getByLabel('Lý do quyết định')
		.fill('Xác định đúng lỗi, giải thích cách sửa còn thiếu.');
	await head.getByRole('button', { name: 'Quyết định điểm cuối cùng' }).click();
	await expect(head.getByText('Điểm cuối cùng: 6,5/10')).toBeVisible();

	// The organiser sees the final score, and who it was.
	await organiser.goto(`${base}/judging`);
	const row = organiser.getByRole('row', { name: new RegExp(code) });
	await expect(row).toContainText('6,5/10');
	await expect(row).toContainText('Trưởng ban đã quyết định');
	await expect(row).toContainText(competitor.fullName);
});

test('the practical work page works without JavaScript, from the lobby on', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await logIn(page, 'hocvien3');
	await page.goto(`/competitions/${SLUG}`);
	await page.getByRole('button', { name: `Bắt đầu làm bài: ${ROUND}` }).click();
	await expect(page).toHaveURL(/\/practical\/[0-9a-f-]{36}$/);
	const attemptId = page.url().split('/').pop()!;
	await page.getByLabel('Câu trả lời của đồng chí').fill('Đã sửa số, ký hiệu và nơi nhận.');
	await page
		.getByLabel('Tải tệp bài làm cho bài 1')
		.setInputFiles({ name: 'cong-van.pdf', mimeType: 'application/pdf', buffer: PDF });
	await page.getByRole('button', { name: 'Lưu bài làm' }).click();
	await expect(page.getByText('Đã lưu; đã tải lên 1 tệp.')).toBeVisible();
	await page.goto(`/practical/${attemptId}`);
	await expect(page.getByLabel('Câu trả lời của đồng chí')).toHaveValue(
		'Đã sửa số, ký hiệu và nơi nhận.'
	);
	await expect(page.getByRole('link', { name: 'cong-van.pdf' })).toBeVisible();
	await page.getByRole('button', { name: 'Kết thúc bài làm…' }).click();
	await page.getByRole('button', { name: 'Nộp bài' }).click();
	await expect(page.getByText(/Bài làm đã nộp lúc/)).toBeVisible();
	// Back in the lobby, the round shows as handed in.
	await page.getByRole('link', { name: 'Về trang hội thi' }).click();
	await expect(page.getByText(/Đã nộp bài lúc/)).toBeVisible();
	// Someone else cannot open it.
	const other = await signedIn(browser, 'hocvien1');
	const res = await other.goto(`/practical/${attemptId}`);
	expect(res?.status()).toBe(404);
	await context.close();
});
