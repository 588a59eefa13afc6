import fs from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { parseGift } from '../../src/lib/server/questions/formats/gift';
import type { ParsedQuestion } from '../../src/lib/questions/types';
import { logIn } from './helpers';

const COURSE = '/courses/quan-tri-mang-co-ban';
const text = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The course's own question bank: what a diligent cadre knows after reading every lesson. */
const bank: ParsedQuestion[] = parseGift(
	fs.readFileSync('content/quan-tri-mang-co-ban/questions.gift', 'utf8')
).questions;

function known(stem: string): ParsedQuestion {
	const found = bank.filter((q) => text(stem).startsWith(text(q.stem).slice(0, 60)));
	expect(found, stem).toHaveLength(1);
	return found[0];
}

async function labelled(question: Locator, wanted: string): Promise<Locator> {
	for (const label of await question.locator('label.choice').all())
		if (text(await label.innerText()) === text(wanted)) return label.locator('input');
	throw new Error(`no choice “${wanted}”`);
}

/** Answers every question on the current page as the course taught. */
async function answerPage(page: Page) {
	for (const question of await page.locator('fieldset.question').all()) {
		const q = known(await question.locator('.stem').innerText());
		const d = q.data;
		if (d.type === 'single')
			await (await labelled(question, d.choices.find((c) => c.fraction === 1)!.text)).check();
		else if (d.type === 'multiple') {
			for (const choice of d.choices.filter((c) => c.fraction > 0))
				await (await labelled(question, choice.text)).check();
		} else if (d.type === 'truefalse')
			await question
				.getByRole('radio')
				.nth(d.answer ? 0 : 1)
				.check();
		else if (d.type === 'numerical')
			await question
				.getByRole('textbox')
				.fill(String(d.answers.find((a) => a.fraction === 1)!.value));
		else if (d.type === 'shortanswer')
			await question.getByRole('textbox').fill(d.answers.find((a) => a.fraction === 1)!.text);
		else if (d.type === 'matching') {
			for (const row of await question.locator('tr').all()) {
				const prompt = text(await row.locator('td').first().innerText());
				const pair = d.pairs.find((p) => text(p.prompt) === prompt)!;
				await row.getByRole('combobox').selectOption(pair.answer);
			}
		} else if (d.type === 'essay')
			await question
				.getByRole('textbox')
				.fill('Kiểm tra đèn tín hiệu, báo Văn phòng Tỉnh ủy, ghi sổ nhật ký mạng.');
	}
	await expect(page.getByRole('status').filter({ hasText: 'Đã lưu lúc' })).toBeVisible();
}

test('a cadre completes the course, downloads the certificate, and anyone can verify it without logging in', async ({
	page,
	browser
}) => {
	test.setTimeout(180_000);
	await logIn(page, 'hocvien4');
	const fullName = text(await page.getByTitle('Đổi mật khẩu').innerText());

	// Read every lesson and mark it done.
	await page.goto(COURSE);
	await page
		.getByRole('link', { name: /Bắt đầu học|Học tiếp/ })
		.first()
		.click();
	for (;;) {
		await page.getByRole('button', { name: 'Đánh dấu đã học xong' }).click();
		await expect(page.getByRole('button', { name: 'Bỏ đánh dấu đã học' })).toBeVisible();
		const next = page
			.getByRole('navigation', { name: 'Bài trước, bài sau' })
			.getByRole('link', { name: /→$/ });
		if (!(await next.count())) break;
		await next.click();
	}

	// The final quiz, answered from what the course taught.
	await page.goto(COURSE);
	await page.getByRole('link', { name: /Kiểm tra cuối khóa/ }).click();
	await page.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
	await expect(page).toHaveURL(/\/attempts\/[0-9a-f-]{36}/);
	for (;;) {
		await answerPage(page);
		const next = page.getByRole('button', { name: 'Lưu và sang trang sau →' });
		if (!(await next.count())) break;
		const heading = await page.getByText(/Trang \d+\/\d+/).innerText();
		await next.click();
		await expect(page.getByText(/Trang \d+\/\d+/)).not.toHaveText(heading);
	}
	await page.getByRole('button', { name: 'Kết thúc bài làm…' }).click();
	await expect(page.getByText('Đồng chí đã trả lời 12/12 câu.')).toBeVisible();
	await page.getByRole('button', { name: 'Nộp bài' }).click();
	await expect(page.getByText(/Điểm: .*\/12/)).toBeVisible();

	// The course page says it is complete and offers the certificate.
	await page.goto(COURSE);
	await expect(page.getByText(/^Hoàn thành ngày \d{2}\/\d{2}\/\d{4}$/)).toBeVisible();
	await expect(page.getByRole('link', { name: 'Tải giấy chứng nhận (PDF)' })).toBeVisible();

	// "My learning" now has the certificate, with its PDF and its verification page.
	await page
		.getByRole('navigation', { name: 'Điều hướng chính' })
		.getByRole('link', { name: 'Học tập của tôi' })
		.click();
	const certificates = page.getByRole('table', { name: 'Giấy chứng nhận của tôi' });
	const row = certificates
		.getByRole('row')
		.filter({ hasText: 'Hoàn thành khóa học “Quản trị mạng cơ bản”' });
	await expect(row).toHaveCount(1);
	const code = text(await row.locator('code').innerText());
	expect(code).toMatch(/^HT-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		row.getByRole('link', { name: /Tải PDF/ }).click()
	]);
	expect(download.suggestedFilename()).toBe(`giay-chung-nhan-${code}.pdf`);
	const pdf = fs.readFileSync((await download.path())!);
	expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
	expect(pdf.toString('latin1')).toContain(`/verify/${code})`);

	// Someone given the paper opens the address in the QR code, without an account.
	const stranger = await browser.newContext();
	const verify = await stranger.newPage();
	await verify.goto(`/verify/${code}`);
	await expect(
		verify.getByRole('heading', { level: 1, name: `Xác thực giấy chứng nhận ${code}` })
	).toBeVisible();
	await expect(verify.getByText('Giấy chứng nhận hợp lệ, do hệ thống HọcThi cấp.')).toBeVisible();
	await expect(verify.getByText(fullName, { exact: true })).toBeVisible();
	await expect(verify.getByText('Huyện ủy Văn Yên', { exact: true })).toBeVisible();
	await expect(verify.getByText('Quản trị mạng cơ bản', { exact: true })).toBeVisible();
	await expect(verify.getByRole('button', { name: 'Đăng xuất' })).toHaveCount(0);
	// A code typed by hand from the paper finds it too; a wrong one says so, and nothing more.
	await verify.goto('/verify');
	await verify.getByLabel('Mã xác thực').fill(code.toLowerCase().replace(/-/g, ' '));
	await verify.getByRole('button', { name: 'Kiểm tra' }).click();
	await expect(verify).toHaveURL(new RegExp(`/verify/${code}$`));
	const missing = await verify.goto('/verify/HT-2222-3333-4444');
	expect(missing?.status()).toBe(404);
	await expect(verify.getByText(/Không tìm thấy giấy chứng nhận với mã này/)).toBeVisible();
	// The PDF itself needs an account.
	await verify.goto(`/certificates/${code}/pdf`);
	await expect(verify).toHaveURL(/\/login/);
	await stranger.close();
});

