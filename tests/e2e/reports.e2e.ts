import { expect, test } from '@playwright/test';
import { logIn } from './helpers';

test('a district leader drills down to a commune and a cadre, and cannot open another district', async ({
	page
}) => {
	await logIn(page, 'lanhdao');
	await page
		.getByRole('navigation', { name: 'Điều hướng chính' })
		.getByRole('link', { name: 'Báo cáo' })
		.click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Báo cáo tiến độ: Huyện ủy Lục Yên' })
	).toBeVisible();
	await expect(page.getByRole('img', { name: 'Tỷ lệ hoàn thành theo đơn vị' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Lãnh đạo gương mẫu đi đầu' })).toBeVisible();
	await page.getByRole('link', { name: 'Đảng ủy xã Minh Xuân' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Báo cáo tiến độ: Đảng ủy xã Minh Xuân' })
	).toBeVisible();
	// The breadcrumb leads back up, but only as far as the leader's own unit.
	await expect(
		page.getByRole('navigation', { name: 'Vị trí trong cây đơn vị' }).getByRole('link')
	).toHaveText(['Huyện ủy Lục Yên']);
	const person = page.getByRole('table').last().getByRole('link').first();
	const name = (await person.textContent())!.trim();
	await person.click();
	await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Khóa học' })).toBeVisible();

	for (const path of ['/reports/HU-VY', '/reports/TU-YB', '/reports/VY-MAUA']) {
		expect((await page.goto(path))?.status(), path).toBe(403);
	}
});

test('a leader downloads the unit’s progress as Excel and CSV', async ({ page }) => {
	await logIn(page, 'lanhdao.vanyen');
	await page.goto('/reports');
	await expect(page).toHaveURL(/\/reports\/HU-VY$/);
	const [xlsx] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Xuất Excel (XLSX)' }).click()
	]);
	expect(xlsx.suggestedFilename()).toMatch(/^tien-do-HU-VY-\d{4}-\d{2}-\d{2}\.xlsx$/);
	const [csv] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Xuất CSV' }).click()
	]);
	const chunks: Buffer[] = [];
	for await (const chunk of await csv.createReadStream()) chunks.push(chunk as Buffer);
	const text = Buffer.concat(chunks).toString('utf8');
	expect(text.charCodeAt(0)).toBe(0xfeff);
	expect(text).toContain('Huyện ủy Văn Yên');
});

test('a cadre sees only their own record', async ({ page }) => {
	await logIn(page, 'canbo.vptu');
	await page.goto('/reports');
	await expect(
		page.getByRole('heading', { level: 1, name: 'Hồ sơ học tập của tôi' })
	).toBeVisible();
	expect((await page.goto('/reports/VPTU'))?.status()).toBe(403);
});

test('an organiser sees the province report with its charts and tables, and drills into any district', async ({
	page
}) => {
	await logIn(page, 'bantochuc');
	await page.goto('/reports');
	await expect(page).toHaveURL(/\/reports\/TU-YB$/);
	await expect(
		page.getByRole('heading', { level: 1, name: 'Báo cáo tiến độ: Tỉnh ủy Yên Bái' })
	).toBeVisible();
	for (const chart of [
		'Tỷ lệ hoàn thành theo đơn vị',
		'Tiến độ theo tuần',
		'Phân bố điểm kiểm tra'
	])
		await expect(page.getByRole('img', { name: chart })).toBeVisible();
	// The numbers beside the chart: one row per district or provincial agency, each a link down.
	const byUnit = page.getByRole('table', { name: 'Tỷ lệ hoàn thành theo đơn vị' });
	await expect(byUnit.getByRole('link', { name: 'Huyện ủy Văn Yên' })).toBeVisible();
	await byUnit.getByRole('link', { name: 'Huyện ủy Văn Yên' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Báo cáo tiến độ: Huyện ủy Văn Yên' })
	).toBeVisible();
	await expect(
		page.getByRole('navigation', { name: 'Vị trí trong cây đơn vị' }).getByRole('link')
	).toHaveText(['Tỉnh ủy Yên Bái']);
});
