// The app process's board hub (one LISTEN per process) and the Server-Sent-Event response that
// streams a board to one viewer. Streams end when the viewer leaves and when the server drains.
import { appState } from '../app';
import { logger } from '../log';
import { buildBoard } from '../competitions/board';
import { packBoard } from '../../board/view';
import type { Db } from '../db/client';
import { BoardHub, type BoardKey, type Computed, type Viewer } from './hub';

export async function computeBoard(db: Db, key: BoardKey, now: Date): Promise<Computed> {
	const built = await buildBoard(db, key, now);
	if (!built) return { json: null, boardPublic: false, nextChange: null };
	return {
		// The wire form (packBoard): what every viewer is sent on every change.
		json: JSON.stringify(packBoard(built.view)),
		boardPublic: built.boardPublic,
		nextChange: built.nextChange
	};
}

// On globalThis so that Vite's module reloading in development keeps one hub (one LISTEN).
const holder = globalThis as typeof globalThis & {
	__hocthiBoardHub?: Promise<BoardHub>;
	__hocthiDraining?: boolean;
};

/** The server is shutting down (scripts/server.js): no new streams. */
export function isDraining(): boolean {
	return holder.__hocthiDraining === true;
}

export function boardHub(): Promise<BoardHub> {
	holder.__hocthiBoardHub ??= (async () => {
		const { database } = await appState();
		const hub = new BoardHub({
			database,
			compute: (key, now) => computeBoard(database.db, key, now),
			onError: (err) => logger.error({ err }, 'board computation failed')
		});
		await hub.start();
		// scripts/server.js emits this before it waits for open requests: live streams must end.
		const stop = () => {
			holder.__hocthiDraining = true;
			holder.__hocthiBoardHub = undefined;
			void hub.close();
		};
		process.once('hocthi:draining', stop);
		process.once('sveltekit:shutdown', stop);
		return hub;
	})().catch((error: unknown) => {
		holder.__hocthiBoardHub = undefined;
		throw error;
	});
	return holder.__hocthiBoardHub;
}

/**
 * What a stream request gets while the server drains (it came on a connection kept alive from
 * before): an empty stream that ends at once; the browser's EventSource comes back later.
 */
export function drainingStream(): Response {
	return new Response('retry: 5000\n\n', { headers: streamHeaders });
}

/** A text/event-stream response carrying one board to one viewer until either side leaves. */
export function boardStream(
	hub: BoardHub,
	key: BoardKey,
	input: { privileged: boolean; signal: AbortSignal }
): Response {
	const encoder = new TextEncoder();
	let unsubscribe = () => {};
	let open = true;
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			const viewer: Viewer = {
				privileged: input.privileged,
				write(chunk) {
					if (!open) return;
					try {
						controller.enqueue(encoder.encode(chunk));
					} catch {
						open = false;
						unsubscribe();
					}
				},
				end() {
					if (!open) return;
					open = false;
					unsubscribe();
					try {
						controller.close();
					} catch {
						// already closed by the client
					}
				}
			};
			unsubscribe = hub.subscribe(key, viewer);
			if (input.signal.aborted) viewer.end();
			else input.signal.addEventListener('abort', () => viewer.end(), { once: true });
		},
		cancel() {
			open = false;
			unsubscribe();
		}
	});
	return new Response(stream, { headers: streamHeaders });
}

const streamHeaders = {
	'Content-Type': 'text/event-stream; charset=utf-8',
	'Cache-Control': 'no-store',
	// nginx: pass events through at once.
	'X-Accel-Buffering': 'no',
	// A stream holds its connection to the end; then the connection goes too, so that a server
	// draining for shutdown is not kept waiting by an idle keep-alive socket.
	Connection: 'close'
};
