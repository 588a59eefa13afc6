import { describe, expect, it } from 'vitest';
import { decodeUtf8, parseBoolean, parseRoster } from './roster';

const UNITS = new Set(['HU-LY', 'LY-MINHXUAN', 'VPTU']);
const HEADER = 'username,full_name,unit_code,position,role,is_leader';

describe('parseRoster', () => {
	it('reads Vietnamese names, quoted fields and extra columns', () => {
		const text = [
			`${HEADER},email`,
			'hungnv,Nguyễn Văn Hùng,HU-LY,Chuyên viên,cadre,0,hung@example.vn',
			'"lanltt","Lò Thị Thu Lan","LY-MINHXUAN","Bí thư Đảng ủy, kiêm Chủ tịch HĐND",cadre,có,',
			'adminvp,"Quản trị ""mạng""",VPTU,,admin;cadre,,'
		].join('\r\n');
		const { rows, errors } = parseRoster(text, UNITS);
		expect(errors).toEqual([]);
		expect(rows).toHaveLength(3);
		expect(rows[1]).toMatchObject({
			line: 3,
			username: 'lanltt',
			fullName: 'Lò Thị Thu Lan',
			position: 'Bí thư Đảng ủy, kiêm Chủ tịch HĐND',
			isLeader: true
		});
		expect(rows[2]).toMatchObject({
			fullName: 'Quản trị "mạng"',
			roles: ['admin', 'cadre'],
			isLeader: false
		});
	});

	it('accepts a UTF-8 byte order mark', () => {
		const bytes = new TextEncoder().encode(
			`\ufeff${HEADER}\nhungnv,Nguyễn Văn Hùng,HU-LY,,cadre,0\n`
		);
		const text = decodeUtf8(bytes)!;
		const { rows, errors } = parseRoster(text, UNITS);
		expect(errors).toEqual([]);
		expect(rows[0].username).toBe('hungnv');
	});

	it('refuses bytes that are not UTF-8', () => {
		// "Hùng" in Windows-1258 is not valid UTF-8.
		expect(decodeUtf8(new Uint8Array([0x48, 0xf9, 0x6e, 0x67]))).toBeNull();
	});

	it('reports every bad row with its line number', () => {
		const text = [
			HEADER,
			'hungnv,Nguyễn Văn Hùng,HU-LY,,cadre,0',
			'Bad Name!,Trần Văn A,HU-LY,,cadre,0',
			'hungnv,Nguyễn Văn Hùng khác,HU-LY,,cadre,0',
			'maitt,,NOWHERE,,boss,maybe',
			'',
			'okuser,Hà Thị Ok,VPTU,,,1'
		].join('\n');
		const { rows, errors } = parseRoster(text, UNITS);
		expect(errors.map((e) => e.line)).toEqual([3, 4, 5, 5, 5, 5]);
		expect(errors[1].message).toContain('2');
		expect(errors.find((e) => e.line === 5 && e.message.includes('NOWHERE'))).toBeTruthy();
		expect(rows.map((r) => r.username)).toEqual(['hungnv', 'okuser']);
	});

	it('names missing columns', () => {
		const { errors } = parseRoster('username,full_name\nabc,Tên\n', UNITS);
		expect(errors).toHaveLength(1);
		expect(errors[0].line).toBe(1);
		expect(errors[0].message).toContain('unit_code');
	});

	it('reports a broken quote with the line where parsing stopped', () => {
		const { errors } = parseRoster(`${HEADER}\nhungnv,"Nguyễn Văn Hùng,HU-LY,,cadre,0\n`, UNITS);
		expect(errors).toHaveLength(1);
		expect(errors[0].line).toBeGreaterThanOrEqual(2);
	});

	it('reads the usual spellings of yes and no', () => {
		expect(['1', 'x', 'có', 'Yes', 'TRUE'].map(parseBoolean)).toEqual([
			true,
			true,
			true,
			true,
			true
		]);
		expect(['', '0', 'không', 'no'].map(parseBoolean)).toEqual([false, false, false, false]);
		expect(parseBoolean('maybe')).toBeNull();
	});
});
