// The organiser's and competitors' steps in a competition, done through the pages as people do
// them; shared by the competition journeys (hoi-thi, judging, board).
import { expect, type Browser, type Page } from '@playwright/test';
import { logIn } from './helpers';

/** A new browser (its own cookies) with someone logged in. */
export async function signedIn(browser: Browser, username: string): Promise<Page> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await logIn(page, username);
	return page;
}

/** A browser with nobody logged in (the public, a projector in the hall). */
export async function anonymous(browser: Browser): Promise<Page> {
	const context = await browser.newContext();
	return context.newPage();
}

/** The logged-in person's full name, as the page header shows it. */
export async function fullNameOf(page: Page): Promise<string> {
	return (await page.getByTitle('Đổi mật khẩu').textContent())!.trim();
}

/** Creates a competition from the organisers' list; ends on its settings page. */
export async function createCompetition(page: Page, input: { title: string; slug: string }) {
	await page.goto('/manage/competitions');
	await page.getByLabel('Tên hội thi').fill(input.title);
	await page.getByLabel('Địa chỉ ngắn').fill(input.slug);
	await page.getByRole('button', { name: 'Tạo hội thi' }).click();
	await expect(page.getByText('Đã tạo hội thi (đang soạn)')).toBeVisible();
}

/** Changes settings on the competition's settings page and saves them. */
export async function saveSettings(
	page: Page,
	slug: string,
	input: { status?: 'registration' | 'running' | 'finished'; freezeMinutes?: number }
) {
	await page.goto(`/manage/competitions/${slug}`);
	if (input.freezeMinutes !== undefined)
		await page.getByLabel('Đóng băng bảng điểm (phút cuối)').fill(String(input.freezeMinutes));
	if (input.status) await page.getByLabel('Trạng thái').selectOption(input.status);
	await page.getByRole('button', { name: 'Lưu', exact: true }).click();
	await expect(page.getByText('Đã lưu cài đặt hội thi.')).toBeVisible();
}

/** Adds a round that starts when the control room opens it ('fixed'); ends on the round's page. */
export async function addRound(
	page: Page,
	slug: string,
	input: { name: string; kind: 'theory' | 'practical'; minutes: number }
) {
	await page.goto(`/manage/competitions/${slug}`);
	const add = page.locator('details', { has: page.getByText('Thêm vòng thi') });
	if ((await add.getAttribute('open')) === null) await page.getByText('Thêm vòng thi').click();
	await add.getByLabel('Tên vòng thi').fill(input.name);
	await add
		.getByRole('radio', { name: input.kind === 'theory' ? /^Lý thuyết/ : /^Thực hành/ })
		.check();
	await add.getByRole('radio', { name: /^Cùng giờ/ }).check();
	await add.getByLabel('Thời gian làm bài (phút)').fill(String(input.minutes));
	await add.getByRole('button', { name: 'Lưu vòng thi mới' }).click();
	await expect(page.getByRole('heading', { level: 1, name: input.name })).toBeVisible();
}

/** On a theory round's page: draw `count` questions from a bank's root category. */
export async function drawQuestions(page: Page, input: { bank: string; count: number }) {
	const category = page.getByLabel('Lấy từ danh mục (dòng 1)');
	const value = await category
		.locator('option', { hasText: new RegExp(`^${input.bank} \\(`) })
		.getAttribute('value');
	await category.selectOption(value!);
	await page.getByLabel('Số câu (dòng 1)').fill(String(input.count));
	await page.getByRole('button', { name: 'Lưu cách rút câu hỏi' }).click();
	await expect(page.getByText(`Đã lưu: mỗi thí sinh nhận ${input.count} câu hỏi.`)).toBeVisible();
}

/** On a practical round's page: writes a task and its rubric. */
export async function writeTask(
	page: Page,
	input: { title: string; statement: string; criteria: Array<[string, number]> }
) {
	await page.getByRole('link', { name: 'Đề thực hành và tiêu chí chấm' }).click();
	await page.getByLabel('Tên đề bài').fill(input.title);
	await page.getByLabel('Nội dung đề bài').fill(input.statement);
	await page.getByRole('button', { name: 'Tạo đề bài' }).click();
	await expect(page.getByRole('heading', { name: new RegExp(`: ${input.title}$`) })).toBeVisible();
	for (const [i, [name, max]] of input.criteria.entries()) {
		const form = page.locator('form', { has: page.getByRole('heading', { name: 'Tiêu chí mới' }) });
		await form.getByLabel('Tên tiêu chí').fill(name);
		await form.getByLabel('Điểm tối đa').fill(String(max));
		await form.getByRole('button', { name: 'Thêm tiêu chí' }).click();
		// Each criterion is on the page (with its delete button) before the next is typed.
		await expect(page.getByRole('button', { name: /^Xóa tiêu chí/ })).toHaveCount(i + 1);
		await expect(page.getByRole('button', { name: `Xóa tiêu chí "${name}"` })).toBeVisible();
	}
}

