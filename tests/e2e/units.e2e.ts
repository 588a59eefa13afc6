import { expect, test } from '@playwright/test';
import { logIn } from './helpers';

test('a district leader opens their district and its communes, but not another district', async ({
	page
}) => {
	await logIn(page, 'lanhdao');
	await page.getByRole('link', { name: 'Đơn vị của tôi' }).click();
	await expect(page.getByRole('heading', { name: 'Huyện ủy Lục Yên', level: 1 })).toBeVisible();
	await page.getByRole('link', { name: 'Đảng ủy xã Minh Xuân' }).click();
	await expect(page.getByRole('heading', { name: 'Đảng ủy xã Minh Xuân', level: 1 })).toBeVisible();
	await expect(page.getByRole('cell', { name: 'canbo', exact: true })).toBeVisible();
	// Another district and the province are refused by the server.
	for (const code of ['HU-VY', 'VY-MAUA', 'TU-YB', 'VPTU']) {
		const response = await page.goto(`/units/${code}`);
		expect(response?.status(), code).toBe(403);
		await expect(page.getByText('Bạn không có quyền xem trang này.')).toBeVisible();
	}
});

test('a commune leader sees only their commune', async ({ page }) => {
	await logIn(page, 'lanhdaoxa');
	expect((await page.goto('/units/LY-MINHXUAN'))?.status()).toBe(200);
	expect((await page.goto('/units/HU-LY'))?.status()).toBe(403);
	expect((await page.goto('/units/LY-TANLINH'))?.status()).toBe(403);
});

test('an admin sees every unit and manages the tree', async ({ page }) => {
	await logIn(page, 'admin');
	await page.getByRole('navigation').getByRole('link', { name: 'Quản trị' }).click();
	await page.getByRole('link', { name: 'Đơn vị', exact: true }).click();
	await expect(page.getByRole('link', { name: 'Huyện ủy Mù Cang Chải' })).toBeVisible();
	const form = page.locator('form[action="?/create"]');
	await form.getByLabel('Mã đơn vị').fill('LY-ANLAC');
	await form.getByLabel('Tên đơn vị').fill('Đảng ủy xã An Lạc');
	await form.getByLabel('Cấp', { exact: true }).selectOption('commune');
	await form.getByLabel('Đơn vị cấp trên').selectOption('HU-LY');
	await form.getByRole('button', { name: 'Thêm đơn vị' }).click();
	await expect(page.getByText('Đã thêm đơn vị LY-ANLAC.')).toBeVisible();
	// A code already in use is refused at the field, and the typed name is kept.
	await form.getByLabel('Mã đơn vị').fill('HU-LY');
	await form.getByLabel('Tên đơn vị').fill('Trùng mã');
	await form.getByRole('button', { name: 'Thêm đơn vị' }).click();
	await expect(form.getByText('Mã HU-LY đã được dùng cho đơn vị khác.')).toBeVisible();
	await expect(form.getByLabel('Tên đơn vị')).toHaveValue('Trùng mã');
});
