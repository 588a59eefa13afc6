// Dates and numbers as Vietnamese offices write them: dd/MM/yyyy, 24-hour clock, Asia/Ho_Chi_Minh.
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const dateFormat = new Intl.DateTimeFormat('vi-VN', {
	timeZone: TIME_ZONE,
	day: '2-digit',
	month: '2-digit',
	year: 'numeric'
});
const timeFormat = new Intl.DateTimeFormat('vi-VN', {
	timeZone: TIME_ZONE,
	hour: '2-digit',
	minute: '2-digit',
	hour12: false
});
const timeSecondsFormat = new Intl.DateTimeFormat('vi-VN', {
	timeZone: TIME_ZONE,
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	hour12: false
});

function toDate(value: Date | string | number): Date {
	return value instanceof Date ? value : new Date(value);
}

/** 25/11/2026 */
export function formatDate(value: Date | string | number): string {
	return dateFormat.format(toDate(value));
}

/** 25/11/2026 14:05 */
export function formatDateTime(value: Date | string | number): string {
	const d = toDate(value);
	return `${dateFormat.format(d)} ${timeFormat.format(d)}`;
}

/** 14:05:09 */
export function formatTime(value: Date | string | number): string {
	return timeSecondsFormat.format(toDate(value));
}

/** 1:05:09 or 05:09, for remaining or used time. */
export function formatDuration(ms: number): string {
	const total = Math.max(0, Math.round(ms / 1000));
	const h = Math.floor(total / 3600);
	const mm = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
	const ss = String(total % 60).padStart(2, '0');
	return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

const numberFormat = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });
/** 1.234,5 — the Vietnamese grouping and decimal comma. */
export function formatNumber(value: number): string {
	return numberFormat.format(value);
}

/** Parses a dd/MM/yyyy (or yyyy-MM-dd) date as the start of that day in Vietnam. */
export function parseDate(text: string): Date | null {
	const t = text.trim();
	let y: number, mo: number, d: number;
	let match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
	if (match) [d, mo, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
	else if ((match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t)))
		[y, mo, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
	else return null;
	// Vietnam has no daylight saving time: always UTC+7.
	const date = new Date(Date.UTC(y, mo - 1, d, -7, 0, 0));
	const check = new Date(date.getTime() + 7 * 3600_000);
	if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d)
		return null;
	return date;
}

/** Parses 'dd/MM/yyyy HH:mm' (24-hour, Vietnam time; the time may be left out: 00:00). */
export function parseDateTime(text: string): Date | null {
	const match = /^(\S+)(?:\s+(\d{1,2}):(\d{2}))?$/.exec(text.trim());
	if (!match) return null;
	const day = parseDate(match[1]);
	if (!day) return null;
	const hours = match[2] === undefined ? 0 : Number(match[2]);
	const minutes = match[3] === undefined ? 0 : Number(match[3]);
	if (hours > 23 || minutes > 59) return null;
	return new Date(day.getTime() + (hours * 60 + minutes) * 60_000);
}
