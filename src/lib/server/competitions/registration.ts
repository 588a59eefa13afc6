// Registration for a competition: organisers register anyone; unit leaders register the cadres of
// their own unit subtree (while registration is open). A competitor represents their own unit, or
// joins the team of their unit or a unit above it (teams per unit, up to the size limit). Bulk
// registration from a CSV `username,team` is checked whole and written all or nothing.
import { parse } from 'csv-parse/sync';
import { and, asc, eq, inArray, like, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
	competitionJudges,
	competitionRegistrations,
	competitionTeams,
	units,
	users,
	type CompetitionStatus,
	type UnitKind
} from '../db/schema';
import { recordAudit } from '../audit/log';
import { actorRef, canSeeUnit, scopeOf, type Actor } from '../auth/actor';
import { Conflict, ImportFailed, Invalid, NotAllowed, NotFound, type LineError } from '../errors';
import { m } from '../i18n';
import { USERNAME_PATTERN } from '../org/users';
import { stripBom } from '../text';
import { notifyBoard } from '../realtime/notify';
import { findCompetition, isOrganiser, type CompetitionRow } from './competitions';

export { decodeUtf8, ROSTER_MAX_BYTES as REGISTRATION_MAX_BYTES } from '../org/roster';

/** One registration asked for: a username and the unit code of the team to join ('' = individual). */
export interface RegistrationRequest {
	line: number;
	username: string;
	team: string;
}

export const REGISTRATION_COLUMNS = ['username', 'team'] as const;

