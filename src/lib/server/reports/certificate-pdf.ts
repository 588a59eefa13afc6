// The certificate as a printable A4 PDF: a Party-style header, the person and what they achieved,
// and a QR code of the public verification URL. Noto Serif is embedded (subset) so every
// Vietnamese letter prints the same on any machine.
import fs from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { TIME_ZONE, formatDate, formatNumber } from '../../format';
import type { CertificateView } from './certificates';

export interface CertificateFonts {
	regular: Uint8Array;
	bold: Uint8Array;
	italic: Uint8Array;
}

const FONT_FILES = {
	regular: 'NotoSerif-Regular.ttf',
	bold: 'NotoSerif-Bold.ttf',
	italic: 'NotoSerif-Italic.ttf'
} as const;

/** Where the fonts live: beside this module in the source tree, found from the project root. */
export function fontDirectory(root = process.env.HOCTHI_ROOT ?? process.cwd()): string {
	return path.join(root, 'src', 'lib', 'server', 'reports', 'fonts');
}

let cached: Promise<CertificateFonts> | undefined;

/** Reads the three faces once per process. */
export function loadCertificateFonts(dir = fontDirectory()): Promise<CertificateFonts> {
	cached ??= Promise.all(
		Object.values(FONT_FILES).map((name) => fs.promises.readFile(path.join(dir, name)))
	).then(([regular, bold, italic]) => ({ regular, bold, italic }));
	return cached;
}

/** The address printed on the certificate and encoded in its QR code. */
export function verificationUrl(origin: string, code: string): string {
	return `${origin.replace(/\/+$/, '')}/verify/${encodeURIComponent(code)}`;
}

/** The QR code's modules, row by row (true = dark), for drawing and for tests to decode. */
export function qrModules(text: string): boolean[][] {
	const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
	return Array.from({ length: modules.size }, (_, row) =>
		Array.from({ length: modules.size }, (_, col) => modules.get(row, col) === 1)
	);
}

const DEFAULT_ISSUER: Record<CertificateView['kind'], [string, string]> = {
	course: ['TỈNH ỦY YÊN BÁI', 'TRƯỜNG CHÍNH TRỊ TỈNH'],
	competition: ['TỈNH ỦY YÊN BÁI', 'BAN TỔ CHỨC HỘI THI']
};

/**
 * "Yên Bái, ngày 05 tháng 02 năm 2012": days below 10 and the months January and February take a
 * leading zero, as the rules for Party and State documents require.
 */
export function placeAndDate(date: Date, place = 'Yên Bái'): string {
	const parts = new Intl.DateTimeFormat('en-GB', {
		timeZone: TIME_ZONE,
		day: 'numeric',
		month: 'numeric',
		year: 'numeric'
	}).formatToParts(date);
	const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	const day = part('day');
	const month = part('month');
	const dd = day < 10 ? `0${day}` : String(day);
	const mm = month < 3 ? `0${month}` : String(month);
	return `${place}, ngày ${dd} tháng ${mm} năm ${part('year')}`;
}

const RED = '#9b1c1c';
const GOLD = '#b8892b';
const INK = '#1a1a1a';
const MUTED = '#444444';

