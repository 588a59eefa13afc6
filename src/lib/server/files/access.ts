// Who may download a stored file: the same people who may see what it belongs to.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { files, lessons } from '../db/schema';
import type { Actor } from '../auth/actor';
import { canSeeCourse } from '../courses/access';
import { canSeeTaskFile } from '../competitions/practical-shared';
import { submissionFileAccess } from '../competitions/judging';

export type ServedFile = typeof files.$inferSelect & {
	/** Offered for download only, never shown in the browser (competitors' files). */
	download?: boolean;
};

export async function fileForActor(db: Db, actor: Actor, id: string): Promise<ServedFile | null> {
	if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
	const [file] = await db.select().from(files).where(eq(files.id, id));
	if (!file) return null;
	switch (file.ownerType) {
		case 'course':
			return (await canSeeCourse(db, actor, Number(file.ownerId))) ? file : null;
		case 'task':
			return (await canSeeTaskFile(db, actor, Number(file.ownerId))) ? file : null;
		case 'submission': {
			// Judges get the file under a blind name: nothing in the response says whose it is.
			const access = await submissionFileAccess(db, actor, {
				submissionId: file.ownerId,
				fileId: file.id
			});
			if (!access) return null;
			return { ...file, fileName: access.fileName ?? file.fileName, download: true };
		}
		case 'lesson': {
			// Uploaded into a lesson: seen by whoever sees its course (a trainer may use an image in
			// several lessons of the course; the id is unguessable and the course check still holds).
			const [lesson] = await db
				.select({ courseId: lessons.courseId })
				.from(lessons)
				.where(eq(lessons.id, Number(file.ownerId)));
			if (!lesson) return null;
			return (await canSeeCourse(db, actor, lesson.courseId)) ? file : null;
		}
		default:
			return null;
	}
}
