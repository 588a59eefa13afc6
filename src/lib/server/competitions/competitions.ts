// Competitions (hội thi): organisers create and edit them — rules, unit ranking rule, team size,
// eligibility, freeze, judge margin and prize quotas — and move them draft → registration →
// running → finished. Competitors see every competition that is past its draft.
import { and, asc, count, eq, ne, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { prepared } from '../db/prepared';
import type { Db } from '../db/client';
import {
	PRIZES,
	UNIT_KINDS,
	competitionRegistrations,
	competitionRounds,
	competitions,
	type CompetitionStatus,
	type PrizeQuotas,
	type UnitKind,
	type UnitRule
} from '../db/schema';
import { recordAudit } from '../audit/log';
import { actorRef, hasRole, requireRole, type Actor } from '../auth/actor';
import { Invalid, NotFound } from '../errors';
import { m } from '../i18n';
import { renderMarkdown } from '../markdown/render';
import { notifyBoard } from '../realtime/notify';

export const COMPETITION_STATUSES = ['draft', 'registration', 'running', 'finished'] as const;
export const UNIT_RULES = ['best_k', 'mean_registered', 'mean_team'] as const;
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Organisers run competitions; admins may step in. */
export function requireOrganiser(actor: Actor): Actor {
	return requireRole(actor, 'organiser', 'admin');
}

export function isOrganiser(actor: Actor): boolean {
	return hasRole(actor, 'organiser', 'admin');
}

/**
 * Forward by any number of steps; back by one step to undo a slip, except out of 'finished'
 * (results may have been published from it).
 */
export function canChangeStatus(from: CompetitionStatus, to: CompetitionStatus): boolean {
	const a = COMPETITION_STATUSES.indexOf(from);
	const b = COMPETITION_STATUSES.indexOf(to);
	if (a < 0 || b < 0) return false;
	return b >= a || (b === a - 1 && from !== 'finished');
}

const quota = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100));
const quotas = v.object({ nhat: quota, nhi: quota, ba: quota, kk: quota });

const settingsSchema = v.object({
	slug: v.pipe(v.string(), v.trim(), v.minLength(3), v.maxLength(80), v.regex(SLUG_PATTERN)),
	title: v.pipe(v.string(), v.trim(), v.minLength(5), v.maxLength(200)),
	description: v.pipe(v.string(), v.maxLength(20_000)),
	status: v.picklist(COMPETITION_STATUSES),
	unitRule: v.picklist(UNIT_RULES),
	unitBestK: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(50)),
	teamSizeMax: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)),
	eligibleUnitKinds: v.array(v.picklist(UNIT_KINDS)),
	freezeMinutes: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(600)),
	judgeMargin: v.pipe(v.number(), v.minValue(0), v.maxValue(1000)),
	prizeQuotas: v.object({ individual: quotas, unit: quotas })
});

export interface CompetitionSettings {
	slug: string;
	title: string;
	description: string;
	status: CompetitionStatus;
	unitRule: UnitRule;
	unitBestK: number;
	teamSizeMax: number;
	eligibleUnitKinds: UnitKind[];
	freezeMinutes: number;
	judgeMargin: number;
	prizeQuotas: PrizeQuotas;
}

function fieldMessage(key: string): string {
	switch (key) {
		case 'slug':
			return m.comp_slug_invalid();
		case 'title':
			return m.comp_title_invalid();
		case 'description':
			return m.comp_description_too_long();
		case 'unitBestK':
			return m.comp_best_k_invalid();
		case 'teamSizeMax':
			return m.comp_team_size_invalid();
		case 'freezeMinutes':
			return m.comp_freeze_invalid();
		case 'judgeMargin':
			return m.comp_margin_invalid();
		case 'prizeQuotas':
			return m.comp_quota_invalid();
		default:
			return m.comp_field_invalid();
	}
}

/** Validates a competition's settings; field errors are keyed as the form's fields. */
export function parseCompetition(input: unknown): CompetitionSettings {
	const result = v.safeParse(settingsSchema, input);
	if (!result.success) {
		const fields: Record<string, string> = {};
		for (const issue of result.issues) {
			const path = issue.path ?? [];
			const top = String(path[0]?.key ?? 'form');
			// Quotas are shown per input: prizeQuotas.individual.nhat → quota_individual_nhat.
			const key =
				top === 'prizeQuotas' && path[1] && path[2]
					? `quota_${String(path[1].key)}_${String(path[2].key)}`
					: top;
			fields[key] ??= fieldMessage(top);
		}
		throw new Invalid(fields);
	}
	const s = result.output;
	return { ...s, eligibleUnitKinds: [...new Set(s.eligibleUnitKinds)] };
}

