import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import {
	BackupInvalid,
	backupLines,
	backupStream,
	readBackup,
	restoreBackup
} from '../../src/lib/server/db/backup';
import {
	certificates,
	files,
	questionCategories,
	questionVersions,
	questions,
	units,
	users
} from '../../src/lib/server/db/schema';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { createTestDatabase, testDriver, type TestDatabase } from './helpers/db';

let source: TestDatabase;
let target: TestDatabase;
const now = new Date('2012-09-15T01:00:00Z');

async function toBuffer(stream: Readable): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

/** Every table's rows as the backup reads them, without the header's timestamp. */
async function contents(database: TestDatabase): Promise<string[]> {
	const lines: string[] = [];
	for await (const line of backupLines(database.db, now)) lines.push(line);
	return lines.slice(1);
}

beforeAll(async () => {
	source = await createTestDatabase();
	target = await createTestDatabase();
	const db = source.db;
	await seedDemo({ db, now, root: process.cwd(), log: () => {} });
	// Rows that exercise the awkward cases: bytea, identity columns, a reference cycle.
	const [admin] = await db.select().from(users).where(eq(users.username, 'admin'));
	await db.insert(files).values({
		ownerType: 'lesson',
		ownerId: '1',
		fileName: 'sơ-đồ.png',
		mimeType: 'image/png',
		size: 4,
		sha256: 'x',
		data: new Uint8Array([0x89, 0x50, 0x00, 0xff]),
		createdBy: admin.id
	});
	await db.insert(certificates).values({
		code: 'ABC123',
		kind: 'course',
		userId: admin.id,
		subject: 'course:1',
		data: { tên: 'Nguyễn Thị Hương' },
		issuedAt: now
	});
	const [root] = await db
		.insert(questionCategories)
		.values({ name: 'Quản trị mạng', path: '/' })
		.returning();
	const [child] = await db
		.insert(questionCategories)
		.values({ name: 'Địa chỉ IP', path: '/', parentId: root.id })
		.returning();
	const [q] = await db
		.insert(questions)
		.values({ categoryId: child.id, tags: ['de', 'dia-chi-ip'], difficulty: 1 })
		.returning();
	const [v] = await db
		.insert(questionVersions)
		.values({
			questionId: q.id,
			version: 1,
			type: 'truefalse',
			name: 'Câu 1',
			stem: 'Mạng /24 có 254 địa chỉ dùng được?',
			data: { type: 'truefalse', answer: true, feedbackWrong: null, feedbackRight: null }
		})
		.returning();
	await db.update(questions).set({ currentVersionId: v.id }).where(eq(questions.id, q.id));
}, 120_000);

afterAll(async () => {
	await source?.close();
	await target?.close();
});

describe('backup and restore', () => {
	it('round-trips every table exactly, into a fresh database', async () => {
		const gz = await toBuffer(backupStream(source.db, now));
		const backup = await readBackup(Readable.from(gz));
		expect(backup.counts.users).toBe(626);
		await restoreBackup(target.db, backup);
		expect(await contents(target)).toEqual(await contents(source));
		// Sequences continue after the restored ids.
		const [unit] = await target.db
			.insert(units)
			.values({ code: 'MOI', name: 'Đơn vị mới', kind: 'commune', path: '/' })
			.returning();
		const max = Math.max(
			...(await source.db.select({ id: units.id }).from(units)).map((u) => u.id)
		);
		expect(unit.id).toBeGreaterThan(max);
		const [admin] = await target.db.select().from(users).where(eq(users.username, 'admin'));
		const [cert] = await target.db
			.insert(certificates)
			.values({
				code: 'NEW',
				kind: 'course',
				userId: admin.id,
				subject: 'course:2',
				data: {},
				issuedAt: now
			})
			.returning();
		expect(cert.id).toBeGreaterThan(1);
	}, 120_000);

	it('replaces what the target held', async () => {
		const gz = await toBuffer(backupStream(source.db, now));
		await restoreBackup(target.db, await readBackup(Readable.from(gz)));
		expect(await contents(target)).toEqual(await contents(source));
	}, 120_000);

	it('refuses a truncated or foreign file before writing anything', async () => {
		const gz = await toBuffer(backupStream(source.db, now));
		const text = gunzipSync(gz).toString('utf8').split('\n');
		const cut = gzipSync(text.slice(0, text.length - 2).join('\n'));
		await expect(readBackup(Readable.from(cut))).rejects.toThrow(BackupInvalid);
		await expect(readBackup(Readable.from(gzipSync('{"hello":1}\n')))).rejects.toThrow(
			BackupInvalid
		);
		// A row count that no longer matches is refused too.
		const dropped = gzipSync([text[0], ...text.slice(2)].join('\n'));
		await expect(readBackup(Readable.from(dropped))).rejects.toThrow(BackupInvalid);
	}, 120_000);

	it.runIf(testDriver === 'pglite' && !!process.env.TEST_DATABASE_URL)(
		'moves an embedded PGlite installation to PostgreSQL',
		async () => {
			const postgresDb = await createTestDatabase('postgres');
			try {
				const gz = await toBuffer(backupStream(source.db, now));
				await restoreBackup(postgresDb.db, await readBackup(Readable.from(gz)));
				expect(await contents(postgresDb)).toEqual(await contents(source));
			} finally {
				await postgresDb.close();
			}
		},
		120_000
	);
});
