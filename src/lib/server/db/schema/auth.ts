// Sessions (Lucia-guide style) and login throttling.
import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './org';

export const sessions = pgTable(
	'sessions',
	{
		/** SHA-256 (hex) of the random token in the cookie; the token itself is never stored. */
		id: text('id').primaryKey(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
		/** Sliding idle expiry; never later than created_at + the absolute limit. */
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		ip: text('ip'),
		userAgent: text('user_agent')
	},
	(t) => [
		index('sessions_user_id_idx').on(t.userId),
		index('sessions_expires_at_idx').on(t.expiresAt)
	]
);

/** Failure counters keyed by 'user:<username>' or 'ip:<address>'. */
export const loginThrottle = pgTable('login_throttle', {
	key: text('key').primaryKey(),
	failures: integer('failures').notNull().default(0),
	windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
	lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull(),
	lockedUntil: timestamp('locked_until', { withTimezone: true })
});

export type SessionRow = typeof sessions.$inferSelect;
