// The competition pages at their edges: the lobby without JavaScript, and a unit leader kept to
// their own units. The whole competition, from setup to certificates, is hoi-thi.e2e.ts.
import { expect, test } from '@playwright/test';
import { logIn } from './helpers';

test('the lobby works without JavaScript: a competitor starts a round with a plain form', async ({
	browser
}) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await logIn(page, 'tungtd');
	await page.goto('/competitions/hoi-thi-cntt-2012');
	await expect(page.getByRole('heading', { name: 'Vòng thi thử' })).toBeVisible();
	await expect(page.getByText(/Đã nộp bài lúc/)).toBeVisible();
	await expect(page.getByRole('link', { name: 'Tải lại trang' }).first()).toBeVisible();
	await page.getByRole('button', { name: 'Bắt đầu làm bài: Vòng sơ khảo — lý thuyết' }).click();
	await expect(page).toHaveURL(/\/attempts\/[0-9a-f-]{36}/);
	await expect(page.getByText(/Trang 1\//)).toBeVisible();
	await page.goto('/competitions/hoi-thi-cntt-2012');
	await expect(
		page.getByRole('link', { name: 'Tiếp tục làm bài: Vòng sơ khảo — lý thuyết' })
	).toBeVisible();
	await context.close();
});

test('a unit leader cannot open the organisers’ pages, and sees only their own units', async ({
	page
}) => {
	await logIn(page, 'lanhdao');
	const res = await page.goto('/manage/competitions/hoi-thi-cntt-2012/control');
	expect(res?.status()).toBe(403);
	await page.goto('/competitions/hoi-thi-cntt-2012/register');
	await expect(page.getByRole('heading', { name: /Huyện ủy Lục Yên/ })).toBeVisible();
	await expect(page.getByText('Văn phòng Tỉnh ủy')).toHaveCount(0);
});
