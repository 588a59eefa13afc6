// Certificates of course completion and of competition prizes: issued once per subject and person,
// with a short unguessable code that /verify/<code> looks up; downloadable as PDF by the owner and
// by those who may see the owner's record; revocable by admins.
import { and, asc, count, desc, eq, ilike, like, or, sql, type SQL } from 'drizzle-orm';
import * as v from 'valibot';
import type { Db } from '../db/client';
import { certificates, courseProgress, courses, lessons, units, users } from '../db/schema';
import { recordAudit } from '../audit/log';
import { actorRef, canSeeUnit, hasRole, requireRole, scopeOf, type Actor } from '../auth/actor';
import { Conflict, Invalid, NotAllowed, NotFound } from '../errors';
import { m } from '../i18n';
import { findUnitByCode } from '../org/units';
import { formatDate } from '../../format';

/** Crockford-style alphabet: no 0/O or 1/I/L to misread from paper. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A code like 'HT-7K3Q-9XWD-M2PA' (about 59 bits of randomness). */
export function newCertificateCode(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(12));
	const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
	return `HT-${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

/**
 * The canonical form of a code typed or scanned by a person ('ht 7k3q 9xwd m2pa' → 'HT-7K3Q-9XWD-M2PA'),
 * or null when it cannot be one.
 */
export function normaliseCertificateCode(input: string): string | null {
	let chars = input.toUpperCase().replace(/[\s\-_.]/g, '');
	if (chars.length === 14 && chars.startsWith('HT')) chars = chars.slice(2);
	if (chars.length !== 12 || ![...chars].every((c) => ALPHABET.includes(c))) return null;
	return `HT-${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

export type CertificateKind = 'course' | 'competition';

/** What a course certificate records, as it was when issued. */
export interface CourseCertificateData {
	fullName: string;
	unitName: string | null;
	courseTitle: string;
	/** dd/MM/yyyy, in Vietnam time. */
	completedOn: string;
	hours: number | null;
}

/**
 * What a competition certificate records (BOARD issues it when results are published). Only the
 * person, the competition and the prize are required; rank and score are printed when given.
 */
export interface CompetitionCertificateData {
	fullName: string;
	unitName: string | null;
	competitionTitle: string;
	/** The prize as printed, e.g. 'Giải Nhất' (a code 'nhat' | 'nhi' | 'ba' | 'kk' is also understood). */
	prize: string;
	rank?: number;
	score?: number;
	maxScore?: number;
	/** dd/MM/yyyy; defaults to the day of issue. */
	awardedOn?: string;
	/** The issuing body as printed at the top left, e.g. ['TỈNH ỦY YÊN BÁI', 'BAN TỔ CHỨC HỘI THI']. */
	issuer?: [string, string];
	/** A unit prize (toàn đoàn): the certificate names the unit, not the person it is issued to. */
	unitAward?: boolean;
}

export interface CertificateInput {
	kind: CertificateKind;
	userId: number;
	/** 'course:<courseId>' or 'competition:<competitionId>:<prize>'. */
	subject: string;
	/** What is certified, as shown on the PDF and at /verify (names, unit, title, score, dates). */
	data: Record<string, unknown>;
	now: Date;
}

/**
 * Issues the certificate for a subject and person, or returns the one already issued (idempotent:
 * completing a course twice or publishing results twice does not make a second certificate).
 */
export async function issueCertificate(
	db: Db,
	input: CertificateInput
): Promise<{ code: string; created: boolean }> {
	const [row] = await db
		.insert(certificates)
		.values({
			code: newCertificateCode(),
			kind: input.kind,
			userId: input.userId,
			subject: input.subject,
			data: input.data,
			issuedAt: input.now
		})
		.onConflictDoNothing({ target: [certificates.subject, certificates.userId] })
		.returning({ code: certificates.code });
	if (row) return { code: row.code, created: true };
	const [existing] = await db
		.select({ code: certificates.code })
		.from(certificates)
		.where(and(eq(certificates.subject, input.subject), eq(certificates.userId, input.userId)));
	return { code: existing.code, created: false };
}

/**
 * The course certificate of a cadre who has met the completion rule, with a snapshot of their name,
 * unit, the course and its hours (estimated hours, else the lessons' minutes), dated the completion.
 */
export async function issueCourseCertificate(
	db: Db,
	input: { userId: number; courseId: number; now: Date }
): Promise<{ code: string; created: boolean }> {
	const subject = `course:${input.courseId}`;
	const [existing] = await db
		.select({ code: certificates.code })
		.from(certificates)
		.where(and(eq(certificates.subject, subject), eq(certificates.userId, input.userId)));
	if (existing) return { code: existing.code, created: false };
	const [row] = await db
		.select({
			fullName: users.fullName,
			unitName: units.name,
			courseTitle: courses.title,
			estimatedHours: courses.estimatedHours,
			completedAt: courseProgress.completedAt,
			minutes: sql<number | null>`(select sum(${lessons.estimatedMinutes})::int from ${lessons}
				where ${lessons.courseId} = ${courses.id} and ${lessons.status} = 'published')`
		})
		.from(users)
		.leftJoin(units, eq(units.id, users.unitId))
		.innerJoin(courses, eq(courses.id, input.courseId))
		.leftJoin(
			courseProgress,
			and(eq(courseProgress.userId, users.id), eq(courseProgress.courseId, courses.id))
		)
		.where(eq(users.id, input.userId));
	if (!row) throw new NotFound();
	const completedAt = row.completedAt ?? input.now;
	const minutes = row.minutes === null ? null : Number(row.minutes);
	const data: CourseCertificateData = {
		fullName: row.fullName,
		unitName: row.unitName,
		courseTitle: row.courseTitle,
		completedOn: formatDate(completedAt),
		hours:
			row.estimatedHours ??
			(minutes && minutes > 0 ? Math.max(1, Math.round((minutes / 60) * 2) / 2) : null)
	};
	return issueCertificate(db, {
		kind: 'course',
		userId: input.userId,
		subject,
		data: { ...data },
		now: completedAt
	});
}

const PRIZE_NAMES: Record<string, string> = {
	nhat: 'Giải Nhất',
	nhi: 'Giải Nhì',
	ba: 'Giải Ba',
	kk: 'Giải Khuyến khích'
};

/** A certificate as the PDF, /verify and the lists show it, whatever its kind. */
export interface CertificateView {
	code: string;
	kind: CertificateKind;
	fullName: string;
	unitName: string | null;
	/** The course or the competition. */
	title: string;
	/** The prize for a competition ('Giải Nhất'); null for a course. */
	prize: string | null;
	rank: number | null;
	score: number | null;
	maxScore: number | null;
	hours: number | null;
	/** The day achieved, dd/MM/yyyy (completion of the course, award of the prize). */
	achievedOn: string;
	issuedAt: Date;
	issuer: [string, string] | null;
	/** Certifies a unit (a toàn đoàn prize) rather than a person. */
	unitAward: boolean;
	revokedAt: Date | null;
}

const text = (value: unknown): string | null =>
	typeof value === 'string' && value.trim() ? value.trim() : null;
const num = (value: unknown): number | null => {
	const n = typeof value === 'string' ? Number(value.replace(',', '.')) : value;
	return typeof n === 'number' && Number.isFinite(n) ? n : null;
};

/** Reads the snapshot leniently: the course shape above, the competition shape, or close variants. */
export function describeCertificate(row: {
	code: string;
	kind: CertificateKind;
	data: Record<string, unknown>;
	issuedAt: Date;
	revokedAt: Date | null;
	/** The account's current name, if the snapshot lacks one. */
	currentName?: string | null;
}): CertificateView {
	const d = row.data;
	const prize = text(d.prizeName) ?? text(d.prize);
	const issuer =
		Array.isArray(d.issuer) && d.issuer.length === 2 && d.issuer.every((s) => text(s))
			? ([String(d.issuer[0]), String(d.issuer[1])] as [string, string])
			: null;
	return {
		code: row.code,
		kind: row.kind,
		fullName: text(d.fullName) ?? text(d.name) ?? row.currentName ?? '',
		unitName: text(d.unitName) ?? text(d.unit),
		title:
			(row.kind === 'course'
				? (text(d.courseTitle) ?? text(d.course))
				: (text(d.competitionTitle) ?? text(d.competition))) ??
			text(d.title) ??
			'',
		prize: row.kind === 'competition' && prize ? (PRIZE_NAMES[prize] ?? prize) : null,
		rank: num(d.rank),
		score: num(d.score),
		maxScore: num(d.maxScore),
		hours: num(d.hours),
		achievedOn:
			text(d.completedOn) ?? text(d.awardedOn) ?? text(d.date) ?? formatDate(row.issuedAt),
		issuedAt: row.issuedAt,
		issuer,
		unitAward: row.kind === 'competition' && d.unitAward === true && !!text(d.unitName ?? d.unit),
		revokedAt: row.revokedAt
	};
}

const viewColumns = {
	id: certificates.id,
	code: certificates.code,
	kind: certificates.kind,
	data: certificates.data,
	issuedAt: certificates.issuedAt,
	revokedAt: certificates.revokedAt,
	revokedReason: certificates.revokedReason,
	userId: certificates.userId,
	currentName: users.fullName,
	username: users.username,
	unitPath: units.path
};

async function findByCode(db: Db, code: string) {
	const [row] = await db
		.select(viewColumns)
		.from(certificates)
		.innerJoin(users, eq(users.id, certificates.userId))
		.leftJoin(units, eq(units.id, users.unitId))
		.where(eq(certificates.code, code));
	return row ?? null;
}

/**
 * The public check behind /verify/<code>: the certificate as issued and whether it was revoked, or
 * null for a code that is malformed or unknown (the caller answers both the same way).
 */
export async function verifyCertificate(
	db: Db,
	input: { code: string }
): Promise<CertificateView | null> {
	const code = normaliseCertificateCode(input.code);
	if (!code) return null;
	const row = await findByCode(db, code);
	return row ? describeCertificate(row) : null;
}

/** Who may open a certificate's PDF and details: the owner, admins, organisers, leaders of the owner's units. */
function maySee(actor: Actor, owner: { userId: number; unitPath: string | null }): boolean {
	if (owner.userId === actor.id) return true;
	if (scopeOf(actor).kind === 'all') return true;
	return owner.unitPath !== null && canSeeUnit(actor, owner.unitPath);
}

export interface CertificateDetail extends CertificateView {
	userId: number;
	username: string;
	revokedReason: string | null;
}

/** A certificate for the PDF download and the details page, checked against the actor's scope. */
export async function certificateForActor(
	db: Db,
	actor: Actor,
	input: { code: string }
): Promise<CertificateDetail> {
	const code = normaliseCertificateCode(input.code);
	const row = code ? await findByCode(db, code) : null;
	if (!row) throw new NotFound();
	if (!maySee(actor, row)) throw new NotAllowed();
	return {
		...describeCertificate(row),
		userId: row.userId,
		username: row.username,
		// Why it was revoked is for admins; the owner and leaders see only that it was.
		revokedReason: hasRole(actor, 'admin') ? row.revokedReason : null
	};
}

/** A person's certificates, newest first (their own record and "my learning"). */
export async function certificatesOf(
	db: Db,
	actor: Actor,
	input: { userId: number }
): Promise<CertificateView[]> {
	const [owner] = await db
		.select({ userId: users.id, unitPath: units.path })
		.from(users)
		.leftJoin(units, eq(units.id, users.unitId))
		.where(eq(users.id, input.userId));
	if (!owner) throw new NotFound();
	if (!maySee(actor, owner)) throw new NotAllowed();
	const rows = await db
		.select(viewColumns)
		.from(certificates)
		.innerJoin(users, eq(users.id, certificates.userId))
		.leftJoin(units, eq(units.id, users.unitId))
		.where(eq(certificates.userId, input.userId))
		.orderBy(desc(certificates.issuedAt), desc(certificates.id));
	return rows.map(describeCertificate);
}

export interface CertificateFilter {
	q?: string;
	/** Only people in this unit and the units below it. */
	unitCode?: string;
	kind?: CertificateKind;
	revoked?: boolean;
	limit?: number;
	offset?: number;
}

/** Certificates of the people the actor may see (admins and organisers: all; leaders: their subtree). */
export async function listCertificates(
	db: Db,
	actor: Actor,
	filter: CertificateFilter = {}
): Promise<{ rows: Array<CertificateView & { username: string }>; total: number }> {
	const scope = scopeOf(actor);
	if (scope.kind === 'self') throw new NotAllowed();
	const conditions: SQL[] = [];
	if (scope.kind === 'subtree') conditions.push(like(units.path, `${scope.pathPrefix}%`));
	if (filter.unitCode) {
		const unit = await findUnitByCode(db, filter.unitCode);
		if (!unit) throw new NotFound();
		if (!canSeeUnit(actor, unit.path)) throw new NotAllowed();
		conditions.push(like(units.path, `${unit.path}%`));
	}
	if (filter.kind) conditions.push(eq(certificates.kind, filter.kind));
	if (filter.revoked !== undefined)
		conditions.push(
			filter.revoked
				? sql`${certificates.revokedAt} is not null`
				: sql`${certificates.revokedAt} is null`
		);
	const q = filter.q?.trim();
	if (q) {
		const code = normaliseCertificateCode(q);
		const pattern = `%${q.replace(/[%_\\]/g, '\\$&')}%`;
		conditions.push(
			or(
				...(code ? [eq(certificates.code, code)] : []),
				ilike(certificates.code, pattern),
				ilike(users.fullName, pattern),
				ilike(users.username, pattern),
				sql`${certificates.data}::text ilike ${pattern}`
			)!
		);
	}
	const where = conditions.length ? and(...conditions) : undefined;
	const rows = await db
		.select(viewColumns)
		.from(certificates)
		.innerJoin(users, eq(users.id, certificates.userId))
		.leftJoin(units, eq(units.id, users.unitId))
		.where(where)
		.orderBy(desc(certificates.issuedAt), asc(certificates.id))
		.limit(Math.min(filter.limit ?? 50, 500))
		.offset(filter.offset ?? 0);
	const [total] = await db
		.select({ n: count() })
		.from(certificates)
		.innerJoin(users, eq(users.id, certificates.userId))
		.leftJoin(units, eq(units.id, users.unitId))
		.where(where);
	return {
		rows: rows.map((r) => ({ ...describeCertificate(r), username: r.username })),
		total: total?.n ?? 0
	};
}

const RevokeSchema = v.object({
	reason: v.pipe(
		v.string(),
		v.trim(),
		v.minLength(5, () => m.cert_revoke_reason_short()),
		v.maxLength(500, () => m.cert_revoke_reason_long())
	)
});

/** Revokes a certificate (admins only), with a reason, in the audit log. /verify then says so. */
export async function revokeCertificate(
	db: Db,
	actor: Actor,
	input: { code: string; reason: string; now: Date; ip?: string | null }
): Promise<void> {
	requireRole(actor, 'admin');
	const parsed = v.safeParse(RevokeSchema, { reason: input.reason });
	if (!parsed.success) throw new Invalid({ reason: parsed.issues[0].message });
	const code = normaliseCertificateCode(input.code);
	if (!code) throw new NotFound();
	await db.transaction(async (tx) => {
		const [row] = await tx
			.select({
				id: certificates.id,
				kind: certificates.kind,
				userId: certificates.userId,
				revokedAt: certificates.revokedAt
			})
			.from(certificates)
			.where(eq(certificates.code, code))
			.for('update');
		if (!row) throw new NotFound();
		if (row.revokedAt) throw new Conflict(m.cert_already_revoked());
		await tx
			.update(certificates)
			.set({
				revokedAt: input.now,
				revokedReason: parsed.output.reason,
				revokedBy: actorRef(actor)
			})
			.where(eq(certificates.id, row.id));
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'certificate.revoke',
			targetType: 'certificate',
			targetId: code,
			details: { kind: row.kind, userId: row.userId, reason: parsed.output.reason },
			ip: input.ip,
			now: input.now
		});
	});
}

/** The code of a person's own course certificate, for the link on the course page (null if none). */
export async function courseCertificateCode(
	db: Db,
	actor: Actor,
	input: { courseId: number }
): Promise<string | null> {
	const [row] = await db
		.select({ code: certificates.code })
		.from(certificates)
		.where(
			and(eq(certificates.userId, actor.id), eq(certificates.subject, `course:${input.courseId}`))
		);
	return row?.code ?? null;
}
