import { describe, expect, it } from 'vitest';
import { Invalid } from '../errors';
import {
	expandDraw,
	groupSlots,
	parseDrawRows,
	parseRound,
	parseTags,
	roundWindow,
	type DrawRowInput
} from './rounds';

const start = new Date('2012-09-20T01:00:00Z');
const round = {
	name: 'Vòng sơ khảo — lý thuyết',
	kind: 'theory',
	startMode: 'fixed',
	instructions: '',
	openAt: start,
	closeAt: null,
	timeLimitMinutes: 30,
	graceSeconds: 60,
	counts: true,
	published: true,
	shuffleQuestions: true,
	shuffleChoices: true
};

function fieldsOf(fn: () => unknown): Record<string, string> {
	try {
		fn();
	} catch (e) {
		if (e instanceof Invalid) return e.fields;
		throw e;
	}
	throw new Error('expected Invalid');
}

describe('round settings', () => {
	it('ends a fixed round at start + limit, whatever close was typed', () => {
		const r = parseRound({ ...round, closeAt: new Date('2030-01-01T00:00:00Z') });
		expect(r.closeAt).toBeNull();
		expect(roundWindow(r)).toEqual({ openAt: start, closeAt: new Date('2012-09-20T01:30:00Z') });
	});

	it('keeps a window as given', () => {
		const close = new Date('2012-09-27T10:00:00Z');
		const r = parseRound({ ...round, startMode: 'window', closeAt: close });
		expect(roundWindow(r)).toEqual({ openAt: start, closeAt: close });
	});

	it('needs a start to be opened, and a close after the open for a window', () => {
		expect(fieldsOf(() => parseRound({ ...round, openAt: null }))).toHaveProperty('openAt');
		expect(parseRound({ ...round, openAt: null, published: false }).openAt).toBeNull();
		expect(
			fieldsOf(() =>
				parseRound({ ...round, startMode: 'window', closeAt: new Date(start.getTime() - 1) })
			)
		).toHaveProperty('closeAt');
		expect(fieldsOf(() => parseRound({ ...round, startMode: 'window' }))).toHaveProperty('closeAt');
	});

	it('names bad fields: name, time limit, grace, an unreadable date', () => {
		const fields = fieldsOf(() =>
			parseRound({
				...round,
				name: 'V',
				timeLimitMinutes: 0,
				graceSeconds: 4000,
				openAt: new Date(Number.NaN)
			})
		);
		expect(Object.keys(fields).sort()).toEqual(
			['graceSeconds', 'name', 'openAt', 'timeLimitMinutes'].sort()
		);
	});
});

describe('question draw', () => {
	const row = (over: Partial<DrawRowInput>): DrawRowInput => ({
		count: '5',
		categoryId: '7',
		includeSubcategories: true,
		tags: '',
		difficulty: '',
		points: '1',
		...over
	});

	it('parses rows, with tags and a decimal comma in points', () => {
		expect(
			parseDrawRows([row({ tags: 'De, mang-lan-wan de', difficulty: '2', points: '0,5' })])
		).toEqual([
			{
				count: 5,
				categoryId: 7,
				includeSubcategories: true,
				tags: ['de', 'mang-lan-wan'],
				difficulty: 2,
				points: 0.5
			}
		]);
	});

	it('reports every bad row by its number', () => {
		const fields = fieldsOf(() =>
			parseDrawRows([
				row({}),
				row({ count: '0' }),
				row({ categoryId: '' }),
				row({ difficulty: '4' }),
				row({ points: '0' }),
				row({ tags: 'a"b' })
			])
		);
		expect(Object.keys(fields)).toEqual(['row_2', 'row_3', 'row_4', 'row_5', 'row_6']);
		expect(fields.row_4).toMatch(/^Dòng 4/);
	});

	it('refuses an empty draw and more than 200 questions', () => {
		expect(fieldsOf(() => parseDrawRows([]))).toHaveProperty('draw');
		expect(
			fieldsOf(() =>
				parseDrawRows([row({ count: '100' }), row({ count: '100' }), row({ count: '1' })])
			)
		).toHaveProperty('draw');
	});

	it('expands rows into random slots and groups them back', () => {
		const rows = parseDrawRows([
			row({ count: '3', difficulty: '1' }),
			row({ count: '2', difficulty: '3', points: '2' }),
			row({ count: '1', categoryId: '9', tags: 'kho', includeSubcategories: false })
		]);
		const slots = expandDraw(rows);
		expect(slots).toHaveLength(6);
		expect(slots.every((s) => s.kind === 'random')).toBe(true);
		expect(
			groupSlots(
				slots.map((s) => ({
					...s,
					categoryId: s.categoryId!,
					includeSubcategories: s.includeSubcategories!,
					tags: s.tags!,
					difficulty: s.difficulty ?? null
				}))
			)
		).toEqual(rows);
	});

	it('reads tags leniently but refuses quotes and spaces inside one', () => {
		expect(parseTags(' an-toan;  VLAN ,an-toan ')).toEqual(['an-toan', 'vlan']);
		expect(parseTags('')).toEqual([]);
		expect(parseTags("x'y")).toBeNull();
	});
});
