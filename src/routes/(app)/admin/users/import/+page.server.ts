import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { act, clientIp, requireActor, requireRoles } from '$lib/server/http';
import { ROSTER_MAX_BYTES, decodeUtf8, importRoster } from '$lib/server/org/roster';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireRoles(event, 'admin');
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const file = data.get('file');
		if (!(file instanceof File) || file.size === 0)
			return fail(400, { errors: { file: m.import_file_required() } });
		if (file.size > ROSTER_MAX_BYTES)
			return fail(400, { errors: { file: m.import_file_too_large({ max: '2 MB' }) } });
		const text = decodeUtf8(new Uint8Array(await file.arrayBuffer()));
		if (text === null) return fail(400, { errors: { file: m.import_not_utf8() } });
		const result = await act({}, () =>
			importRoster(event.locals.db, actor, {
				text,
				fileName: file.name,
				ip: clientIp(event),
				now: new Date()
			})
		);
		if (result && 'status' in result) return result;
		return { result, fileName: file.name };
	}
};
