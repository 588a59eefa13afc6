// Publishing the official results: the prizes are written once as a snapshot (competition_awards),
// individual prize winners get their certificates, and every board is told. Publishing twice
// changes nothing.
import { count, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { competitionAwards, competitions } from '../db/schema';
import { recordAudit } from '../audit/log';
import { requireRole, type Actor } from '../auth/actor';
import { Conflict, NotFound } from '../errors';
import { m } from '../i18n';
import { issueCertificate } from '../reports/certificates';
import { prizeLabel } from '../../board/view';
import { notifyBoard } from '../realtime/notify';
import { findCompetition, loadStandings, type Standings } from './standings';

/** Why the results cannot be published yet (empty: they can). */
export function publishBlockers(standings: Standings, now: Date): string[] {
	const reasons: string[] = [];
	const open = standings.rounds.filter(
		(r) => r.counts && (r.closeAt === null || r.closeAt.getTime() > now.getTime())
	);
	if (open.length)
		reasons.push(m.board_block_rounds_open({ rounds: open.map((r) => r.name).join(', ') }));
	const pending = standings.individuals.filter((c) => c.provisional).length;
	if (pending) reasons.push(m.board_block_provisional({ count: pending }));
	if (standings.rounds.every((r) => !r.counts)) reasons.push(m.board_block_no_rounds());
	return reasons;
}

export interface PublishOutcome {
	alreadyPublished: boolean;
	individualAwards: number;
	unitAwards: number;
	certificates: number;
}

export async function publishResults(
	db: Db,
	actor: Actor,
	input: { slug: string; now: Date; ip?: string | null }
): Promise<PublishOutcome> {
	requireRole(actor, 'organiser', 'admin');
	const found = await findCompetition(db, { slug: input.slug });
	if (!found) throw new NotFound();
	return db.transaction(async (tx) => {
		// One publisher at a time: the second waits, then sees the results published.
		await tx.execute(sql`select id from competitions where id = ${found.id} for update`);
		const competition = (await findCompetition(tx, { id: found.id }))!;
		if (competition.resultsPublishedAt) {
			const [{ n }] = await tx
				.select({ n: count() })
				.from(competitionAwards)
				.where(eq(competitionAwards.competitionId, competition.id));
			return { alreadyPublished: true, individualAwards: n, unitAwards: 0, certificates: 0 };
		}
		const standings = (await loadStandings(tx, {
			competitionId: competition.id,
			variant: 'live',
			now: input.now,
			roundId: 'total'
		}))!;
		const blockers = publishBlockers(standings, input.now);
		if (blockers.length) throw new Conflict(blockers.join(' '));

		const winners = standings.individuals.filter((c) => c.prize);
		const unitWinners = standings.units.filter((u) => u.prize);
		const rows = [
			...winners.map((c) => ({
				competitionId: competition.id,
				kind: 'individual' as const,
				userId: c.userId,
				unitId: c.unitId,
				prize: c.prize!,
				rank: c.rank,
				score: c.score,
				awardedAt: input.now
			})),
			...unitWinners.map((u) => ({
				competitionId: competition.id,
				kind: 'unit' as const,
				userId: null,
				unitId: u.unitId,
				prize: u.prize!,
				rank: u.rank,
				score: u.score,
				awardedAt: input.now
			}))
		];
		if (rows.length) await tx.insert(competitionAwards).values(rows);
		let certificates = 0;
		for (const c of winners) {
			const { created } = await issueCertificate(tx, {
				kind: 'competition',
				userId: c.userId,
				subject: `competition:${competition.id}:${c.prize}`,
				data: {
					title: `${prizeLabel(c.prize!)} — ${competition.title}`,
					competition: competition.title,
					competitionSlug: competition.slug,
					fullName: c.fullName,
					unit: c.unitName,
					prize: c.prize,
					prizeName: prizeLabel(c.prize!),
					rank: c.rank,
					score: c.score,
					maxScore: c.maxScore,
					awardedAt: input.now.toISOString()
				},
				now: input.now
			});
			if (created) certificates++;
		}
		await tx
			.update(competitions)
			.set({ resultsPublishedAt: input.now, updatedAt: input.now })
			.where(eq(competitions.id, competition.id));
		await recordAudit(tx, {
			actorId: actor.id,
			action: 'competition.results_publish',
			targetType: 'competition',
			targetId: competition.id,
			details: {
				slug: competition.slug,
				individualAwards: winners.length,
				unitAwards: unitWinners.length,
				certificates
			},
			ip: input.ip,
			now: input.now
		});
		await notifyBoard(tx, competition.id);
		return {
			alreadyPublished: false,
			individualAwards: winners.length,
			unitAwards: unitWinners.length,
			certificates
		};
	});
}
