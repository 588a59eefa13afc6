import { inflateSync } from 'node:zlib';
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import {
	fontDirectory,
	loadCertificateFonts,
	placeAndDate,
	qrModules,
	renderCertificatePdf,
	verificationUrl
} from './certificate-pdf';
import { describeCertificate } from './certificates';

/**
 * The text of a PDF written by pdfkit, one entry per text object: content streams are inflated and
 * each font's glyph codes are mapped back through its ToUnicode CMap (a small parser, enough for
 * pdfkit's uncompressed object layout).
 */
function extractPdfText(bytes: Uint8Array): string[] {
	const raw = Buffer.from(bytes);
	const pdf = raw.toString('latin1');
	const objects = new Map<number, { dict: string; stream: Buffer | null }>();
	for (const match of pdf.matchAll(/(\d+) 0 obj\s*/g)) {
		const start = match.index! + match[0].length;
		const end = pdf.indexOf('endobj', start);
		const body = pdf.slice(start, end);
		const streamAt = body.search(/stream\r?\n/);
		let stream: Buffer | null = null;
		if (streamAt >= 0) {
			const dict = body.slice(0, streamAt);
			const length = Number(/\/Length (\d+)/.exec(dict)![1]);
			const dataStart = start + streamAt + /stream\r?\n/.exec(body.slice(streamAt))![0].length;
			const data = raw.subarray(dataStart, dataStart + length);
			stream = dict.includes('/FlateDecode') ? inflateSync(data) : data;
		}
		objects.set(Number(match[1]), { dict: streamAt >= 0 ? body.slice(0, streamAt) : body, stream });
	}
	const ref = (dict: string, key: string) =>
		Number(new RegExp(`/${key} (\\d+) 0 R`).exec(dict)![1]);
	const hexToText = (hex: string) =>
		String.fromCodePoint(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));
	function cmap(objectId: number): Map<number, string> {
		const text = objects.get(objectId)!.stream!.toString('latin1');
		const map = new Map<number, string>();
		for (const [, lo, , list] of text.matchAll(/<([0-9a-f]+)> <([0-9a-f]+)> \[([^\]]*)\]/gi)) {
			[...list.matchAll(/<([0-9a-f]+)>/gi)].forEach(([, u], i) =>
				map.set(parseInt(lo, 16) + i, hexToText(u))
			);
		}
		for (const [, code, u] of text.matchAll(/^<([0-9a-f]+)> <([0-9a-f]+)>$/gim))
			map.set(parseInt(code, 16), hexToText(u));
		return map;
	}
	const lines: string[] = [];
	for (const { dict } of objects.values()) {
		if (!/\/Type \/Page\b/.test(dict)) continue;
		const resources = objects.get(ref(dict, 'Resources'))!.dict;
		const fonts = new Map<string, Map<number, string>>();
		for (const [, name, id] of resources.matchAll(/\/(F\d+) (\d+) 0 R/g))
			fonts.set(name, cmap(ref(objects.get(Number(id))!.dict, 'ToUnicode')));
		const content = objects.get(ref(dict, 'Contents'))!.stream!.toString('latin1');
		for (const [block] of content.matchAll(/BT[\s\S]*?ET/g)) {
			const font = fonts.get(/\/(F\d+) [\d.]+ Tf/.exec(block)![1])!;
			const glyphs = [...block.matchAll(/<([0-9a-f]+)>/gi)].flatMap(([, hex]) =>
				(hex.match(/.{4}/g) ?? []).map((g) => font.get(parseInt(g, 16)) ?? '\ufffd')
			);
			lines.push(glyphs.join(''));
		}
	}
	return lines;
}

function decodeQr(modules: boolean[][]): string | null {
	const scale = 4;
	const quiet = 4;
	const size = (modules.length + 2 * quiet) * scale;
	const pixels = new Uint8ClampedArray(size * size * 4).fill(255);
	modules.forEach((row, r) =>
		row.forEach((dark, c) => {
			if (!dark) return;
			for (let dy = 0; dy < scale; dy++)
				for (let dx = 0; dx < scale; dx++) {
					const i = (((r + quiet) * scale + dy) * size + (c + quiet) * scale + dx) * 4;
					pixels[i] = pixels[i + 1] = pixels[i + 2] = 0;
				}
		})
	);
	return jsQR(pixels, size, size)?.data ?? null;
}

const fonts = await loadCertificateFonts(fontDirectory(process.cwd()));
const issuedAt = new Date('2012-08-11T03:00:00Z');

function courseCertificate(fullName = 'Nguyễn Thị Thu Hà') {
	return describeCertificate({
		code: 'HT-7K3Q-9XWD-M2PA',
		kind: 'course',
		issuedAt,
		revokedAt: null,
		data: {
			fullName,
			unitName: 'Đảng ủy xã Minh Xuân',
			courseTitle: 'Quản trị mạng cơ bản',
			completedOn: '11/08/2012',
			hours: 12
		}
	});
}