export const DEFAULT_QUOTAS: PrizeQuotas = {
	individual: { nhat: 1, nhi: 2, ba: 3, kk: 5 },
	unit: { nhat: 1, nhi: 1, ba: 2, kk: 2 }
};

export type CompetitionRow = typeof competitions.$inferSelect;

export async function findCompetition(db: Db, slug: string): Promise<CompetitionRow> {
	const [row] = await competitionBySlug(db).execute({ slug });
	if (!row) throw new NotFound();
	return row;
}

/** Every lobby, start and board request looks its competition up: built once (db/prepared.ts). */
const competitionBySlug = (db: Db) =>
	prepared(db, 'hocthi_competition_by_slug', (db, name) =>
		db
			.select()
			.from(competitions)
			.where(eq(competitions.slug, sql.placeholder('slug')))
			.prepare(name)
	);

/** A competition as a competitor may open it: anything past its draft (drafts only for organisers). */
export async function visibleCompetition(
	db: Db,
	actor: Actor,
	slug: string
): Promise<CompetitionRow> {
	const row = await findCompetition(db, slug);
	if (row.status === 'draft' && !isOrganiser(actor)) throw new NotFound();
	return row;
}

async function slugTaken(db: Db, slug: string, exceptId?: number): Promise<boolean> {
	const [row] = await db
		.select({ id: competitions.id })
		.from(competitions)
		.where(
			exceptId === undefined
				? eq(competitions.slug, slug)
				: and(eq(competitions.slug, slug), ne(competitions.id, exceptId))
		);
	return !!row;
}

/** Starts a competition in draft with sensible defaults; the rest is set on its settings page. */
export async function createCompetition(
	db: Db,
	actor: Actor,
	input: { slug: string; title: string; description?: string; now: Date; ip?: string | null }
): Promise<{ id: number; slug: string }> {
	requireOrganiser(actor);
	const settings = parseCompetition({
		slug: input.slug,
		title: input.title,
		description: input.description ?? '',
		status: 'draft',
		unitRule: 'best_k',
		unitBestK: 3,
		teamSizeMax: 5,
		eligibleUnitKinds: [],
		freezeMinutes: 15,
		judgeMargin: 2,
		prizeQuotas: DEFAULT_QUOTAS
	});
	return db.transaction(async (tx) => {
		if (await slugTaken(tx, settings.slug))
			throw new Invalid({ slug: m.comp_slug_taken({ slug: settings.slug }) });
		const [row] = await tx
			.insert(competitions)
			.values({
				...settings,
				createdBy: actorRef(actor),
				createdAt: input.now,
				updatedAt: input.now
			})
			.returning({ id: competitions.id, slug: competitions.slug });
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'competition.create',
			targetType: 'competition',
			targetId: row.id,
			details: { slug: row.slug, title: settings.title },
			ip: input.ip,
			now: input.now
		});
		return row;
	});
}

export async function updateCompetition(
	db: Db,
	actor: Actor,
	input: { slug: string; settings: unknown; now: Date; ip?: string | null }
): Promise<{ slug: string }> {
	requireOrganiser(actor);
	const settings = parseCompetition(input.settings);
	return db.transaction(async (tx) => {
		const before = await findCompetition(tx, input.slug);
		if (await slugTaken(tx, settings.slug, before.id))
			throw new Invalid({ slug: m.comp_slug_taken({ slug: settings.slug }) });
		if (!canChangeStatus(before.status, settings.status))
			throw new Invalid({
				status: m.comp_status_transition({
					from: statusLabel(before.status),
					to: statusLabel(settings.status)
				})
			});
		await tx
			.update(competitions)
			.set({ ...settings, updatedAt: input.now })
			.where(eq(competitions.id, before.id));
		const changed = (Object.keys(settings) as Array<keyof CompetitionSettings>).filter(
			(k) => JSON.stringify(settings[k]) !== JSON.stringify(before[k])
		);
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'competition.update',
			targetType: 'competition',
			targetId: before.id,
			details: { slug: settings.slug, changed, status: settings.status },
			ip: input.ip,
			now: input.now
		});
		// Unit rule, quotas, freeze and title are all on the boards.
		await notifyBoard(tx, before.id);
		return { slug: settings.slug };
	});
}

