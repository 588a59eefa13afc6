// Uploads with hostile names and disguised content, through the real lesson-upload form action
// and /files/[id]: names are stored without any path or control character, served with an RFC 5987
// filename*, never sniffed; a file's type is decided by its bytes, not its name.
import fc from 'fast-check';
import { FormData } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePng } from '../integration/helpers/png';
import { actionResult, Client, startTestServer, type TestServer } from './server';

let server: TestServer;
let trainer: Client;
let uploadPath = '';

export const NAME_RUNS = 40;

const PDF = Buffer.from(
	'%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'
);
const HTML = Buffer.from(
	'<!doctype html><html><body><script>alert(document.cookie)</script></body></html>'
);

beforeAll(async () => {
	server = await startTestServer('uploads');
	trainer = new Client(server.url);
	await trainer.logIn('giangvien');
	const { courses } = await trainer.pageData<{ courses: Array<{ id: number }> }>('/manage/courses');
	for (const course of courses) {
		const { outline } = await trainer.pageData<{
			outline: {
				unsectioned: Array<{ id: number }>;
				sections: Array<{ lessons: Array<{ id: number }> }>;
			};
		}>(`/manage/courses/${course.id}`);
		const lesson = [...outline.unsectioned, ...outline.sections.flatMap((s) => s.lessons)][0];
		if (lesson) {
			uploadPath = `/manage/courses/${course.id}/lessons/${lesson.id}?/upload`;
			break;
		}
	}
	if (!uploadPath) throw new Error('no lesson to upload into');
}, 300_000);
afterAll(() => server?.stop());

async function upload(name: string, bytes: Buffer) {
	const form = new FormData();
	form.set('file', new Blob([new Uint8Array(bytes)]), name);
	form.set('alt', '');
	form.set('body', '');
	form.set('cursor', '');
	const answer = await trainer.action(uploadPath, form);
	expect(answer.status, answer.text.slice(0, 300)).toBeLessThan(500);
	return actionResult(answer);
}

/** Uploads, then fetches what was stored: the stored name and the served response. */
async function uploadAndServe(name: string, bytes: Buffer) {
	const result = await upload(name, bytes);
	expect(result.type, JSON.stringify(result.data).slice(0, 300)).toBe('success');
	const data = result.data as { values: { body: string }; uploaded: { fileName: string } };
	const id = /\/files\/([0-9a-f-]{36})/.exec(data.values.body)?.[1];
	expect(id).toBeTruthy();
	const served = await trainer.get(`/files/${id}`);
	return { stored: data.uploaded.fileName, served };
}

