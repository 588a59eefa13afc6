// Argon2id password hashing, with a cap on how many hashes run at once.
import { hash, verify } from '@node-rs/argon2';

/** OWASP (2023+) minimum for Argon2id: 19 MiB, 2 passes, 1 lane. */
export const ARGON2_OPTIONS = {
	algorithm: 2, // Argon2id
	memoryCost: 19_456,
	timeCost: 2,
	parallelism: 1,
	outputLen: 32
} as const;

/**
 * Each hash holds 19 MiB while it runs; a burst of 620 logins must not hold 12 GiB.
 * At most HASH_CONCURRENCY run at once, the rest wait their turn in FIFO order.
 */
export const HASH_CONCURRENCY = Math.max(2, Number(process.env.HOCTHI_HASH_CONCURRENCY) || 4);

let running = 0;
const waiting: Array<() => void> = [];
let peakRunning = 0;

async function withSlot<T>(task: () => Promise<T>): Promise<T> {
	if (running >= HASH_CONCURRENCY) {
		await new Promise<void>((resolve) => waiting.push(resolve));
	} else {
		running++;
	}
	peakRunning = Math.max(peakRunning, running);
	try {
		return await task();
	} finally {
		const next = waiting.shift();
		if (next) next();
		else running--;
	}
}

/** For tests and the benchmark: the most hashes that ever ran together. */
export function hashingStats(): { running: number; waiting: number; peakRunning: number } {
	return { running, waiting: waiting.length, peakRunning };
}

export function hashPassword(password: string): Promise<string> {
	return withSlot(() => hash(password, ARGON2_OPTIONS));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await withSlot(() => verify(passwordHash, password));
	} catch {
		return false;
	}
}

/** A hash to verify against when the account does not exist, so timing does not reveal it. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
	dummyHash ??= hash('hocthi-dummy-password', ARGON2_OPTIONS);
	return dummyHash;
}

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
