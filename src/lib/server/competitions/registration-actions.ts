// The form actions of the registration pages (the organisers' and the unit leaders'): they share
// one component and one set of actions; the domain decides what each actor may do.
import { fail, type RequestEvent } from '@sveltejs/kit';
import { m } from '../i18n';
import { act, clientIp, requireActor } from '../http';
import {
	REGISTRATION_MAX_BYTES,
	decodeUtf8,
	importRegistrations,
	registerCompetitor,
	withdrawCompetitor
} from './registration';

type Event = RequestEvent<{ slug: string }>;

export const registrationActions = {
	register: async (event: Event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = {
			form: 'register',
			username: String(data.get('username') ?? ''),
			team: String(data.get('team') ?? '')
		};
		const result = await act(values, () =>
			registerCompetitor(event.locals.db, actor, {
				slug: event.params.slug,
				username: values.username,
				team: values.team,
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if ('status' in result) return result;
		return {
			done: 'register' as const,
			username: values.username.trim().toLowerCase(),
			outcome: result
		};
	},
	upload: async (event: Event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const file = data.get('file');
		const values = { form: 'upload' };
		if (!(file instanceof File) || file.size === 0)
			return fail(400, { values, errors: { file: m.import_file_required() } });
		if (file.size > REGISTRATION_MAX_BYTES)
			return fail(400, { values, errors: { file: m.import_file_too_large({ max: '2 MB' }) } });
		const text = decodeUtf8(new Uint8Array(await file.arrayBuffer()));
		if (text === null) return fail(400, { values, errors: { file: m.import_not_utf8() } });
		const result = await act(values, () =>
			importRegistrations(event.locals.db, actor, {
				slug: event.params.slug,
				text,
				fileName: file.name,
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if ('status' in result) return result;
		return { done: 'upload' as const, outcome: result };
	},
	withdraw: async (event: Event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = { form: 'withdraw', username: String(data.get('username') ?? '') };
		const result = await act(values, () =>
			withdrawCompetitor(event.locals.db, actor, {
				slug: event.params.slug,
				username: values.username,
				now: new Date(),
				ip: clientIp(event)
			})
		);
		if (result && typeof result === 'object' && 'status' in result) return result;
		return { done: 'withdraw' as const, username: values.username };
	}
};