export function statusLabel(status: CompetitionStatus): string {
	switch (status) {
		case 'draft':
			return m.comp_status_draft();
		case 'registration':
			return m.comp_status_registration();
		case 'running':
			return m.comp_status_running();
		case 'finished':
			return m.comp_status_finished();
	}
}

export interface CompetitionListItem {
	slug: string;
	title: string;
	status: CompetitionStatus;
	rounds: number;
	registered: number;
}

async function withCounts(
	db: Db,
	rows: Array<{ id: number; slug: string; title: string; status: CompetitionStatus }>
): Promise<CompetitionListItem[]> {
	const rounds = await db
		.select({ id: competitionRounds.competitionId, n: count() })
		.from(competitionRounds)
		.groupBy(competitionRounds.competitionId);
	const registered = await db
		.select({ id: competitionRegistrations.competitionId, n: count() })
		.from(competitionRegistrations)
		.where(eq(competitionRegistrations.status, 'registered'))
		.groupBy(competitionRegistrations.competitionId);
	const roundsBy = new Map(rounds.map((r) => [r.id, r.n]));
	const registeredBy = new Map(registered.map((r) => [r.id, r.n]));
	return rows.map((r) => ({
		slug: r.slug,
		title: r.title,
		status: r.status,
		rounds: roundsBy.get(r.id) ?? 0,
		registered: registeredBy.get(r.id) ?? 0
	}));
}

/** Every competition, newest first, for the organisers' list. */
export async function listManagedCompetitions(
	db: Db,
	actor: Actor
): Promise<CompetitionListItem[]> {
	requireOrganiser(actor);
	const rows = await db
		.select({
			id: competitions.id,
			slug: competitions.slug,
			title: competitions.title,
			status: competitions.status
		})
		.from(competitions)
		.orderBy(sql`${competitions.createdAt} desc`, asc(competitions.id));
	return withCounts(db, rows);
}

export interface CompetitorListItem {
	slug: string;
	title: string;
	status: CompetitionStatus;
	/** The actor's own registration. */
	registered: boolean;
}

/** Competitions past their draft, with whether the actor is registered. */
export async function listCompetitionsFor(db: Db, actor: Actor): Promise<CompetitorListItem[]> {
	const rows = await db
		.select({
			slug: competitions.slug,
			title: competitions.title,
			status: competitions.status,
			registration: competitionRegistrations.status
		})
		.from(competitions)
		.leftJoin(
			competitionRegistrations,
			and(
				eq(competitionRegistrations.competitionId, competitions.id),
				eq(competitionRegistrations.userId, actor.id)
			)
		)
		.where(ne(competitions.status, 'draft'))
		.orderBy(sql`${competitions.createdAt} desc`, asc(competitions.id));
	return rows.map((r) => ({
		slug: r.slug,
		title: r.title,
		status: r.status,
		registered: r.registration === 'registered'
	}));
}

export interface ManagedCompetition {
	id: number;
	settings: CompetitionSettings;
	descriptionHtml: string;
	resultsPublished: boolean;
}

export async function managedCompetition(
	db: Db,
	actor: Actor,
	slug: string
): Promise<ManagedCompetition> {
	requireOrganiser(actor);
	const row = await findCompetition(db, slug);
	return {
		id: row.id,
		settings: {
			slug: row.slug,
			title: row.title,
			description: row.description,
			status: row.status,
			unitRule: row.unitRule,
			unitBestK: row.unitBestK,
			teamSizeMax: row.teamSizeMax,
			eligibleUnitKinds: row.eligibleUnitKinds as UnitKind[],
			freezeMinutes: row.freezeMinutes,
			judgeMargin: row.judgeMargin,
			prizeQuotas: row.prizeQuotas
		},
		descriptionHtml: renderMarkdown(row.description),
		resultsPublished: row.resultsPublishedAt !== null
	};
}

export { PRIZES };
