import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { guard, requireActor } from '$lib/server/http';
import { progressSheets, toCsv, toXlsx } from '$lib/server/reports/export';
import type { RequestHandler } from './$types';

/** Downloads the progress of a unit's subtree as XLSX or CSV (scope-checked like the report). */
export const GET: RequestHandler = async (event) => {
	const actor = requireActor(event);
	const format = event.url.searchParams.get('format') ?? 'xlsx';
	if (format !== 'xlsx' && format !== 'csv') error(400, m.report_format_invalid());
	const now = new Date();
	const { unitCode, sheets } = await guard(() =>
		progressSheets(event.locals.db, actor, { unitCode: event.params.code, now })
	);
	const stamp = now.toISOString().slice(0, 10);
	const name = `tien-do-${unitCode}-${stamp}.${format}`;
	const body =
		format === 'xlsx'
			? await toXlsx(sheets, { title: m.report_title(), creator: 'HọcThi', now })
			: new TextEncoder().encode(toCsv(sheets[0]));
	return new Response(body as Uint8Array<ArrayBuffer>, {
		headers: {
			'Content-Type':
				format === 'xlsx'
					? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
					: 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="${name}"`,
			'Cache-Control': 'private, no-store'
		}
	});
};
