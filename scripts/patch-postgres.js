#!/usr/bin/env node
// Patches postgres.js 3.4.9 (run on install, idempotent) for two races, until upstream releases
// fixes. Each patch is marked in the file it changes and applied once.
//
// 1. Dropped connections (porsager/postgres#1066, #1154, #1208; PRs #1168, #1209). When PostgreSQL
//    closes a connection while a small write is queued, the queued write either runs on the null
//    socket (an uncaught TypeError that ends the process) or is left behind as a stale timer, after
//    which that connection never sends another message and every query given to it hangs until the
//    connect timeout. Found by `npm run test:chaos` (PostgreSQL restarts under load). The patch: a
//    closed connection forgets its queued write, and a write without a socket fails the waiting
//    queries (CONNECTION_CLOSED, which the app answers as a retryable error) instead of throwing.
//
// 2. BEGIN without a reserved connection (#823, #1189, #1210; PRs #1207, #1218). A transaction's
//    BEGIN reserves its connection only at the end of a chain of conditions; when the connection's
//    pipeline is full or the socket pushes back, BEGIN is sent but the connection is not reserved:
//    the transaction fails with UNSAFE_TRANSACTION, and the connection goes back to the pool inside
//    an open transaction where other requests' queries then run. Found by `npm run bench` (3,000
//    competitors starting at once: one start in 3,000 failed). A socket that drains also handed a
//    reserved connection back to the pool. The patch: a BEGIN that is written always reserves its
//    connection, and a drained connection that is reserved stays with its transaction.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'node_modules', 'postgres');
const PATCHES = [
	{
		mark: '/* hocthi: closed-socket write patch */',
		edits: (mark) => [
			[
				'  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)',
				`  function nextWrite(fn) {\n    ${mark}\n    if (!socket) {\n      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)`
			],
			[
				"    clearImmediate(nextWriteTimer)\n    socket.removeListener('data', data)\n    socket.removeListener('connect', connected)\n    idleTimer.cancel()",
				"    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    socket.removeListener('data', data)\n    socket.removeListener('connect', connected)\n    idleTimer.cancel()"
			],
			[
				'    clearImmediate(nextWriteTimer)\n    if (socket) {',
				'    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    if (socket) {'
			]
		]
	},
	{
		mark: '/* hocthi: begin reservation patch */',
		edits: (mark) => [
			[
				'      return write(toBuffer(q))\n        && !q.describeFirst\n        && !q.cursorFn\n        && sent.length < max_pipeline\n        && (!q.options.onexecute || q.options.onexecute(connection))',
				`      ${mark}\n      const written = write(toBuffer(q))\n      if (q.options.onexecute)\n        return q.options.onexecute(connection), false\n      return written\n        && !q.describeFirst\n        && !q.cursorFn\n        && sent.length < max_pipeline`
			],
			[
				'  function drain() {\n    !query && onopen(connection)',
				'  function drain() {\n    !query && !connection.reserved && onopen(connection)'
			]
		]
	}
];

function patch(file) {
	let text = fs.readFileSync(file, 'utf8');
	const done = [];
	for (const { mark, edits } of PATCHES) {
		if (text.includes(mark)) {
			done.push(`${mark.slice(11, -3)}: already patched`);
			continue;
		}
		let next = text;
		let missing = null;
		for (const [from, to] of edits(mark)) {
			if (!next.includes(from)) {
				missing = from.split('\n')[0].trim();
				break;
			}
			next = next.replace(from, to);
		}
		if (missing) {
			done.push(`${mark.slice(11, -3)}: not patched, the code it fixes is not there (${missing})`);
			continue;
		}
		text = next;
		done.push(`${mark.slice(11, -3)}: patched`);
	}
	fs.writeFileSync(file, text);
	return done.join('; ');
}

if (fs.existsSync(path.join(dir, 'package.json'))) {
	const { version } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	if (version !== '3.4.9') {
		console.warn(
			`patch-postgres: postgres ${version} is not 3.4.9; check whether it still needs the patch`
		);
	} else {
		for (const variant of ['src', 'cjs/src', 'cf/src']) {
			const file = path.join(dir, variant, 'connection.js');
			if (fs.existsSync(file))
				console.log(`patch-postgres: ${variant}/connection.js ${patch(file)}`);
		}
	}
}