test('a leader opens the certificates of their units only; an admin revokes one and the public page says so', async ({
	browser
}) => {
	const leader = await browser.newPage();
	await logIn(leader, 'lanhdao');
	await leader.goto('/certificates');
	await expect(leader.getByRole('heading', { level: 1, name: 'Giấy chứng nhận' })).toBeVisible();
	const first = leader.getByRole('table').locator('tbody tr').first();
	const code = text(await first.locator('code').innerText());
	await first.getByRole('link', { name: code }).click();
	await expect(leader.getByText('Còn hiệu lực')).toBeVisible();
	const unit = text(await leader.locator('dt:has-text("Đơn vị") + dd').innerText());
	expect([
		'Huyện ủy Lục Yên',
		'Đảng ủy xã Minh Xuân',
		'Đảng ủy xã Tân Lĩnh',
		'Đảng ủy xã Khánh Hòa',
		'Đảng ủy thị trấn Yên Thế'
	]).toContain(unit);
	const pdf = await leader.request.get(`/certificates/${code}/pdf`);
	expect(pdf.status()).toBe(200);
	expect(pdf.headers()['content-type']).toBe('application/pdf');
	// No revoking for leaders.
	await expect(leader.getByRole('button', { name: 'Thu hồi giấy chứng nhận' })).toHaveCount(0);

	// The leader of another district can neither open it nor download it.
	const other = await browser.newPage();
	await logIn(other, 'lanhdao.vanyen');
	expect((await other.goto(`/certificates/${code}`))?.status()).toBe(403);
	expect((await other.request.get(`/certificates/${code}/pdf`)).status()).toBe(403);

	// An admin revokes it with a reason; the public page then says it is no longer valid.
	const admin = await browser.newPage();
	await logIn(admin, 'admin');
	await admin.goto(`/certificates/${code}`);
	await admin.getByLabel('Lý do thu hồi').fill('nhầm');
	await admin.getByRole('button', { name: 'Thu hồi giấy chứng nhận' }).click();
	await expect(admin.getByText('Lý do cần ít nhất 5 ký tự.')).toBeVisible();
	await admin.getByLabel('Lý do thu hồi').fill('Cấp nhầm: kết quả kiểm tra bị hủy');
	await admin.getByRole('button', { name: 'Thu hồi giấy chứng nhận' }).click();
	await expect(admin.getByText('Đã thu hồi giấy chứng nhận.')).toBeVisible();
	await expect(admin.getByText('Lý do: Cấp nhầm: kết quả kiểm tra bị hủy')).toBeVisible();
	await admin.goto('/admin/audit?action=certificate.');
	await expect(admin.getByRole('cell', { name: 'certificate.revoke' })).toBeVisible();
	await expect(admin.getByRole('cell', { name: `certificate ${code}` })).toBeVisible();

	const stranger = await browser.newPage();
	await stranger.goto(`/verify/${code}`);
	await expect(
		stranger.getByText(/Giấy chứng nhận này đã bị thu hồi ngày \d{2}\/\d{2}\/\d{4}/)
	).toBeVisible();
	await expect(stranger.getByText('Cấp nhầm')).toHaveCount(0);
	for (const p of [leader, other, admin, stranger]) await p.context().close();
});
