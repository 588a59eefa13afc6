import fs from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { logIn } from './helpers';
import { parseGift } from '../../src/lib/server/questions/formats/gift';
import type { ParsedQuestion } from '../../src/lib/server/questions/types';

// A cadre completes a demo course end to end: every lesson, then its quiz, answered as someone
// who studied the course would (from the course's own question bank). Lessons opened stay
// readable offline; attempt pages do not.

const COURSE = '/courses/quan-tri-mang-co-ban';
const bank = parseGift(
	fs.readFileSync('content/quan-tri-mang-co-ban/questions.gift', 'utf8')
).questions;

const plain = (text: string) => text.replace(/\s+/g, ' ').trim();

function findQuestion(stem: string): ParsedQuestion {
	const found = bank.find((q) => plain(q.stem) === plain(stem));
	if (!found) throw new Error(`not in the bank: ${stem}`);
	return found;
}

async function answer(question: Locator) {
	const stem = await question.locator('.stem').innerText();
	const q = findQuestion(stem);
	const choiceLabel = (text: string) =>
		question
			.locator('label.choice')
			.filter({ hasText: new RegExp(`^\\s*${escapeRegExp(plain(text))}\\s*$`) });
	switch (q.data.type) {
		case 'single':
			await choiceLabel(q.data.choices.find((c) => c.fraction === 1)!.text)
				.getByRole('radio')
				.check();
			break;
		case 'multiple':
			for (const c of q.data.choices.filter((c) => c.fraction > 0))
				await choiceLabel(c.text).getByRole('checkbox').check();
			break;
		case 'truefalse':
			await question.getByRole('radio', { name: q.data.answer ? 'Đúng' : 'Sai' }).check();
			break;
		case 'shortanswer':
			await question
				.getByRole('textbox')
				.fill(q.data.answers.find((a) => a.fraction === 1)!.text.replace(/\*/g, ''));
			break;
		case 'numerical':
			await question
				.getByRole('textbox')
				.fill(String(q.data.answers.find((a) => a.fraction === 1)!.value));
			break;
		case 'matching':
			for (const row of await question.locator('table.matching tr').all()) {
				const prompt = plain(await row.locator('td').first().innerText());
				const pair = q.data.pairs.find((p) => plain(p.prompt) === prompt)!;
				await row.getByRole('combobox').selectOption(pair.answer);
			}
			break;
		case 'essay':
			await question
				.getByRole('textbox')
				.fill(
					'Kiểm tra từ lớp vật lý trở lên, ghi sổ nhật ký, báo cáo lãnh đạo và Văn phòng Tỉnh ủy.'
				);
			break;
	}
}

