import { expect, test, type Page } from '@playwright/test';
import { logIn, logOut } from './helpers';
import { makePng } from '../integration/helpers/png';
import { XSS_CORPUS } from '../../src/lib/server/markdown/xss-corpus';

// The journeys of issue 3 on the authoring side: a trainer writes, publishes and assigns a course;
// the cadres it is for read it, the others do not see it; hostile text stays inert.

const SLUG = 'thiet-bi-mang-xa';
const TITLE = 'Thiết bị mạng cấp xã';
/** The uploaded image's address, for the access checks of the later journeys (run in order). */
let imageUrl = '';

/** Elements a sanitised lesson must never contain (checked in the page's own DOM). */
async function activeContent(page: Page, selector: string): Promise<string[]> {
	return page.locator(selector).evaluateAll((roots) => {
		const found: string[] = [];
		for (const root of roots)
			for (const el of root.querySelectorAll('*')) {
				const tag = el.tagName.toLowerCase();
				if (
					[
						'script',
						'iframe',
						'object',
						'embed',
						'svg',
						'math',
						'form',
						'input',
						'button',
						'style',
						'link',
						'meta',
						'base',
						'template',
						'textarea'
					].includes(tag)
				)
					found.push(`<${tag}>`);
				for (const attr of el.getAttributeNames()) {
					// Browsers ignore whitespace and control characters inside a URL scheme.
					const value = [...(el.getAttribute(attr) ?? '')]
						.filter((c) => c.charCodeAt(0) > 0x20)
						.join('')
						.toLowerCase();
					if (
						attr.startsWith('on') ||
						attr === 'style' ||
						attr === 'srcdoc' ||
						attr === 'formaction'
					)
						found.push(`${tag}[${attr}]`);
					if ((attr === 'href' || attr === 'src') && /^(javascript|vbscript|data):/.test(value))
						found.push(`${tag}[${attr}=${value}]`);
				}
			}
		return found;
	});
}

test.describe.configure({ mode: 'serial' });