/** Parses a registration CSV: header `username,team` (team may be empty; extra columns allowed). */
export function parseRegistrationCsv(text: string): {
	rows: RegistrationRequest[];
	errors: LineError[];
} {
	let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
	try {
		records = parse(stripBom(text), {
			columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
			skip_empty_lines: true,
			trim: true,
			info: true
		}) as Array<{ record: Record<string, string>; info: { lines: number } }>;
	} catch (error) {
		const e = error as { lines?: number; code?: string; message: string };
		return {
			rows: [],
			errors: [{ line: e.lines ?? 1, message: m.csv_syntax_error({ detail: e.code ?? e.message }) }]
		};
	}
	const header =
		records.length > 0
			? Object.keys(records[0].record)
			: (stripBom(text).split(/\r?\n/, 1)[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
	if (!header.includes('username'))
		return {
			rows: [],
			errors: [{ line: 1, message: m.csv_missing_columns({ columns: 'username' }) }]
		};
	if (records.length === 0) return { rows: [], errors: [{ line: 1, message: m.csv_no_rows() }] };
	const rows: RegistrationRequest[] = [];
	const errors: LineError[] = [];
	const firstLine = new Map<string, number>();
	for (const { record, info } of records) {
		const line = info.lines;
		const username = (record.username ?? '').trim().toLowerCase();
		const team = (record.team ?? '').trim();
		if (!username) errors.push({ line, message: m.roster_username_missing() });
		else if (!USERNAME_PATTERN.test(username))
			errors.push({ line, message: m.roster_username_invalid({ username }) });
		else if (firstLine.has(username))
			errors.push({
				line,
				message: m.roster_username_duplicate({ username, line: firstLine.get(username)! })
			});
		else {
			firstLine.set(username, line);
			rows.push({ line, username, team });
		}
	}
	return { rows, errors };
}

// ---------------------------------------------------------------------------------------------
// Who may register whom

type Registrar = { kind: 'all' } | { kind: 'subtree'; pathPrefix: string };

/** Organisers (until the competition finishes) or unit leaders (while registration is open). */
function registrarOf(actor: Actor, competition: CompetitionRow): Registrar {
	if (isOrganiser(actor)) {
		if (competition.status === 'finished') throw new Conflict(m.comp_reg_closed());
		return { kind: 'all' };
	}
	const scope = scopeOf(actor);
	if (scope.kind !== 'subtree') throw new NotAllowed();
	if (competition.status !== 'registration') throw new Conflict(m.comp_reg_closed());
	return scope;
}

/** Whether the actor may see (and, when open, change) registrations of the competition. */
export function canRegisterFor(actor: Actor, status: CompetitionStatus): boolean {
	if (isOrganiser(actor)) return status !== 'finished';
	return scopeOf(actor).kind === 'subtree' && status === 'registration';
}

interface Person {
	id: number;
	username: string;
	fullName: string;
	active: boolean;
	roles: string[];
	unitId: number | null;
	unitPath: string | null;
	unitKind: UnitKind | null;
}

interface UnitInfo {
	id: number;
	code: string;
	name: string;
	kind: UnitKind;
	path: string;
}

interface Plan {
	line: number;
	userId: number;
	username: string;
	/** The unit represented: the team's unit, or the person's own. */
	unitId: number;
	teamUnit: UnitInfo | null;
}

function unitKindLabel(kind: UnitKind): string {
	switch (kind) {
		case 'province':
			return m.unit_kind_province();
		case 'agency':
			return m.unit_kind_agency();
		case 'district':
			return m.unit_kind_district();
		case 'commune':
			return m.unit_kind_commune();
	}
}

/** Checks requests against people, units, scope, eligibility and team sizes; nothing is written. */
async function planRegistrations(
	db: Db,
	actor: Actor,
	competition: CompetitionRow,
	requests: RegistrationRequest[]
): Promise<{ plans: Plan[]; errors: Array<LineError & { field: 'username' | 'team' }> }> {
	const registrar = registrarOf(actor, competition);
	const usernames = requests.map((r) => r.username.trim().toLowerCase());
	const people = usernames.length
		? await db
				.select({
					id: users.id,
					username: users.username,
					fullName: users.fullName,
					active: users.active,
					roles: users.roles,
					unitId: users.unitId,
					unitPath: units.path,
					unitKind: units.kind
				})
				.from(users)
				.leftJoin(units, eq(units.id, users.unitId))
				.where(inArray(users.username, usernames))
		: [];
	const byUsername = new Map<string, Person>(people.map((p) => [p.username, p]));
	const unitRows = await db
		.select({
			id: units.id,
			code: units.code,
			name: units.name,
			kind: units.kind,
			path: units.path
		})
		.from(units);
	const unitByCode = new Map<string, UnitInfo>(unitRows.map((u) => [u.code.toLowerCase(), u]));
	const judges = new Set(
		(
			await db
				.select({ userId: competitionJudges.userId })
				.from(competitionJudges)
				.where(eq(competitionJudges.competitionId, competition.id))
		).map((j) => j.userId)
	);
	const eligible = competition.eligibleUnitKinds as UnitKind[];
	const inScope = (path: string) =>
		registrar.kind === 'all' || path.startsWith(registrar.pathPrefix);

	const errors: Array<LineError & { field: 'username' | 'team' }> = [];
	const plans: Plan[] = [];
	for (const request of requests) {
		const line = request.line;
		const username = request.username.trim().toLowerCase();
		const person = byUsername.get(username);
		const fail = (message: string, field: 'username' | 'team' = 'username') =>
			errors.push({ line, message, field });
		if (!person || !person.active) {
			fail(m.comp_reg_user_unknown({ username }));
			continue;
		}
		if (!person.unitId || !person.unitPath || !person.unitKind) {
			fail(m.comp_reg_no_unit({ username }));
			continue;
		}
		// Scope first: a leader learns nothing more about people outside their units.
		if (!inScope(person.unitPath)) {
			fail(m.comp_reg_out_of_scope({ username }));
			continue;
		}
		if (!person.roles.includes('cadre')) {
			fail(m.comp_reg_not_cadre({ username }));
			continue;
		}
		if (judges.has(person.id)) {
			fail(m.comp_reg_is_judge({ username }));
			continue;
		}
		if (eligible.length && !eligible.includes(person.unitKind)) {
			fail(m.comp_reg_ineligible({ username, kinds: eligible.map(unitKindLabel).join(', ') }));
			continue;
		}
		let teamUnit: UnitInfo | null = null;
		if (request.team.trim()) {
			const code = request.team.trim();
			teamUnit = unitByCode.get(code.toLowerCase()) ?? null;
			if (!teamUnit) {
				fail(m.unit_unknown({ code }), 'team');
				continue;
			}
			if (!person.unitPath.startsWith(teamUnit.path)) {
				fail(m.comp_reg_team_not_own({ username, code: teamUnit.code }), 'team');
				continue;
			}
			if (teamUnit.kind === 'province') {
				fail(m.comp_reg_team_province({ code: teamUnit.code }), 'team');
				continue;
			}
			if (!inScope(teamUnit.path)) {
				fail(m.comp_reg_team_out_of_scope({ code: teamUnit.code }), 'team');
				continue;
			}
		}
		plans.push({
			line,
			userId: person.id,
			username,
			unitId: teamUnit?.id ?? person.unitId,
			teamUnit
		});
	}

	// Team sizes once every line is known: those already in a team (and not moved by this batch)
	// plus the new members, in the order of the lines.
	const teamUnitIds = [...new Set(plans.flatMap((p) => (p.teamUnit ? [p.teamUnit.id] : [])))];
	if (teamUnitIds.length) {
		const members = await db
			.select({ unitId: competitionTeams.unitId, userId: competitionRegistrations.userId })
			.from(competitionRegistrations)
			.innerJoin(competitionTeams, eq(competitionTeams.id, competitionRegistrations.teamId))
			.where(
				and(
					eq(competitionRegistrations.competitionId, competition.id),
					eq(competitionRegistrations.status, 'registered'),
					inArray(competitionTeams.unitId, teamUnitIds)
				)
			);
		const moving = new Set(plans.map((p) => p.userId));
		const size = new Map<number, number>();
		for (const row of members)
			if (!moving.has(row.userId)) size.set(row.unitId, (size.get(row.unitId) ?? 0) + 1);
		for (const plan of plans) {
			if (!plan.teamUnit) continue;
			const n = (size.get(plan.teamUnit.id) ?? 0) + 1;
			size.set(plan.teamUnit.id, n);
			if (n > competition.teamSizeMax)
				errors.push({
					line: plan.line,
					field: 'team',
					message: m.comp_reg_team_full({
						code: plan.teamUnit.code,
						max: competition.teamSizeMax
					})
				});
		}
	}
	errors.sort((a, b) => a.line - b.line);
	return { plans, errors };
}

export interface RegistrationOutcome {
	registered: number;
	updated: number;
	unchanged: number;
}

async function writePlans(
	db: Db,
	actor: Actor,
	competition: CompetitionRow,
	plans: Plan[],
	input: { now: Date; ip?: string | null; source: string }
): Promise<RegistrationOutcome> {
	const outcome: RegistrationOutcome = { registered: 0, updated: 0, unchanged: 0 };
	const before = plans.length
		? await db
				.select()
				.from(competitionRegistrations)
				.where(
					and(
						eq(competitionRegistrations.competitionId, competition.id),
						inArray(
							competitionRegistrations.userId,
							plans.map((p) => p.userId)
						)
					)
				)
		: [];
	const existing = new Map(before.map((r) => [r.userId, r]));
	const teamIds = new Map<number, number>();
	for (const plan of plans) {
		let teamId: number | null = null;
		if (plan.teamUnit) {
			teamId = teamIds.get(plan.teamUnit.id) ?? null;
			if (teamId === null) {
				await db
					.insert(competitionTeams)
					.values({
						competitionId: competition.id,
						unitId: plan.teamUnit.id,
						name: plan.teamUnit.name
					})
					.onConflictDoNothing();
				const [team] = await db
					.select({ id: competitionTeams.id })
					.from(competitionTeams)
					.where(
						and(
							eq(competitionTeams.competitionId, competition.id),
							eq(competitionTeams.unitId, plan.teamUnit.id)
						)
					);
				teamId = team.id;
				teamIds.set(plan.teamUnit.id, teamId);
			}
		}
		const old = existing.get(plan.userId);
		if (old && old.status === 'registered' && old.unitId === plan.unitId && old.teamId === teamId) {
			outcome.unchanged++;
			continue;
		}
		if (old) {
			await db
				.update(competitionRegistrations)
				.set({
					unitId: plan.unitId,
					teamId,
					status: 'registered',
					registeredBy: actorRef(actor),
					// Coming back after withdrawing is a new registration.
					...(old.status === 'withdrawn' ? { registeredAt: input.now } : {})
				})
				.where(
					and(
						eq(competitionRegistrations.competitionId, competition.id),
						eq(competitionRegistrations.userId, plan.userId)
					)
				);
			if (old.status === 'withdrawn') outcome.registered++;
			else outcome.updated++;
		} else {
			await db.insert(competitionRegistrations).values({
				competitionId: competition.id,
				userId: plan.userId,
				unitId: plan.unitId,
				teamId,
				status: 'registered',
				registeredBy: actorRef(actor),
				registeredAt: input.now
			});
			outcome.registered++;
		}
	}
	await recordAudit(db, {
		actorId: actor.id,
		action: 'competition.register',
		targetType: 'competition',
		targetId: competition.id,
		details: {
			slug: competition.slug,
			source: input.source,
			...outcome,
			usernames: plans.slice(0, 50).map((p) => p.username)
		},
		ip: input.ip,
		now: input.now
	});
	if (outcome.registered || outcome.updated) await notifyBoard(db, competition.id);
	return outcome;
}

/** Serialises registration changes of one competition (team sizes are checked, then written). */
async function lockCompetition(db: Db, competitionId: number): Promise<void> {
	await db.execute(
		sql`select pg_advisory_xact_lock(hashtext('competition_registrations'), ${competitionId})`
	);
}

/** Registers one cadre (or moves them to another team); a form's errors come back per field. */
export async function registerCompetitor(
	db: Db,
	actor: Actor,
	input: { slug: string; username: string; team: string; now: Date; ip?: string | null }
): Promise<RegistrationOutcome> {
	const username = input.username.trim().toLowerCase();
	if (!username) throw new Invalid({ username: m.roster_username_missing() });
	// Checked before any query: a name no account can have (say with a NUL) must not reach SQL.
	if (!USERNAME_PATTERN.test(username))
		throw new Invalid({ username: m.comp_reg_user_unknown({ username }) });
	return db.transaction(async (tx) => {
		const competition = await findCompetition(tx, input.slug);
		await lockCompetition(tx, competition.id);
		const { plans, errors } = await planRegistrations(tx, actor, competition, [
			{ line: 1, username: input.username, team: input.team }
		]);
		if (errors.length) throw new Invalid({ [errors[0].field]: errors[0].message });
		return writePlans(tx, actor, competition, plans, { ...input, source: 'form' });
	});
}

/** Registers everyone in a CSV file, or nobody: every problem is reported with its line. */
export async function importRegistrations(
	db: Db,
	actor: Actor,
	input: { slug: string; text: string; fileName?: string; now: Date; ip?: string | null }
): Promise<RegistrationOutcome> {
	const parsed = parseRegistrationCsv(input.text);
	return db.transaction(async (tx) => {
		const competition = await findCompetition(tx, input.slug);
		await lockCompetition(tx, competition.id);
		const { plans, errors } = await planRegistrations(tx, actor, competition, parsed.rows);
		const all = [...parsed.errors, ...errors].sort((a, b) => a.line - b.line);
		if (all.length)
			throw new ImportFailed(
				all.map((e) => ({ line: e.line, message: e.message, file: input.fileName }))
			);
		return writePlans(tx, actor, competition, plans, {
			...input,
			source: `csv:${input.fileName ?? ''}`
		});
	});
}

/** Withdraws a competitor: they keep their attempts but leave the rankings and their team. */
export async function withdrawCompetitor(
	db: Db,
	actor: Actor,
	input: { slug: string; username: string; now: Date; ip?: string | null }
): Promise<void> {
	if (!USERNAME_PATTERN.test(input.username.trim().toLowerCase())) throw new NotFound();
	await db.transaction(async (tx) => {
		const competition = await findCompetition(tx, input.slug);
		const registrar = registrarOf(actor, competition);
		await lockCompetition(tx, competition.id);
		const [row] = await tx
			.select({
				userId: competitionRegistrations.userId,
				status: competitionRegistrations.status,
				unitPath: units.path
			})
			.from(competitionRegistrations)
			.innerJoin(users, eq(users.id, competitionRegistrations.userId))
			.leftJoin(units, eq(units.id, users.unitId))
			.where(
				and(
					eq(competitionRegistrations.competitionId, competition.id),
					eq(users.username, input.username.trim().toLowerCase())
				)
			);
		if (!row || row.status !== 'registered') throw new NotFound();
		if (registrar.kind === 'subtree' && !(row.unitPath ?? '').startsWith(registrar.pathPrefix))
			throw new NotAllowed();
		await tx
			.update(competitionRegistrations)
			.set({ status: 'withdrawn', teamId: null })
			.where(
				and(
					eq(competitionRegistrations.competitionId, competition.id),
					eq(competitionRegistrations.userId, row.userId)
				)
			);
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'competition.withdraw',
			targetType: 'competition',
			targetId: competition.id,
			details: { slug: competition.slug, username: input.username.trim().toLowerCase() },
			ip: input.ip,
			now: input.now
		});
		await notifyBoard(tx, competition.id);
	});
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface Registrant {
	username: string;
	fullName: string;
	/** The person's own unit. */
	unitName: string;
	teamMember: boolean;
	registeredAt: Date;
}

export interface RepresentedUnit {
	code: string;
	name: string;
	teamSize: number;
	members: Registrant[];
}

export interface RegistrationsView {
	competition: {
		slug: string;
		title: string;
		status: CompetitionStatus;
		teamSizeMax: number;
		eligibleUnitKinds: UnitKind[];
	};
	/** The actor may register and withdraw now. */
	canEdit: boolean;
	units: RepresentedUnit[];
	withdrawn: Registrant[];
	total: number;
	/** Units whose team a person in scope may join (not the province itself). */
	teamUnits: Array<{ code: string; name: string; depth: number }>;
	/** For a leader: cadres of their units not registered yet (organisers type a username). */
	candidates: Array<{ username: string; fullName: string; unitName: string }> | null;
}

/** Registrations an actor may see: all for organisers, their unit subtree for a leader. */
export async function registrationsView(
	db: Db,
	actor: Actor,
	input: { slug: string }
): Promise<RegistrationsView> {
	const competition = await findCompetition(db, input.slug);
	const organiser = isOrganiser(actor);
	const scope = scopeOf(actor);
	if (!organiser && scope.kind !== 'subtree') throw new NotAllowed();
	if (competition.status === 'draft' && !organiser) throw new NotFound();
	const prefix = scope.kind === 'subtree' && !organiser ? scope.pathPrefix : null;
	const rows = await db
		.select({
			username: users.username,
			fullName: users.fullName,
			ownUnitName: units.name,
			ownUnitPath: units.path,
			status: competitionRegistrations.status,
			teamId: competitionRegistrations.teamId,
			unitId: competitionRegistrations.unitId,
			registeredAt: competitionRegistrations.registeredAt
		})
		.from(competitionRegistrations)
		.innerJoin(users, eq(users.id, competitionRegistrations.userId))
		.innerJoin(units, eq(units.id, users.unitId))
		.where(
			and(
				eq(competitionRegistrations.competitionId, competition.id),
				prefix ? like(units.path, `${prefix}%`) : undefined
			)
		)
		.orderBy(asc(users.fullName));
	const unitRows = await db
		.select({
			id: units.id,
			code: units.code,
			name: units.name,
			kind: units.kind,
			path: units.path,
			depth: units.depth,
			sortOrder: units.sortOrder
		})
		.from(units)
		.orderBy(asc(units.path));
	const unitById = new Map(unitRows.map((u) => [u.id, u]));
	const byUnit = new Map<number, RepresentedUnit>();
	const withdrawn: Registrant[] = [];
	for (const r of rows) {
		const person: Registrant = {
			username: r.username,
			fullName: r.fullName,
			unitName: r.ownUnitName,
			teamMember: r.teamId !== null,
			registeredAt: r.registeredAt
		};
		if (r.status === 'withdrawn') {
			withdrawn.push(person);
			continue;
		}
		const unit = unitById.get(r.unitId)!;
		let group = byUnit.get(unit.id);
		if (!group) {
			group = { code: unit.code, name: unit.name, teamSize: 0, members: [] };
			byUnit.set(unit.id, group);
		}
		group.members.push(person);
		if (person.teamMember) group.teamSize++;
	}
	const ordered = [...byUnit.entries()]
		.sort(([a], [b]) =>
			unitById.get(a)!.path.localeCompare(unitById.get(b)!.path, 'en', { numeric: true })
		)
		.map(([, g]) => ({
			...g,
			members: g.members.sort((a, b) => Number(b.teamMember) - Number(a.teamMember))
		}));
	const visible = unitRows
		.filter((u) => u.kind !== 'province' && (organiser || canSeeUnit(actor, u.path)))
		.sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
	let candidates: RegistrationsView['candidates'] = null;
	if (!organiser && prefix) {
		const registered = new Set(
			rows.filter((r) => r.status === 'registered').map((r) => r.username)
		);
		const people = await db
			.select({ username: users.username, fullName: users.fullName, unitName: units.name })
			.from(users)
			.innerJoin(units, eq(units.id, users.unitId))
			.where(
				and(
					like(units.path, `${prefix}%`),
					eq(users.active, true),
					sql`'cadre' = any(${users.roles})`
				)
			)
			.orderBy(asc(units.path), asc(users.fullName));
		candidates = people.filter((p) => !registered.has(p.username));
	}
	return {
		competition: {
			slug: competition.slug,
			title: competition.title,
			status: competition.status,
			teamSizeMax: competition.teamSizeMax,
			eligibleUnitKinds: competition.eligibleUnitKinds as UnitKind[]
		},
		canEdit: canRegisterFor(actor, competition.status),
		units: ordered,
		withdrawn,
		total: rows.filter((r) => r.status === 'registered').length,
		teamUnits: visible.map((u) => ({
			code: u.code,
			name: u.name,
			depth: u.depth - (prefix ? (unitById.get(actor.unitId!)?.depth ?? 0) : 1)
		})),
		candidates
	};
}
