// Builders for test data: units, cadres and actors, written straight to the database.
import { eq } from 'drizzle-orm';
import type { Db } from '../../../src/lib/server/db/client';
import { units, users, type Role, type UnitKind } from '../../../src/lib/server/db/schema';
import type { Actor } from '../../../src/lib/server/auth/actor';
import { childPath } from '../../../src/lib/server/org/tree';
import { hashPassword } from '../../../src/lib/server/auth/password';

export const TEST_PASSWORD = 'Mat-khau-thu-2012';
let cachedHash: Promise<string> | undefined;
export const testPasswordHash = () => (cachedHash ??= hashPassword(TEST_PASSWORD));

export interface MadeUnit {
	id: number;
	code: string;
	path: string;
	depth: number;
}

export async function makeUnit(
	db: Db,
	input: { code: string; name?: string; kind?: UnitKind; parent?: MadeUnit | null }
): Promise<MadeUnit> {
	const parent = input.parent ?? null;
	const [row] = await db
		.insert(units)
		.values({
			code: input.code,
			name: input.name ?? `Đơn vị ${input.code}`,
			kind: input.kind ?? (parent ? (parent.depth === 0 ? 'district' : 'commune') : 'province'),
			parentId: parent?.id ?? null,
			path: '/',
			depth: parent ? parent.depth + 1 : 0
		})
		.returning({ id: units.id });
	const path = childPath(parent?.path ?? null, row.id);
	await db.update(units).set({ path }).where(eq(units.id, row.id));
	return { id: row.id, code: input.code, path, depth: parent ? parent.depth + 1 : 0 };
}

let counter = 0;

export async function makeUser(
	db: Db,
	input: {
		unit?: MadeUnit | null;
		username?: string;
		fullName?: string;
		roles?: Role[];
		isLeader?: boolean;
		position?: string;
	} = {}
): Promise<Actor> {
	counter++;
	const username = input.username ?? `user${counter}_${Math.random().toString(36).slice(2, 6)}`;
	const roles = input.roles ?? ['cadre'];
	const [row] = await db
		.insert(users)
		.values({
			username,
			fullName: input.fullName ?? `Cán bộ Thử ${counter}`,
			unitId: input.unit?.id ?? null,
			position: input.position ?? 'Chuyên viên',
			roles,
			isLeader: input.isLeader ?? false,
			passwordHash: await testPasswordHash()
		})
		.returning({ id: users.id, fullName: users.fullName });
	return {
		id: row.id,
		username,
		fullName: row.fullName,
		roles,
		isLeader: input.isLeader ?? false,
		unitId: input.unit?.id ?? null,
		unitPath: input.unit?.path ?? null,
		unitName: input.unit ? `Đơn vị ${input.unit.code}` : null,
		mustChangePassword: false
	};
}

export const makeCadre = (db: Db, unit: MadeUnit, extra: Parameters<typeof makeUser>[1] = {}) =>
	makeUser(db, { ...extra, unit, roles: extra.roles ?? ['cadre'] });

export const makeLeader = (db: Db, unit: MadeUnit, extra: Parameters<typeof makeUser>[1] = {}) =>
	makeUser(db, { ...extra, unit, roles: extra.roles ?? ['cadre'], isLeader: true });

export const makeAdmin = (db: Db, extra: Parameters<typeof makeUser>[1] = {}) =>
	makeUser(db, { ...extra, roles: ['admin'] });

/** A small province: root → two districts → two communes each. */
export async function makeProvince(db: Db) {
	const province = await makeUnit(db, { code: 'TU', name: 'Tỉnh ủy', kind: 'province' });
	const districtA = await makeUnit(db, {
		code: 'HU-A',
		name: 'Huyện ủy A',
		kind: 'district',
		parent: province
	});
	const districtB = await makeUnit(db, {
		code: 'HU-B',
		name: 'Huyện ủy B',
		kind: 'district',
		parent: province
	});
	const communeA1 = await makeUnit(db, {
		code: 'XA-A1',
		name: 'Đảng ủy xã A1',
		kind: 'commune',
		parent: districtA
	});
	const communeA2 = await makeUnit(db, {
		code: 'XA-A2',
		name: 'Đảng ủy xã A2',
		kind: 'commune',
		parent: districtA
	});
	const communeB1 = await makeUnit(db, {
		code: 'XA-B1',
		name: 'Đảng ủy xã B1',
		kind: 'commune',
		parent: districtB
	});
	return { province, districtA, districtB, communeA1, communeA2, communeB1 };
}

