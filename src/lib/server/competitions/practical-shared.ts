// What the practical-task pages and the judging pages share: a task's statement rendered with its
// attachments, who may open a task's files, and keeping attempts' scores in step with final scores.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
	attempts,
	competitionJudges,
	competitionRounds,
	files,
	practicalTasks
} from '../db/schema';
import { hasRole, type Actor } from '../auth/actor';
import { renderMarkdown } from '../markdown/render';
import { gradeAttempt } from '../assessments/engine';
import { notifyBoard } from '../realtime/notify';

export interface AttachmentView {
	id: string;
	fileName: string;
	size: number;
}

/** The attachments of several tasks, by task id, oldest first. */
export async function taskAttachments(
	db: Db,
	taskIds: number[]
): Promise<Map<number, Array<AttachmentView & { width: number | null; height: number | null }>>> {
	const out = new Map<
		number,
		Array<AttachmentView & { width: number | null; height: number | null }>
	>();
	if (!taskIds.length) return out;
	const rows = await db
		.select({
			id: files.id,
			ownerId: files.ownerId,
			fileName: files.fileName,
			size: files.size,
			width: files.width,
			height: files.height
		})
		.from(files)
		.where(
			and(
				eq(files.ownerType, 'task'),
				inArray(
					files.ownerId,
					taskIds.map((id) => String(id))
				)
			)
		)
		.orderBy(asc(files.createdAt), asc(files.id));
	for (const row of rows) {
		const list = out.get(Number(row.ownerId)) ?? [];
		list.push({
			id: row.id,
			fileName: row.fileName,
			size: row.size,
			width: row.width,
			height: row.height
		});
		out.set(Number(row.ownerId), list);
	}
	return out;
}

function attachmentFor(
	ref: string,
	attachments: Array<{ id: string; fileName: string; width: number | null; height: number | null }>
) {
	let name = ref;
	try {
		name = decodeURIComponent(ref);
	} catch {
		// Keep it as written.
	}
	name = name
		.replace(/^\.\//, '')
		.replace(/^files\//, '')
		.normalize('NFC');
	return attachments.find((a) => a.fileName === name) ?? null;
}

/**
 * A task statement as safe HTML. An image or link naming one of the task's attachments
 * (`![Sơ đồ](so-do-mang.png)`, `[mẫu](files/mau.docx)`) points at the served file.
 */
export function renderStatement(
	statement: string,
	attachments: Array<{ id: string; fileName: string; width: number | null; height: number | null }>
): string {
	return renderMarkdown(statement, {
		resolveImage: (src) => {
			const file = attachmentFor(src, attachments);
			return file ? { src: `/files/${file.id}`, width: file.width, height: file.height } : null;
		},
		resolveLink: (href) => {
			const file = attachmentFor(href, attachments);
			return file ? `/files/${file.id}` : null;
		}
	});
}

/**
 * Who may open a task's statement files: organisers, the competition's judges, and competitors
 * once they have started the round (never before: the statement is secret until the start).
 */
export async function canSeeTaskFile(db: Db, actor: Actor, taskId: number): Promise<boolean> {
	if (!Number.isSafeInteger(taskId)) return false;
	if (hasRole(actor, 'organiser', 'admin')) return true;
	const [task] = await db
		.select({
			assessmentId: competitionRounds.assessmentId,
			competitionId: competitionRounds.competitionId
		})
		.from(practicalTasks)
		.innerJoin(competitionRounds, eq(competitionRounds.id, practicalTasks.roundId))
		.where(eq(practicalTasks.id, taskId));
	if (!task) return false;
	const [judge] = await db
		.select({ userId: competitionJudges.userId })
		.from(competitionJudges)
		.where(
			and(
				eq(competitionJudges.competitionId, task.competitionId),
				eq(competitionJudges.userId, actor.id)
			)
		);
	if (judge) return true;
	const [attempt] = await db
		.select({ id: attempts.id })
		.from(attempts)
		.where(and(eq(attempts.assessmentId, task.assessmentId), eq(attempts.userId, actor.id)))
		.limit(1);
	return !!attempt;
}

/**
 * After a final score (or a rubric maximum) changes: regrade the submitted attempts concerned, so
 * attempts.score, max_score and needs_grading stay what contract 2 says, and tell the boards.
 */
export async function regradeAttempts(
	db: Db,
	input: { competitionId: number; attemptIds: string[] }
): Promise<void> {
	if (!input.attemptIds.length) return;
	const submitted = await db
		.select({ id: attempts.id })
		.from(attempts)
		.where(and(inArray(attempts.id, input.attemptIds), eq(attempts.status, 'submitted')));
	for (const attempt of submitted) await gradeAttempt(db, attempt.id);
	if (submitted.length) await notifyBoard(db, input.competitionId);
}
