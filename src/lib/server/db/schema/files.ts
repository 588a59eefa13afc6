// Uploaded files (lesson images and attachments, competition task files and submissions),
// stored in the database so that backups and several app processes need nothing else.
import {
	bigint,
	customType,
	index,
	integer,
	pgTable,
	text,
	timestamp,
	uuid
} from 'drizzle-orm/pg-core';
import { users } from './org';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
	dataType: () => 'bytea'
});

export const files = pgTable(
	'files',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** What the file belongs to: 'lesson', 'course', 'task', 'submission', … */
		ownerType: text('owner_type').notNull(),
		ownerId: text('owner_id').notNull(),
		/** The name shown and offered on download (sanitised: no path parts). */
		fileName: text('file_name').notNull(),
		/** Checked against the content's magic bytes at upload, not taken from the browser. */
		mimeType: text('mime_type').notNull(),
		size: bigint('size', { mode: 'number' }).notNull(),
		sha256: text('sha256').notNull(),
		data: bytea('data').notNull(),
		/** Pixel size for images, so pages can reserve the space (no layout shift on slow links). */
		width: integer('width'),
		height: integer('height'),
		createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('files_owner_idx').on(t.ownerType, t.ownerId),
		index('files_created_by_idx').on(t.createdBy)
	]
);
