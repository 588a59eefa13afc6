import fs from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveAnswer, startAttempt, submitAttempt } from '../../src/lib/server/assessments/engine';
import { attemptView } from '../../src/lib/server/assessments/review';
import { auditLog, questionCategories, questions } from '../../src/lib/server/db/schema';
import { Conflict, ImportFailed, Invalid, NotAllowed } from '../../src/lib/server/errors';
import {
	exportQuestions,
	importQuestionFile,
	readQuestionFile
} from '../../src/lib/server/questions/bank';
import {
	categoryByNames,
	categoryTree,
	createCategory,
	deleteCategory,
	moveCategory,
	renameCategory
} from '../../src/lib/server/questions/categories';
import {
	createQuestion,
	getQuestion,
	listQuestions,
	questionInputFromForm,
	setArchived,
	updateQuestion
} from '../../src/lib/server/questions/editor';
import { parseGift } from '../../src/lib/server/questions/formats/gift';
import type { ParsedQuestion } from '../../src/lib/server/questions/types';
import { blankForm, formValuesOf, type QuestionFormValues } from '../../src/lib/questions/form';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAssessment, makeCadre, makeCourse, makeUnit, makeUser } from './helpers/builders';
import type { Actor } from '../../src/lib/server/auth/actor';

let database: TestDatabase;
let trainer: Actor;
let cadre: Actor;
const t0 = new Date('2012-09-20T01:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

beforeAll(async () => {
	database = await createTestDatabase();
	trainer = await makeUser(database.db, { roles: ['trainer'] });
	cadre = await makeCadre(database.db, await makeUnit(database.db, { code: 'B1' }));
});
afterAll(() => database.close());

function form(
	type: QuestionFormValues['type'],
	categoryId: number,
	fill: Partial<QuestionFormValues>
) {
	return { ...blankForm(type, String(categoryId)), ...fill };
}
const row = (
	text: string,
	grade = '0',
	feedback = '',
	extra: Partial<QuestionFormValues['rows'][number]> = {}
) => ({
	text,
	grade,
	feedback,
	tolerance: '',
	answer: '',
	...extra
});

describe('the category tree', () => {
	it('creates, renames, moves a subtree and deletes only empty categories', async () => {
		const db = database.db;
		await expect(createCategory(db, cadre, { name: 'X', parentId: null, now: t0 })).rejects.toThrow(
			NotAllowed
		);
		const a = await createCategory(db, trainer, { name: 'Cây A', parentId: null, now: t0 });
		const b = await createCategory(db, trainer, { name: 'Cây B', parentId: null, now: t0 });
		const a1 = await createCategory(db, trainer, { name: 'Nhánh 1', parentId: a.id, now: t0 });
		const a11 = await createCategory(db, trainer, { name: 'Lá', parentId: a1.id, now: t0 });
		await expect(
			createCategory(db, trainer, { name: ' nhánh  1 ', parentId: a.id, now: t0 })
		).rejects.toThrow(Invalid);
		await expect(
			createCategory(db, trainer, { name: '  ', parentId: null, now: t0 })
		).rejects.toThrow(Invalid);
		await renameCategory(db, trainer, { id: a1.id, name: 'Nhánh một', now: t0 });
		// Into itself or below itself: refused.
		await expect(
			moveCategory(db, trainer, { id: a.id, parentId: a11.id, now: t0 })
		).rejects.toThrow(Invalid);
		await createQuestion(db, trainer, {
			question: questionInputFromForm(form('essay', a11.id, { stem: 'Viết về lá.' })),
			now: t0
		});
		await moveCategory(db, trainer, { id: a1.id, parentId: b.id, now: t0 });
		const tree = await categoryTree(db);
		const byId = new Map(tree.map((c) => [c.id, c]));
		expect(byId.get(a11.id)!.names).toEqual(['Cây B', 'Nhánh một', 'Lá']);
		expect(byId.get(a11.id)!.path).toBe(`${byId.get(b.id)!.path}${a1.id}/${a11.id}/`);
		expect(byId.get(b.id)!.total).toBe(1);
		expect(byId.get(a.id)!.total).toBe(0);
		expect((await categoryByNames(db, ['Cây B', 'Nhánh một', 'Lá']))?.id).toBe(a11.id);
		// The tree order puts children right after their parent.
		const ids = tree.map((c) => c.id);
		expect(ids.indexOf(a1.id)).toBe(ids.indexOf(b.id) + 1);
		await expect(deleteCategory(db, trainer, { id: a11.id, now: t0 })).rejects.toThrow(Conflict);
		await deleteCategory(db, trainer, { id: a.id, now: t0 });
		expect(
			await db.select().from(questionCategories).where(eq(questionCategories.id, a.id))
		).toEqual([]);
		const audit = await db.select().from(auditLog).where(eq(auditLog.actorId, trainer.id));
		expect(audit.map((e) => e.action)).toEqual(
			expect.arrayContaining([
				'question_category.create',
				'question_category.rename',
				'question_category.move',
				'question_category.delete'
			])
		);
	});
});

describe('writing questions by hand', () => {
	let cat: number;
	beforeAll(async () => {
		cat = (
			await createCategory(database.db, trainer, { name: 'Soạn tay', parentId: null, now: t0 })
		).id;
	});

	it('validates every type as the GIFT importer would, naming the bad field', () => {
		const bad = (values: QuestionFormValues) => {
			try {
				questionInputFromForm(values);
			} catch (e) {
				return (e as Invalid).fields;
			}
			return null;
		};
		expect(bad(form('single', cat, { stem: '' }))).toMatchObject({ stem: expect.any(String) });
		expect(
			bad(form('single', cat, { stem: 'Q', rows: [row('a', '50'), row('b', '0')] }))
		).toMatchObject({ answers: expect.stringContaining('100%') });
		expect(
			bad(form('multiple', cat, { stem: 'Q', rows: [row('a', '50'), row('b', '40')] }))
		).toMatchObject({ answers: expect.stringContaining('90') });
		expect(bad(form('single', cat, { stem: 'Q', rows: [row('a', '100')] }))).toMatchObject({
			answers: expect.any(String)
		});
		expect(
			bad(form('single', cat, { stem: 'Q', rows: [row('a', '100'), row('b', '37')] }))
		).toMatchObject({ answers: expect.stringContaining('2') });
		expect(
			bad(form('numerical', cat, { stem: 'Q', rows: [row('3,14', '100', '', { tolerance: 'x' })] }))
		).toMatchObject({ answers: expect.stringContaining('1') });
		expect(
			bad(form('matching', cat, { stem: 'Q', rows: [row('a', '0', '', { answer: '1' })] }))
		).toMatchObject({ answers: expect.any(String) });
		expect(
			bad(form('single', cat, { stem: 'Q', rows: [row('%50%a', '100'), row('b')] }))
		).toMatchObject({ answers: expect.any(String) });
		expect(bad(form('essay', cat, { stem: 'Q', idNumber: 'có dấu cách' }))).toMatchObject({
			idNumber: expect.any(String)
		});
		expect(bad(form('essay', '' as unknown as number, { stem: 'Q' }))).toMatchObject({
			categoryId: expect.any(String)
		});
		// Numbers with a decimal comma, blank rows ignored, a default name from the stem.
		const ok = questionInputFromForm(
			form('numerical', cat, {
				stem: 'Số **pi**?',
				rows: [
					row('3,14', '100', 'Đúng', { tolerance: '0,01' }),
					row(''),
					row('3', '50'),
					row('3,5..2,5', '25')
				],
				otherFeedback: 'Sai',
				difficulty: '3',
				tags: 'Toán học, so pi'
			})
		);
		expect(ok).toMatchObject({
			name: 'Số pi?',
			tags: ['toan-hoc', 'so-pi', 'kho'],
			difficulty: 3,
			data: {
				type: 'numerical',
				answers: [
					{ value: 3.14, tolerance: 0.01, fraction: 1, feedback: 'Đúng' },
					{ value: 3, tolerance: 0, fraction: 0.5, feedback: null },
					{ value: 3, tolerance: 0.5, fraction: 0.25, feedback: null },
					{ value: null, tolerance: 0, fraction: 0, feedback: 'Sai' }
				]
			}
		});
	});

	it('edits make a new version only when the content changes; attempts keep theirs', async () => {
		const db = database.db;
		const values = form('single', cat, {
			name: 'Thiết bị định tuyến',
			stem: 'Thiết bị nào định tuyến giữa các mạng?',
			rows: [row('Switch', '0', 'Chưa đúng'), row('Router', '100', 'Đúng'), row('Hub')],
			tags: 'mang',
			idNumber: 'TAY-1'
		});
		const { id } = await createQuestion(db, trainer, {
			question: questionInputFromForm(values),
			now: t0
		});
		await expect(
			createQuestion(db, trainer, { question: questionInputFromForm(values), now: t0 })
		).rejects.toThrow(Invalid);
		const course = await makeCourse(db);
		const quiz = await makeAssessment(db, { courseId: course.id, slots: [{ questionId: id }] });
		const { attemptId } = await startAttempt(db, cadre, { assessmentId: quiz.id, now: t0 });

		// Only tags and difficulty change: same version.
		const view = await getQuestion(db, trainer, id);
		const same = formValuesOf({
			...view.content,
			categoryId: cat,
			tags: view.tags,
			difficulty: 2,
			idNumber: 'TAY-1'
		});
		expect(
			await updateQuestion(db, trainer, { id, question: questionInputFromForm(same), now: at(10) })
		).toEqual({ version: 1, newVersion: false });
		// The stem changes: version 2 for new attempts.
		expect(
			await updateQuestion(db, trainer, {
				id,
				question: questionInputFromForm({ ...same, stem: 'Thiết bị nào nối các mạng khác nhau?' }),
				now: at(20)
			})
		).toEqual({ version: 2, newVersion: true });
		const after = await getQuestion(db, trainer, id);
		expect(after.version).toBe(2);
		expect(after.versions.map((v) => [v.version, v.attempts])).toEqual([
			[2, 0],
			[1, 1]
		]);
		expect(after.difficulty).toBe(2);
		const old = await attemptView(db, cadre, { attemptId, now: at(30) });
		expect(old.slots[0].stemHtml).toContain('định tuyến giữa các mạng');
		await saveAnswer(db, cadre, {
			attemptId,
			slot: 1,
			seq: 1,
			response: { type: 'single', choice: 1 },
			now: at(31)
		});
		expect(await submitAttempt(db, cadre, { attemptId, now: at(32) })).toMatchObject({ score: 1 });
		await expect(getQuestion(db, cadre, id)).rejects.toThrow(NotAllowed);
	});

	it('lists by category with subcategories, type, tag, difficulty and words; archived ones apart', async () => {
		const db = database.db;
		const root = await createCategory(db, trainer, { name: 'Lọc', parentId: null, now: t0 });
		const sub = await createCategory(db, trainer, { name: 'Con', parentId: root.id, now: t0 });
		const make = async (
			categoryId: number,
			fill: Partial<QuestionFormValues>,
			type: QuestionFormValues['type'] = 'truefalse'
		) =>
			(
				await createQuestion(db, trainer, {
					question: questionInputFromForm(form(type, categoryId, fill)),
					now: t0
				})
			).id;
		const q1 = await make(root.id, {
			stem: 'Tường lửa chặn truy cập trái phép.',
			tags: 'an-ninh',
			difficulty: '1'
		});
		const q2 = await make(sub.id, {
			stem: 'Mã độc lây qua USB.',
			tags: 'an-ninh, usb',
			difficulty: '2'
		});
		const q3 = await make(sub.id, { stem: 'Trình bày về sao lưu.' }, 'essay');
		const ids = async (filter: Parameters<typeof listQuestions>[2]) =>
			(await listQuestions(db, trainer, filter)).rows.map((r) => r.id).sort((a, b) => a - b);
		expect(await ids({ categoryId: root.id })).toEqual([q1, q2, q3]);
		expect(await ids({ categoryId: root.id, includeSubcategories: false })).toEqual([q1]);
		expect(await ids({ categoryId: root.id, type: 'essay' })).toEqual([q3]);
		expect(await ids({ categoryId: root.id, tag: 'usb' })).toEqual([q2]);
		expect(await ids({ categoryId: root.id, difficulty: 1 })).toEqual([q1]);
		expect(await ids({ categoryId: root.id, q: 'usb' })).toEqual([q2]);
		expect(await ids({ categoryId: root.id, q: '50%_\\' })).toEqual([]);
		await setArchived(db, trainer, { id: q2, archived: true, now: t0 });
		expect(await ids({ categoryId: root.id })).toEqual([q1, q3]);
		expect(await ids({ categoryId: root.id, archived: true })).toEqual([q2]);
		expect((await listQuestions(db, trainer, { categoryId: root.id })).total).toBe(2);
		await expect(listQuestions(db, cadre, {})).rejects.toThrow(NotAllowed);
	});
});

describe('importing files', () => {
	it('previews every error with its line and writes nothing when there is one', async () => {
		const db = database.db;
		const text = '::A::Câu A? {T}\n\n::B::Câu B? {=x ~y\n\n::C::Câu C? {~%37%a ~%63%b}\n';
		expect(readQuestionFile(text, 'gift').errors.map((e) => e.line)).toEqual([3, 5, 5]);
		await expect(
			importQuestionFile(db, trainer, { text, format: 'gift', fileName: 'loi.gift', now: t0 })
		).rejects.toThrow(ImportFailed);
		expect((await listQuestions(db, trainer, { q: 'Câu A?' })).total).toBe(0);
		expect(readQuestionFile('\ufeff// chỉ có chú thích\n', 'gift').errors).toEqual([
			{ line: 1, message: expect.any(String) }
		]);
	});

	it('imports all in one go, keeps two same-named questions apart and re-imports unchanged', async () => {
		const db = database.db;
		const text = '\ufeff$CATEGORY: Trùng tên\n\nMáy in nối mạng? {T}\n\nMáy in nối mạng? {F}\n';
		const first = await importQuestionFile(db, trainer, { text, format: 'gift', now: t0 });
		expect(first.counts).toEqual({ created: 2, updated: 0, unchanged: 0 });
		const again = await importQuestionFile(db, trainer, { text, format: 'gift', now: at(5) });
		expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 2 });
		const aiken = 'Cổng HTTPS?\nA. 80\nB. 443\nANSWER: B\n';
		const imported = await importQuestionFile(db, trainer, {
			text: aiken,
			format: 'aiken',
			categoryPath: ['Trùng tên', 'Aiken'],
			now: t0
		});
		expect(imported.counts?.created).toBe(1);
		const node = await categoryByNames(db, ['Trùng tên', 'Aiken']);
		expect(node).not.toBeNull();
		const audit = await db.select().from(auditLog).where(eq(auditLog.action, 'questions.import'));
		expect(audit.length).toBeGreaterThanOrEqual(3);
	});

	it('exports a category as GIFT that re-imports to the same questions (round trip of a rich bank)', async () => {
		const db = database.db;
		const source = fs.readFileSync('tests/fixtures/bank/rich.gift', 'utf8');
		const parsed = parseGift(source);
		expect(parsed.errors).toEqual([]);
		expect(parsed.questions.map((q) => q.type)).toEqual([
			'single',
			'multiple',
			'truefalse',
			'shortanswer',
			'numerical',
			'matching',
			'essay',
			'description',
			'truefalse',
			'truefalse'
		]);
		const first = await importQuestionFile(db, trainer, {
			text: source,
			format: 'gift',
			fileName: 'rich.gift',
			now: t0
		});
		expect(first.counts).toEqual({ created: 10, updated: 0, unchanged: 0 });
		// A question written by hand in the same category goes along.
		const office = await categoryByNames(db, ['Tin học văn phòng']);
		await createQuestion(db, trainer, {
			question: questionInputFromForm(
				form('matching', office!.id, {
					name: 'Ghép phím tắt',
					stem: 'Ghép phím tắt với tác dụng: `Ctrl` + ...',
					format: 'markdown',
					rows: [
						row('Ctrl + C', '0', '', { answer: 'Sao chép' }),
						row('Ctrl + V', '0', '', { answer: 'Dán = chèn' }),
						row('', '0', '', { answer: 'Cắt #1' })
					],
					generalFeedback: 'Xem bài 2 {phím tắt}.',
					tags: 'phim-tat',
					difficulty: '1',
					idNumber: 'TAY-GHEP'
				})
			),
			now: t0
		});
		const { text, count } = await exportQuestions(db, trainer, { categoryId: office!.id });
		expect(count).toBe(11);
		const exported = parseGift(text);
		expect(exported.errors).toEqual([]);
		const strip = (qs: ParsedQuestion[]) =>
			qs.map(({ line: _line, ...q }) => q).sort((a, b) => a.name.localeCompare(b.name));
		const handMade = exported.questions.find((q) => q.name === 'Ghép phím tắt')!;
		expect(handMade).toMatchObject({
			idNumber: 'TAY-GHEP',
			tags: ['phim-tat', 'de'],
			difficulty: 1,
			generalFeedback: 'Xem bài 2 {phím tắt}.',
			data: {
				type: 'matching',
				pairs: [
					{ prompt: 'Ctrl + C', answer: 'Sao chép' },
					{ prompt: 'Ctrl + V', answer: 'Dán = chèn' },
					{ prompt: '', answer: 'Cắt #1' }
				]
			}
		});
		expect(strip(exported.questions.filter((q) => q !== handMade))).toEqual(
			strip(parsed.questions)
		);
		// Importing the export changes nothing in the bank.
		const again = await importQuestionFile(db, trainer, { text, format: 'gift', now: at(60) });
		expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 11 });
		// A subcategory exports alone, with its full path.
		const mail = await categoryByNames(db, ['Tin học văn phòng', 'Thư điện tử']);
		const part = await exportQuestions(db, trainer, { categoryId: mail!.id });
		expect(part.count).toBe(8);
		expect(part.text).toContain('$CATEGORY: Tin học văn phòng/Thư điện tử');
		expect(part.text).not.toContain('Phím tắt lưu');
		const stored = await db
			.select({ id: questions.id })
			.from(questions)
			.where(and(eq(questions.idNumber, 'VP-01')));
		expect(stored).toHaveLength(1);
	});
});
