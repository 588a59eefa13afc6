// Text decoding for uploaded and imported files: UTF-8 only, BOM tolerated.

export function stripBom(text: string): string {
	return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Decodes bytes as UTF-8 (dropping a BOM), refusing anything else rather than guessing. */
export function decodeUtf8(bytes: Uint8Array): string | null {
	try {
		return stripBom(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
	} catch {
		return null;
	}
}

/** The line (from 1) of the first NUL character, or null: PostgreSQL text cannot hold one. */
export function nulLine(text: string): number | null {
	const at = text.indexOf('\u0000');
	if (at < 0) return null;
	return (text.slice(0, at).match(/\r\n|\n|\r/g)?.length ?? 0) + 1;
}
