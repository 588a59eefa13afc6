import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import {
	DEFAULT_CATEGORY,
	detectFormat,
	importQuestionFile,
	readQuestionFile,
	type QuestionFileFormat
} from '$lib/server/questions/bank';
import { bankCategories } from '$lib/server/questions/categories';
import { requireRole, type Actor } from '$lib/server/auth/actor';
import { act, clientIp, guard, requireActor } from '$lib/server/http';
import { decodeUtf8 } from '$lib/server/text';
import type { Actions, PageServerLoad } from './$types';

const MAX_BYTES = 2 * 1024 * 1024;

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const tree = await guard(() => bankCategories(event.locals.db, actor));
	return { categories: tree.map((c) => ({ id: c.id, name: c.name, depth: c.depth })) };
};

async function rootNames(
	event: Parameters<Actions[string]>[0],
	actor: Actor,
	categoryId: number | null
) {
	if (!categoryId) return [];
	const node = (await bankCategories(event.locals.db, actor)).find((c) => c.id === categoryId);
	return node?.names ?? [];
}

function formatOf(value: FormDataEntryValue | null, fileName: string, text: string) {
	return value === 'gift' || value === 'aiken'
		? (value as QuestionFileFormat)
		: detectFormat(fileName, text);
}

export const actions: Actions = {
	/** Reads the file and shows what would be imported, or every error with its line. */
	preview: async (event) => {
		// Actions do not pass through the layout's check.
		const actor = requireActor(event);
		await guard(async () => requireRole(actor, 'trainer', 'admin'));
		const data = await event.request.formData();
		const file = data.get('file');
		const categoryId = Number(data.get('categoryId')) || null;
		const values = {
			format: String(data.get('format') ?? ''),
			categoryId: String(categoryId ?? '')
		};
		if (!(file instanceof File) || file.size === 0)
			return fail(400, { values, errors: { file: m.import_file_required() } });
		if (file.size > MAX_BYTES)
			return fail(400, { values, errors: { file: m.import_file_too_large({ max: '2 MB' }) } });
		const text = decodeUtf8(new Uint8Array(await file.arrayBuffer()));
		if (text === null) return fail(400, { values, errors: { file: m.bank_not_utf8() } });
		const format = formatOf(data.get('format'), file.name, text);
		const parsed = readQuestionFile(text, format);
		const root = await rootNames(event, actor, categoryId);
		return {
			values,
			preview: {
				fileName: file.name,
				format,
				categoryId,
				// The text goes back to the page only when it can be imported, for the confirm step.
				text: parsed.errors.length ? null : text,
				errors: parsed.errors,
				questions: parsed.errors.length
					? []
					: parsed.questions.map((q) => ({
							line: q.line,
							type: q.type,
							name: q.name,
							category: [...root, ...(q.category ?? [])].join(' / ') || DEFAULT_CATEGORY
						}))
			}
		};
	},
	/** Imports the previewed file, all in one transaction. */
	confirm: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const text = String(data.get('text') ?? '');
		const fileName = String(data.get('fileName') ?? '');
		const categoryId = Number(data.get('categoryId')) || null;
		const format = formatOf(data.get('format'), fileName, text);
		const result = await act({}, async () => {
			const categoryPath = await rootNames(event, actor, categoryId);
			return importQuestionFile(event.locals.db, actor, {
				text,
				format,
				fileName,
				categoryPath: categoryPath.length ? categoryPath : undefined,
				now: new Date(),
				ip: clientIp(event)
			});
		});
		if (result && 'status' in result) return result;
		return { imported: { fileName, count: result.questions.length, ...result.counts! } };
	}
};
