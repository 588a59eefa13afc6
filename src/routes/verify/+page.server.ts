import { redirect } from '@sveltejs/kit';
import { normaliseCertificateCode } from '$lib/server/reports/certificates';
import type { PageServerLoad } from './$types';

// The look-up form submits ?code=…; the answer lives at /verify/<code>, the address the QR holds.
export const load: PageServerLoad = ({ url }) => {
	const typed = url.searchParams.get('code')?.trim();
	if (typed) {
		const code = normaliseCertificateCode(typed) ?? typed.slice(0, 40);
		redirect(303, `/verify/${encodeURIComponent(code)}`);
	}
	return {};
};
