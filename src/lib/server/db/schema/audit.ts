// Append-only log of privileged actions.
import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './org';

export const auditLog = pgTable(
	'audit_log',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		at: timestamp('at', { withTimezone: true }).notNull(),
		actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
		action: text('action').notNull(),
		targetType: text('target_type'),
		targetId: text('target_id'),
		details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
		ip: text('ip')
	},
	(t) => [
		index('audit_log_at_idx').on(t.at),
		index('audit_log_actor_id_idx').on(t.actorId),
		index('audit_log_action_idx').on(t.action)
	]
);
