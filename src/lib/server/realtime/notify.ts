// Change notices for live views, over PostgreSQL NOTIFY: sent inside the writing transaction, so
// listeners on every app process hear of a change only once it is committed.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';

/** The channel on which a competition's boards are told to refresh; the payload is its id. */
export const BOARD_CHANNEL = 'hocthi_board';

export async function notifyBoard(db: Db, competitionId: number): Promise<void> {
	await db.execute(sql`select pg_notify(${BOARD_CHANNEL}, ${String(competitionId)})`);
}

/**
 * Tells the boards of the competition whose round owns this assessment (the engine calls it when
 * an attempt is finalised); a course quiz belongs to no round, and nothing is sent.
 */
export async function notifyBoardOfAssessment(db: Db, assessmentId: number): Promise<void> {
	await db.execute(
		sql`select pg_notify(${BOARD_CHANNEL}, competition_id::text) from competition_rounds where assessment_id = ${assessmentId}`
	);
}
