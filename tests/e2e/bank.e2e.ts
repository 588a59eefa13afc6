import { expect, test, type Page } from '@playwright/test';
import { logIn, logOut } from './helpers';

// A trainer builds a quiz from an imported GIFT bank (a random slot and an essay), a cadre takes
// it, the trainer grades the essay and reads the item statistics.

const BAD = [
	'$CATEGORY: E2E Bảo mật',
	'',
	'::Câu tốt::Mật khẩu mạnh dài tối thiểu 12 ký tự. {T}',
	'',
	'::Thiếu ngoặc::Cổng của HTTPS là? {=443 ~80',
	'',
	'::Trọng số lạ::Chọn cách bảo vệ. {~%37%Cụm từ dài ~%63%Xác thực hai lớp}'
].join('\n');

const GOOD = [
	'// Ngân hàng thử cho kiểm thử đầu cuối.',
	'$CATEGORY: E2E Bảo mật/Mật khẩu',
	'',
	'// [tag:e2e-rut] [tag:de]',
	'::E2E mật khẩu 1::Mật khẩu nào mạnh nhất? {=Cụm từ dài có số và ký hiệu ~123456 ~Ngày sinh}',
	'',
	'// [tag:e2e-rut] [tag:de]',
	'::E2E mật khẩu 2::Có nên dùng chung một mật khẩu cho mọi tài khoản? {=Không ~Có}',
	'',
	'// [tag:e2e-rut] [tag:de]',
	'::E2E mật khẩu 3::Xác thực hai lớp cần thêm gì ngoài mật khẩu? {=Mã gửi về điện thoại ~Tên đăng nhập}',
	'',
	'// [tag:khac]',
	'::E2E không rút::Câu này không có thẻ e2e-rut. {T}',
	'',
	'$CATEGORY: E2E Bảo mật/Tự luận',
	'',
	'::E2E tự luận mã độc::Trình bày cách xử lý khi máy tính cơ quan nhiễm mã độc. {####Cách ly máy, báo cán bộ CNTT, quét, khôi phục.}'
].join('\n');

async function upload(page: Page, name: string, text: string) {
	await page.getByLabel('Tệp câu hỏi').setInputFiles({
		name,
		mimeType: 'text/plain',
		buffer: Buffer.from('\ufeff' + text, 'utf8')
	});
	await page.getByRole('button', { name: 'Xem trước' }).click();
}

