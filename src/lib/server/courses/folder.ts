// Reads a course folder (course.md, NN-lesson.md files, images/, files/, questions.gift) and
// checks all of it, reporting every problem with its file and line, before anything is written.
import fs from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import type { LineError } from '../errors';
import { Invalid } from '../errors';
import { m } from '../i18n';
import { decodeUtf8, nulLine } from '../text';
import { checkFile, UPLOAD_POLICIES, type CheckedFile } from '../files/store';
import { parseGift } from '../questions/formats/gift';
import type { ParsedQuestion } from '../questions/types';

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,80}$/;
const LESSON_FILE = /^(\d{2,3})-([a-z0-9][a-z0-9-]*)\.md$/;

export interface FolderLesson {
	file: string;
	slug: string;
	title: string;
	section: string | null;
	estimatedMinutes: number | null;
	body: string;
}

export interface FolderAsset {
	/** As referenced from the Markdown: 'images/so-do.svg', 'files/mau.docx'. */
	path: string;
	bytes: Uint8Array;
	checked: CheckedFile;
}

export interface CourseFolder {
	slug: string;
	title: string;
	summary: string;
	category: string;
	estimatedHours: number | null;
	description: string;
	published: boolean;
	units: string[] | null;
	lessons: FolderLesson[];
	assets: FolderAsset[];
	questions: ParsedQuestion[] | null;
}

interface FrontMatter {
	data: Record<string, unknown>;
	content: string;
	/** Line of the file where `content` starts. */
	bodyLine: number;
	raw: string;
}

function readText(file: string, name: string, errors: LineError[]): string | null {
	let bytes: Buffer;
	try {
		bytes = fs.readFileSync(file);
	} catch {
		errors.push({ file: name, line: 1, message: m.folder_file_unreadable() });
		return null;
	}
	const text = decodeUtf8(bytes);
	if (text === null) errors.push({ file: name, line: 1, message: m.folder_not_utf8() });
	const nul = text === null ? null : nulLine(text);
	if (nul !== null) {
		errors.push({ file: name, line: nul, message: m.text_nul_character({ line: nul }) });
		return null;
	}
	return text;
}

function readFrontMatter(text: string, name: string, errors: LineError[]): FrontMatter | null {
	try {
		const parsed = matter(text);
		const offset = text.length - parsed.content.length;
		const bodyLine = text.slice(0, Math.max(0, offset)).split('\n').length;
		return {
			data: parsed.data as Record<string, unknown>,
			content: parsed.content,
			bodyLine,
			raw: text
		};
	} catch (error) {
		const mark = (error as { mark?: { line?: number } }).mark;
		errors.push({
			file: name,
			line: (mark?.line ?? 0) + 1,
			message: m.folder_front_matter_invalid({ detail: (error as Error).message.split('\n')[0] })
		});
		return null;
	}
}

/** The line in the file where a front-matter key is written (for error messages). */
function keyLine(raw: string, key: string): number {
	const index = raw.split('\n').findIndex((l) => l.startsWith(`${key}:`));
	return index >= 0 ? index + 1 : 1;
}

function stringField(
	fm: FrontMatter,
	key: string,
	name: string,
	errors: LineError[],
	required: boolean,
	max = 300
): string {
	const value = fm.data[key];
	if (value === undefined || value === null || value === '') {
		if (required)
			errors.push({
				file: name,
				line: keyLine(fm.raw, key) || 1,
				message: m.folder_field_required({ field: key })
			});
		return '';
	}
	if (typeof value !== 'string' && typeof value !== 'number') {
		errors.push({
			file: name,
			line: keyLine(fm.raw, key),
			message: m.folder_field_invalid({ field: key })
		});
		return '';
	}
	const text = String(value).trim();
	if (text.length > max)
		errors.push({
			file: name,
			line: keyLine(fm.raw, key),
			message: m.folder_field_too_long({ field: key, max })
		});
	return text;
}

function numberField(
	fm: FrontMatter,
	key: string,
	name: string,
	errors: LineError[],
	integer: boolean
): number | null {
	const value = fm.data[key];
	if (value === undefined || value === null || value === '') return null;
	const n = typeof value === 'number' ? value : Number(String(value).replace(',', '.'));
	if (!Number.isFinite(n) || n < 0 || n > 10_000 || (integer && !Number.isInteger(n))) {
		errors.push({
			file: name,
			line: keyLine(fm.raw, key),
			message: m.folder_field_number({ field: key })
		});
		return null;
	}
	return n;
}

