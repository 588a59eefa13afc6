// Reads the competition and round forms (shared by the create, edit and add-round actions).
import { PRIZES } from '$lib/server/db/schema';
import { parseLocalDateTime } from '$lib/server/competitions/local-time';

const text = (data: FormData, key: string) => String(data.get(key) ?? '');
/** An empty number field stays NaN, so validation names it instead of reading it as 0. */
const num = (data: FormData, key: string) => {
	const t = text(data, key).trim().replace(',', '.');
	return t === '' ? Number.NaN : Number(t);
};

export function readCompetitionForm(data: FormData): {
	input: Record<string, unknown>;
	values: Record<string, unknown>;
} {
	const quota = (group: string) =>
		Object.fromEntries(PRIZES.map((p) => [p, num(data, `quota_${group}_${p}`)]));
	const input = {
		slug: text(data, 'slug').trim().toLowerCase(),
		title: text(data, 'title'),
		description: text(data, 'description'),
		status: text(data, 'status'),
		unitRule: text(data, 'unitRule'),
		unitBestK: num(data, 'unitBestK'),
		teamSizeMax: num(data, 'teamSizeMax'),
		eligibleUnitKinds: data.getAll('eligibleUnitKinds').map(String),
		freezeMinutes: num(data, 'freezeMinutes'),
		judgeMargin: num(data, 'judgeMargin'),
		prizeQuotas: { individual: quota('individual'), unit: quota('unit') }
	};
	const values: Record<string, unknown> = {};
	for (const [key, value] of data.entries()) if (typeof value === 'string') values[key] = value;
	values.eligibleUnitKinds = input.eligibleUnitKinds;
	return { input, values };
}

export function readRoundForm(data: FormData): {
	input: Record<string, unknown>;
	values: Record<string, unknown>;
} {
	const input = {
		name: text(data, 'name'),
		kind: text(data, 'kind') || 'theory',
		startMode: text(data, 'startMode'),
		instructions: text(data, 'instructions'),
		openAt: parseLocalDateTime(text(data, 'openAt')),
		closeAt: parseLocalDateTime(text(data, 'closeAt')),
		timeLimitMinutes: num(data, 'timeLimitMinutes'),
		graceSeconds: num(data, 'graceSeconds'),
		counts: data.get('counts') === 'on',
		published: data.get('published') === 'on',
		shuffleQuestions: data.get('shuffleQuestions') === 'on',
		shuffleChoices: data.get('shuffleChoices') === 'on'
	};
	const values: Record<string, unknown> = {};
	for (const [key, value] of data.entries()) if (typeof value === 'string') values[key] = value;
	for (const key of ['counts', 'published', 'shuffleQuestions', 'shuffleChoices'])
		values[key] = data.get(key) === 'on';
	return { input, values };
}

/** The draw rows as typed: `count_<n>`, `category_<n>`, …; rows left blank are dropped. */
export function readDrawForm(data: FormData) {
	const rows = Number(text(data, 'rows')) || 0;
	const out = [];
	for (let i = 1; i <= Math.min(rows, 50); i++) {
		const count = text(data, `count_${i}`).trim();
		const categoryId = text(data, `category_${i}`).trim();
		if (!count && !categoryId) continue;
		out.push({
			row: i,
			count,
			categoryId,
			includeSubcategories: data.get(`sub_${i}`) === 'on',
			tags: text(data, `tags_${i}`),
			difficulty: text(data, `difficulty_${i}`),
			points: text(data, `points_${i}`).trim() || '1'
		});
	}
	return out;
}
