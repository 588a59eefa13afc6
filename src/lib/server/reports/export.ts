// Progress exports: XLSX (typed columns, filters, frozen header) and CSV with a UTF-8 BOM so
// Excel shows Vietnamese correctly. Shared spreadsheet helpers live here for other exports too.
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../db/client';
import { canSeeUnit, type Actor } from '../auth/actor';
import { NotAllowed, NotFound } from '../errors';
import { m } from '../i18n';
import { findUnitByCode, listUnits } from '../org/units';
import { formatDate } from '../../format';
import { loadFacts } from './facts';
import { isOverdue, rollUp } from './rollup';
import { defaultReportUnit } from './reports';

export type CellValue = string | number | boolean | Date | null;

export interface Column {
	header: string;
	kind: 'text' | 'number' | 'percent' | 'date' | 'boolean';
	width?: number;
}

export interface Sheet {
	name: string;
	columns: Column[];
	rows: CellValue[][];
}

/** Excel has no time zones: show the calendar date in Vietnam (UTC+7, no daylight saving). */
function excelDate(date: Date): Date {
	return new Date(date.getTime() + 7 * 3600_000);
}

export async function toXlsx(
	sheets: Sheet[],
	meta: { title: string; creator: string; now: Date }
): Promise<Uint8Array<ArrayBuffer>> {
	const workbook = new ExcelJS.Workbook();
	workbook.creator = meta.creator;
	workbook.title = meta.title;
	workbook.created = meta.now;
	for (const sheet of sheets) {
		const ws = workbook.addWorksheet(sheet.name.slice(0, 31), {
			views: [{ state: 'frozen', ySplit: 1 }]
		});
		ws.columns = sheet.columns.map((c) => ({
			header: c.header,
			width: c.width ?? (c.kind === 'text' ? 28 : 14),
			style:
				c.kind === 'date'
					? { numFmt: 'dd/mm/yyyy' }
					: c.kind === 'percent'
						? { numFmt: '0.0%' }
						: {}
		}));
		ws.getRow(1).font = { bold: true };
		for (const row of sheet.rows) {
			ws.addRow(
				row.map((value, i) => {
					const kind = sheet.columns[i]?.kind;
					if (value === null) return null;
					if (kind === 'date' && value instanceof Date) return excelDate(value);
					if (kind === 'boolean') return value ? m.report_yes() : m.report_no();
					return value;
				})
			);
		}
		ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };
	}
	return new Uint8Array(await workbook.xlsx.writeBuffer()) as Uint8Array<ArrayBuffer>;
}

export function toCsv(sheet: Sheet): string {
	const rows = sheet.rows.map((row) =>
		row.map((value, i) => {
			const kind = sheet.columns[i]?.kind;
			if (value === null) return '';
			if (value instanceof Date) return formatDate(value);
			if (kind === 'boolean') return value ? m.report_yes() : m.report_no();
			if (kind === 'percent' && typeof value === 'number')
				return (Math.round(value * 1000) / 10).toString().replace('.', ',');
			if (typeof value === 'number') return value.toString().replace('.', ',');
			return String(value);
		})
	);
	// BOM first, so Excel reads UTF-8; CRLF line ends for Windows.
	return (
		'\ufeff' +
		stringify([sheet.columns.map((c) => c.header), ...rows], { record_delimiter: 'windows' })
	);
}

