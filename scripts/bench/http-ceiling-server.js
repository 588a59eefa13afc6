// The least any web server must do for an autosave, as a yardstick for the capacity ramp: node:http
// parses the request, the JSON body is read, one idempotent upsert goes through the same driver
// to a scratch copy of attempt_answers, and `{ seq }` comes back. No framework, no session lookup,
// no checks, no event log. Run by the benchmark as a child process on the same port layout as the
// app: `node http-ceiling-server.js` with PORT and DATABASE_URL (PostgreSQL) or DATA_DIR (PGlite).
import http from 'node:http';

const SCRATCH = 'bench_ceiling_answers';
const CREATE = `create table if not exists ${SCRATCH} (like attempt_answers including defaults including indexes)`;
const UPSERT = `insert into ${SCRATCH} (attempt_id, slot, seq, response, saved_at)
	values ($1, $2, $3, $4, now())
	on conflict (attempt_id, slot) do update
	   set seq = excluded.seq, response = excluded.response, saved_at = excluded.saved_at
	 where ${SCRATCH}.seq < excluded.seq
	returning seq`;

/** `(text, params) => rows` on the chosen driver, and a close function. */
async function connect() {
	if (process.env.DATABASE_URL) {
		const { default: postgres } = await import('postgres');
		// The app's pool size (src/lib/server/db/client.ts).
		const sql = postgres(process.env.DATABASE_URL, { max: 20, onnotice: () => {} });
		return {
			query: (text, params) => sql.unsafe(text, params, { prepare: true }),
			close: () => sql.end({ timeout: 5 })
		};
	}
	const { PGlite } = await import('@electric-sql/pglite');
	const db = new PGlite(process.env.DATA_DIR);
	await db.waitReady;
	return {
		query: async (text, params) => (await db.query(text, params)).rows,
		close: () => db.close()
	};
}

const db = await connect();
await db.query(CREATE, []);

const server = http.createServer((req, res) => {
	const match = /^\/attempts\/([0-9a-f-]{36})\/save$/.exec(req.url ?? '');
	if (req.method !== 'POST' || !match) {
		res.writeHead(404).end();
		return;
	}
	const chunks = [];
	req.on('data', (c) => chunks.push(c));
	req.on('end', async () => {
		try {
			const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
			const [row] = await db.query(UPSERT, [
				match[1],
				body.slot,
				body.seq,
				JSON.stringify(body.response)
			]);
			const seq = row ? Number(row.seq) : body.seq;
			res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ seq }));
		} catch (error) {
			res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
		}
	});
});

server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));

process.on('SIGTERM', () => {
	server.close();
	server.closeAllConnections();
	db.query(`drop table if exists ${SCRATCH}`, [])
		.catch(() => {})
		.finally(() => db.close().finally(() => process.exit(0)));
});
