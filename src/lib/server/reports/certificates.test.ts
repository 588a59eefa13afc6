import { describe, expect, it } from 'vitest';
import { describeCertificate, newCertificateCode, normaliseCertificateCode } from './certificates';

describe('certificate codes', () => {
	it('are made of unambiguous characters in a fixed shape', () => {
		const codes = new Set(Array.from({ length: 200 }, newCertificateCode));
		expect(codes.size).toBe(200);
		for (const code of codes) {
			expect(code).toMatch(/^HT-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
			expect(normaliseCertificateCode(code)).toBe(code);
		}
	});

	it('are read back however a person types them', () => {
		expect(normaliseCertificateCode(' ht-7k3q-9xwd-m2pa ')).toBe('HT-7K3Q-9XWD-M2PA');
		expect(normaliseCertificateCode('HT 7K3Q 9XWD M2PA')).toBe('HT-7K3Q-9XWD-M2PA');
		expect(normaliseCertificateCode('7K3Q9XWDM2PA')).toBe('HT-7K3Q-9XWD-M2PA');
		// A code of twelve characters that itself starts with HT keeps them.
		expect(normaliseCertificateCode('HTK39XWDM2PA')).toBe('HT-HTK3-9XWD-M2PA');
	});

	it('refuses what cannot be a code', () => {
		for (const bad of [
			'',
			'HT-7K3Q-9XWD',
			'HT-7K3Q-9XWD-M2PAX',
			'HT-0K3Q-9XWD-M2PA',
			'HT-IK3Q-9XWD-M2PA',
			'../../etc',
			'HT-7K3Q-9XWD-M2P%'
		])
			expect(normaliseCertificateCode(bad), bad).toBeNull();
	});
});

describe('describeCertificate', () => {
	const base = {
		code: 'HT-7K3Q-9XWD-M2PA',
		issuedAt: new Date('2012-09-28T03:00:00Z'),
		revokedAt: null
	};

	it('reads a course snapshot', () => {
		expect(
			describeCertificate({
				...base,
				kind: 'course',
				data: {
					fullName: 'Đặng Thị Thu Hà',
					unitName: 'Huyện ủy Lục Yên',
					courseTitle: 'Tin học văn phòng',
					completedOn: '11/08/2012',
					hours: 8
				}
			})
		).toMatchObject({
			fullName: 'Đặng Thị Thu Hà',
			unitName: 'Huyện ủy Lục Yên',
			title: 'Tin học văn phòng',
			prize: null,
			hours: 8,
			achievedOn: '11/08/2012'
		});
	});

	it('reads a competition snapshot, with prize codes and close variants of the keys', () => {
		expect(
			describeCertificate({
				...base,
				kind: 'competition',
				currentName: 'Tên hiện tại',
				data: {
					competition: 'Hội thi CNTT 2012',
					unit: 'Văn phòng Tỉnh ủy',
					prize: 'kk',
					rank: '4',
					score: '71,5',
					issuer: ['TỈNH ỦY YÊN BÁI', 'BAN TỔ CHỨC HỘI THI']
				}
			})
		).toMatchObject({
			fullName: 'Tên hiện tại',
			unitName: 'Văn phòng Tỉnh ủy',
			title: 'Hội thi CNTT 2012',
			prize: 'Giải Khuyến khích',
			rank: 4,
			score: 71.5,
			maxScore: null,
			// No date in the snapshot: the day of issue, in Vietnam.
			achievedOn: '28/09/2012',
			issuer: ['TỈNH ỦY YÊN BÁI', 'BAN TỔ CHỨC HỘI THI']
		});
	});
});
