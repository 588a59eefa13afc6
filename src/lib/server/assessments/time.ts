// Deadlines and close times: the arithmetic the engine and the quiz pages share.
import type { assessments } from '../db/schema';

/** The close time that applies to one person (an override may move it later). */
export function effectiveClose(
	assessment: Pick<typeof assessments.$inferSelect, 'closeAt'>,
	personal: { closeAt: Date | null } | null
): Date | null {
	return personal?.closeAt ?? assessment.closeAt;
}

/** deadline = min(start + limit + extra, close); null when neither applies. */
export function computeDeadline(input: {
	startedAt: Date;
	timeLimitSeconds: number | null;
	extraSeconds: number;
	closeAt: Date | null;
}): Date | null {
	const byLimit = input.timeLimitSeconds
		? input.startedAt.getTime() + (input.timeLimitSeconds + input.extraSeconds) * 1000
		: null;
	const byClose = input.closeAt?.getTime() ?? null;
	if (byLimit === null && byClose === null) return null;
	return new Date(Math.min(byLimit ?? Infinity, byClose ?? Infinity));
}
