// The demo competition, hoi-thi-cntt-2012, run in the browser by the demo accounts the README
// names: its projector board shows the finished practice round; canbo and canbo.vptu start the
// theory and the practical round from the lobby; giamkhao3 marks seeded work blind, giamkhao1
// settles a disagreement; bantochuc follows it all in the control room and the results.
// State changes here use accounts no other journey uses in this competition.
import { expect, test } from '@playwright/test';
import { anonymous, handIn, answer, signedIn } from './competition-steps';

const SLUG = 'hoi-thi-cntt-2012';
const TITLE = 'Hội thi ứng dụng CNTT trong các cơ quan Đảng tỉnh Yên Bái năm 2012';
const THEORY = 'Vòng sơ khảo — lý thuyết';
const PRACTICAL = 'Vòng chung khảo — thực hành';
const DEMO_TASKS =
	/Khắc phục sự cố mạng LAN Huyện ủy Trấn Yên|Sửa bảng tổng hợp trang thiết bị CNTT/;

test('the demo competition runs end to end with the demo accounts', async ({ browser }) => {
	test.setTimeout(240_000);

	// The projector needs no login and shows the practice round's real rankings.
	const projector = await anonymous(browser);
	await projector.goto(`/board/${SLUG}`);
	await expect(projector.getByRole('heading', { name: TITLE })).toBeVisible();
	await expect(projector.getByText('Vòng thi thử', { exact: true }).first()).toBeVisible();
	const rows = projector.getByRole('table', { name: 'Cá nhân' }).getByRole('row');
	await expect(rows.nth(1).getByRole('cell').first()).toHaveText('1');
	expect(await rows.count()).toBeGreaterThan(20);
	await expect(projector.getByRole('table', { name: /Toàn đoàn/ })).toBeVisible();

	// canbo: the practice round is done; the theory round from the lobby, handed in.
	const canbo = await signedIn(browser, 'canbo');
	await canbo.getByRole('link', { name: 'Hội thi', exact: true }).click();
	await canbo.getByRole('link', { name: TITLE }).click();
	await expect(canbo.getByRole('heading', { name: 'Vòng thi thử' })).toBeVisible();
	await expect(canbo.getByText(/Đã nộp bài lúc/)).toBeVisible();
	await canbo.getByRole('button', { name: `Bắt đầu làm bài: ${THEORY}` }).click();
	await expect(canbo).toHaveURL(/\/attempts\/[0-9a-f-]{36}$/);
	await expect(canbo.getByRole('timer')).toContainText('Thời gian còn lại');
	for (const n of [0, 1, 2]) await answer(canbo, n);
	await expect(canbo.getByRole('status').filter({ hasText: 'Đã lưu lúc' })).toBeVisible();
	await handIn(canbo);
	await expect(canbo.getByText(/không được xem trước khi Ban Tổ chức công bố/)).toBeVisible();
	await canbo.getByRole('link', { name: 'Về trang hội thi' }).first().click();

	// …and the practical round: the tasks with their files, an answer, handed in.
	await canbo.getByRole('button', { name: `Bắt đầu làm bài: ${PRACTICAL}` }).click();
	await expect(canbo).toHaveURL(/\/practical\/[0-9a-f-]{36}$/);
	await expect(
		canbo.getByRole('heading', { name: 'Bài 1: Khắc phục sự cố mạng LAN Huyện ủy Trấn Yên' })
	).toBeVisible();
	await expect(canbo.getByRole('link', { name: 'so-do-mang-huyen-uy-tran-yen.svg' })).toBeVisible();
	await expect(canbo.getByRole('link', { name: 'bao-cao-thiet-bi-cntt.xlsx' })).toBeVisible();
	await canbo
		.getByLabel('Câu trả lời của đồng chí')
		.first()
		.fill('PC-05 và PC-09 trùng địa chỉ; cổng mặc định VLAN 20 sai; cổng 24 phải là trunk.');
	await expect(canbo.getByRole('status').filter({ hasText: 'Đã lưu lúc' })).toBeVisible();
	await canbo.getByRole('button', { name: 'Kết thúc bài làm…' }).click();
	await canbo.getByRole('button', { name: 'Nộp bài' }).click();
	await expect(canbo.getByText(/Bài làm đã nộp lúc/)).toBeVisible();
	await canbo.getByRole('link', { name: 'Về trang hội thi' }).first().click();
	await expect(canbo.getByRole('link', { name: `Xem bài đã nộp: ${PRACTICAL}` })).toBeVisible();

	// canbo.vptu, of Văn phòng Tỉnh ủy: both rounds from the lobby as well.
	const vptu = await signedIn(browser, 'canbo.vptu');
	await vptu.goto(`/competitions/${SLUG}`);
	await expect(
		vptu.getByText(/Đồng chí dự thi trong đội tuyển của Văn phòng Tỉnh ủy/)
	).toBeVisible();
	await vptu.getByRole('button', { name: `Bắt đầu làm bài: ${THEORY}` }).click();
	await answer(vptu, 0);
	await expect(vptu.getByRole('status').filter({ hasText: 'Đã lưu lúc' })).toBeVisible();
	await handIn(vptu);
	await vptu.goto(`/competitions/${SLUG}`);
	await vptu.getByRole('button', { name: `Bắt đầu làm bài: ${PRACTICAL}` }).click();
	await expect(vptu).toHaveURL(/\/practical\//);
	await vptu.getByLabel('Câu trả lời của đồng chí').nth(1).fill('Đã sửa công thức tỷ lệ hỏng.');
	await expect(vptu.getByRole('status').filter({ hasText: 'Đã lưu lúc' })).toBeVisible();

	// giamkhao3 marks seeded work blind (no name, no unit on the page).
	const judge = await signedIn(browser, 'giamkhao3');
	await judge.getByRole('link', { name: 'Chấm thi' }).first().click();
	const toScore = judge
		.getByRole('region', { name: /Cần chấm/ })
		.getByRole('row', { name: DEMO_TASKS });
	await toScore.first().getByRole('link').click();
	await expect(judge.getByRole('heading', { name: /^Bài làm BT-/ })).toBeVisible();
	const page = await judge.content();
	for (const secret of ['canbo', 'Huyện ủy Lục Yên', 'Văn phòng Tỉnh ủy'])
		expect(page, secret).not.toContain(secret);
	for (const input of await judge.getByLabel(/\(tối đa [\d,]+ điểm\)$/).all())
		await input.fill('1');
	await judge.getByRole('button', { name: 'Lưu điểm' }).click();
	await expect(judge.getByText('Đã lưu điểm.')).toBeVisible();

	// giamkhao1, the head judge, settles a seeded disagreement.
	const head = await signedIn(browser, 'giamkhao1');
	await head.goto('/judging');
	await head
		.getByRole('region', { name: /Chờ trưởng ban quyết định/ })
		.getByRole('row', { name: DEMO_TASKS })
		.first()
		.getByRole('link')
		.click();
	await expect(head.getByRole('heading', { name: /^Bài làm BT-/ })).toBeVisible();
	await head.getByLabel('Điểm cuối cùng (tối đa 10)').fill('5');
	await head.getByLabel('Lý do quyết định').fill('Hai giám khảo lệch nhiều; bài nêu được ba lỗi.');
	await head.getByRole('button', { name: 'Quyết định điểm cuối cùng' }).click();
	await expect(head.getByText('Điểm cuối cùng: 5/10')).toBeVisible();

	// bantochuc: the control room, the judging overview, the live results; not publishable yet.
	const organiser = await signedIn(browser, 'bantochuc');
	await organiser.getByRole('link', { name: 'Tổ chức hội thi' }).click();
	await organiser.getByRole('link', { name: TITLE }).click();
	await organiser.getByRole('link', { name: 'Phòng điều hành' }).click();
	// The round links of the control room, not those of the page being left (round settings).
	await expect(organiser.getByRole('heading', { name: 'Phòng điều hành', level: 1 })).toBeVisible();
	await organiser
		.getByRole('navigation', { name: 'Chọn vòng thi' })
		.getByRole('link', { name: THEORY, exact: true })
		.click();
	await expect(organiser).toHaveURL(/\/control\?round=/);
	await expect(organiser.getByText(/Đã nộp bài: [1-9]/)).toBeVisible();
	await expect(
		organiser.getByRole('rowgroup').filter({ hasText: 'Văn phòng Tỉnh ủy' })
	).toContainText('canbo.vptu');
	await organiser.getByRole('link', { name: 'Chấm thi' }).click();
	await expect(organiser.getByText(/Trưởng ban đã quyết định/).first()).toBeVisible();
	await organiser.getByRole('link', { name: 'Kết quả' }).click();
	await expect(organiser.getByText('Chưa thể công bố:')).toBeVisible();
	await expect(
		organiser
			.getByRole('table', { name: 'Cá nhân' })
			.getByRole('row')
			.filter({ hasText: 'Triệu Thu Thủy' })
	).toBeVisible();

	for (const p of [projector, canbo, vptu, judge, head, organiser]) await p.context().close();
});
