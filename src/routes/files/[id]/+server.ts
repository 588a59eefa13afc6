import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { fileForActor } from '$lib/server/files/access';
import type { RequestHandler } from './$types';

/** RFC 5987 ext-value characters: encodeURIComponent leaves ' ( ) * as they are, which it does not allow. */
function rfc5987(name: string): string {
	return encodeURIComponent(name).replace(
		/['()*]/g,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
	);
}

/** Serves an uploaded file to whoever may see what it belongs to; never sniffable, never framed. */
export const GET: RequestHandler = async (event) => {
	const actor = event.locals.actor;
	if (!actor) error(404, m.error_not_found());
	const file = await fileForActor(event.locals.db, actor, event.params.id);
	if (!file) error(404, m.error_not_found());
	const inline = !file.download && file.mimeType.startsWith('image/');
	const name = file.fileName.split('/').pop()!;
	const headers: Record<string, string> = {
		'content-type': file.mimeType,
		'content-length': String(file.size),
		'content-disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${rfc5987(name)}`,
		'x-content-type-options': 'nosniff',
		'cache-control': 'private, max-age=86400',
		etag: `"${file.sha256}"`
	};
	// An SVG opened on its own runs in a sandbox with nothing allowed.
	if (file.mimeType === 'image/svg+xml')
		headers['content-security-policy'] = "sandbox; default-src 'none'; style-src 'unsafe-inline'";
	if (event.request.headers.get('if-none-match') === headers.etag)
		return new Response(null, { status: 304, headers });
	return new Response(file.data as Uint8Array<ArrayBuffer>, { headers });
};
