import { describe, expect, it } from 'vitest';
import { Invalid } from '../errors';
import { DEFAULT_QUOTAS, canChangeStatus, parseCompetition } from './competitions';

const valid = {
	slug: 'hoi-thi-cntt-2012',
	title: 'Hội thi ứng dụng CNTT năm 2012',
	description: '## Thể lệ',
	status: 'registration',
	unitRule: 'best_k',
	unitBestK: 3,
	teamSizeMax: 5,
	eligibleUnitKinds: ['agency', 'district', 'district'],
	freezeMinutes: 15,
	judgeMargin: 2.5,
	prizeQuotas: DEFAULT_QUOTAS
};

function fieldsOf(input: unknown): Record<string, string> {
	try {
		parseCompetition(input);
	} catch (e) {
		if (e instanceof Invalid) return e.fields;
		throw e;
	}
	throw new Error('expected Invalid');
}

describe('competition settings', () => {
	it('accepts valid settings and drops repeated unit kinds', () => {
		const s = parseCompetition(valid);
		expect(s.eligibleUnitKinds).toEqual(['agency', 'district']);
		expect(s.judgeMargin).toBe(2.5);
	});

	it('names each bad field, including one prize quota', () => {
		const fields = fieldsOf({
			...valid,
			slug: 'Hội thi 2012',
			title: 'HT',
			unitBestK: 0,
			teamSizeMax: 2.5,
			freezeMinutes: -1,
			judgeMargin: Number.NaN,
			unitRule: 'median',
			eligibleUnitKinds: ['village'],
			prizeQuotas: { ...DEFAULT_QUOTAS, unit: { ...DEFAULT_QUOTAS.unit, kk: -2 } }
		});
		expect(Object.keys(fields).sort()).toEqual(
			[
				'eligibleUnitKinds',
				'freezeMinutes',
				'judgeMargin',
				'quota_unit_kk',
				'slug',
				'teamSizeMax',
				'title',
				'unitBestK',
				'unitRule'
			].sort()
		);
		expect(fields.slug).toMatch(/hoi-thi-cntt-2012/);
	});

	it('refuses slugs with capitals, spaces, diacritics or stray hyphens', () => {
		for (const slug of ['Hoi-thi', 'hội-thi', 'hoi thi', '-hoi', 'hoi--thi', 'ab'])
			expect(fieldsOf({ ...valid, slug }), slug).toHaveProperty('slug');
	});
});

describe('status moves', () => {
	it('goes forward freely and back one step, but never out of finished', () => {
		expect(canChangeStatus('draft', 'registration')).toBe(true);
		expect(canChangeStatus('draft', 'running')).toBe(true);
		expect(canChangeStatus('running', 'running')).toBe(true);
		expect(canChangeStatus('running', 'registration')).toBe(true);
		expect(canChangeStatus('running', 'draft')).toBe(false);
		expect(canChangeStatus('finished', 'running')).toBe(false);
		expect(canChangeStatus('finished', 'finished')).toBe(true);
	});
});
