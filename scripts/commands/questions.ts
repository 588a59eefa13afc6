// `hocthi questions import <file> [--category PATH] [--format gift|aiken] [--dry-run] [--json]`
// and `hocthi questions export [--category PATH] [--out FILE]`.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
	detectFormat,
	exportQuestions,
	importQuestionFile,
	parseCategoryInput,
	readQuestionFile,
	type QuestionFileFormat
} from '../../src/lib/server/questions/bank';
import { categoryByNames } from '../../src/lib/server/questions/categories';
import { ImportFailed, type LineError } from '../../src/lib/server/errors';
import { m } from '../../src/lib/server/i18n';
import { decodeUtf8 } from '../../src/lib/server/text';
import { CLI_ACTOR, UsageError, table, withDatabase, type CommandContext } from '../cli-lib';

const USAGE_IMPORT =
	'questions import <file> [--category PATH] [--format gift|aiken] [--dry-run] [--json]';
const USAGE_EXPORT = 'questions export [--category PATH] [--out FILE]';

export async function questionsCommand(ctx: CommandContext): Promise<number> {
	if (ctx.sub === 'import') return importCommand(ctx);
	if (ctx.sub === 'export') return exportCommand(ctx);
	throw new UsageError(`unknown command: questions ${ctx.sub ?? ''}`);
}

async function importCommand({ args, io, config, now }: CommandContext): Promise<number> {
	const { values, positionals } = parseArgs({
		args,
		allowPositionals: true,
		options: {
			category: { type: 'string' },
			format: { type: 'string' },
			'dry-run': { type: 'boolean' },
			json: { type: 'boolean' }
		}
	});
	const file = positionals[0];
	if (!file || positionals.length > 1) throw new UsageError(USAGE_IMPORT);
	if (values.format && values.format !== 'gift' && values.format !== 'aiken')
		throw new UsageError(`--format must be gift or aiken (${USAGE_IMPORT})`);
	const categoryPath = parseCategoryInput(values.category);
	let bytes: Buffer;
	try {
		bytes = fs.readFileSync(file);
	} catch (error) {
		throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
	}
	const text = decodeUtf8(bytes);
	const format: QuestionFileFormat =
		(values.format as QuestionFileFormat | undefined) ?? detectFormat(file, text ?? '');
	const parsed =
		text === null
			? { questions: [], errors: [{ line: 1, message: m.bank_not_utf8() }] as LineError[] }
			: readQuestionFile(text, format);

	const report = (errors: LineError[]) => {
		if (values.json)
			io.out(
				JSON.stringify({
					questions: errors.length
						? []
						: parsed.questions.map((q) => ({ type: q.type, name: q.name })),
					errors: errors.map((e) => ({ line: e.line, message: e.message }))
				})
			);
		else {
			for (const e of errors) io.err(`${file}:${e.line}: ${e.message}`);
			io.err(`nothing imported (${errors.length} error${errors.length === 1 ? '' : 's'})`);
		}
	};
	if (parsed.errors.length) {
		report(parsed.errors);
		return 1;
	}
	if (values['dry-run']) {
		if (values.json) report([]);
		else {
			for (const line of table(
				parsed.questions.map((q) => ({
					line: q.line,
					type: q.type,
					name: q.name,
					category: [...(categoryPath ?? []), ...(q.category ?? [])].join('/')
				})),
				['line', 'type', 'name', 'category']
			))
				io.out(line);
			io.out(`${parsed.questions.length} questions read; dry run, nothing written`);
		}
		return 0;
	}
	return withDatabase(config, async ({ db }) => {
		try {
			const { counts } = await importQuestionFile(db, CLI_ACTOR, {
				text: text!,
				format,
				fileName: path.basename(file),
				categoryPath,
				now
			});
			if (values.json) report([]);
			else
				io.out(
					`imported ${parsed.questions.length} questions: created ${counts!.created}, updated ${counts!.updated}, unchanged ${counts!.unchanged}`
				);
			return 0;
		} catch (error) {
			if (error instanceof ImportFailed) {
				report(error.errors);
				return 1;
			}
			throw error;
		}
	});
}

async function exportCommand({ args, io, config }: CommandContext): Promise<number> {
	const { values, positionals } = parseArgs({
		args,
		allowPositionals: true,
		options: { category: { type: 'string' }, out: { type: 'string' } }
	});
	if (positionals.length) throw new UsageError(USAGE_EXPORT);
	const names = parseCategoryInput(values.category);
	return withDatabase(config, async ({ db }) => {
		let categoryId: number | null = null;
		if (names) {
			const category = await categoryByNames(db, names);
			if (!category) {
				io.err(`no question category ${names.join('/')}`);
				return 1;
			}
			categoryId = category.id;
		}
		const { text, count } = await exportQuestions(db, CLI_ACTOR, { categoryId });
		if (values.out) {
			fs.writeFileSync(values.out, text, 'utf8');
			io.out(`exported ${count} questions to ${values.out}`);
		} else {
			io.out(text.replace(/\n$/, ''));
		}
		return 0;
	});
}