describe('certificate PDF', () => {
	it('is a one-page PDF with the embedded font and the Vietnamese text in its text layer', async () => {
		const url = verificationUrl('https://hocthi.yenbai.dcs.vn/', 'HT-7K3Q-9XWD-M2PA');
		const pdf = await renderCertificatePdf({
			certificate: courseCertificate(),
			verifyUrl: url,
			fonts
		});
		const text = Buffer.from(pdf).toString('latin1');
		expect(text.startsWith('%PDF-')).toBe(true);
		expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
		expect(text).toMatch(/\/Type \/Pages\s+\/Count 1\s/);
		expect(text).toMatch(/\/FontName \/[A-Z]{6}\+NotoSerif-Regular/);
		expect(text).toContain('/FontFile2');
		const lines = extractPdfText(pdf);
		expect(lines).toEqual(
			expect.arrayContaining([
				'ĐẢNG CỘNG SẢN VIỆT NAM',
				'TỈNH ỦY YÊN BÁI',
				'TRƯỜNG CHÍNH TRỊ TỈNH',
				'Yên Bái, ngày 11 tháng 8 năm 2012',
				'GIẤY CHỨNG NHẬN',
				'Nguyễn Thị Thu Hà',
				'Đơn vị: Đảng ủy xã Minh Xuân',
				'“Quản trị mạng cơ bản”',
				'HT-7K3Q-9XWD-M2PA',
				'https://hocthi.yenbai.dcs.vn/verify/HT-7K3Q-9XWD-M2PA'
			])
		);
		expect(lines.join('\n')).toContain('Thời lượng: 12 giờ');
		expect(lines.join('\n')).toContain('Ngày hoàn thành: 11/08/2012');
		expect(lines.join('\n')).not.toContain('\ufffd');
		// Both the QR code and the printed address link to the verification page.
		expect(
			text.match(/\/URI \(https:\/\/hocthi\.yenbai\.dcs\.vn\/verify\/HT-7K3Q-9XWD-M2PA\)/g)
		).toHaveLength(2);
	});

	it('prints names typed with combining marks as the composed letters', async () => {
		const decomposed = 'Nguyễn Thị Thu Hà'.normalize('NFD');
		expect(decomposed).not.toBe('Nguyễn Thị Thu Hà');
		const pdf = await renderCertificatePdf({
			certificate: courseCertificate(decomposed),
			verifyUrl: 'http://localhost/verify/HT-7K3Q-9XWD-M2PA',
			fonts
		});
		expect(extractPdfText(pdf)).toContain('Nguyễn Thị Thu Hà');
	});

	it('renders a competition prize, and stamps a revoked certificate', async () => {
		const certificate = describeCertificate({
			code: 'HT-ABCD-EFGH-JKMN',
			kind: 'competition',
			issuedAt: new Date('2012-09-28T03:00:00Z'),
			revokedAt: new Date('2012-10-01T03:00:00Z'),
			data: {
				fullName: 'Giàng A Dế',
				unitName: 'Huyện ủy Mù Cang Chải',
				competitionTitle: 'Hội thi ứng dụng CNTT trong các cơ quan Đảng tỉnh Yên Bái năm 2012',
				prize: 'nhat',
				rank: 1,
				score: 92.5,
				maxScore: 100
			}
		});
		const pdf = await renderCertificatePdf({
			certificate,
			verifyUrl: 'http://localhost/verify/HT-ABCD-EFGH-JKMN',
			fonts
		});
		const lines = extractPdfText(pdf).join('\n');
		expect(lines).toContain('BAN TỔ CHỨC HỘI THI');
		expect(lines).toContain('Đã đạt Giải Nhất');
		expect(lines).toContain('Hội thi ứng dụng CNTT trong các cơ quan Đảng tỉnh Yên Bái năm 2012');
		expect(lines).toContain('Xếp hạng: 1');
		expect(lines).toContain('Điểm: 92,5/100');
		expect(lines).toContain('ĐÃ THU HỒI 01/10/2012');
	});
});

describe('unit prizes', () => {
	it('certify the unit (toàn đoàn), not the person the certificate was issued to', async () => {
		const certificate = describeCertificate({
			code: 'HT-ABCD-EFGH-JKMP',
			kind: 'competition',
			issuedAt: new Date('2012-09-28T03:00:00Z'),
			revokedAt: null,
			data: {
				fullName: 'Vũ Đức Quân',
				unitName: 'Huyện ủy Lục Yên',
				competitionTitle: 'Hội thi ứng dụng CNTT năm 2012',
				prize: 'Giải Nhì toàn đoàn',
				unitAward: true
			}
		});
		expect(certificate.unitAward).toBe(true);
		const lines = extractPdfText(
			await renderCertificatePdf({ certificate, verifyUrl: 'http://localhost/verify/x', fonts })
		);
		expect(lines).toEqual(
			expect.arrayContaining([
				'Chứng nhận tập thể',
				'Huyện ủy Lục Yên',
				'Đã đạt Giải Nhì toàn đoàn'
			])
		);
		expect(lines.join('\n')).not.toContain('Vũ Đức Quân');
	});
});

describe('verification QR code', () => {
	it('encodes the absolute verification URL', () => {
		const url = verificationUrl('https://hocthi.yenbai.dcs.vn', 'HT-7K3Q-9XWD-M2PA');
		expect(url).toBe('https://hocthi.yenbai.dcs.vn/verify/HT-7K3Q-9XWD-M2PA');
		expect(decodeQr(qrModules(url))).toBe(url);
		expect(decodeQr(qrModules('http://localhost:3206/verify/HT-2345-6789-ABCD'))).toBe(
			'http://localhost:3206/verify/HT-2345-6789-ABCD'
		);
	});
});

describe('placeAndDate', () => {
	it('writes the date as Party and State documents do, in Vietnam time', () => {
		expect(placeAndDate(new Date('2012-02-05T03:00:00Z'))).toBe(
			'Yên Bái, ngày 05 tháng 02 năm 2012'
		);
		expect(placeAndDate(new Date('2012-11-15T03:00:00Z'))).toBe(
			'Yên Bái, ngày 15 tháng 11 năm 2012'
		);
		// 20:00 UTC on 31/03 is already 01/04 in Vietnam.
		expect(placeAndDate(new Date('2012-03-31T20:00:00Z'))).toBe(
			'Yên Bái, ngày 01 tháng 4 năm 2012'
		);
	});
});
