import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { resultsSheets } from '$lib/server/competitions/results';
import { guard, requireActor } from '$lib/server/http';
import { toCsv, toXlsx } from '$lib/server/reports/export';
import type { RequestHandler } from './$types';

/** The live standings (individual and units) as XLSX, or the individual sheet as CSV; organisers only. */
export const GET: RequestHandler = async (event) => {
	const actor = requireActor(event);
	const format = event.url.searchParams.get('format') ?? 'xlsx';
	if (format !== 'xlsx' && format !== 'csv') error(400, m.report_format_invalid());
	const now = new Date();
	const { competition, sheets } = await guard(() =>
		resultsSheets(event.locals.db, actor, { slug: event.params.slug, now })
	);
	const name = `ket-qua-${competition.slug}-${now.toISOString().slice(0, 10)}.${format}`;
	const body =
		format === 'xlsx'
			? await toXlsx(sheets, { title: competition.title, creator: 'HọcThi', now })
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
