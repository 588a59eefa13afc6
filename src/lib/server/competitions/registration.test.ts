import { describe, expect, it } from 'vitest';
import { parseRegistrationCsv } from './registration';

describe('registration CSV', () => {
	it('reads username and team, with a BOM, extra columns and blank lines', () => {
		const text =
			'\ufeffUsername,Team,ghi_chu\r\nhungnv,HU-LY,đội tuyển\r\n\r\n Canbo , ,cá nhân\r\n';
		expect(parseRegistrationCsv(text)).toEqual({
			rows: [
				{ line: 2, username: 'hungnv', team: 'HU-LY' },
				{ line: 4, username: 'canbo', team: '' }
			],
			errors: []
		});
	});

	it('allows a file with usernames only', () => {
		expect(parseRegistrationCsv('username\nhungnv\n').rows).toEqual([
			{ line: 2, username: 'hungnv', team: '' }
		]);
	});

	it('reports bad, missing and repeated usernames with their lines', () => {
		const { rows, errors } = parseRegistrationCsv(
			'username,team\nhungnv,HU-LY\n,HU-LY\nNguyễn Văn A,HU-LY\nhungnv,VPTU\n'
		);
		expect(rows).toHaveLength(1);
		expect(errors.map((e) => e.line)).toEqual([3, 4, 5]);
		expect(errors[2].message).toMatch(/dòng 2/);
	});

	it('needs a username column and at least one row', () => {
		expect(parseRegistrationCsv('ten,doi\nhungnv,HU-LY\n').errors[0]).toMatchObject({ line: 1 });
		expect(parseRegistrationCsv('username,team\n').errors[0].message).toMatch(/không có dòng/);
		expect(parseRegistrationCsv('').errors).toHaveLength(1);
	});

	it('reports a broken quote with its line', () => {
		const { errors } = parseRegistrationCsv('username,team\nhungnv,"HU-LY\n');
		expect(errors).toHaveLength(1);
		expect(errors[0].line).toBeGreaterThanOrEqual(2);
	});
});