/** RFC 5987 ext-value after UTF-8'': attr-chars and %XX only. */
const EXT_VALUE = /^[A-Za-z0-9!#$&+\-.^_`|~]*(?:%[0-9A-F]{2}[A-Za-z0-9!#$&+\-.^_`|~]*)*$/;

function expectSafeName(stored: string, extension: string): void {
	// eslint-disable-next-line no-control-regex
	expect(stored).not.toMatch(/[\u0000-\u001f\u007f/\\<>:"|?*]/);
	expect(stored.startsWith('.')).toBe(false);
	expect(Array.from(stored).length).toBeLessThanOrEqual(150);
	expect(stored.endsWith(extension)).toBe(true);
	expect(stored).toBe(stored.normalize('NFC'));
}

function expectServedAsDownload(
	served: { status: number; headers: Record<string, string | string[] | undefined> },
	stored: string,
	disposition: 'attachment' | 'inline'
): void {
	expect(served.status).toBe(200);
	expect(served.headers['x-content-type-options']).toBe('nosniff');
	const header = String(served.headers['content-disposition']);
	const match = new RegExp(`^${disposition}; filename\\*=UTF-8''(.*)$`).exec(header);
	expect(match, header).toBeTruthy();
	expect(match![1]).toMatch(EXT_VALUE);
	expect(decodeURIComponent(match![1])).toBe(stored);
}

describe('upload names', () => {
	const cases: Array<[string, string]> = [
		['../../etc/passwd.pdf', 'passwd.pdf'],
		['..\\..\\windows\\win.ini.pdf', 'win.ini.pdf'],
		['C:\\fakepath\\Báo cáo.pdf', 'Báo cáo.pdf'],
		['a\u0000b.pdf', 'ab.pdf'],
		['\u0007chuông\u001b[31m.pdf', 'chuông[31m.pdf'],
		['Sơ đồ mạng — bài 1 (bản cuối) *mới*.pdf', 'Sơ đồ mạng — bài 1 (bản cuối) mới.pdf'],
		// Decomposed diacritics (as macOS writes them) are stored composed.
		['Ta\u0300i lie\u0323\u0302u.pdf', 'Tài liệu.pdf'],
		['it\'s; filename="x.html".pdf', "it's; filename=x.html.pdf"],
		['.htaccess.pdf', 'htaccess.pdf']
	];
	for (const [name, expected] of cases)
		it(`stores ${JSON.stringify(name)} as ${JSON.stringify(expected)} and serves it as a download`, async () => {
			const { stored, served } = await uploadAndServe(name, PDF);
			expect(stored).toBe(expected);
			expectSafeName(stored, '.pdf');
			expectServedAsDownload(served, stored, 'attachment');
			expect(served.headers['content-type']).toBe('application/pdf');
		});

	it('shortens a very long name and keeps its extension', async () => {
		const { stored, served } = await uploadAndServe(`${'Tài liệu rất dài '.repeat(40)}.pdf`, PDF);
		expectSafeName(stored, '.pdf');
		expect(Array.from(stored).length).toBeLessThanOrEqual(150);
		expectServedAsDownload(served, stored, 'attachment');
	});

	it('keeps any name safe (property)', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(
					fc.string({ unit: 'binary', maxLength: 300 }),
					fc
						.array(
							fc.constantFrom(
								'../',
								'..\\',
								'/',
								'\u0000',
								'\n',
								'\r',
								'"',
								"'",
								';',
								'%',
								'%00',
								'ắ',
								'Đ',
								'\u0301',
								'𝕏',
								' ',
								'.'
							),
							{ maxLength: 30 }
						)
						.map((p) => p.join(''))
				),
				async (prefix) => {
					const result = await upload(`${prefix}.pdf`, PDF);
					if (result.type === 'failure') {
						// Nothing left of the name but "pdf" (say "../.pdf"): refused, saying why.
						expect(result.status).toBe(400);
						expect((result.data as { errors: Record<string, string> }).errors.file).toBeTruthy();
						return;
					}
					const { stored, served } = await uploadAndServe(`${prefix}.pdf`, PDF);
					expectSafeName(stored, '.pdf');
					expectServedAsDownload(served, stored, 'attachment');
				}
			),
			{ numRuns: NAME_RUNS }
		);
	});
});

describe('content checked by content', () => {
	it('refuses HTML named .png, .pdf or .jpg with a clear message', async () => {
		for (const name of ['anh.png', 'tai-lieu.pdf', 'anh.jpg', 'anh.gif']) {
			const result = await upload(name, HTML);
			expect(result.type).toBe('failure');
			expect(result.status).toBe(400);
			const errors = (result.data as { errors: Record<string, string> }).errors;
			expect(errors.file).toContain(name);
		}
	});

	it('refuses HTML and unknown types outright, and SVG with script', async () => {
		for (const [name, bytes] of [
			['trang.html', HTML],
			['trang.htm', HTML],
			[
				'bai.svg',
				Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
			],
			['anh.png.html', HTML],
			['chay.exe', Buffer.from('MZ\x90\x00')]
		] as const) {
			const result = await upload(name, Buffer.from(bytes));
			expect(result.type, name).toBe('failure');
			expect(result.status).toBe(400);
		}
	});

	it('a real PNG is served as an image, never sniffed, under its safe name', async () => {
		const { stored, served } = await uploadAndServe('../../Sơ đồ.png', makePng(8, 8));
		expect(stored).toBe('Sơ đồ.png');
		expect(served.headers['content-type']).toBe('image/png');
		expectServedAsDownload(served, stored, 'inline');
	});

	it('a PDF renamed .png is refused (the bytes say PDF)', async () => {
		const result = await upload('anh.png', PDF);
		expect(result.type).toBe('failure');
		expect(result.status).toBe(400);
	});
});