function escapeRegExp(text: string) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every URL this browser keeps in its caches (the service worker's). */
function cachedUrls(page: Page): Promise<string[]> {
	return page.evaluate(async () => {
		const urls: string[] = [];
		for (const name of await caches.keys()) {
			const cache = await caches.open(name);
			for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
		}
		return urls;
	});
}

test('a cadre completes a course end to end: every lesson, then the quiz; lessons read offline, attempts do not', async ({
	page,
	context
}) => {
	test.setTimeout(180_000);
	// hocvien2 (Huyện ủy Văn Yên) starts with no progress.
	await logIn(page, 'hocvien2');
	// The service worker is installed and controls the page before the first lesson is opened.
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
		if (!navigator.serviceWorker.controller)
			await new Promise((resolve) =>
				navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })
			);
	});

	await page.goto(COURSE);
	await expect(page.getByText('Đã học 0/8 bài').first()).toBeVisible();
	await page.getByRole('link', { name: 'Bắt đầu học' }).click();
	for (let n = 1; n <= 8; n++) {
		await expect(page.getByText(`Bài ${n}/8`)).toBeVisible();
		await page.getByRole('button', { name: 'Đánh dấu đã học xong' }).click();
		await expect(page.getByText(`Đã học ${n}/8 bài`)).toBeVisible();
		const next = page.getByRole('navigation', { name: 'Bài trước, bài sau' }).getByRole('link', {
			name: /→$/
		});
		if (n < 8) await next.click();
	}
	// Lessons done, the required quiz not yet passed: not complete.
	await page.getByRole('link', { name: 'Về trang khóa học' }).click();
	await expect(page.getByText('Đã học 8/8 bài').first()).toBeVisible();
	await expect(page.getByText(/Hoàn thành ngày/)).toHaveCount(0);

	await page.getByRole('link', { name: /Kiểm tra cuối khóa/ }).click();
	await page.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
	await expect(page).toHaveURL(/\/attempts\/[0-9a-f-]{36}$/);
	const attempt = new URL(page.url()).pathname;
	for (let n = 1; ; n++) {
		await expect(page.getByText(new RegExp(`Lần làm bài 1 · Trang ${n}/\\d`))).toBeVisible();
		for (const question of await page.locator('fieldset.question').all()) await answer(question);
		const next = page.getByRole('button', { name: 'Lưu và sang trang sau →' });
		if ((await next.count()) === 0) break;
		await next.click();
	}
	await page.getByRole('button', { name: 'Kết thúc bài làm…' }).click();
	await expect(page.getByText(/Đồng chí đã trả lời 12\/12 câu/)).toBeVisible();
	await page.getByRole('button', { name: 'Nộp bài' }).click();
	await expect(page.getByText(/Điểm: .*\/12 \((\d+)/)).toBeVisible();

	await page.goto(COURSE);
	await expect(page.getByText(/Hoàn thành ngày \d{2}\/\d{2}\/\d{4}/)).toBeVisible();
	await page.goto('/my');
	const completed = page.locator('section', {
		has: page.getByRole('heading', { name: /Đã hoàn thành/ })
	});
	await expect(completed.getByRole('link', { name: 'Quản trị mạng cơ bản' })).toBeVisible();

	// What the browser keeps: the app shell, lesson pages and their images; nothing personal else.
	const kept = await cachedUrls(page);
	expect(kept.filter((u) => /^\/courses\/quan-tri-mang-co-ban\/[^/]+$/.test(u))).toHaveLength(8);
	expect(kept.filter((u) => u.startsWith('/files/')).length).toBeGreaterThan(0);
	expect(
		kept.filter(
			(u) =>
				!u.startsWith('/_app/') &&
				!u.startsWith('/files/') &&
				!/^\/courses\/[^/]+\/[^/]+$/.test(u) &&
				u !== '/robots.txt'
		)
	).toEqual([]);

	// The commune link drops: lessons opened before still read, with their images.
	await context.setOffline(true);
	await page.goto(`${COURSE}/06-giam-sat-va-xu-ly-su-co`);
	await expect(
		page.getByRole('heading', { name: 'Giám sát mạng và xử lý sự cố', level: 1 })
	).toBeVisible();
	const figure = page.getByRole('img', { name: /Quy trình sáu bước/ });
	await figure.scrollIntoViewIfNeeded();
	await expect
		.poll(() => figure.evaluate((img: HTMLImageElement) => img.naturalWidth))
		.toBeGreaterThan(0);
	await page.reload();
	await expect(
		page.getByRole('heading', { name: 'Giám sát mạng và xử lý sự cố', level: 1 })
	).toBeVisible();
	// The previous lesson, by its link.
	await page.getByRole('link', { name: /^← / }).click();
	await expect(
		page.getByRole('heading', {
			name: 'Cáp mạng có cấu trúc, chống sét lan truyền và nguồn điện',
			level: 1
		})
	).toBeVisible();
	// An attempt page is never served from a copy.
	await expect(page.goto(attempt)).rejects.toThrow(/ERR_INTERNET_DISCONNECTED|ERR_FAILED/);
	await expect(page.goto('/my')).rejects.toThrow(/ERR_INTERNET_DISCONNECTED|ERR_FAILED/);

	// Back online, the lesson comes from the server again (network first).
	await context.setOffline(false);
	const response = await page.goto(`${COURSE}/06-giam-sat-va-xu-ly-su-co`);
	expect(response?.status()).toBe(200);
	expect(response?.fromServiceWorker()).toBe(true);
	expect(response?.headers()['cache-control']).toBe('private, no-cache');

	// Logging out forgets the lessons kept for this person.
	await page.getByRole('button', { name: 'Đăng xuất' }).click();
	await expect(page).toHaveURL(/\/login/);
	await expect
		.poll(async () => (await cachedUrls(page)).filter((u) => u.startsWith('/courses/')))
		.toEqual([]);
});
