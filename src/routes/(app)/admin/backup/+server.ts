import { Readable } from 'node:stream';
import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { hasRole } from '$lib/server/auth/actor';
import { recordAudit } from '$lib/server/audit/log';
import { backupStream } from '$lib/server/db/backup';
import { clientIp, requireActor } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** Downloads a backup of every table, taken by the running server (works with PGlite too). */
export const GET: RequestHandler = async (event) => {
	const actor = requireActor(event);
	if (!hasRole(actor, 'admin')) error(403, m.error_forbidden());
	const now = new Date();
	await recordAudit(event.locals.db, {
		actorId: actor.id,
		action: 'backup.download',
		ip: clientIp(event),
		now
	});
	const name = `hocthi-${now.toISOString().slice(0, 16).replace(/[-:T]/g, '')}.hocthi.gz`;
	return new Response(Readable.toWeb(backupStream(event.locals.db, now)) as ReadableStream, {
		headers: {
			'Content-Type': 'application/gzip',
			'Content-Disposition': `attachment; filename="${name}"`,
			'Cache-Control': 'no-store'
		}
	});
};
