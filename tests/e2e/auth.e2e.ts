import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, logIn, logOut } from './helpers';

test('the login page is in Vietnamese and a cadre logs in and out', async ({ page }) => {
	await page.goto('/');
	await expect(page).toHaveURL(/\/login/);
	await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
	await expect(page.getByRole('heading', { name: 'Đăng nhập' })).toBeVisible();
	await expect(page.getByText('Dữ liệu mẫu để trình diễn')).toBeVisible();
	await logIn(page, 'canbo');
	await expect(page.getByRole('heading', { name: /Xin chào đồng chí/ })).toBeVisible();
	await expect(page.getByText('Đảng ủy xã Minh Xuân')).toBeVisible();
	// A cadre has no admin section, and the server refuses it too.
	await expect(page.getByRole('link', { name: 'Quản trị' })).toHaveCount(0);
	const response = await page.goto('/admin');
	expect(response?.status()).toBe(403);
	await page.goto('/');
	await logOut(page);
	// The session is gone on the server: going back does not get in.
	await page.goto('/');
	await expect(page).toHaveURL(/\/login/);
});

test('a wrong password is refused with a clear message and the username kept', async ({ page }) => {
	await page.goto('/login');
	await page.getByLabel('Tên đăng nhập').fill('canbo.vptu');
	await page.getByLabel('Mật khẩu').fill('sai-mat-khau');
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByRole('alert')).toHaveText('Tên đăng nhập hoặc mật khẩu không đúng.');
	await expect(page.getByLabel('Tên đăng nhập')).toHaveValue('canbo.vptu');
});

test('an account is throttled after five failures and an admin unlocks it', async ({
	page,
	browser
}) => {
	for (let i = 0; i < 5; i++) {
		await page.goto('/login');
		await page.getByLabel('Tên đăng nhập').fill('lanhdao.vptu');
		await page.getByLabel('Mật khẩu').fill(`sai-${i}`);
		await page.getByRole('button', { name: 'Đăng nhập' }).click();
		await expect(page.getByRole('alert')).toContainText('không đúng');
	}
	// Without JavaScript the form posts plainly: the answer is HTTP 429 with a Vietnamese message.
	const noJs = await browser.newContext({ javaScriptEnabled: false });
	const plain = await noJs.newPage();
	await plain.goto('/login');
	await plain.getByLabel('Tên đăng nhập').fill('lanhdao.vptu');
	await plain.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
	const [response] = await Promise.all([
		plain.waitForResponse((r) => r.url().includes('/login') && r.request().method() === 'POST'),
		plain.getByRole('button', { name: 'Đăng nhập' }).click()
	]);
	expect(response.status()).toBe(429);
	await expect(plain.getByRole('alert')).toContainText('Đăng nhập sai quá nhiều lần');
	await expect(plain.getByLabel('Tên đăng nhập')).toHaveValue('lanhdao.vptu');
	await noJs.close();

	await logIn(page, 'admin');
	await page.goto('/admin/users?q=lanhdao.vptu');
	await page.locator('table').getByRole('link').first().click();
	await expect(page.getByText('Tài khoản đang bị tạm khóa đăng nhập')).toBeVisible();
	await page.getByRole('button', { name: 'Mở khóa đăng nhập' }).click();
	await expect(page.getByText('Đã mở khóa tài khoản.')).toBeVisible();
	await logOut(page);
	await logIn(page, 'lanhdao.vptu');
});

test('the language switches to English and back, and <html lang> follows', async ({ page }) => {
	await logIn(page, 'canbo');
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
	await expect(page.getByRole('heading', { name: /Welcome/ })).toBeVisible();
	await page.getByRole('button', { name: 'Tiếng Việt' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
	await expect(page.getByRole('button', { name: 'Đăng xuất' })).toBeVisible();
});

test('logging in works without JavaScript', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await logIn(page, 'canbo');
	await expect(page.getByRole('heading', { name: /Xin chào đồng chí/ })).toBeVisible();
	await context.close();
});
