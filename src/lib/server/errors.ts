// The known outcomes domain code throws; routes map them to HTTP (see http.ts).

export type FieldErrors = Record<string, string>;

export class DomainError extends Error {}

/** The acting user may not do this (role or unit scope). */
export class NotAllowed extends DomainError {
	constructor(message = 'not allowed') {
		super(message);
		this.name = 'NotAllowed';
	}
}

export class NotFound extends DomainError {
	constructor(message = 'not found') {
		super(message);
		this.name = 'NotFound';
	}
}

/** Input that fails validation: messages per field (already localised). */
export class Invalid extends DomainError {
	constructor(
		readonly fields: FieldErrors,
		message = Object.values(fields).join('; ')
	) {
		super(message);
		this.name = 'Invalid';
	}
}

/** A unique name taken, a state that moved on, a stale edit. */
export class Conflict extends DomainError {
	constructor(message: string) {
		super(message);
		this.name = 'Conflict';
	}
}

/** A deadline (plus grace) has passed. */
export class TooLate extends DomainError {
	constructor(message = 'too late') {
		super(message);
		this.name = 'TooLate';
	}
}

/** One bad line of an imported file. */
export interface LineError {
	line: number;
	message: string;
	file?: string;
}

/** A file (or folder) that cannot be imported; nothing of it was written. */
export class ImportFailed extends DomainError {
	constructor(readonly errors: LineError[]) {
		super(errors.map((e) => `${e.file ? e.file + ':' : ''}${e.line}: ${e.message}`).join('\n'));
		this.name = 'ImportFailed';
	}
}
