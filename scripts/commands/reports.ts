// `hocthi reports progress [--unit CODE] --format xlsx|csv --out FILE`
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { progressSheets, toCsv, toXlsx } from '../../src/lib/server/reports/export';
import { NotFound } from '../../src/lib/server/errors';
import { CLI_ACTOR, UsageError, withDatabase, type CommandContext } from '../cli-lib';

export async function reportsCommand({
	sub,
	args,
	io,
	config,
	now
}: CommandContext): Promise<number> {
	if (sub !== 'progress') throw new UsageError(`unknown command: reports ${sub ?? ''}`);
	const { values } = parseArgs({
		args,
		options: { unit: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } }
	});
	const format = values.format ?? (values.out?.endsWith('.csv') ? 'csv' : 'xlsx');
	if (format !== 'xlsx' && format !== 'csv') throw new UsageError('--format must be xlsx or csv');
	if (!values.out)
		throw new UsageError('reports progress [--unit CODE] --format xlsx|csv --out FILE');
	return withDatabase(config, async ({ db }) => {
		let result;
		try {
			result = await progressSheets(db, CLI_ACTOR, { unitCode: values.unit, now });
		} catch (error) {
			if (error instanceof NotFound) {
				io.err(`no unit with code ${values.unit}`);
				return 1;
			}
			throw error;
		}
		const bytes =
			format === 'xlsx'
				? await toXlsx(result.sheets, { title: 'Báo cáo tiến độ', creator: 'HọcThi', now })
				: new TextEncoder().encode(toCsv(result.sheets[0]));
		fs.writeFileSync(values.out!, bytes);
		io.out(`${result.sheets[0].rows.length} rows for ${result.unitName} written to ${values.out}`);
		return 0;
	});
}
