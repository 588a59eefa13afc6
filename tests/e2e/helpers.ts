// Shared steps for the end-to-end journeys.
import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'HocThi@2012';

export async function logIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
	await page.goto('/login');
	await page.getByLabel('Tên đăng nhập').fill(username);
	await page.getByLabel('Mật khẩu').fill(password);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByRole('button', { name: 'Đăng xuất' })).toBeVisible();
}

export async function logOut(page: Page): Promise<void> {
	await page.getByRole('button', { name: 'Đăng xuất' }).click();
	await expect(page).toHaveURL(/\/login/);
}