test('a trainer writes and publishes a lesson with an image and assigns the course to a unit', async ({
	page
}) => {
	await logIn(page, 'giangvien');
	await page.getByRole('link', { name: 'Soạn bài giảng' }).click();
	await page.getByRole('link', { name: 'Tạo khóa học mới' }).click();
	await page.getByLabel('Tên khóa học').fill(TITLE);
	await page.getByLabel('Đường dẫn').fill(SLUG);
	await page
		.getByLabel('Tóm tắt')
		.fill('Nhận biết và bảo quản switch, router, bộ lưu điện ở đảng ủy xã.');
	await page.getByLabel('Lĩnh vực').fill('Quản trị mạng');
	await page.getByLabel('Thời lượng (giờ)').fill('1,5');
	await page.getByRole('button', { name: 'Tạo khóa học' }).click();
	await expect(page.getByText('Đã tạo khóa học (bản nháp)')).toBeVisible();
	await expect(page.getByRole('heading', { level: 1 })).toContainText(TITLE);

	const addSection = page.getByRole('region', { name: 'Thêm phần' });
	await addSection.getByLabel('Tên phần').fill('Thiết bị trong tủ mạng');
	await addSection.getByRole('button', { name: 'Thêm phần' }).click();
	await expect(page.getByRole('heading', { name: 'Thiết bị trong tủ mạng' })).toBeVisible();

	const addLesson = page.getByRole('region', { name: 'Thêm bài học' });
	await addLesson.getByLabel('Tên bài').fill('Sơ đồ tủ mạng');
	await addLesson.getByLabel('Thuộc phần').selectOption({ label: 'Thiết bị trong tủ mạng' });
	await addLesson.getByRole('button', { name: 'Thêm bài và mở trình soạn thảo' }).click();
	await expect(page.getByRole('heading', { name: /Soạn bài: Sơ đồ tủ mạng/ })).toBeVisible();

	// The live preview shows the text as the published page will.
	const body = page.getByLabel('Nội dung bài (Markdown)');
	await body.fill(
		'## Tủ mạng của đảng ủy xã\n\nTủ mạng gồm **switch**, router và bộ lưu điện.\n\n'
	);
	const preview = page.getByTestId('preview');
	await expect(preview.getByRole('heading', { name: 'Tủ mạng của đảng ủy xã' })).toBeVisible();
	await expect(preview.locator('strong')).toHaveText('switch');

	// A file that only pretends to be a picture is refused; what was typed stays.
	await page.getByLabel('Tệp ảnh hoặc tệp đính kèm').setInputFiles({
		name: 'anh-gia.png',
		mimeType: 'image/png',
		buffer: Buffer.from('đây là chữ, không phải ảnh')
	});
	await page.getByRole('button', { name: 'Tải lên và chèn vào bài' }).click();
	await expect(
		page.getByText(
			'Nội dung tệp "anh-gia.png" không phải là tệp .png (tên tệp và nội dung không khớp).'
		)
	).toBeVisible();
	await expect(body).toHaveValue(/Tủ mạng gồm \*\*switch\*\*/);

	// A real image is stored, inserted as Markdown, and shown sized in the preview.
	await page.getByLabel('Tệp ảnh hoặc tệp đính kèm').setInputFiles({
		name: 'so-do-tu-mang.png',
		mimeType: 'image/png',
		buffer: makePng(320, 180)
	});
	await page.getByLabel('Mô tả ảnh').fill('Sơ đồ tủ mạng');
	await page.getByRole('button', { name: 'Tải lên và chèn vào bài' }).click();
	await expect(page.getByText('Đã tải lên ảnh "so-do-tu-mang.png"')).toBeVisible();
	await expect(body).toHaveValue(/!\[Sơ đồ tủ mạng\]\(\/files\/[0-9a-f-]{36}\)/);
	const image = preview.getByRole('img', { name: 'Sơ đồ tủ mạng' });
	imageUrl = (await image.getAttribute('src'))!;
	await expect(image).toHaveAttribute('width', '320');
	await expect(image).toHaveAttribute('height', '180');

	await page.getByLabel('Ghi chú thay đổi').fill('Bản đầu tiên');
	await page.getByRole('button', { name: 'Lưu và xuất bản' }).click();
	await expect(page.getByText('Đã lưu bài học.')).toBeVisible();
	await expect(page.getByRole('heading', { level: 1 }).getByText('Đã xuất bản')).toBeVisible();

	// Who changed what and when.
	await page.getByRole('link', { name: 'Lịch sử sửa đổi' }).click();
	const rows = page.getByRole('row');
	await expect(rows.nth(1)).toContainText('Đỗ Thu Hà');
	await expect(rows.nth(1)).toContainText('Bản đầu tiên');
	await expect(rows.nth(1)).toContainText(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
	await expect(rows.nth(2)).toContainText('Tạo bài học');

	await page.getByRole('link', { name: TITLE }).click();
	await page.getByRole('button', { name: 'Xuất bản khóa học' }).click();
	await expect(page.getByText('Khóa học đã xuất bản')).toBeVisible();

	// Only Huyện ủy Văn Yên and the communes below it.
	await page.getByRole('link', { name: 'Đối tượng học' }).click();
	await page.getByLabel('Chỉ những đơn vị, cán bộ được giao').check();
	await page.getByRole('button', { name: 'Lưu', exact: true }).click();
	await expect(page.getByText('Khóa học hiện dành cho 0 tài khoản.')).toBeVisible();
	const assign = page.getByRole('region', { name: 'Giao cho đơn vị' });
	await assign.getByLabel('Đơn vị', { exact: true }).selectOption('HU-VY');
	await expect(assign.getByLabel('Gồm cả các đơn vị trực thuộc')).toBeChecked();
	await assign.getByLabel(/Hạn hoàn thành/).fill('30/09/2012');
	await assign.getByRole('button', { name: 'Giao cho đơn vị' }).click();
	await expect(page.getByText('Đã giao khóa học cho đơn vị.')).toBeVisible();
	const row = page.getByRole('row', { name: /Huyện ủy Văn Yên \(HU-VY\)/ });
	await expect(row).toContainText('30/09/2012');
	await expect(row).toContainText('Gồm cả các đơn vị trực thuộc');
	await expect(page.getByText(/Khóa học hiện dành cho [1-9]\d* tài khoản/)).toBeVisible();
	await logOut(page);
});

test('a cadre in the assigned unit reads the lesson, marks it done and sees progress', async ({
	page
}) => {
	// hocvien3 works in Đảng ủy thị trấn Mậu A, a commune under Huyện ủy Văn Yên.
	await logIn(page, 'hocvien3');
	await page.goto('/courses');
	await page.getByRole('link', { name: TITLE }).click();
	await expect(page.getByText('Đã học 0/1 bài').first()).toBeVisible();
	await expect(page.getByText('Hạn hoàn thành: 30/09/2012')).toBeVisible();
	await page.getByRole('link', { name: 'Bắt đầu học' }).click();
	await expect(page.getByRole('heading', { name: 'Sơ đồ tủ mạng', level: 1 })).toBeVisible();
	const image = page.getByRole('img', { name: 'Sơ đồ tủ mạng' });
	await expect(image).toHaveAttribute('loading', 'lazy');
	await expect(image).toHaveAttribute('width', '320');
	await image.scrollIntoViewIfNeeded();
	await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320);
	await page.getByRole('button', { name: 'Đánh dấu đã học xong' }).click();
	await expect(page.getByText('Chúc mừng đồng chí đã hoàn thành khóa học!')).toBeVisible();
	await expect(page.getByText('Đã học 1/1 bài')).toBeVisible();
	await page.goto('/my');
	const completed = page.locator('section', {
		has: page.getByRole('heading', { name: /Đã hoàn thành/ })
	});
	await expect(completed.getByRole('link', { name: TITLE })).toBeVisible();
});

