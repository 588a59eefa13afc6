import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	canonicalOutline,
	insertBlock,
	moveInList,
	moveLessonInOutline,
	moveLessonToSection,
	moveSectionInOutline,
	positionChanges,
	slugify,
	type Outline
} from './outline';

// Two sections (10: "Nền tảng", 20: "Vận hành") stored out of order, one lesson outside sections.
const sections = [
	{ id: 20, position: 2 },
	{ id: 10, position: 1 }
];
const lessons = [
	{ id: 1, sectionId: 10, position: 1 },
	{ id: 2, sectionId: 10, position: 2 },
	{ id: 3, sectionId: 20, position: 3 },
	{ id: 4, sectionId: null, position: 4 },
	{ id: 5, sectionId: 20, position: 5 }
];
const ids = (o: Outline) => o.lessons.map((l) => l.id);

describe('canonicalOutline', () => {
	it('puts lessons outside sections first, then each section in order', () => {
		const o = canonicalOutline(sections, lessons);
		expect(o.sections).toEqual([10, 20]);
		expect(o.lessons).toEqual([
			{ id: 4, sectionId: null },
			{ id: 1, sectionId: 10 },
			{ id: 2, sectionId: 10 },
			{ id: 3, sectionId: 20 },
			{ id: 5, sectionId: 20 }
		]);
	});

	it('treats a lesson of a vanished section as outside sections', () => {
		const o = canonicalOutline([{ id: 10, position: 1 }], [{ id: 1, sectionId: 99, position: 1 }]);
		expect(o.lessons).toEqual([{ id: 1, sectionId: null }]);
	});
});