/** Renders one certificate; deterministic for the same input (dates come from the certificate). */
export async function renderCertificatePdf(input: {
	certificate: CertificateView;
	verifyUrl: string;
	fonts: CertificateFonts;
}): Promise<Uint8Array> {
	const c = input.certificate;
	const nfc = (s: string) => s.normalize('NFC');
	const doc = new PDFDocument({
		size: 'A4',
		layout: 'landscape',
		margin: 0,
		autoFirstPage: true,
		lang: 'vi-VN',
		displayTitle: true,
		info: {
			Title: nfc(`Giấy chứng nhận ${c.code} — ${c.unitAward ? c.unitName : c.fullName}`),
			Author: 'HọcThi',
			Subject: nfc(c.title),
			Keywords: c.code,
			CreationDate: c.issuedAt
		}
	});
	const chunks: Uint8Array[] = [];
	doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
	const done = new Promise<void>((resolve, reject) => {
		doc.on('end', () => resolve());
		doc.on('error', reject);
	});
	doc.registerFont('regular', Buffer.from(input.fonts.regular));
	doc.registerFont('bold', Buffer.from(input.fonts.bold));
	doc.registerFont('italic', Buffer.from(input.fonts.italic));

	const W = doc.page.width;
	const H = doc.page.height;

	// Frame: a strong outer line and a fine gold inner one.
	doc
		.lineWidth(3)
		.strokeColor(RED)
		.rect(22, 22, W - 44, H - 44)
		.stroke();
	doc
		.lineWidth(0.8)
		.strokeColor(GOLD)
		.rect(30, 30, W - 60, H - 60)
		.stroke();

	const centred = (
		text: string,
		options: {
			font: 'regular' | 'bold' | 'italic';
			size: number;
			y: number;
			x?: number;
			width?: number;
			color?: string;
		}
	): number => {
		const width = options.width ?? W - 160;
		const x = options.x ?? (W - width) / 2;
		doc
			.font(options.font)
			.fontSize(options.size)
			.fillColor(options.color ?? INK);
		doc.text(nfc(text), x, options.y, { width, align: 'center' });
		return doc.y;
	};

	// Header: the issuing body at the top left, the Party at the top right (not the State motto).
	const [superior, issuer] = c.issuer ?? DEFAULT_ISSUER[c.kind];
	const colWidth = 320;
	const leftX = 60;
	const rightX = W - 60 - colWidth;
	centred(superior, { font: 'regular', size: 13, y: 58, x: leftX, width: colWidth });
	const issuerBottom = centred(issuer, {
		font: 'bold',
		size: 13,
		y: 77,
		x: leftX,
		width: colWidth
	});
	centred('*', { font: 'regular', size: 11, y: issuerBottom, x: leftX, width: colWidth });
	centred('ĐẢNG CỘNG SẢN VIỆT NAM', { font: 'bold', size: 14, y: 58, x: rightX, width: colWidth });
	const partyWidth = doc.font('bold').fontSize(14).widthOfString('ĐẢNG CỘNG SẢN VIỆT NAM');
	const lineY = 79;
	doc
		.lineWidth(0.7)
		.strokeColor(INK)
		.moveTo(rightX + (colWidth - partyWidth) / 2, lineY)
		.lineTo(rightX + (colWidth + partyWidth) / 2, lineY)
		.stroke();
	centred(placeAndDate(c.issuedAt), {
		font: 'italic',
		size: 12,
		y: 86,
		x: rightX,
		width: colWidth
	});

	// Title and body.
	let y = centred('GIẤY CHỨNG NHẬN', { font: 'bold', size: 36, y: 138, color: RED });
	y = centred(c.kind === 'course' ? 'HOÀN THÀNH KHÓA BỒI DƯỠNG' : 'ĐẠT GIẢI HỘI THI', {
		font: 'bold',
		size: 14,
		y: y + 2,
		color: RED
	});
	if (c.unitAward && c.unitName) {
		y = centred('Chứng nhận tập thể', { font: 'italic', size: 15, y: y + 16 });
		y = centred(c.unitName, { font: 'bold', size: 28, y: y + 4 });
	} else {
		y = centred('Chứng nhận đồng chí', { font: 'italic', size: 15, y: y + 16 });
		y = centred(c.fullName, { font: 'bold', size: 28, y: y + 4 });
		if (c.unitName) y = centred(`Đơn vị: ${c.unitName}`, { font: 'regular', size: 15, y: y + 4 });
	}
	if (c.kind === 'course') {
		y = centred('Đã hoàn thành khóa học', { font: 'regular', size: 15, y: y + 12 });
		y = centred(`“${c.title}”`, { font: 'bold', size: 20, y: y + 4, width: W - 220 });
		const facts = [
			c.hours !== null ? `Thời lượng: ${formatNumber(c.hours)} giờ` : null,
			`Ngày hoàn thành: ${c.achievedOn}`
		].filter((s): s is string => s !== null);
		centred(facts.join('   ·   '), { font: 'regular', size: 13, y: y + 8, color: MUTED });
	} else {
		y = centred(`Đã đạt ${c.prize ?? ''}`.trim(), {
			font: 'bold',
			size: 24,
			y: y + 10,
			color: RED
		});
		y = centred(c.title, { font: 'bold', size: 17, y: y + 4, width: W - 220 });
		const facts = [
			c.rank !== null ? `Xếp hạng: ${c.rank}` : null,
			c.score !== null
				? `Điểm: ${formatNumber(c.score)}${c.maxScore !== null ? `/${formatNumber(c.maxScore)}` : ''}`
				: null,
			`Ngày ${c.achievedOn}`
		].filter((s): s is string => s !== null);
		centred(facts.join('   ·   '), { font: 'regular', size: 13, y: y + 8, color: MUTED });
	}

	// Verification: the QR code and the code at the bottom left.
	const modules = qrModules(input.verifyUrl);
	const qrSize = 92;
	const cell = qrSize / modules.length;
	const qrX = 62;
	const qrY = H - 62 - qrSize;
	doc.rect(qrX - 4 * cell, qrY - 4 * cell, qrSize + 8 * cell, qrSize + 8 * cell).fill('#ffffff');
	doc.fillColor('#000000');
	modules.forEach((row, r) => {
		// One rectangle per run of dark modules keeps the drawing small.
		for (let col = 0; col < row.length;) {
			if (!row[col]) {
				col++;
				continue;
			}
			let end = col;
			while (end < row.length && row[end]) end++;
			doc.rect(qrX + col * cell, qrY + r * cell, (end - col) * cell, cell);
			col = end;
		}
	});
	doc.fill('#000000');
	doc.link(qrX, qrY, qrSize, qrSize, input.verifyUrl);
	const textX = qrX + qrSize + 14;
	const textWidth = 330;
	doc.font('regular').fontSize(10).fillColor(MUTED);
	doc.text('Mã xác thực', textX, qrY + 6, { width: textWidth });
	doc
		.font('bold')
		.fontSize(14)
		.fillColor(INK)
		.text(c.code, textX, doc.y + 1, { width: textWidth });
	doc
		.font('regular')
		.fontSize(9.5)
		.fillColor(MUTED)
		.text(nfc('Quét mã QR hoặc mở địa chỉ dưới đây để kiểm tra:'), textX, doc.y + 4, {
			width: textWidth
		});
	doc
		.font('regular')
		.fontSize(9.5)
		.fillColor('#1d4ed8')
		.text(input.verifyUrl, textX, doc.y + 1, { width: textWidth, link: input.verifyUrl });

	// Bottom right: the date of issue and how this document is authenticated.
	const noteX = W - 60 - 300;
	doc
		.font('italic')
		.fontSize(10.5)
		.fillColor(MUTED)
		.text(
			nfc(
				`Giấy chứng nhận điện tử cấp ngày ${formatDate(c.issuedAt)} trên hệ thống HọcThi; ` +
					'tính xác thực được kiểm tra bằng mã QR hoặc mã xác thực bên cạnh.'
			),
			noteX,
			qrY + 30,
			{ width: 300, align: 'center' }
		);

	if (c.revokedAt) {
		// A revoked certificate still prints, but can never be mistaken for a valid one.
		doc.save();
		doc.rotate(-20, { origin: [W / 2, H / 2] });
		doc
			.font('bold')
			.fontSize(64)
			.fillColor(RED)
			.fillOpacity(0.35)
			.text(nfc(`ĐÃ THU HỒI ${formatDate(c.revokedAt)}`), 0, H / 2 - 40, {
				width: W,
				align: 'center'
			});
		doc.restore();
	}

	doc.end();
	await done;
	const total = chunks.reduce((n, chunk) => n + chunk.length, 0);
	const out = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		out.set(chunk, offset);
		offset += chunk.length;
	}
	return out;
}