test('a cadre outside the unit sees neither the course, its lesson nor its image', async ({
	page
}) => {
	// hocvien1 works in Văn phòng Tỉnh ủy.
	await logIn(page, 'hocvien1');
	await page.goto('/courses');
	await expect(page.getByRole('heading', { name: 'Khóa học', level: 1 })).toBeVisible();
	await expect(page.getByRole('link', { name: TITLE })).toHaveCount(0);
	for (const path of [`/courses/${SLUG}`, `/courses/${SLUG}/so-do-tu-mang`]) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(404);
	}
	expect((await page.request.get(imageUrl)).status()).toBe(404);
	// …while a cadre it is for gets it.
	await logOut(page);
	await logIn(page, 'hocvien3');
	const allowed = await page.request.get(imageUrl);
	expect(allowed.status()).toBe(200);
	expect(allowed.headers()['x-content-type-options']).toBe('nosniff');
	expect(allowed.headers()['content-disposition']).toMatch(
		/^inline; filename\*=UTF-8''so-do-tu-mang\.png$/
	);
});

test('hostile Markdown stays inert in the live preview, the preview without JavaScript and the published lesson', async ({
	page,
	browser
}) => {
	const dialogs: string[] = [];
	page.on('dialog', async (dialog) => {
		dialogs.push(dialog.message());
		await dialog.dismiss();
	});
	// Every payload twice: as collected (alert) and setting a flag a test can read.
	const body = [
		'## Mẫu tấn công',
		...XSS_CORPUS,
		...XSS_CORPUS.map((p) => p.replaceAll('alert(1)', 'window.__xss=1'))
	].join('\n\n');
	await logIn(page, 'giangvien');
	await page.goto('/manage/courses/new');
	await page.getByLabel('Tên khóa học').fill('Kiểm tra mã độc');
	await page.getByLabel('Đường dẫn').fill('kiem-tra-ma-doc');
	await page.getByRole('button', { name: 'Tạo khóa học' }).click();
	await page
		.getByRole('region', { name: 'Thêm bài học' })
		.getByLabel('Tên bài')
		.fill('Mẫu tấn công');
	await page.getByRole('button', { name: 'Thêm bài và mở trình soạn thảo' }).click();
	await expect(page.getByRole('heading', { name: /Soạn bài: Mẫu tấn công/ })).toBeVisible();
	const editor = page.url();

	await page.getByLabel('Nội dung bài (Markdown)').fill(body);
	const preview = page.getByTestId('preview');
	await expect(preview.getByRole('heading', { name: 'Mẫu tấn công' })).toBeVisible();
	await expect(preview.locator('a, img').first()).toBeAttached();
	expect(await activeContent(page, '[data-testid=preview]')).toEqual([]);
	// The check itself sees active content where there is some (the editor's own form controls).
	expect(await activeContent(page, 'form.editor')).toContain('<textarea>');
	await page.getByRole('button', { name: 'Lưu và xuất bản' }).click();
	await expect(page.getByText('Đã lưu bài học.')).toBeVisible();
	await page.getByRole('link', { name: 'Kiểm tra mã độc' }).click();
	await page.getByRole('button', { name: 'Xuất bản khóa học' }).click();
	await expect(page.getByText('Khóa học đã xuất bản')).toBeVisible();

	// The published page, as a cadre reads it.
	const cadre = await browser.newContext();
	const reader = await cadre.newPage();
	reader.on('dialog', async (dialog) => {
		dialogs.push(dialog.message());
		await dialog.dismiss();
	});
	await logIn(reader, 'hocvien2');
	await reader.goto('/courses/kiem-tra-ma-doc/mau-tan-cong');
	await expect(reader.getByRole('heading', { name: 'Mẫu tấn công', level: 2 })).toBeVisible();
	expect(await activeContent(reader, 'article .prose')).toEqual([]);
	expect(await reader.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
	await cadre.close();

	// The preview without JavaScript ("Xem trước" renders the form again).
	const noJs = await browser.newContext({ javaScriptEnabled: false });
	const trainer = await noJs.newPage();
	await logIn(trainer, 'giangvien');
	await trainer.goto(editor);
	await trainer.getByRole('button', { name: 'Xem trước' }).click();
	await expect(
		trainer.getByTestId('preview').getByRole('heading', { name: 'Mẫu tấn công' })
	).toBeVisible();
	expect(await activeContent(trainer, '[data-testid=preview]')).toEqual([]);
	await noJs.close();

	expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
	expect(dialogs).toEqual([]);
});

test('without JavaScript a trainer previews, uploads, is refused a wrong file and reorders lessons', async ({
	browser
}) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await logIn(page, 'giangvien');
	await page.goto('/manage/courses/new');
	await page.getByLabel('Tên khóa học').fill('Sao lưu dữ liệu');
	await page.getByLabel('Đường dẫn').fill('sao-luu');
	await page.getByLabel('Thời lượng (giờ)').fill('hai');
	await page.getByRole('button', { name: 'Tạo khóa học' }).click();
	await expect(page.getByText('Số giờ phải là số không âm')).toBeVisible();
	await expect(page.getByLabel('Tên khóa học')).toHaveValue('Sao lưu dữ liệu');
	await page.getByLabel('Thời lượng (giờ)').fill('2');
	await page.getByRole('button', { name: 'Tạo khóa học' }).click();
	await expect(page.getByText('Đã tạo khóa học (bản nháp)')).toBeVisible();
	const outline = page.url();
	for (const title of ['Vì sao phải sao lưu', 'Quy tắc 3-2-1']) {
		await page.goto(outline);
		await page.getByRole('region', { name: 'Thêm bài học' }).getByLabel('Tên bài').fill(title);
		await page.getByRole('button', { name: 'Thêm bài và mở trình soạn thảo' }).click();
		await expect(page.getByRole('heading', { name: `Soạn bài: ${title}` })).toBeVisible();
	}
	// The second lesson's editor: preview, then a refused upload keeps the text.
	await page
		.getByLabel('Nội dung bài (Markdown)')
		.fill('Giữ **3** bản sao, trên **2** loại thiết bị.');
	await page.getByRole('button', { name: 'Xem trước' }).click();
	await expect(page.getByTestId('preview').locator('strong').first()).toHaveText('3');
	await page.getByLabel('Tệp ảnh hoặc tệp đính kèm').setInputFiles({
		name: 'chuong-trinh.exe',
		mimeType: 'application/octet-stream',
		buffer: Buffer.from([0x4d, 0x5a, 0x90, 0x00])
	});
	await page.getByRole('button', { name: 'Tải lên và chèn vào bài' }).click();
	await expect(page.getByText(/Không nhận loại tệp của "chuong-trinh.exe"/)).toBeVisible();
	await expect(page.getByLabel('Nội dung bài (Markdown)')).toHaveValue(
		'Giữ **3** bản sao, trên **2** loại thiết bị.'
	);
	// Too large an image: the request reaches the app, which says so.
	const big = Buffer.alloc(6 * 1024 * 1024);
	makePng(4, 4).copy(big);
	await page.getByLabel('Tệp ảnh hoặc tệp đính kèm').setInputFiles({
		name: 'anh-qua-lon.png',
		mimeType: 'image/png',
		buffer: big
	});
	await page.getByRole('button', { name: 'Tải lên và chèn vào bài' }).click();
	await expect(page.getByText('Tệp "anh-qua-lon.png" lớn hơn giới hạn 5 MB.')).toBeVisible();
	// An attachment goes in as a download link, at the end of the text.
	await page.getByLabel('Tệp ảnh hoặc tệp đính kèm').setInputFiles({
		name: 'mau-so-sao-luu.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from('ngay,thiet_bi,nguoi_sao_luu\n01/08/2012,Router HU-VY,Hà\n')
	});
	await page.getByRole('button', { name: 'Tải lên và chèn vào bài' }).click();
	await expect(page.getByLabel('Nội dung bài (Markdown)')).toHaveValue(
		/^Giữ \*\*3\*\* bản sao, trên \*\*2\*\* loại thiết bị\.\n\n\[mau-so-sao-luu\.csv\]\(\/files\/[0-9a-f-]{36}\)\n$/
	);
	await page.getByRole('button', { name: 'Lưu bản nháp' }).click();
	await expect(page.getByText('Đã lưu bài học.')).toBeVisible();

	// Reordering with the ↑ button.
	await page.goto(outline);
	const titles = page.locator('ol.lessons li a');
	await expect(titles).toHaveText(['Vì sao phải sao lưu', 'Quy tắc 3-2-1']);
	await page.getByRole('button', { name: 'Chuyển bài "Quy tắc 3-2-1" lên' }).click();
	await expect(titles).toHaveText(['Quy tắc 3-2-1', 'Vì sao phải sao lưu']);
	await expect(page.getByRole('button', { name: 'Chuyển bài "Quy tắc 3-2-1" lên' })).toBeDisabled();
	await context.close();
});