describe('moves', () => {
	const o = canonicalOutline(sections, lessons);

	it('moves a lesson within its section and not past its edge', () => {
		expect(ids(moveLessonInOutline(o, 2, 'up')!)).toEqual([4, 2, 1, 3, 5]);
		expect(ids(moveLessonInOutline(o, 5, 'up')!)).toEqual([4, 1, 2, 5, 3]);
		expect(moveLessonInOutline(o, 1, 'up')).toBeNull();
		expect(moveLessonInOutline(o, 2, 'down')).toBeNull();
		expect(moveLessonInOutline(o, 4, 'down')).toBeNull();
		expect(moveLessonInOutline(o, 99, 'down')).toBeNull();
	});

	it('moves a section with its lessons', () => {
		const moved = moveSectionInOutline(o, 20, 'up')!;
		expect(moved.sections).toEqual([20, 10]);
		expect(ids(moved)).toEqual([4, 3, 5, 1, 2]);
		expect(moveSectionInOutline(o, 10, 'up')).toBeNull();
		expect(moveSectionInOutline(o, 20, 'down')).toBeNull();
	});

	it('moves a lesson to the end of another section, or out of sections', () => {
		const moved = moveLessonToSection(o, 1, 20)!;
		expect(moved.lessons).toContainEqual({ id: 1, sectionId: 20 });
		expect(ids(moved)).toEqual([4, 2, 3, 5, 1]);
		expect(ids(moveLessonToSection(o, 3, null)!)).toEqual([4, 3, 1, 2, 5]);
		expect(moveLessonToSection(o, 1, 10)).toBeNull();
		expect(moveLessonToSection(o, 1, 77)).toBeNull();
	});

	it('writes only the positions that change', () => {
		const stored = canonicalOutline(sections, lessons);
		const settled = positionChanges(sections, lessons, stored);
		// Section 20 was stored at 2 and stays 2; lessons 4, 1, 2, 3 shift to their canonical slots.
		expect(settled.sections).toEqual([]);
		expect(settled.lessons).toEqual([
			{ id: 4, position: 1, sectionId: null },
			{ id: 1, position: 2, sectionId: 10 },
			{ id: 2, position: 3, sectionId: 10 },
			{ id: 3, position: 4, sectionId: 20 }
		]);
	});

	it('moveInList swaps neighbours', () => {
		expect(moveInList(['a', 'b', 'c'], 'c', 'up')).toEqual(['a', 'c', 'b']);
		expect(moveInList(['a', 'b', 'c'], 'a', 'up')).toBeNull();
		expect(moveInList(['a'], 'x', 'down')).toBeNull();
	});

	it('never loses or duplicates a lesson, and keeps sections contiguous (property)', () => {
		const arb = fc
			.record({
				sectionCount: fc.integer({ min: 0, max: 4 }),
				lessons: fc.array(fc.integer({ min: -1, max: 3 }), { maxLength: 12 }),
				moves: fc.array(
					fc.record({
						kind: fc.constantFrom('lesson', 'section', 'to'),
						index: fc.nat(20),
						target: fc.integer({ min: -1, max: 3 }),
						direction: fc.constantFrom('up' as const, 'down' as const)
					}),
					{ maxLength: 15 }
				)
			})
			.map((r) => ({
				sections: Array.from({ length: r.sectionCount }, (_, i) => ({ id: 100 + i, position: i })),
				lessons: r.lessons.map((s, i) => ({
					id: i + 1,
					sectionId: s >= 0 && s < r.sectionCount ? 100 + s : null,
					position: i
				})),
				moves: r.moves
			}));
		fc.assert(
			fc.property(arb, ({ sections, lessons, moves }) => {
				let o = canonicalOutline(sections, lessons);
				for (const move of moves) {
					const lesson = o.lessons[move.index % Math.max(1, o.lessons.length)];
					const section = o.sections[move.index % Math.max(1, o.sections.length)];
					const target =
						move.target >= 0 && move.target < o.sections.length ? o.sections[move.target] : null;
					const next =
						move.kind === 'lesson' && lesson
							? moveLessonInOutline(o, lesson.id, move.direction)
							: move.kind === 'section' && section !== undefined
								? moveSectionInOutline(o, section, move.direction)
								: move.kind === 'to' && lesson
									? moveLessonToSection(o, lesson.id, target)
									: null;
					if (next) o = next;
				}
				expect([...ids(o)].sort((a, b) => a - b)).toEqual(lessons.map((l) => l.id));
				expect([...o.sections].sort()).toEqual(sections.map((s) => s.id).sort());
				// Groups appear in section order, each once: null first.
				const groups = o.lessons
					.map((l) => l.sectionId)
					.filter((g, i, all) => i === 0 || all[i - 1] !== g);
				expect(new Set(groups).size).toBe(groups.length);
				const order = [null, ...o.sections];
				expect(groups).toEqual(order.filter((g) => groups.includes(g)));
				// Re-reading the written positions gives the same outline.
				const written = positionChanges(sections, lessons, o);
				const stored = lessons.map((l) => {
					const change = written.lessons.find((c) => c.id === l.id);
					return change ? { ...l, ...change } : l;
				});
				const storedSections = sections.map((s) => {
					const change = written.sections.find((c) => c.id === s.id);
					return change ? { ...s, ...change } : s;
				});
				expect(canonicalOutline(storedSections, stored)).toEqual(o);
			})
		);
	});
});

describe('slugify', () => {
	it('turns Vietnamese titles into addresses', () => {
		expect(slugify('Địa chỉ IP và chia mạng con')).toBe('dia-chi-ip-va-chia-mang-con');
		expect(slugify('  Switch & VLAN: cấu hình (phần 2)  ')).toBe('switch-vlan-cau-hinh-phan-2');
		expect(slugify('Đường truyền')).toBe('duong-truyen');
		expect(slugify('!!!')).toBe('');
		expect(slugify('a'.repeat(100)).length).toBe(60);
	});
});

describe('insertBlock', () => {
	const img = '![Sơ đồ](/files/x)';
	it('puts the block on its own paragraph where the cursor is', () => {
		expect(insertBlock('Đoạn một.\n\nĐoạn hai.', 10, img)).toBe(`Đoạn một.\n\n${img}\n\nĐoạn hai.`);
		expect(insertBlock('Câu đầu câu sau', 8, img)).toBe(`Câu đầu\n\n${img}\n\ncâu sau`);
		expect(insertBlock('', 0, img)).toBe(`${img}\n`);
	});

	it('appends at the end without a cursor, or with a cursor out of range', () => {
		expect(insertBlock('Nội dung.\n', null, img)).toBe(`Nội dung.\n\n${img}\n`);
		expect(insertBlock('Nội dung.', 999, img)).toBe(`Nội dung.\n\n${img}\n`);
		expect(insertBlock('Nội dung.', -1, img)).toBe(`Nội dung.\n\n${img}\n`);
	});
});