/** The progress of every cadre and course under a unit, as sheets (detail and per-unit summary). */
export async function progressSheets(
	db: Db,
	actor: Actor,
	input: { unitCode?: string; now: Date }
): Promise<{ unitName: string; unitCode: string; sheets: Sheet[] }> {
	const unit = input.unitCode
		? await findUnitByCode(db, input.unitCode)
		: await defaultReportUnit(db, actor);
	if (!unit) throw new NotFound();
	if (!canSeeUnit(actor, unit.path)) throw new NotAllowed();
	const all = await listUnits(db);
	const unitById = new Map(all.map((u) => [u.id, u]));
	const data = await loadFacts(db, { pathPrefix: unit.path });
	const courseById = new Map(data.courses.map((c) => [c.id, c]));
	const detail: Sheet = {
		name: m.report_sheet_detail(),
		columns: [
			{ header: m.report_col_unit(), kind: 'text', width: 34 },
			{ header: m.report_col_unit_code(), kind: 'text', width: 14 },
			{ header: m.report_col_name(), kind: 'text', width: 26 },
			{ header: m.report_col_username(), kind: 'text', width: 16 },
			{ header: m.report_col_position(), kind: 'text', width: 24 },
			{ header: m.report_col_leader(), kind: 'boolean', width: 10 },
			{ header: m.report_col_course(), kind: 'text', width: 36 },
			{ header: m.report_col_assigned(), kind: 'boolean', width: 10 },
			{ header: m.report_col_due(), kind: 'date' },
			{ header: m.report_col_started(), kind: 'date' },
			{ header: m.report_col_completed(), kind: 'date' },
			{ header: m.report_col_lessons_done(), kind: 'number' },
			{ header: m.report_col_lessons_total(), kind: 'number' },
			{ header: m.report_col_quiz_best(), kind: 'number' },
			{ header: m.report_col_quiz_passed(), kind: 'boolean', width: 10 },
			{ header: m.report_col_overdue(), kind: 'boolean', width: 10 },
			{ header: m.report_col_minutes(), kind: 'number' }
		],
		rows: []
	};
	for (const cadre of data.cadres) {
		const u = unitById.get(cadre.unitId)!;
		const facts = data.facts.filter((f) => f.userId === cadre.id);
		const base: CellValue[] = [
			u.name,
			u.code,
			cadre.fullName,
			cadre.username,
			cadre.position,
			cadre.isLeader
		];
		if (facts.length === 0) {
			detail.rows.push([...base, null, null, null, null, null, null, null, null, null, null, null]);
			continue;
		}
		for (const f of facts) {
			const course = courseById.get(f.courseId)!;
			detail.rows.push([
				...base,
				course.title,
				f.assigned,
				f.dueAt,
				f.startedAt,
				f.completedAt,
				f.lessonsDone,
				course.lessonCount,
				f.quizBestPercent,
				f.quizPassed,
				isOverdue(f, input.now),
				Math.round(f.secondsSpent / 60)
			]);
		}
	}
	const stats = rollUp({
		units: all.filter((u) => u.path.startsWith(unit.path)),
		cadres: data.cadres,
		courses: data.courses,
		facts: data.facts,
		now: input.now
	});
	const summary: Sheet = {
		name: m.report_sheet_units(),
		columns: [
			{ header: m.report_col_unit(), kind: 'text', width: 40 },
			{ header: m.report_col_unit_code(), kind: 'text', width: 14 },
			{ header: m.report_col_cadres(), kind: 'number' },
			{ header: m.report_col_participation(), kind: 'percent' },
			{ header: m.report_col_completed_courses(), kind: 'number' },
			{ header: m.report_col_completion(), kind: 'percent' },
			{ header: m.report_col_overdue(), kind: 'number' },
			{ header: m.report_col_pass_rate(), kind: 'percent' },
			{ header: m.report_col_average_score(), kind: 'number' },
			{ header: m.report_col_leader_rate(), kind: 'percent' }
		],
		rows: [...stats.values()]
			.sort((a, b) => a.unit.path.localeCompare(b.unit.path, 'en', { numeric: true }))
			.map((s) => [
				`${'  '.repeat(s.unit.depth - unit.depth)}${s.unit.name}`,
				s.unit.code,
				s.cadres,
				s.participationRate,
				s.overall.completed,
				s.overall.completionRate,
				s.overall.overdue,
				s.overall.passRate,
				s.overall.averageScore,
				s.leaders.leaderRate
			])
	};
	return { unitName: unit.name, unitCode: unit.code, sheets: [detail, summary] };
}
