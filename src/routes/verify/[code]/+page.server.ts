import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { clientIp } from '$lib/server/http';
import { verifyCertificate } from '$lib/server/reports/certificates';
import { verifyLimiter } from '$lib/server/reports/verify-limit';
import type { PageServerLoad } from './$types';

// Public, no login. An unknown code and a malformed one get the same answer, and look-ups per
// address are limited, so the page gives no help in guessing codes.
export const load: PageServerLoad = async (event) => {
	event.setHeaders({ 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex' });
	if (!verifyLimiter.allow(clientIp(event) ?? 'unknown', new Date()))
		error(429, m.cert_verify_too_many());
	const certificate = await verifyCertificate(event.locals.db, { code: event.params.code });
	if (!certificate) error(404, m.cert_verify_not_found());
	if (certificate.code !== event.params.code) redirect(301, `/verify/${certificate.code}`);
	return {
		certificate: {
			code: certificate.code,
			kind: certificate.kind,
			fullName: certificate.fullName,
			unitName: certificate.unitName,
			title: certificate.title,
			prize: certificate.prize,
			rank: certificate.rank,
			score: certificate.score,
			maxScore: certificate.maxScore,
			hours: certificate.hours,
			achievedOn: certificate.achievedOn,
			issuedAt: certificate.issuedAt,
			revokedAt: certificate.revokedAt,
			unitAward: certificate.unitAward
		}
	};
};
