#!/usr/bin/env node
// Patches postgres.js 3.4.9 (run on install, idempotent) for a race on dropped connections, until
// upstream releases a fix (porsager/postgres#1066, #1154, #1208; PRs #1168, #1209). When PostgreSQL
// closes a connection while a small write is queued, the queued write either runs on the null
// socket (an uncaught TypeError that ends the process) or is left behind as a stale timer, after
// which that connection never sends another message and every query given to it hangs until the
// connect timeout. Found by `npm run test:chaos` (PostgreSQL restarts under load).
// The patch: a closed connection forgets its queued write, and a write without a socket fails the
// waiting queries (CONNECTION_CLOSED, which the app answers as a retryable error) instead of throwing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'node_modules', 'postgres');
const MARK = '/* hocthi: closed-socket write patch */';

function patch(file) {
	let text = fs.readFileSync(file, 'utf8');
	if (text.includes(MARK)) return 'already patched';
	const edits = [
		[
			'  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)',
			`  function nextWrite(fn) {\n    ${MARK}\n    if (!socket) {\n      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)`
		],
		[
			"    clearImmediate(nextWriteTimer)\n    socket.removeListener('data', data)\n    socket.removeListener('connect', connected)\n    idleTimer.cancel()",
			"    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    socket.removeListener('data', data)\n    socket.removeListener('connect', connected)\n    idleTimer.cancel()"
		],
		[
			'    clearImmediate(nextWriteTimer)\n    if (socket) {',
			'    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    if (socket) {'
		]
	];
	for (const [from, to] of edits) {
		if (!text.includes(from))
			return `not patched: the code it fixes is not there (${from.split('\n')[0].trim()})`;
		text = text.replace(from, to);
	}
	fs.writeFileSync(file, text);
	return 'patched';
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
