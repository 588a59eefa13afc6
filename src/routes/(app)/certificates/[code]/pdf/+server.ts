import { env } from '$env/dynamic/private';
import { guard, requireActor } from '$lib/server/http';
import {
	loadCertificateFonts,
	renderCertificatePdf,
	verificationUrl
} from '$lib/server/reports/certificate-pdf';
import { certificateForActor } from '$lib/server/reports/certificates';
import type { RequestHandler } from './$types';

/** The certificate as PDF: for its holder, admins, organisers and the leaders of the holder's units. */
export const GET: RequestHandler = async (event) => {
	const actor = requireActor(event);
	const certificate = await guard(() =>
		certificateForActor(event.locals.db, actor, { code: event.params.code })
	);
	// The printed address must be the public one, also behind a proxy.
	const origin = env.ORIGIN || event.url.origin;
	const pdf = await renderCertificatePdf({
		certificate,
		verifyUrl: verificationUrl(origin, certificate.code),
		fonts: await loadCertificateFonts()
	});
	return new Response(pdf as Uint8Array<ArrayBuffer>, {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Disposition': `attachment; filename="giay-chung-nhan-${certificate.code}.pdf"`,
			'Cache-Control': 'private, no-store'
		}
	});
};
