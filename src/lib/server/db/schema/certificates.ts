// Certificates (course completion, competition prizes), verified publicly at /verify/<code>.
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './org';

export const certificates = pgTable(
	'certificates',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		/** Short unguessable code printed on the PDF and encoded in its QR. */
		code: text('code').notNull(),
		kind: text('kind').$type<'course' | 'competition'>().notNull(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		/** 'course:<id>' or 'competition:<id>:<prize>'; one certificate per subject and person. */
		subject: text('subject').notNull(),
		/** Snapshot of what is certified (names, unit, course or prize, score, dates) as issued. */
		data: jsonb('data').$type<Record<string, unknown>>().notNull(),
		issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
		revokedAt: timestamp('revoked_at', { withTimezone: true }),
		/** Why an admin revoked it (shown to admins; the public page shows only that and when). */
		revokedReason: text('revoked_reason'),
		revokedBy: integer('revoked_by').references(() => users.id, { onDelete: 'set null' })
	},
	(t) => [
		uniqueIndex('certificates_code_key').on(t.code),
		uniqueIndex('certificates_subject_user_key').on(t.subject, t.userId),
		index('certificates_user_id_idx').on(t.userId),
		index('certificates_revoked_by_idx').on(t.revokedBy)
	]
);