test('a trainer imports a bank, builds a quiz, a cadre takes it, the trainer grades and reads statistics', async ({
	page
}) => {
	test.setTimeout(180_000);
	await logIn(page, 'giangvien');
	await page.getByRole('link', { name: 'Ngân hàng câu hỏi' }).click();
	await page.getByRole('link', { name: 'Nhập câu hỏi từ tệp' }).click();

	// A bad file: every error with its line, nothing to confirm.
	await upload(page, 'loi.gift', BAD);
	const errors = page.getByRole('alert').filter({ hasText: 'Tệp có 3 lỗi' });
	await expect(errors).toBeVisible();
	await expect(errors.getByText(/^Dòng 5:/)).toBeVisible();
	await expect(errors.getByText(/^Dòng 7: .*37/)).toBeVisible();
	await expect(page.getByRole('button', { name: /^Nhập \d+ câu hỏi$/ })).toHaveCount(0);

	// A good file: the preview lists each question, then everything is imported at once.
	await upload(page, 'bao-mat.gift', GOOD);
	const preview = page.getByRole('region', { name: /Xem trước: bao-mat.gift/ });
	await expect(preview.getByText('Đọc được 5 câu hỏi (GIFT)')).toBeVisible();
	await expect(preview.getByRole('row', { name: /E2E tự luận mã độc/ })).toContainText('Tự luận');
	await expect(preview.getByRole('row', { name: /E2E mật khẩu 2/ })).toContainText(
		'E2E Bảo mật / Mật khẩu'
	);
	await preview.getByRole('button', { name: 'Nhập 5 câu hỏi' }).click();
	await expect(page.getByText('Đã nhập 5 câu hỏi: 5 câu mới')).toBeVisible();

	// The quiz: a course, settings, then its questions.
	await page.getByRole('link', { name: 'Bài kiểm tra', exact: true }).click();
	await page.getByRole('link', { name: 'Tạo bài kiểm tra' }).click();
	await page
		.getByLabel('Khóa học', { exact: true })
		.selectOption({ label: 'Quản trị mạng cơ bản' });
	await page.getByLabel('Tên bài kiểm tra').fill('Bài nhanh về mật khẩu (E2E)');
	await page.getByLabel('Trạng thái', { exact: true }).selectOption('published');
	await page.getByLabel('Thời gian làm bài (phút)').fill('30');
	await page.getByLabel('Số lần được làm').fill('1');
	await page.getByRole('button', { name: 'Tạo bài kiểm tra' }).click();
	await expect(page.getByRole('heading', { name: /Câu hỏi: Bài nhanh về mật khẩu/ })).toBeVisible();

	const random = page.getByRole('region', { name: 'Thêm câu rút ngẫu nhiên' });
	const bankOption = random.getByRole('option', { name: /^\s*E2E Bảo mật \(/ });
	await random
		.getByLabel('Danh mục', { exact: true })
		.selectOption((await bankOption.getAttribute('value'))!);
	await random.getByLabel('Chỉ lấy câu có các thẻ').fill('e2e-rut');
	await random.getByLabel('Số câu', { exact: true }).fill('2');
	await random.getByRole('button', { name: 'Thêm câu ngẫu nhiên' }).click();
	await expect(page.getByText('Có 3 câu phù hợp cho 2 câu rút từ nguồn này').first()).toBeVisible();

	const fixed = page.getByRole('region', { name: 'Thêm câu hỏi cố định' });
	await fixed.getByLabel(/Tìm trong tên/).fill('E2E tự luận');
	await fixed.getByRole('button', { name: 'Tìm câu hỏi' }).click();
	await page
		.getByRole('region', { name: 'Thêm câu hỏi cố định' })
		.getByRole('button', { name: 'Thêm "E2E tự luận mã độc" vào bài' })
		.click();
	await expect(page.getByRole('link', { name: 'E2E tự luận mã độc' })).toBeVisible();
	await page.getByLabel('Điểm câu 3').fill('4');
	await page.getByRole('button', { name: 'Lưu điểm các câu' }).click();
	await expect(page.getByText('3 câu, tổng 6 điểm.')).toBeVisible();
	const quizUrl = page.url().replace(/\/slots.*$/, '');
	const quizId = quizUrl.split('/').pop();
	await logOut(page);

	// A cadre takes it.
	await logIn(page, 'hocvien5');
	const cadreName = (await page.getByTitle('Đổi mật khẩu').textContent())!.trim();
	// The trainers' pages are closed to cadres.
	for (const path of [
		'/manage/questions',
		'/manage/grading',
		`/manage/quizzes/${quizId}/statistics`
	])
		expect((await page.goto(path))?.status(), path).toBe(403);
	await page.goto(`/quizzes/${quizId}`);
	await page.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
	await expect(page).toHaveURL(/\/attempts\/[0-9a-f-]{36}$/);
	for (const question of await page.locator('fieldset.question').all()) {
		const type = await question.getAttribute('data-type');
		if (type === 'essay')
			await question
				.getByRole('textbox')
				.fill('Ngắt mạng máy bị nhiễm, báo cán bộ CNTT, quét virus.');
		else await question.getByRole('radio').first().check();
	}
	await expect(page.getByRole('status').filter({ hasText: 'Đã lưu lúc' })).toBeVisible();
	await page.getByRole('button', { name: 'Kết thúc bài làm…' }).click();
	await expect(page.getByText('Đồng chí đã trả lời 3/3 câu.')).toBeVisible();
	await page.getByRole('button', { name: 'Nộp bài' }).click();
	await expect(page.getByText('Còn câu tự luận chờ chấm')).toBeVisible();
	await logOut(page);

	// The trainer grades the essay, blind.
	await logIn(page, 'giangvien');
	await page.getByRole('link', { name: 'Chấm tự luận' }).click();
	await page.getByRole('link', { name: 'E2E tự luận mã độc' }).click();
	await expect(
		page.getByText('Ngắt mạng máy bị nhiễm, báo cán bộ CNTT, quét virus.')
	).toBeVisible();
	await expect(page.getByText(cadreName)).toHaveCount(0);
	await page.getByLabel('Điểm (tối đa 4)').fill('3,5');
	await page.getByLabel('Nhận xét cho người làm').fill('Thiếu bước khôi phục dữ liệu.');
	await page.getByRole('button', { name: 'Lưu điểm' }).click();
	await expect(page.getByText('Đã chấm hết các bài của câu hỏi này.')).toBeVisible();

	// And reads the item statistics.
	await page.goto(`${quizUrl}/statistics`);
	await expect(
		page.getByRole('heading', { name: /Thống kê câu hỏi: Bài nhanh về mật khẩu/ })
	).toBeVisible();
	await expect(page.getByText('1 bài đã nộp')).toBeVisible();
	const table = page.getByRole('table', { name: /Thống kê câu hỏi/ });
	await expect(table.getByRole('columnheader', { name: 'Độ dễ' })).toBeVisible();
	await expect(table.getByRole('row', { name: /E2E tự luận mã độc/ })).toContainText('87,5%');
	await expect(table.getByRole('row')).toHaveCount(4);
});

test('without JavaScript a trainer writes a question, adds rows, imports a file, builds and takes an essay quiz', async ({
	browser
}) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await logIn(page, 'giangvien');
	await page.goto('/manage/questions/new');
	await page.getByRole('link', { name: 'Nhiều lựa chọn' }).click();
	await page.getByLabel('Danh mục', { exact: true }).selectOption({ index: 1 });
	await page.getByLabel('Tên câu hỏi').fill('Không JS: cách giữ an toàn');
	await page.getByLabel('Nội dung câu hỏi').fill('Chọn **các** việc nên làm.');
	const answers = [
		['Khóa màn hình khi rời chỗ', '50'],
		['Cập nhật phần mềm', '50'],
		['Mở tệp đính kèm lạ', '-100']
	];
	for (const [i, [text, grade]] of answers.entries()) {
		await page.getByLabel(`Phương án ${i + 1}`, { exact: true }).fill(text);
		await page.getByLabel(`Tỉ lệ điểm ${i + 1}`, { exact: true }).selectOption(grade);
	}
	// Five rows at first; "More rows" keeps what was typed and adds three.
	await expect(page.getByLabel('Phương án 6', { exact: true })).toHaveCount(0);
	await page.getByRole('button', { name: 'Thêm dòng' }).click();
	await expect(page.getByLabel('Phương án 1', { exact: true })).toHaveValue(
		'Khóa màn hình khi rời chỗ'
	);
	await page.getByLabel('Phương án 6', { exact: true }).fill('Tắt tường lửa');
	await page.getByLabel('Tỉ lệ điểm 6', { exact: true }).selectOption('-50');
	await page.getByRole('button', { name: 'Lưu câu hỏi' }).click();
	await expect(page.getByText('Đã thêm câu hỏi vào ngân hàng.')).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Không JS: cách giữ an toàn' })).toBeVisible();
	await expect(page.getByRole('row', { name: /Mở tệp đính kèm lạ/ })).toContainText('-100%');
	await expect(page.getByRole('row', { name: /Tắt tường lửa/ })).toContainText('-50%');

	await page.goto('/manage/questions/import');
	await page.getByLabel('Tệp câu hỏi').setInputFiles({
		name: 'aiken.txt',
		mimeType: 'text/plain',
		buffer: Buffer.from('Không JS: cổng SSH mặc định?\nA. 21\nB. 22\nANSWER: B\n', 'utf8')
	});
	await page.getByRole('button', { name: 'Xem trước' }).click();
	await expect(page.getByText('Đọc được 1 câu hỏi (AIKEN)')).toBeVisible();
	await page.getByRole('button', { name: 'Nhập 1 câu hỏi' }).click();
	await expect(page.getByText('Đã nhập 1 câu hỏi: 1 câu mới')).toBeVisible();

	// A quiz with one essay, built and taken page by page: the saved essay is shown again.
	await page.goto('/manage/quizzes/new');
	await page
		.getByLabel('Khóa học', { exact: true })
		.selectOption({ label: 'Quản trị mạng cơ bản' });
	await page.getByLabel('Tên bài kiểm tra').fill('Không JS: bài tự luận');
	await page.getByLabel('Trạng thái', { exact: true }).selectOption('published');
	await page.getByRole('button', { name: 'Tạo bài kiểm tra' }).click();
	await page.getByLabel(/Tìm trong tên/).fill('Tình huống mất liên lạc');
	await page.getByRole('button', { name: 'Tìm câu hỏi' }).click();
	await page.getByRole('button', { name: /^Thêm "Tình huống mất liên lạc/ }).click();
	await expect(page.getByText('1 câu, tổng 1 điểm.')).toBeVisible();
	const quizId = page.url().match(/quizzes\/(\d+)/)![1];
	await page.goto(`/quizzes/${quizId}`);
	await page.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
	const essay = 'Kiểm tra đèn cổng serial,\nbáo Văn phòng Tỉnh ủy, ghi sổ.';
	await page.getByRole('textbox').fill(essay);
	await page.getByRole('button', { name: 'Kết thúc bài làm…' }).click();
	await expect(page.getByText('Đồng chí đã trả lời 1/1 câu.')).toBeVisible();
	await page.getByRole('link', { name: 'Quay lại làm tiếp' }).click();
	await expect(page.getByRole('textbox')).toHaveValue(essay);
	await page.getByRole('button', { name: 'Kết thúc bài làm…' }).click();
	await page.getByRole('button', { name: 'Nộp bài' }).click();
	await expect(page.getByText('Còn câu tự luận chờ chấm')).toBeVisible();
	await context.close();
});
