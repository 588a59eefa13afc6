// The order of a course's sections and lessons as trainers arrange it, and the moves they make.
// The learner's course page lists lessons by position and groups consecutive lessons of one
// section, so the canonical order keeps each section's lessons together: lessons outside any
// section first, then each section in turn.

export interface OutlineSection {
	id: number;
	position: number;
}

export interface OutlineLesson {
	id: number;
	sectionId: number | null;
	position: number;
}

export interface Outline {
	/** Section ids in order. */
	sections: number[];
	/** Lessons in reading order, each with the section it ends up in. */
	lessons: Array<{ id: number; sectionId: number | null }>;
}

export type Direction = 'up' | 'down';

const byPosition = (a: { position: number; id: number }, b: { position: number; id: number }) =>
	a.position - b.position || a.id - b.id;

/** Sections by position; lessons grouped by section in that order, each group by position. */
export function canonicalOutline(sections: OutlineSection[], lessons: OutlineLesson[]): Outline {
	const order = [...sections].sort(byPosition).map((s) => s.id);
	const known = new Set(order);
	const sorted = [...lessons].sort(byPosition);
	const groupOf = (l: OutlineLesson) =>
		l.sectionId !== null && known.has(l.sectionId) ? l.sectionId : null;
	const out: Outline['lessons'] = sorted
		.filter((l) => groupOf(l) === null)
		.map((l) => ({ id: l.id, sectionId: null }));
	for (const sectionId of order)
		for (const l of sorted) if (groupOf(l) === sectionId) out.push({ id: l.id, sectionId });
	return { sections: order, lessons: out };
}

/** The list with `id` swapped with its neighbour, or null when it cannot move that way. */
export function moveInList<T>(list: readonly T[], id: T, direction: Direction): T[] | null {
	const i = list.indexOf(id);
	if (i < 0) return null;
	const j = direction === 'up' ? i - 1 : i + 1;
	if (j < 0 || j >= list.length) return null;
	const out = [...list];
	[out[i], out[j]] = [out[j], out[i]];
	return out;
}

/** Moves a lesson up or down within its own section (or among the lessons outside sections). */
export function moveLessonInOutline(
	outline: Outline,
	lessonId: number,
	direction: Direction
): Outline | null {
	const lesson = outline.lessons.find((l) => l.id === lessonId);
	if (!lesson) return null;
	const group = outline.lessons.filter((l) => l.sectionId === lesson.sectionId).map((l) => l.id);
	const moved = moveInList(group, lessonId, direction);
	if (!moved) return null;
	return regroup(outline.sections, outline.lessons, new Map([[lesson.sectionId, moved]]));
}

/** Moves a section (with its lessons) up or down. */
export function moveSectionInOutline(
	outline: Outline,
	sectionId: number,
	direction: Direction
): Outline | null {
	const moved = moveInList(outline.sections, sectionId, direction);
	if (!moved) return null;
	return regroup(moved, outline.lessons, new Map());
}

/** Puts a lesson at the end of another section (null: among the lessons outside sections). */
export function moveLessonToSection(
	outline: Outline,
	lessonId: number,
	sectionId: number | null
): Outline | null {
	const lesson = outline.lessons.find((l) => l.id === lessonId);
	if (!lesson || lesson.sectionId === sectionId) return null;
	if (sectionId !== null && !outline.sections.includes(sectionId)) return null;
	const lessons = [
		...outline.lessons.filter((l) => l.id !== lessonId),
		{ id: lessonId, sectionId }
	];
	return regroup(outline.sections, lessons, new Map());
}

/** Rebuilds the reading order from section order and per-group lesson order (overrides win). */
function regroup(
	sections: number[],
	lessons: Outline['lessons'],
	overrides: Map<number | null, number[]>
): Outline {
	const groups = new Map<number | null, number[]>();
	for (const l of lessons) {
		const list = groups.get(l.sectionId) ?? [];
		list.push(l.id);
		groups.set(l.sectionId, list);
	}
	for (const [key, ids] of overrides) groups.set(key, ids);
	const out: Outline['lessons'] = [];
	for (const key of [null, ...sections])
		for (const id of groups.get(key) ?? []) out.push({ id, sectionId: key });
	return { sections, lessons: out };
}

/** Position updates needed to go from the stored rows to an outline (1-based positions). */
export function positionChanges(
	sections: OutlineSection[],
	lessons: OutlineLesson[],
	outline: Outline
): {
	sections: Array<{ id: number; position: number }>;
	lessons: Array<{ id: number; position: number; sectionId: number | null }>;
} {
	const sectionChanges = outline.sections
		.map((id, i) => ({ id, position: i + 1 }))
		.filter((s) => sections.find((x) => x.id === s.id)?.position !== s.position);
	const lessonChanges = outline.lessons
		.map((l, i) => ({ id: l.id, position: i + 1, sectionId: l.sectionId }))
		.filter((l) => {
			const before = lessons.find((x) => x.id === l.id);
			return !before || before.position !== l.position || before.sectionId !== l.sectionId;
		});
	return { sections: sectionChanges, lessons: lessonChanges };
}

/** 'Địa chỉ IP và chia mạng con' → 'dia-chi-ip-va-chia-mang-con'. */
export function slugify(text: string, max = 60): string {
	const ascii = text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[đĐ]/g, 'd')
		.toLowerCase();
	const slug = ascii
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, max)
		.replace(/-+$/g, '');
	return slug;
}

/**
 * Inserts a Markdown block (an uploaded image or file link) at a position in the text, on its own
 * paragraph; at the end when the position is unknown (a form sent without JavaScript).
 */
export function insertBlock(text: string, position: number | null, block: string): string {
	const at =
		position === null || !Number.isInteger(position) || position < 0 || position > text.length
			? text.length
			: position;
	const before = text.slice(0, at).replace(/[ \t]+$/, '');
	const after = text.slice(at).replace(/^[ \t]+/, '');
	const lead =
		before === '' ? '' : before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
	const tail =
		after === '' ? '\n' : after.startsWith('\n\n') ? '' : after.startsWith('\n') ? '\n' : '\n\n';
	return `${before}${lead}${block}${tail}${after}`;
}
