import { expect, test } from '@playwright/test';
import { logIn } from './helpers';

const header = 'username,full_name,unit_code,position,role,is_leader';

test('an admin imports a roster: a bad file names its lines and imports nothing, a good one imports', async ({
	page
}) => {
	await logIn(page, 'admin');
	await page.goto('/admin/users/import');
	const bad = `${header}\nvuthu,Vũ Thị Thu,VPTU,Chuyên viên,cadre,0\nsai ten,Sai Tên,VPTU,,cadre,0\nkhongdv,Không Đơn Vị,KHONG-CO,,cadre,0\n`;
	await page
		.getByLabel('Tệp CSV')
		.setInputFiles({ name: 'danh-sach.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
	await page.getByRole('button', { name: 'Kiểm tra và nhập' }).click();
	await expect(page.getByRole('alert')).toContainText('Tệp có 2 lỗi.');
	await expect(page.getByText(/Dòng 3: username "sai ten"/)).toBeVisible();
	await expect(page.getByText(/Dòng 4: Không có đơn vị mã "KHONG-CO"/)).toBeVisible();
	await page.goto('/admin/users?q=vuthu');
	await expect(page.getByText('0 kết quả')).toBeVisible();

	await page.goto('/admin/users/import');
	const good = `\ufeff${header}\nvuthu,Vũ Thị Thu,VPTU,Chuyên viên,cadre,0\nlothimai,Lò Thị Mai,NL-PUTRANG,Cán bộ Văn phòng Đảng ủy,cadre,0\n`;
	await page
		.getByLabel('Tệp CSV')
		.setInputFiles({ name: 'danh-sach.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
	await page.getByRole('button', { name: 'Kiểm tra và nhập' }).click();
	await expect(page.getByText('Đã nhập: 2 tài khoản mới, 0 cập nhật, 0 không đổi.')).toBeVisible();
	await expect(page.getByRole('cell', { name: 'Lò Thị Mai' })).toBeVisible();
	await page.goto('/admin/users?q=vuthu');
	await expect(page.getByRole('link', { name: 'Vũ Thị Thu' })).toBeVisible();
});

test('an admin downloads a backup of all data', async ({ page }) => {
	await logIn(page, 'admin');
	await page.goto('/admin');
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Tải bản sao lưu' }).click()
	]);
	expect(download.suggestedFilename()).toMatch(/^hocthi-\d{12}\.hocthi\.gz$/);
	const stream = await download.createReadStream();
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(chunk as Buffer);
	const bytes = Buffer.concat(chunks);
	// gzip magic, and the header line inside names the format.
	expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
	const { gunzipSync } = await import('node:zlib');
	expect(gunzipSync(bytes).toString('utf8').split('\n', 1)[0]).toContain(
		'"format":"hocthi-backup"'
	);
});
