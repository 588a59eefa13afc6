// Seeds the demo data set into an empty database: units, the 620 cadres, staff accounts, and
// (through the steps other domains register) courses, quizzes, a competition and progress.
import { count, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { units, users } from '../db/schema';
import { hashPassword } from '../auth/password';
import { getSetting, setSetting } from '../settings';
import { childPath } from '../org/tree';
import { DEMO_UNITS } from './units';
import { DEMO_PASSWORD, DEMO_STAFF, demoCadres } from './people';
import { seedCourses, seedProgress, seedQuizzes } from './learning';
import { seedCompetition } from './competition';

export interface SeedContext {
	db: Db;
	now: Date;
	log: (message: string) => void;
	/** Project root, for content/ folders. */
	root: string;
}

export type SeedStep = { name: string; run: (ctx: SeedContext) => Promise<void> };

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
	const [u] = await db.select({ n: count() }).from(units);
	const [p] = await db.select({ n: count() }).from(users);
	return (u?.n ?? 0) === 0 && (p?.n ?? 0) === 0;
}

/** Every page asks (the demo banner); the answer changes only when a demo is seeded or restored. */
const demoFlags = new WeakMap<Db, { value: boolean; until: number }>();
const DEMO_FLAG_TTL_MS = 60_000;

export async function isDemo(db: Db): Promise<boolean> {
	const cached = demoFlags.get(db);
	if (cached && Date.now() < cached.until) return cached.value;
	const value = (await getSetting<boolean>(db, 'demo')) === true;
	demoFlags.set(db, { value, until: Date.now() + DEMO_FLAG_TTL_MS });
	return value;
}

async function seedOrganisation(ctx: SeedContext): Promise<void> {
	const { db, now } = ctx;
	// One hash for every demo account: the seed must take seconds, and these are demo passwords anyway.
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	await db.transaction(async (tx) => {
		const ids = new Map<string, { id: number; path: string; depth: number }>();
		for (const unit of DEMO_UNITS) {
			const parent = unit.parent ? ids.get(unit.parent)! : null;
			const [row] = await tx
				.insert(units)
				.values({
					code: unit.code,
					name: unit.name,
					kind: unit.kind,
					parentId: parent?.id ?? null,
					path: '/',
					depth: parent ? parent.depth + 1 : 0,
					sortOrder: ids.size,
					createdAt: now,
					updatedAt: now
				})
				.returning({ id: units.id });
			const path = childPath(parent?.path ?? null, row.id);
			ids.set(unit.code, { id: row.id, path, depth: parent ? parent.depth + 1 : 0 });
		}
		for (const { id, path } of ids.values()) {
			await tx.update(units).set({ path }).where(eq(units.id, id));
		}
		const people = [...DEMO_STAFF, ...demoCadres()].map((p) => ({
			username: p.username,
			fullName: p.fullName,
			unitId: ids.get(p.unitCode)!.id,
			position: p.position,
			roles: p.roles,
			isLeader: p.isLeader,
			passwordHash,
			createdAt: now,
			updatedAt: now
		}));
		for (let i = 0; i < people.length; i += 200) {
			await tx.insert(users).values(people.slice(i, i + 200));
		}
	});
	ctx.log(`units: ${DEMO_UNITS.length}, accounts: ${DEMO_STAFF.length + demoCadres().length}`);
}

/** In dependency order; each domain adds its demo content as a step here. */
const steps: SeedStep[] = [
	{ name: 'organisation', run: seedOrganisation },
	{ name: 'courses', run: seedCourses },
	{ name: 'quizzes', run: seedQuizzes },
	{ name: 'progress', run: seedProgress },
	{ name: 'competition', run: seedCompetition }
];

/** `skip` leaves out named steps (the quick benchmark skips the 40-second learning history: 'progress'). */
export async function seedDemo(ctx: SeedContext, options: { skip?: string[] } = {}): Promise<void> {
	for (const step of steps) {
		if (options.skip?.includes(step.name)) continue;
		const started = performance.now();
		// One transaction per step: thousands of small writes, one commit (seconds instead of minutes on PGlite).
		await ctx.db.transaction((tx) => step.run({ ...ctx, db: tx }));
		ctx.log(`seeded ${step.name} in ${Math.round(performance.now() - started)} ms`);
	}
	await setSetting(ctx.db, 'demo', true, ctx.now);
	demoFlags.delete(ctx.db);
}
