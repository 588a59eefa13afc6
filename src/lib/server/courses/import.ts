// Imports a course folder in one transaction: the course, its sections and lessons (updated in
// place on re-import, keeping the progress of lessons that stay), its images and files, and its
// question bank. Nothing is written when anything in the folder is wrong.
import { createHash } from 'node:crypto';
import { and, eq, inArray, notInArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
	courseAssignments,
	courseSections,
	courses,
	files,
	lessonRevisions,
	lessons,
	units
} from '../db/schema';
import { recordAudit } from '../audit/log';
import { requireRole, type Actor } from '../auth/actor';
import { ImportFailed } from '../errors';
import { m } from '../i18n';
import { storeFile } from '../files/store';
import { importQuestions, type ImportCounts } from '../questions/bank';
import { readCourseFolder } from './folder';

export const COURSE_FILE_OWNER = 'course';

export interface CourseImportResult {
	courseId: number;
	slug: string;
	title: string;
	created: boolean;
	lessons: { created: number; updated: number; unchanged: number; removed: number };
	assets: number;
	questions: ImportCounts | null;
}

export async function importCourseFolder(
	db: Db,
	actor: Actor,
	input: { dir: string; now: Date; ip?: string | null }
): Promise<CourseImportResult> {
	requireRole(actor, 'trainer', 'admin');
	const { folder, errors } = await readCourseFolder(input.dir);
	if (!folder) throw new ImportFailed(errors);
	let unitIds: number[] = [];
	if (folder.units) {
		const rows = await db
			.select({ id: units.id, code: units.code })
			.from(units)
			.where(inArray(units.code, folder.units));
		const missing = folder.units.filter((code) => !rows.some((r) => r.code === code));
		if (missing.length)
			throw new ImportFailed([
				{
					file: 'course.md',
					line: 1,
					message: m.folder_units_unknown({ codes: missing.join(', ') })
				}
			]);
		unitIds = rows.map((r) => r.id);
	}
	const actorId = actor.id > 0 ? actor.id : null;

	return db.transaction(async (tx) => {
		const values = {
			title: folder.title,
			summary: folder.summary,
			category: folder.category,
			description: folder.description,
			estimatedHours: folder.estimatedHours,
			status: folder.published ? ('published' as const) : ('draft' as const),
			audience: folder.units ? ('assigned' as const) : ('everyone' as const),
			updatedBy: actorId,
			updatedAt: input.now
		};
		const [existing] = await tx.select().from(courses).where(eq(courses.slug, folder.slug));
		let courseId: number;
		if (existing) {
			courseId = existing.id;
			await tx
				.update(courses)
				.set({
					...values,
					publishedAt: folder.published ? (existing.publishedAt ?? input.now) : existing.publishedAt
				})
				.where(eq(courses.id, courseId));
		} else {
			const [row] = await tx
				.insert(courses)
				.values({
					slug: folder.slug,
					...values,
					createdBy: actorId,
					createdAt: input.now,
					publishedAt: folder.published ? input.now : null
				})
				.returning({ id: courses.id });
			courseId = row.id;
		}

		// Sections are rebuilt from the lessons' front matter; lessons keep their ids (and progress).
		await tx.delete(courseSections).where(eq(courseSections.courseId, courseId));
		const sectionIds = new Map<string, number>();
		let sectionPosition = 0;
		for (const lesson of folder.lessons) {
			if (lesson.section && !sectionIds.has(lesson.section)) {
				const [section] = await tx
					.insert(courseSections)
					.values({ courseId, title: lesson.section, position: ++sectionPosition })
					.returning({ id: courseSections.id });
				sectionIds.set(lesson.section, section.id);
			}
		}
		const before = await tx.select().from(lessons).where(eq(lessons.courseId, courseId));
		const counts = { created: 0, updated: 0, unchanged: 0, removed: 0 };
		for (const [i, lesson] of folder.lessons.entries()) {
			const old = before.find((l) => l.slug === lesson.slug);
			const row = {
				title: lesson.title,
				body: lesson.body,
				estimatedMinutes: lesson.estimatedMinutes,
				sectionId: lesson.section ? sectionIds.get(lesson.section)! : null,
				position: i + 1,
				status: 'published' as const,
				updatedBy: actorId,
				updatedAt: input.now
			};
			if (!old) {
				const [created] = await tx
					.insert(lessons)
					.values({ courseId, slug: lesson.slug, ...row })
					.returning({ id: lessons.id });
				await tx.insert(lessonRevisions).values({
					lessonId: created.id,
					title: lesson.title,
					body: lesson.body,
					status: 'published',
					editedBy: actorId,
					editedAt: input.now,
					note: 'import'
				});
				counts.created++;
				continue;
			}
			const contentChanged =
				old.title !== lesson.title || old.body !== lesson.body || old.status !== 'published';
			await tx
				.update(lessons)
				.set(
					contentChanged
						? row
						: {
								sectionId: row.sectionId,
								position: row.position,
								estimatedMinutes: row.estimatedMinutes
							}
				)
				.where(eq(lessons.id, old.id));
			if (contentChanged) {
				await tx.insert(lessonRevisions).values({
					lessonId: old.id,
					title: lesson.title,
					body: lesson.body,
					status: 'published',
					editedBy: actorId,
					editedAt: input.now,
					note: 'import'
				});
				counts.updated++;
			} else counts.unchanged++;
		}
		const keep = folder.lessons.map((l) => l.slug);
		const removed = await tx
			.delete(lessons)
			.where(
				and(
					eq(lessons.courseId, courseId),
					keep.length ? notInArray(lessons.slug, keep) : undefined
				)
			)
			.returning({ id: lessons.id });
		counts.removed = removed.length;

		// Assets: unchanged files keep their ids, so pages cached offline keep working.
		const stored = await tx
			.select({ id: files.id, fileName: files.fileName, sha256: files.sha256 })
			.from(files)
			.where(and(eq(files.ownerType, COURSE_FILE_OWNER), eq(files.ownerId, String(courseId))));
		for (const asset of folder.assets) {
			const sha = createHash('sha256').update(asset.bytes).digest('hex');
			const same = stored.find((f) => f.fileName === asset.path);
			if (same && same.sha256 === sha) continue;
			if (same) await tx.delete(files).where(eq(files.id, same.id));
			await storeFile(tx, {
				ownerType: COURSE_FILE_OWNER,
				ownerId: courseId,
				bytes: asset.bytes,
				checked: { ...asset.checked, fileName: asset.path },
				createdBy: actorId,
				now: input.now
			});
		}
		const unused = stored
			.filter((f) => !folder.assets.some((a) => a.path === f.fileName))
			.map((f) => f.id);
		if (unused.length) await tx.delete(files).where(inArray(files.id, unused));

		for (const unitId of unitIds) {
			const [assigned] = await tx
				.select({ id: courseAssignments.id })
				.from(courseAssignments)
				.where(and(eq(courseAssignments.courseId, courseId), eq(courseAssignments.unitId, unitId)));
			if (!assigned)
				await tx.insert(courseAssignments).values({
					courseId,
					unitId,
					includeSubtree: true,
					assignedBy: actorId,
					assignedAt: input.now
				});
		}

		const questionCounts = folder.questions?.length
			? await importQuestions(tx, actor, { questions: folder.questions, now: input.now })
			: null;

		await recordAudit(tx, {
			actorId: actor.id,
			action: 'course.import',
			targetType: 'course',
			targetId: courseId,
			details: {
				slug: folder.slug,
				lessons: counts,
				assets: folder.assets.length,
				questions: questionCounts
			},
			ip: input.ip,
			now: input.now
		});
		return {
			courseId,
			slug: folder.slug,
			title: folder.title,
			created: !existing,
			lessons: counts,
			assets: folder.assets.length,
			questions: questionCounts
		};
	});
}
