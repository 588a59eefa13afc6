// The whole hội thi through the pages: an organiser sets up a theory round (questions drawn from
// the bank) and a practical round (a task with its rubric), appoints the judges, registers three
// competitors from two units from a CSV and runs the rounds from the control room. The
// competitors start from the lobby in parallel; one loses the connection and carries on with
// nothing lost; they hand in a practical answer (text and a file). Two judges mark blind, a
// disagreement goes to the head judge. The projector board follows live, then freezes when the
// last round's freeze window begins. The organiser publishes the results; the winner downloads
// the certificate, whose verification page answers anyone without a login.
import { expect, test, type Page } from '@playwright/test';
import {
	addRound,
	anonymous,
	answer,
	appointJudges,
	boardRow,
	closeRoundNow,
	createCompetition,
	drawQuestions,
	fullNameOf,
	handIn,
	openRoundNow,
	publishBoard,
	registerFromCsv,
	saveSettings,
	signedIn,
	startFromLobby,
	writeTask
} from './competition-steps';
import { logIn } from './helpers';

const SLUG = 'hoi-thi-toan-trinh';
const TITLE = 'Hội thi toàn trình năm 2012';
const THEORY = 'Vòng sơ khảo lý thuyết';
const PRACTICAL = 'Vòng chung khảo thực hành';
const TASK = 'Cấu hình mạng LAN';
/** Dummy PDF bytes, enough for the upload check. */
const PDF = Buffer.from(
	'%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'
);

/** What each competitor writes, and what each judge gives for it (per criterion). */
const WORK = {
	hocvien2: {
		text: 'Bài A: sai cổng mặc định và trùng địa chỉ IP.',
		marks: [
			['9', '9'],
			['4', '4']
		]
	},
	hocvien3: {
		text: 'Bài B: máy in chưa kết nối mạng.',
		marks: [
			['5', '5'],
			['5', '5']
		]
	},
	'canbo.vptu': {
		text: 'Bài C: chưa tìm ra lỗi.',
		marks: [
			['2', '2'],
			['2', '2']
		]
	}
} as const;

async function practicalWork(page: Page, username: keyof typeof WORK) {
	await expect(page).toHaveURL(/\/practical\/[0-9a-f-]{36}$/);
	await expect(page.getByRole('heading', { name: `Bài 1: ${TASK}` })).toBeVisible();
	await page.getByLabel('Câu trả lời của đồng chí').fill(WORK[username].text);
	await expect(page.getByRole('status').filter({ hasText: 'Đã lưu lúc' })).toBeVisible();
	await page
		.getByLabel('Tải tệp bài làm cho bài 1')
		.setInputFiles({ name: `so-do-${username}.pdf`, mimeType: 'application/pdf', buffer: PDF });
	await page.getByRole('button', { name: 'Lưu bài làm' }).click();
	await expect(page.getByRole('link', { name: `so-do-${username}.pdf` })).toBeVisible();
	await page.getByRole('button', { name: 'Kết thúc bài làm…' }).click();
	await expect(page.getByRole('heading', { name: /Nộp bài thực hành/ })).toBeVisible();
	await page.getByRole('button', { name: 'Nộp bài' }).click();
	await expect(page.getByText(/Bài làm đã nộp lúc/)).toBeVisible();
	// Back to the lobby from where the work ended.
	await page.getByRole('link', { name: 'Về trang hội thi' }).click();
	await expect(page.getByRole('heading', { level: 1, name: TITLE })).toBeVisible();
}

