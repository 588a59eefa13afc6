import { auditActions, listAudit } from '$lib/server/audit/log';
import { parseDate } from '$lib/format';
import { guard, requireActor } from '$lib/server/http';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 100;

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const params = event.url.searchParams;
	const filter = {
		actor: params.get('actor') ?? '',
		action: params.get('action') ?? '',
		from: params.get('from') ?? '',
		to: params.get('to') ?? ''
	};
	const from = filter.from ? parseDate(filter.from) : null;
	const toStart = filter.to ? parseDate(filter.to) : null;
	const to = toStart ? new Date(toStart.getTime() + 24 * 3600_000) : null;
	const pageNo = Math.max(1, Number(params.get('page')) || 1);
	const { rows, total } = await guard(() =>
		listAudit(event.locals.db, actor, {
			actor: filter.actor || undefined,
			action: filter.action || undefined,
			from: from ?? undefined,
			to: to ?? undefined,
			limit: PAGE_SIZE,
			offset: (pageNo - 1) * PAGE_SIZE
		})
	);
	return {
		filter,
		actions: await auditActions(event.locals.db, actor),
		badFrom: !!filter.from && !from,
		badTo: !!filter.to && !toStart,
		rows: rows.map((r) => ({ ...r, details: JSON.stringify(r.details) })),
		total,
		page: pageNo,
		pages: Math.max(1, Math.ceil(total / PAGE_SIZE))
	};
};
