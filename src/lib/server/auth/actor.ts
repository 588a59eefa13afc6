// The acting user as every domain function sees it, and the role/unit-scope rules.
import type { Role } from '../db/schema';
import { NotAllowed } from '../errors';

export interface Actor {
	id: number;
	username: string;
	fullName: string;
	roles: Role[];
	isLeader: boolean;
	unitId: number | null;
	/** Materialised path of the actor's unit, e.g. '/1/12/40/'. */
	unitPath: string | null;
	unitName: string | null;
	mustChangePassword: boolean;
}

/** The installation itself (CLI, seeding): an admin with no account row; audit rows record it as such. */
export const SYSTEM_ACTOR: Actor = {
	id: 0,
	username: 'system',
	fullName: 'HọcThi',
	roles: ['admin', 'organiser', 'trainer'],
	isLeader: false,
	unitId: null,
	unitPath: null,
	unitName: null,
	mustChangePassword: false
};

/** The actor as a users.id reference: null for the system actor, which has no account row. */
export function actorRef(actor: Actor): number | null {
	return actor.id > 0 ? actor.id : null;
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
	return roles.some((role) => actor.roles.includes(role));
}

export function requireRole(actor: Actor | null | undefined, ...roles: Role[]): Actor {
	if (!actor || !hasRole(actor, ...roles)) throw new NotAllowed();
	return actor;
}

/**
 * Which units' people an actor may see in reports and rosters:
 * 'all' for admins and organisers, a path prefix for unit leaders, 'self' otherwise.
 */
export type Scope =
	{ kind: 'all' } | { kind: 'subtree'; pathPrefix: string } | { kind: 'self'; userId: number };

export function scopeOf(actor: Actor): Scope {
	if (hasRole(actor, 'admin', 'organiser')) return { kind: 'all' };
	if (actor.isLeader && actor.unitPath) return { kind: 'subtree', pathPrefix: actor.unitPath };
	return { kind: 'self', userId: actor.id };
}

/** Whether a unit (by its path) lies in the actor's scope. */
export function canSeeUnit(actor: Actor, unitPath: string): boolean {
	const scope = scopeOf(actor);
	if (scope.kind === 'all') return true;
	if (scope.kind === 'subtree') return unitPath.startsWith(scope.pathPrefix);
	return false;
}

export function requireUnitInScope(actor: Actor, unitPath: string): void {
	if (!canSeeUnit(actor, unitPath)) throw new NotAllowed();
}
