import { catalogue, groupMyLearning } from '$lib/server/courses/learning';
import { requireActor } from '$lib/server/http';
import { certificatesOf } from '$lib/server/reports/certificates';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const db = event.locals.db;
	const now = new Date();
	return {
		groups: groupMyLearning(await catalogue(db, actor), now),
		certificates: (await certificatesOf(db, actor, { userId: actor.id })).map((c) => ({
			code: c.code,
			kind: c.kind,
			title: c.title,
			prize: c.prize,
			issuedAt: c.issuedAt,
			revokedAt: c.revokedAt
		})),
		now,
		userId: actor.id
	};
};
