// Organisation: the unit tree and the people in it.
import { sql } from 'drizzle-orm';
import {
	type AnyPgColumn,
	boolean,
	check,
	index,
	integer,
	pgTable,
	serial,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import { ROLES, type Role } from '../../../roles';

export { ROLES, type Role };

export const UNIT_KINDS = ['province', 'agency', 'district', 'commune'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const units = pgTable(
	'units',
	{
		id: serial('id').primaryKey(),
		code: text('code').notNull(),
		name: text('name').notNull(),
		kind: text('kind').$type<UnitKind>().notNull(),
		parentId: integer('parent_id').references((): AnyPgColumn => units.id, {
			onDelete: 'restrict'
		}),
		/** Materialised path of ids, '/1/4/17/': a subtree is `path LIKE '/1/4/%'`. */
		path: text('path').notNull(),
		depth: integer('depth').notNull().default(0),
		sortOrder: integer('sort_order').notNull().default(0),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('units_code_key').on(t.code),
		index('units_parent_id_idx').on(t.parentId),
		index('units_path_idx').using('btree', sql`${t.path} text_pattern_ops`),
		check('units_kind_check', sql`${t.kind} in ('province', 'agency', 'district', 'commune')`)
	]
);

export const users = pgTable(
	'users',
	{
		id: serial('id').primaryKey(),
		/** Always lower case; the login name. */
		username: text('username').notNull(),
		fullName: text('full_name').notNull(),
		unitId: integer('unit_id').references(() => units.id, { onDelete: 'restrict' }),
		position: text('position').notNull().default(''),
		isLeader: boolean('is_leader').notNull().default(false),
		roles: text('roles')
			.array()
			.$type<Role[]>()
			.notNull()
			.default(sql`'{}'::text[]`),
		passwordHash: text('password_hash'),
		mustChangePassword: boolean('must_change_password').notNull().default(false),
		active: boolean('active').notNull().default(true),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('users_username_key').on(t.username),
		index('users_unit_id_idx').on(t.unitId),
		index('users_roles_idx').using('gin', t.roles)
	]
);

export type UnitRow = typeof units.$inferSelect;
export type UserRow = typeof users.$inferSelect;