/** Relative references to the folder's own images and files, with the line they appear on. */
export function localReferences(
	markdown: string
): Array<{ target: string; line: number; image: boolean }> {
	const refs: Array<{ target: string; line: number; image: boolean }> = [];
	markdown.split('\n').forEach((line, i) => {
		for (const match of line.matchAll(/(!?)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
			const target = match[2];
			if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#') || target.startsWith('/'))
				continue;
			refs.push({ target, line: i + 1, image: match[1] === '!' });
		}
	});
	return refs;
}

/** Reads and checks a whole course folder. Throws nothing for bad content: returns every error. */
export async function readCourseFolder(
	dir: string
): Promise<{ folder: CourseFolder | null; errors: LineError[] }> {
	const errors: LineError[] = [];
	if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
		return { folder: null, errors: [{ file: dir, line: 1, message: m.folder_missing() }] };
	}
	const root = fs.realpathSync(dir);
	const courseText = fs.existsSync(path.join(root, 'course.md'))
		? readText(path.join(root, 'course.md'), 'course.md', errors)
		: null;
	if (courseText === null && !errors.length)
		errors.push({ file: 'course.md', line: 1, message: m.folder_course_md_missing() });
	const course = courseText === null ? null : readFrontMatter(courseText, 'course.md', errors);

	let slug = '';
	let title = '';
	let summary = '';
	let category = '';
	let estimatedHours: number | null = null;
	let published = true;
	let units: string[] | null = null;
	if (course) {
		slug = stringField(course, 'slug', 'course.md', errors, true, 80);
		if (slug && !SLUG_PATTERN.test(slug))
			errors.push({
				file: 'course.md',
				line: keyLine(course.raw, 'slug'),
				message: m.folder_slug_invalid({ slug })
			});
		title = stringField(course, 'title', 'course.md', errors, true, 200);
		summary = stringField(course, 'summary', 'course.md', errors, false, 1000);
		category = stringField(course, 'category', 'course.md', errors, false, 100);
		estimatedHours = numberField(course, 'estimated_hours', 'course.md', errors, false);
		if (course.data.published !== undefined) {
			if (typeof course.data.published !== 'boolean')
				errors.push({
					file: 'course.md',
					line: keyLine(course.raw, 'published'),
					message: m.folder_field_invalid({ field: 'published' })
				});
			else published = course.data.published;
		}
		if (course.data.units !== undefined) {
			const list = course.data.units;
			if (!Array.isArray(list) || !list.every((u) => typeof u === 'string' && u.trim())) {
				errors.push({
					file: 'course.md',
					line: keyLine(course.raw, 'units'),
					message: m.folder_field_invalid({ field: 'units' })
				});
			} else units = list.map((u) => String(u).trim());
		}
	}

	const lessons: FolderLesson[] = [];
	const referenced = new Map<string, { file: string; line: number; image: boolean }>();
	const entries = fs.readdirSync(root).sort();
	for (const entry of entries) {
		if (!entry.endsWith('.md') || entry === 'course.md' || entry.toLowerCase() === 'readme.md')
			continue;
		const match = LESSON_FILE.exec(entry);
		if (!match) {
			errors.push({ file: entry, line: 1, message: m.folder_lesson_name_invalid() });
			continue;
		}
		const text = readText(path.join(root, entry), entry, errors);
		if (text === null) continue;
		const fm = readFrontMatter(text, entry, errors);
		if (!fm) continue;
		const lessonTitle = stringField(fm, 'title', entry, errors, true, 200);
		const section = stringField(fm, 'section', entry, errors, false, 200) || null;
		const estimatedMinutes = numberField(fm, 'estimated_minutes', entry, errors, true);
		if (!fm.content.trim())
			errors.push({ file: entry, line: fm.bodyLine, message: m.folder_lesson_empty() });
		for (const ref of localReferences(fm.content)) {
			if (!referenced.has(ref.target))
				referenced.set(ref.target, {
					file: entry,
					line: fm.bodyLine + ref.line - 1,
					image: ref.image
				});
		}
		lessons.push({
			file: entry,
			slug: entry.slice(0, -3),
			title: lessonTitle,
			section,
			estimatedMinutes,
			body: fm.content.trim() + '\n'
		});
	}
	if (course && lessons.length === 0)
		errors.push({ file: 'course.md', line: 1, message: m.folder_no_lessons() });
	if (course) {
		for (const ref of localReferences(course.content)) {
			if (!referenced.has(ref.target))
				referenced.set(ref.target, {
					file: 'course.md',
					line: course.bodyLine + ref.line - 1,
					image: ref.image
				});
		}
	}

	const assets: FolderAsset[] = [];
	for (const [target, where] of referenced) {
		const resolved = path.resolve(root, target);
		// A reference may not leave the folder ('../../etc/passwd').
		if (!resolved.startsWith(root + path.sep) || !/^(images|files)\//.test(target)) {
			errors.push({
				file: where.file,
				line: where.line,
				message: m.folder_reference_outside({ target })
			});
			continue;
		}
		// A folder (or anything but a plain file) named like an image is as good as missing.
		if (!fs.existsSync(resolved) || !fs.statSync(resolved).isFile()) {
			errors.push({
				file: where.file,
				line: where.line,
				message: m.folder_reference_missing({ target })
			});
			continue;
		}
		const bytes = new Uint8Array(fs.readFileSync(resolved));
		try {
			const checked = await checkFile(
				bytes,
				path.basename(target),
				where.image ? UPLOAD_POLICIES.image : UPLOAD_POLICIES.attachment
			);
			assets.push({ path: target, bytes, checked });
		} catch (error) {
			if (!(error instanceof Invalid)) throw error;
			errors.push({
				file: where.file,
				line: where.line,
				message: Object.values(error.fields).join(' ')
			});
		}
	}

	let questions: ParsedQuestion[] | null = null;
	if (fs.existsSync(path.join(root, 'questions.gift'))) {
		const text = readText(path.join(root, 'questions.gift'), 'questions.gift', errors);
		if (text !== null) {
			const parsed = parseGift(
				text,
				title && !/^\$CATEGORY:/m.test(text) ? { category: [title] } : {}
			);
			for (const e of parsed.errors) errors.push({ ...e, file: 'questions.gift' });
			questions = parsed.questions;
		}
	}

	if (errors.length || !course) return { folder: null, errors };
	return {
		folder: {
			slug,
			title,
			summary,
			category,
			estimatedHours,
			description: course.content.trim(),
			published,
			units,
			lessons,
			assets,
			questions
		},
		errors
	};
}
