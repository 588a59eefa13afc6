import { expect, test, type Page } from '@playwright/test';
import { logIn } from './helpers';

const COURSE = '/courses/quan-tri-mang-co-ban';

/** Answers the first question on the page in whatever form it takes. */
async function answerFirst(page: Page, n: number) {
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
	return { question, type };
}

test('a cadre takes the timed quiz, keeps answering offline, reloads, submits and reviews; no answer key reaches the page', async ({
	page,
	context
}) => {
	await logIn(page, 'hocvien1');
	await page.goto(COURSE);
	await page.getByRole('link', { name: /Kiểm tra cuối khóa/ }).click();
	await expect(page.getByText('20 phút', { exact: true })).toBeVisible();
	await page.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
	await expect(page).toHaveURL(/\/attempts\/[0-9a-f-]{36}$/);
	await expect(page.getByRole('timer')).toContainText('Thời gian còn lại');

	// Nothing of the key is in the HTML or the data sent with it.
	const html = await page.content();
	for (const secret of ['fraction', 'feedbackRight', 'Chưa đúng', '"answer":'])
		expect(html, secret).not.toContain(secret);

	await answerFirst(page, 0);
	await expect(page.getByRole('status').filter({ hasText: 'Đã lưu lúc' })).toBeVisible();

	// The connection drops: answers are kept and the page says so.
	await context.setOffline(true);
	await answerFirst(page, 1);
	await expect(page.getByText(/Mất kết nối: 1 câu trả lời/)).toBeVisible();
	await answerFirst(page, 2);
	await expect(page.getByText(/Mất kết nối: 2 câu trả lời/)).toBeVisible();

	// Still offline, the page is reloaded from the cache-less network: wait for the connection, then reload.
	await context.setOffline(false);
	await expect(page.getByRole('status').filter({ hasText: 'Đã lưu lúc' })).toBeVisible({
		timeout: 30_000
	});
	await page.reload();
	const second = page.locator('fieldset.question').nth(1);
	await expect(
		second
			.locator(
				'input:checked, option:checked:not([value=""]), input[type=text]:not([value=""]), textarea'
			)
			.first()
	).toBeAttached();

	// Saves fail again (the link drops), an answer waits in the browser, the page is reloaded: the
	// answer is still shown, still pending, and is sent once saves get through again.
	await page.route('**/save', (route) => route.abort('internetdisconnected'));
	const { question: third } = await answerFirst(page, 3);
	await expect(page.getByText(/Mất kết nối: 1 câu trả lời/)).toBeVisible();
	await page.reload();
	await expect(page.getByText(/Mất kết nối: 1 câu trả lời/)).toBeVisible();
	await expect(
		third
			.locator('input:checked, option:checked:not([value=""]), input[type=text], textarea')
			.first()
	).toBeAttached();
	await page.unroute('**/save');
	await expect(page.getByRole('status').filter({ hasText: 'Đã lưu lúc' })).toBeVisible({
		timeout: 30_000
	});

	await page.getByRole('button', { name: 'Kết thúc bài làm…' }).click();
	await expect(page.getByRole('heading', { name: /Nộp bài/ })).toBeVisible();
	await expect(page.getByText(/Đồng chí đã trả lời 4\/12 câu/)).toBeVisible();
	await page.getByRole('button', { name: 'Nộp bài' }).click();
	await expect(page.getByRole('heading', { name: /lần 1/ })).toBeVisible();
	await expect(page.getByText(/Điểm: .*\/12/)).toBeVisible();
	// Right after submitting, correctness is shown, the right answers are not (until the quiz closes).
	await expect(page.getByText('Đáp án đúng:')).toHaveCount(0);
});

test('the quiz works without JavaScript, page by page', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await logIn(page, 'hocvien3');
	await page.goto(COURSE);
	await page.getByRole('link', { name: /Kiểm tra cuối khóa/ }).click();
	await page.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
	await expect(page.getByText(/Trang 1\/3/)).toBeVisible();
	await answerFirst(page, 0);
	await page.getByRole('button', { name: 'Lưu và sang trang sau →' }).click();
	await expect(page.getByText(/Trang 2\/3/)).toBeVisible();
	await expect(page.getByText('Đã trả lời 1/12 câu')).toBeVisible();
	await answerFirst(page, 0);
	await page.getByRole('button', { name: 'Kết thúc bài làm…' }).click();
	await expect(page.getByText(/Đồng chí đã trả lời 2\/12 câu/)).toBeVisible();
	await page.getByRole('button', { name: 'Nộp bài' }).click();
	await expect(page.getByText(/Bài đã nộp lúc/)).toBeVisible();
	await context.close();
});
