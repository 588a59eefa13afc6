import { redirect } from '@sveltejs/kit';
import { canSeeUnit, scopeOf } from '$lib/server/auth/actor';
import { guard, requireActor } from '$lib/server/http';
import { listUnits } from '$lib/server/org/units';
import { listCertificates, type CertificateKind } from '$lib/server/reports/certificates';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

// Admins and organisers see every certificate, leaders those of their units; a cadre has theirs
// in "my learning".
export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	if (scopeOf(actor).kind === 'self') redirect(303, '/my#certificates');
	const params = event.url.searchParams;
	const filter = {
		q: params.get('q') ?? '',
		unit: params.get('unit') ?? '',
		kind: params.get('kind') ?? '',
		status: params.get('status') ?? ''
	};
	const page = Math.max(1, Number(params.get('page')) || 1);
	const { rows, total } = await guard(() =>
		listCertificates(event.locals.db, actor, {
			q: filter.q || undefined,
			unitCode: filter.unit || undefined,
			kind: ['course', 'competition'].includes(filter.kind)
				? (filter.kind as CertificateKind)
				: undefined,
			revoked: filter.status === 'revoked' ? true : filter.status === 'valid' ? false : undefined,
			limit: PAGE_SIZE,
			offset: (page - 1) * PAGE_SIZE
		})
	);
	const units = (await listUnits(event.locals.db))
		.filter((u) => canSeeUnit(actor, u.path))
		.sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }))
		.map((u) => ({ code: u.code, name: u.name, depth: u.depth }));
	return {
		filter,
		units,
		certificates: rows.map((c) => ({
			code: c.code,
			kind: c.kind,
			fullName: c.fullName,
			title: c.title,
			prize: c.prize,
			issuedAt: c.issuedAt,
			revokedAt: c.revokedAt
		})),
		total,
		page,
		pages: Math.max(1, Math.ceil(total / PAGE_SIZE))
	};
};
