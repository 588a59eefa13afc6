import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRoster } from './roster';

const UNITS = new Set(['HU-LY', 'VPTU']);
const HEADER = 'username,full_name,unit_code,position,role,is_leader';

// Random and malformed roster files never throw; every error names a line that exists; a file
// with errors yields no rows to write (the importer writes nothing then).
describe('parseRoster under hostile input', () => {
	const cell = fc.oneof(
		fc.string(),
		fc.constantFrom(
			'',
			'cadre',
			'admin;trainer',
			'HU-LY',
			'VPTU',
			'1',
			'có',
			'"',
			'""',
			',',
			'\n',
			'\r\n',
			'Nguyễn Văn Hùng',
			'\u0000',
			'𝕏'
		)
	);
	const line = fc.array(cell, { minLength: 0, maxLength: 8 }).map((cells) => cells.join(','));

	it('never throws and reports lines within the file', () => {
		fc.assert(
			fc.property(fc.array(line, { maxLength: 30 }), fc.boolean(), (lines, withHeader) => {
				const text = (withHeader ? [HEADER, ...lines] : lines).join('\n');
				const { rows, errors } = parseRoster(text, UNITS);
				// An upper bound that holds for mixed line endings too.
				const lineCount = (text.match(/[\r\n]/g)?.length ?? 0) + 1;
				for (const e of errors) {
					expect(e.line).toBeGreaterThanOrEqual(1);
					expect(e.line).toBeLessThanOrEqual(lineCount + 1);
					expect(e.message.length).toBeGreaterThan(0);
				}
				for (const r of rows) expect(UNITS.has(r.unitCode)).toBe(true);
			}),
			{ numRuns: 500 }
		);
	});

	it('accepts every well-formed row it is given', () => {
		const username = fc.stringMatching(/^[a-z][a-z0-9._-]{2,15}$/);
		const name = fc.stringMatching(/^[A-Za-zÀ-ỹ ]{1,40}$/).filter((s) => s.trim().length > 0);
		fc.assert(
			fc.property(
				fc.uniqueArray(fc.tuple(username, name, fc.constantFrom('HU-LY', 'VPTU'), fc.boolean()), {
					selector: (t) => t[0],
					minLength: 1,
					maxLength: 20
				}),
				(people) => {
					const text = [
						HEADER,
						...people.map(([u, n, unit, leader]) => `${u},"${n}",${unit},,cadre,${leader ? 1 : 0}`)
					].join('\r\n');
					const { rows, errors } = parseRoster(text, UNITS);
					expect(errors).toEqual([]);
					expect(rows.map((r) => r.username)).toEqual(people.map((p) => p[0]));
					expect(rows.map((r) => r.fullName)).toEqual(people.map((p) => p[1].trim()));
				}
			),
			{ numRuns: 200 }
		);
	});
});