test('a whole competition: set up, compete, judge, freeze, publish, certify', async ({
	page,
	browser
}) => {
	test.setTimeout(420_000);
	const organiser = page;

	// --- Setup: two rounds, judges, competitors, a public board with a 20-minute freeze.
	await logIn(organiser, 'bantochuc');
	await createCompetition(organiser, { title: TITLE, slug: SLUG });
	await addRound(organiser, SLUG, { name: THEORY, kind: 'theory', minutes: 60 });
	await expect(organiser.getByText('Vòng thi chưa có câu hỏi')).toBeVisible();
	// A draw asking more than the bank holds is refused with its row number.
	const category = organiser.getByLabel('Lấy từ danh mục (dòng 1)');
	await category.selectOption(
		(await category
			.locator('option', { hasText: /^Quản trị mạng cơ bản \(/ })
			.getAttribute('value'))!
	);
	await organiser.getByLabel('Số câu (dòng 1)').fill('99');
	await organiser.getByRole('button', { name: 'Lưu cách rút câu hỏi' }).click();
	await expect(
		organiser.getByText(/Dòng 1: cần 99 câu nhưng ngân hàng chỉ có \d+ câu/)
	).toBeVisible();
	await drawQuestions(organiser, { bank: 'Quản trị mạng cơ bản', count: 4 });

	// The practical round lasts as long as the freeze: its whole time is the freeze window.
	await addRound(organiser, SLUG, { name: PRACTICAL, kind: 'practical', minutes: 20 });
	await writeTask(organiser, {
		title: TASK,
		statement: 'Máy trạm không vào được mạng. Tìm lỗi trong cấu hình và nêu cách sửa.',
		criteria: [
			['Xác định đúng lỗi', 10],
			['Khắc phục và giải thích', 10]
		]
	});
	await appointJudges(organiser, SLUG);
	await saveSettings(organiser, SLUG, { status: 'running', freezeMinutes: 20 });

	// Registration from a CSV: a bad file is refused whole, line by line; the right one goes in.
	await organiser.getByRole('link', { name: 'Đăng ký dự thi' }).click();
	await organiser.getByLabel('Tệp CSV').setInputFiles({
		name: 'danh-sach.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from('username,team\nhocvien2,HU-VY\nkhongcoai,HU-VY\nhocvien3,VPTU\n')
	});
	await organiser.getByRole('button', { name: 'Kiểm tra và đăng ký' }).click();
	await expect(
		organiser.getByText('Dòng 3: Không có tài khoản đang hoạt động "khongcoai".')
	).toBeVisible();
	await expect(organiser.getByText(/Dòng 4: hocvien3 không thuộc đơn vị VPTU/)).toBeVisible();
	await expect(organiser.getByText('Chưa có ai đăng ký.')).toBeVisible();
	await registerFromCsv(organiser, SLUG, [
		['hocvien2', 'HU-VY'],
		['hocvien3', 'HU-VY'],
		['canbo.vptu', 'VPTU']
	]);
	await expect(organiser.getByText('Đội: 2/5')).toBeVisible();
	await publishBoard(organiser, SLUG);

	// --- The theory round opens; the projector in the hall needs no login.
	await organiser.getByRole('link', { name: 'Phòng điều hành' }).click();
	await expect(organiser.getByText('Chưa vào thi: 3')).toBeVisible();
	await openRoundNow(organiser, SLUG, THEORY);
	const projector = await anonymous(browser);
	await projector.goto(`/board/${SLUG}`);
	await expect(projector.getByRole('heading', { name: TITLE })).toBeVisible();
	await expect(projector.getByText('Cập nhật trực tiếp')).toBeVisible();

	const [vy1, vy2, vptu] = await Promise.all(
		['hocvien2', 'hocvien3', 'canbo.vptu'].map((u) => signedIn(browser, u))
	);
	const [vy1Name, vy2Name, vptuName] = await Promise.all([vy1, vy2, vptu].map(fullNameOf));
	await Promise.all(
		[vy1, vy2, vptu].map(async (p) => {
			await p.goto(`/competitions/${SLUG}`);
			await expect(p.getByText(/Đồng chí dự thi trong đội tuyển của/)).toBeVisible();
			await startFromLobby(p, SLUG, THEORY);
			await expect(p).toHaveURL(/\/attempts\//);
		})
	);
	await expect(boardRow(projector, vy1Name)).toContainText('đang thi');
	// No answer key reaches a competitor's page.
	const html = await vy1.content();
	for (const secret of ['fraction', 'feedbackRight', '"answer":'])
		expect(html, secret).not.toContain(secret);

	await Promise.all(
		[vy1, vy2, vptu].map(async (p) => {
			for (const n of [0, 2, 3]) await answer(p, n);
			await expect(p.getByRole('status').filter({ hasText: 'Đã lưu lúc' })).toBeVisible();
		})
	);

	// hocvien2 loses the connection, keeps answering, comes back: nothing is lost.
	await vy1.context().setOffline(true);
	const second = await answer(vy1, 1);
	await expect(vy1.getByText(/Mất kết nối: \d+ câu trả lời/)).toBeVisible();
	await vy1.context().setOffline(false);
	await expect(vy1.getByRole('status').filter({ hasText: 'Đã lưu lúc' })).toBeVisible({
		timeout: 30_000
	});
	await vy1.reload();
	await expect(
		second
			.locator(
				'input:checked, option:checked:not([value=""]), input[type=text]:not([value=""]), textarea'
			)
			.first()
	).toBeAttached();

	// Two hand in; the projector follows without a reload. Their own page shows no score yet.
	for (const p of [vptu, vy2]) {
		await answer(p, 1);
		await handIn(p);
		await expect(p.getByText(/không được xem trước khi Ban Tổ chức công bố/)).toBeVisible();
		await expect(p.getByText(/^Điểm: /)).toHaveCount(0);
	}
	await expect(boardRow(projector, vptuName)).not.toContainText('đang thi');
	await expect(boardRow(projector, vy2Name)).not.toContainText('đang thi');
	await vptu.getByRole('link', { name: 'Về trang hội thi' }).first().click();
	await expect(vptu.getByText(/Đã nộp bài lúc/)).toBeVisible();

	// --- The control room: who is where, by unit; extra time for hocvien2, with a reason.
	await organiser.goto(`/manage/competitions/${SLUG}/control`);
	await expect(organiser.getByText('Đang làm bài: 1')).toBeVisible();
	await expect(organiser.getByText('Đã nộp bài: 2')).toBeVisible();
	await expect(
		organiser.getByRole('rowgroup').filter({ hasText: 'Huyện ủy Văn Yên' })
	).toContainText('hocvien3');
	const deadlineBefore = await vy1.getByText(/^Hạn nộp: /).textContent();
	const extend = organiser.getByRole('region', { name: 'Gia hạn thời gian' });
	await extend.getByLabel('Gia hạn cho').selectOption('hocvien2');
	await extend.getByLabel('Số phút thêm').fill('5');
	await extend.getByLabel('Lý do (ghi vào nhật ký)').fill('Máy tính của thí sinh bị treo');
	await extend.getByRole('button', { name: 'Gia hạn', exact: true }).click();
	await expect(
		organiser.getByText('Đã gia hạn cho hocvien2; 1 bài đang làm được dời hạn nộp.')
	).toBeVisible();
	await vy1.reload();
	const seconds = (text: string | null) => {
		const [h, mi, s] = text!.replace('Hạn nộp: ', '').split(':').map(Number);
		return h * 3600 + mi * 60 + s;
	};
	await expect
		.poll(
			async () => seconds(await vy1.getByText(/^Hạn nộp: /).textContent()) - seconds(deadlineBefore)
		)
		.toBe(300);

	// A question, answered to everyone: another competitor reads it (without who asked).
	await vy2.goto(`/competitions/${SLUG}`);
	await vy2
		.getByLabel('Câu hỏi', { exact: true })
		.fill('Vòng thực hành có được dùng Internet không?');
	await vy2.getByRole('button', { name: 'Gửi câu hỏi' }).click();
	await expect(vy2.getByText('Đã gửi câu hỏi.')).toBeVisible();
	await organiser.getByRole('link', { name: 'Hỏi đáp' }).click();
	await organiser.getByLabel('Trả lời').fill('Không. Chỉ dùng tệp đính kèm của đề.');
	await organiser.getByRole('button', { name: 'Trả lời cho mọi thí sinh' }).click();
	await expect(organiser.getByText(/Đã trả lời; mọi thí sinh đều thấy/)).toBeVisible();
	await vptu.goto(`/competitions/${SLUG}`);
	await expect(vptu.getByText('Không. Chỉ dùng tệp đính kèm của đề.')).toBeVisible();
	await expect(vptu.getByText('hocvien3')).toHaveCount(0);

	// --- The practical round opens: its last 20 minutes (all of it) are frozen on the public board.
	await openRoundNow(organiser, SLUG, PRACTICAL);
	await expect(projector.getByText(/Bảng điểm đóng băng từ \d\d:\d\d/)).toBeVisible();
	// hocvien2 hands in the theory now: the organisers see the score, the projector does not.
	await handIn(vy1);
	await organiser.goto(`/manage/competitions/${SLUG}/results`);
	await expect(boardRow(organiser, vy1Name)).not.toContainText('đang thi');
	await projector.reload();
	await expect(projector.getByText(/Bảng điểm đóng băng từ/)).toBeVisible();
	await expect(boardRow(projector, vy1Name)).toContainText('đang thi');
	await expect(boardRow(projector, vptuName)).not.toContainText('đang thi');

	// Everyone does the practical work, from the lobby.
	await Promise.all(
		(
			[
				[vy1, 'hocvien2'],
				[vy2, 'hocvien3'],
				[vptu, 'canbo.vptu']
			] as const
		).map(async ([p, username]) => {
			await startFromLobby(p, SLUG, PRACTICAL);
			await practicalWork(p, username);
		})
	);

	// --- Judging: giamkhao2 and giamkhao3 mark every submission by its blind code.
	for (const [j, judgeName] of ['giamkhao2', 'giamkhao3'].entries()) {
		const judge = await signedIn(browser, judgeName);
		for (let i = 0; i < 3; i++) {
			await judge.goto('/judging');
			// The queue holds work of other competitions too (the demo's): ours, by its task.
			await judge
				.getByRole('region', { name: /Cần chấm/ })
				.getByRole('row', { name: new RegExp(TASK) })
				.getByRole('link')
				.first()
				.click();
			await expect(judge.getByRole('heading', { name: /^Bài làm BT-/ })).toBeVisible();
			const body = await judge.content();
			for (const name of [vy1Name, vy2Name, vptuName, 'hocvien', 'canbo.vptu'])
				expect(body, name).not.toContain(name);
			const who = (Object.keys(WORK) as Array<keyof typeof WORK>).find((u) =>
				body.includes(WORK[u].text)
			)!;
			const [first, second] = WORK[who].marks[j];
			await judge.getByLabel('Xác định đúng lỗi (tối đa 10 điểm)').fill(first);
			await judge.getByLabel('Khắc phục và giải thích (tối đa 10 điểm)').fill(second);
			await judge.getByRole('button', { name: 'Lưu điểm' }).click();
			await expect(judge.getByText('Đã lưu điểm.')).toBeVisible();
		}
		await judge.context().close();
	}
	// 18 against 8 for "Bài A": beyond the margin, so the head judge decides.
	const head = await signedIn(browser, 'giamkhao1');
	await head.goto('/judging');
	const waiting = head
		.getByRole('region', { name: /Chờ trưởng ban quyết định/ })
		.getByRole('row', { name: new RegExp(TASK) });
	await expect(waiting).toHaveCount(1);
	await waiting.getByRole('link').click();
	await expect(head.getByText(WORK.hocvien2.text)).toBeVisible();
	await head.getByLabel('Điểm cuối cùng (tối đa 20)').fill('17');
	await head.getByLabel('Lý do quyết định').fill('Nêu đúng hai lỗi, cách sửa đầy đủ.');
	await head.getByRole('button', { name: 'Quyết định điểm cuối cùng' }).click();
	await expect(head.getByText('Điểm cuối cùng: 17/20')).toBeVisible();
	await head.context().close();

	// --- The rounds end, the organiser publishes; the freeze lifts and prizes show.
	await closeRoundNow(organiser, SLUG, THEORY, 'Mọi thí sinh đã nộp bài');
	await closeRoundNow(organiser, SLUG, PRACTICAL, 'Mọi thí sinh đã nộp bài');
	await expect(projector.getByText(/Bảng điểm đóng băng từ/)).toBeVisible();
	await organiser.goto(`/manage/competitions/${SLUG}/results`);
	await organiser.getByRole('button', { name: 'Công bố kết quả' }).click();
	await expect(organiser.getByText('Hãy đánh dấu xác nhận trước khi công bố.')).toBeVisible();
	await organiser
		.getByLabel('Tôi đã kiểm tra bảng điểm và xác nhận công bố kết quả chính thức.')
		.check();
	await organiser.getByRole('button', { name: 'Công bố kết quả' }).click();
	await expect(organiser.getByText('Đã công bố kết quả chính thức.')).toBeVisible();
	await expect(projector.getByText(/Bảng điểm đóng băng từ/)).toHaveCount(0);
	await expect(boardRow(projector, vy1Name)).toContainText('Giải Nhất');
	await expect(boardRow(projector, vy1Name).getByRole('cell').first()).toHaveText('1');

	// --- The winner: own result in the lobby, the official results, the certificate.
	await vy1.goto(`/competitions/${SLUG}`);
	await expect(vy1.getByText(/Kết quả chính thức của đồng chí: xếp hạng 1/)).toContainText(
		'Giải Nhất'
	);
	await vy1.getByRole('link', { name: 'Kết quả chính thức' }).click();
	const prizes = vy1.getByRole('region', { name: 'Giải cá nhân' });
	await expect(prizes.getByRole('row').filter({ hasText: vy1Name })).toContainText('Giải Nhất');
	await expect(
		vy1.getByRole('region', { name: 'Giải toàn đoàn' }).getByRole('row').nth(1)
	).toContainText('Huyện ủy Văn Yên');
	const pdfLink = prizes.getByRole('link', { name: 'Tải PDF' });
	const href = (await pdfLink.getAttribute('href'))!;
	const code = href.split('/')[2];
	const pdf = await vy1.request.get(href);
	expect(pdf.status()).toBe(200);
	expect(pdf.headers()['content-type']).toContain('application/pdf');
	expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
	// Nobody else's certificate link is on the winner's page.
	await expect(vy1.getByRole('link', { name: 'Tải PDF' })).toHaveCount(1);

	const stranger = await anonymous(browser);
	await stranger.goto(`/verify/${code}`);
	await expect(stranger.getByRole('heading', { name: new RegExp(code) })).toBeVisible();
	await expect(stranger.getByText(vy1Name)).toBeVisible();
	await expect(stranger.getByText(TITLE).first()).toBeVisible();
	await expect(stranger.getByText(/Giải Nhất/).first()).toBeVisible();

	// After publication the competitor's own review shows the score and what was right, never
	// the answer key.
	await vptu.goto(`/competitions/${SLUG}`);
	await vptu.getByRole('link', { name: `Xem bài đã nộp: ${THEORY}` }).click();
	await expect(vptu.getByText(/^Điểm: [\d,]+\/4 \(/)).toBeVisible();
	await expect(vptu.getByText(/Kết quả đã công bố/)).toBeVisible();
	await expect(vptu.getByText('Đáp án đúng:')).toHaveCount(0);

	for (const p of [vy1, vy2, vptu, projector, stranger]) await p.context().close();
});
