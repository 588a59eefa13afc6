import { hasRole } from '$lib/server/auth/actor';
import { act, clientIp, formValues, guard, requireActor } from '$lib/server/http';
import { certificateForActor, revokeCertificate } from '$lib/server/reports/certificates';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const c = await guard(() =>
		certificateForActor(event.locals.db, actor, { code: event.params.code })
	);
	return {
		certificate: {
			code: c.code,
			kind: c.kind,
			fullName: c.fullName,
			unitName: c.unitName,
			title: c.title,
			prize: c.prize,
			rank: c.rank,
			score: c.score,
			maxScore: c.maxScore,
			hours: c.hours,
			achievedOn: c.achievedOn,
			issuedAt: c.issuedAt,
			revokedAt: c.revokedAt,
			unitAward: c.unitAward,
			revokedReason: c.revokedReason
		},
		ownerId: c.userId,
		canRevoke: hasRole(actor, 'admin') && !c.revokedAt,
		canList: hasRole(actor, 'admin', 'organiser') || actor.isLeader
	};
};

export const actions: Actions = {
	revoke: async (event) => {
		const actor = requireActor(event);
		const values = formValues(await event.request.formData());
		const result = await act(values, () =>
			revokeCertificate(event.locals.db, actor, {
				code: event.params.code,
				reason: values.reason ?? '',
				now: new Date(),
				ip: clientIp(event)
			})
		);
		return result ?? { success: m.cert_revoke_done() };
	}
};
