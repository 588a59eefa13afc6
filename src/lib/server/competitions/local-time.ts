// Times typed into forms (<input type="datetime-local">) are Vietnam wall-clock times: Asia/Ho_Chi_Minh
// is UTC+7 all year (no daylight saving), whatever the server's own time zone is.
const OFFSET_MS = 7 * 3600_000;

/** '2012-09-20T08:00' (Vietnam time) → the instant; null for empty input, NaN date for rubbish. */
export function parseLocalDateTime(text: string | null | undefined): Date | null {
	const t = (text ?? '').trim();
	if (!t) return null;
	const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(t);
	if (!match) return new Date(NaN);
	const [y, mo, d, h, mi, s] = match.slice(1).map((x) => Number(x ?? 0));
	const utc = Date.UTC(y, mo - 1, d, h, mi, s);
	const back = new Date(utc);
	// 31/02 and 25:00 roll over in Date.UTC; refuse them instead.
	if (
		back.getUTCFullYear() !== y ||
		back.getUTCMonth() !== mo - 1 ||
		back.getUTCDate() !== d ||
		back.getUTCHours() !== h ||
		back.getUTCMinutes() !== mi
	)
		return new Date(NaN);
	return new Date(utc - OFFSET_MS);
}

/** The instant as a datetime-local value in Vietnam time: '2012-09-20T08:00'. */
export function toLocalInput(date: Date | null | undefined): string {
	if (!date) return '';
	return new Date(date.getTime() + OFFSET_MS).toISOString().slice(0, 16);
}
