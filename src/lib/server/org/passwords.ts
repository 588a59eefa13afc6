// Readable random initial passwords for new accounts.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** Bytes at or above this would bias the modulo; they are drawn again. */
const LIMIT = 256 - (256 % ALPHABET.length);

export function generatePassword(length = 12): string {
	let out = '';
	while (out.length < length) {
		const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
		for (const b of bytes) {
			if (b < LIMIT && out.length < length) out += ALPHABET[b % ALPHABET.length];
		}
	}
	return out;
}
