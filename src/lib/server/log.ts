// The application logger (pino, JSON lines on stdout).
import pino from 'pino';

export const logger = pino({
	level:
		process.env.LOG_LEVEL ??
		(process.env.NODE_ENV === 'test' || process.env.VITEST ? 'warn' : 'info'),
	base: undefined
});