/** The panel: giamkhao1 heads it, giamkhao2 and giamkhao3 mark. */
export async function appointJudges(page: Page, slug: string) {
	await page.goto(`/manage/competitions/${slug}/judging`);
	for (const [username, isHead] of [
		['giamkhao1', true],
		['giamkhao2', false],
		['giamkhao3', false]
	] as const) {
		await page.getByLabel('Giám khảo', { exact: true }).selectOption(username);
		if (isHead) await page.getByLabel('Trưởng ban giám khảo').check();
		await page.getByRole('button', { name: 'Thêm giám khảo' }).click();
		await expect(page.getByRole('cell', { name: username, exact: true })).toBeVisible();
	}
}

/** Registers competitors from a CSV (username,team) on the registrations page. */
export async function registerFromCsv(page: Page, slug: string, rows: Array<[string, string]>) {
	await page.goto(`/manage/competitions/${slug}/registrations`);
	await page.getByLabel('Tệp CSV').setInputFiles({
		name: 'danh-sach.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from(['username,team', ...rows.map((r) => r.join(','))].join('\n') + '\n')
	});
	await page.getByRole('button', { name: 'Kiểm tra và đăng ký' }).click();
	await expect(
		page.getByText(`Đã đăng ký ${rows.length} thí sinh mới, cập nhật 0, 0 không đổi.`)
	).toBeVisible();
}

/** The control room, at a round (chosen in the round tabs when there are several). */
export async function controlRoomOf(page: Page, slug: string, round: string) {
	await page.goto(`/manage/competitions/${slug}/control`);
	const tab = page.getByRole('link', { name: round, exact: true });
	if (await tab.count()) await tab.click();
	await expect(page.getByRole('heading', { level: 2, name: round })).toBeVisible();
}

/** The control room's "open now" for a round (by its name in the round tabs). */
export async function openRoundNow(page: Page, slug: string, round: string) {
	await controlRoomOf(page, slug, round);
	await page.getByRole('button', { name: 'Mở vòng thi ngay' }).click();
	await expect(page.getByText('Đã mở vòng thi.')).toBeVisible();
}

/** The control room's "close now", with the reason the log asks for. */
export async function closeRoundNow(page: Page, slug: string, round: string, reason: string) {
	await controlRoomOf(page, slug, round);
	const card = page.getByRole('region', { name: 'Mở và kết thúc vòng thi' });
	await card.getByLabel('Lý do (ghi vào nhật ký)').fill(reason);
	await card.getByRole('button', { name: 'Kết thúc vòng thi ngay' }).click();
	await expect(page.getByText(/Đã kết thúc vòng thi/)).toBeVisible();
}

/** Publishes the board on the organisers' results page: the projector then needs no login. */
export async function publishBoard(page: Page, slug: string) {
	await page.goto(`/manage/competitions/${slug}/results`);
	await page.getByRole('button', { name: 'Công khai bảng xếp hạng' }).click();
	await expect(page.getByText('Bảng xếp hạng đã được công khai.')).toBeVisible();
}

/** Starts a round from the competitor's lobby; returns the page where the work is done. */
export async function startFromLobby(page: Page, slug: string, round: string) {
	await page.goto(`/competitions/${slug}`);
	await page.getByRole('button', { name: `Bắt đầu làm bài: ${round}` }).click();
	await expect(page).toHaveURL(/\/(attempts|practical)\/[0-9a-f-]{36}$/);
	await expect(page.getByRole('timer')).toContainText('Thời gian còn lại');
}

/** Answers question n of a theory round on the page, in whatever form it takes. */
export async function answer(page: Page, n: number) {
	const question = page.locator('fieldset.question').nth(n);
	const type = await question.getAttribute('data-type');
	if (type === 'single' || type === 'truefalse') await question.getByRole('radio').first().check();
	else if (type === 'multiple') await question.getByRole('checkbox').first().check();
	else if (type === 'matching') {
		for (const select of await question.getByRole('combobox').all())
			await select.selectOption({ index: 1 });
	} else
		await question
			.getByRole('textbox')
			.fill(type === 'numerical' ? '42' : 'Câu trả lời thử nghiệm');
	return question;
}

/** Hands in a theory attempt from its page. */
export async function handIn(page: Page) {
	await page.getByRole('button', { name: 'Kết thúc bài làm…' }).click();
	await page.getByRole('button', { name: 'Nộp bài' }).click();
	await expect(page.getByText(/Bài đã nộp lúc/)).toBeVisible();
}

/** The individual standings row of a person on a board (projector or organisers' live view). */
export const boardRow = (page: Page, name: string) =>
	page.getByRole('table', { name: 'Cá nhân' }).getByRole('row').filter({ hasText: name });
