// Errors carry a stable `code` so callers can branch without string-matching messages, and
// each is its own class so `instanceof` works too (Go's errors.Is against the sentinels).
// Messages never quote a session file's bytes: a file may hold an access token.

export type SessionErrorCode =
	| 'NOT_FOUND'
	| 'EXPIRED'
	| 'INVALID_STATE'
	| 'INVALID_ID'
	| 'CORRUPT'
	| 'UNSAFE_DIRECTORY'
	| 'STORE_UNAVAILABLE'
	| 'LOCK_BUSY';

export class SessionError extends Error {
	readonly code: SessionErrorCode;

	constructor(code: SessionErrorCode, message: string, options?: ErrorOptions) {
		super(message, options);
		this.name = new.target.name;
		this.code = code;
	}
}

/** A session does not exist (Go: ErrNotFound). */
export class NotFoundError extends SessionError {
	constructor(id: string) {
		super('NOT_FOUND', `session ${JSON.stringify(id)} not found`);
	}
}

/** A session exists but has passed its expiry (Go: ErrExpired). */
export class ExpiredError extends SessionError {
	constructor(id: string) {
		super('EXPIRED', `session ${JSON.stringify(id)} has expired`);
	}
}

/** An OAuth state token is invalid, used or expired (Go: ErrInvalidState). */
export class InvalidStateError extends SessionError {
	constructor(message = 'invalid or expired state token') {
		super('INVALID_STATE', message);
	}
}

/** A session id that is not safe to use as a file name or key; raised before any I/O. */
export class InvalidIdError extends SessionError {
	constructor(message: string) {
		super('INVALID_ID', message);
	}
}

/** Stored bytes that are not a session. `reason` is safe to show: it never quotes the bytes. */
export class CorruptError extends SessionError {
	readonly reason: string;

	constructor(where: string, reason: string, options?: ErrorOptions) {
		super('CORRUPT', `${where} is not a valid session: ${reason}`, options);
		this.reason = reason;
	}
}

/** The session directory is a symlink, not a directory, or owned by someone else. */
export class UnsafeDirectoryError extends SessionError {
	constructor(message: string) {
		super('UNSAFE_DIRECTORY', message);
	}
}

/** The backing store (Redis, the directory) cannot be reached or answered with an error. */
export class StoreUnavailableError extends SessionError {
	constructor(message: string, options?: ErrorOptions) {
		super('STORE_UNAVAILABLE', message, options);
	}
}

/** Another process holds a session's lock (a refresh in progress) longer than we would wait. */
export class LockBusyError extends SessionError {
	constructor(what: string, where: string) {
		super('LOCK_BUSY', `another process holds the lock on ${what} (${where}); try again shortly`);
	}
}
