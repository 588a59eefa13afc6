// `hocthi results export <slug> --format xlsx|csv --out FILE`
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { resultsSheets } from '../../src/lib/server/competitions/results';
import { toCsv, toXlsx } from '../../src/lib/server/reports/export';
import { NotFound } from '../../src/lib/server/errors';
import { CLI_ACTOR, UsageError, withDatabase, type CommandContext } from '../cli-lib';

const USAGE = 'results export <slug> --format xlsx|csv --out FILE';

export async function resultsCommand({
	sub,
	args,
	io,
	config,
	now
}: CommandContext): Promise<number> {
	if (sub !== 'export') throw new UsageError(`unknown command: results ${sub ?? ''}`);
	const { values, positionals } = parseArgs({
		args,
		allowPositionals: true,
		options: { format: { type: 'string' }, out: { type: 'string' } }
	});
	const slug = positionals[0];
	if (!slug || !values.out) throw new UsageError(USAGE);
	const format = values.format ?? (values.out.endsWith('.csv') ? 'csv' : 'xlsx');
	if (format !== 'xlsx' && format !== 'csv') throw new UsageError('--format must be xlsx or csv');
	return withDatabase(config, async ({ db }) => {
		let result;
		try {
			result = await resultsSheets(db, CLI_ACTOR, { slug, now });
		} catch (error) {
			if (error instanceof NotFound) {
				io.err(`no competition with slug ${slug}`);
				return 1;
			}
			throw error;
		}
		const bytes =
			format === 'xlsx'
				? await toXlsx(result.sheets, { title: result.competition.title, creator: 'HọcThi', now })
				: new TextEncoder().encode(toCsv(result.sheets[0]));
		fs.writeFileSync(values.out!, bytes);
		io.out(
			`${result.sheets[0].rows.length} competitors and ${result.sheets[1].rows.length} units of ${result.competition.title} written to ${values.out}`
		);
		return 0;
	});
}