// ---------------------------------------------------------------------------------------------
// Courses, questions and assessments

import {
	assessmentSlots,
	assessments,
	courses,
	questionCategories,
	questionVersions,
	questions
} from '../../../src/lib/server/db/schema';
import type { ReviewFlags, ReviewOptions } from '../../../src/lib/server/db/schema';
import type { QuestionData } from '../../../src/lib/server/questions/types';

export async function makeCourse(
	db: Db,
	input: {
		slug?: string;
		title?: string;
		status?: 'draft' | 'published';
		audience?: 'everyone' | 'assigned';
	} = {}
) {
	counter++;
	const [row] = await db
		.insert(courses)
		.values({
			slug: input.slug ?? `khoa-${counter}`,
			title: input.title ?? `Khóa học ${counter}`,
			status: input.status ?? 'published',
			audience: input.audience ?? 'everyone'
		})
		.returning();
	return row;
}

export async function makeCategory(
	db: Db,
	input: { name: string; parent?: { id: number; path: string } | null }
) {
	const [row] = await db
		.insert(questionCategories)
		.values({ name: input.name, parentId: input.parent?.id ?? null, path: '/' })
		.returning();
	const path = `${input.parent?.path ?? '/'}${row.id}/`;
	await db.update(questionCategories).set({ path }).where(eq(questionCategories.id, row.id));
	return { id: row.id, path };
}

export async function makeQuestion(
	db: Db,
	input: {
		categoryId: number;
		data: QuestionData;
		name?: string;
		stem?: string;
		tags?: string[];
		difficulty?: number | null;
	}
) {
	counter++;
	const [q] = await db
		.insert(questions)
		.values({
			categoryId: input.categoryId,
			tags: input.tags ?? [],
			difficulty: input.difficulty ?? null
		})
		.returning();
	const [v] = await db
		.insert(questionVersions)
		.values({
			questionId: q.id,
			version: 1,
			type: input.data.type,
			name: input.name ?? `Câu ${counter}`,
			stem: input.stem ?? `Nội dung câu hỏi ${counter}?`,
			format: 'moodle',
			data: input.data
		})
		.returning();
	await db.update(questions).set({ currentVersionId: v.id }).where(eq(questions.id, q.id));
	return { questionId: q.id, versionId: v.id };
}

export const singleChoice = (right = 0, n = 4): QuestionData => ({
	type: 'single',
	choices: Array.from({ length: n }, (_, i) => ({
		text: `Phương án ${String.fromCharCode(65 + i)}`,
		fraction: i === right ? 1 : 0,
		feedback: i === right ? 'Đúng' : 'Chưa đúng'
	}))
});

const flags = (on: boolean): ReviewFlags => ({
	score: on,
	correctness: on,
	feedback: on,
	rightAnswer: on
});
export const reviewAll: ReviewOptions = {
	during: flags(false),
	immediately: flags(true),
	later: flags(true),
	afterClose: flags(true)
};

export async function makeAssessment(
	db: Db,
	input: Partial<typeof assessments.$inferInsert> & {
		slots: Array<{
			questionId?: number;
			categoryId?: number;
			tags?: string[];
			difficulty?: number;
			points?: number;
			includeSubcategories?: boolean;
		}>;
	}
) {
	const { slots, ...settings } = input;
	const [a] = await db
		.insert(assessments)
		.values({
			kind: 'quiz',
			title: 'Bài kiểm tra',
			status: 'published',
			reviewOptions: reviewAll,
			shuffleQuestions: false,
			shuffleChoices: false,
			...settings
		})
		.returning();
	await db.insert(assessmentSlots).values(
		slots.map((s, i) => ({
			assessmentId: a.id,
			position: i + 1,
			kind: s.questionId ? ('fixed' as const) : ('random' as const),
			questionId: s.questionId ?? null,
			categoryId: s.categoryId ?? null,
			includeSubcategories: s.includeSubcategories ?? true,
			tags: s.tags ?? [],
			difficulty: s.difficulty ?? null,
			points: s.points ?? 1
		}))
	);
	return a;
}
