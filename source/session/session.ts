import {assertValidId, generateId} from './ids.js';

/** The GitHub account a session belongs to (Go: github.User). */
export type GitHubUser = {
	readonly id: number;
	readonly login: string;
	readonly name: string;
	readonly avatarUrl: string;
	readonly email: string;
};

/** A login session (Go: session.Session). */
export type Session = {
	readonly id: string;
	readonly accessToken: string;
	readonly user: GitHubUser | null;
	readonly expiresAt: Date;
	readonly createdAt: Date;
};

/** Go: session.DefaultTTL. */
export const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;
/** Go: session.DefaultStateTTL. */
export const DEFAULT_STATE_TTL_MS = 10 * 60 * 1000;

export function assertTtl(ttlMs: unknown, what = 'ttlMs'): asserts ttlMs is number {
	if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
		throw new RangeError(`Expected ${what} to be a positive finite number, got ${String(ttlMs)}`);
	}
}

/** Go: session.New. A fresh id, created now, expiring `ttlMs` from now. */
export function newSession(
	accessToken: string,
	user: GitHubUser | null,
	ttlMs: number = DEFAULT_TTL_MS,
	now: Date = new Date(),
): Session {
	if (typeof accessToken !== 'string') {
		throw new TypeError(`Expected accessToken to be a string, got ${typeof accessToken}`);
	}

	assertTtl(ttlMs);
	return {
		id: generateId(),
		accessToken,
		user: user ? {...user} : null,
		createdAt: new Date(now.getTime()),
		expiresAt: new Date(now.getTime() + ttlMs),
	};
}

/** Go: (*Session).IsExpired, which is `time.Now().After(ExpiresAt)`: expired strictly after. */
export function isExpired(
	session: Pick<Session, 'expiresAt'>,
	now: Date | number = Date.now(),
): boolean {
	return (typeof now === 'number' ? now : now.getTime()) > session.expiresAt.getTime();
}

/** Go: (*Session).UserID. `github:<id>`, or `""` when the session has no user. */
export function userId(session: Pick<Session, 'user'>): string {
	return session.user ? `github:${session.user.id}` : '';
}

/** A deep copy, so callers can never change what a store holds. */
export function cloneSession(session: Session): Session {
	return {
		id: session.id,
		accessToken: session.accessToken,
		user: session.user ? {...session.user} : null,
		expiresAt: new Date(session.expiresAt.getTime()),
		createdAt: new Date(session.createdAt.getTime()),
	};
}

function assertDate(value: unknown, what: string): void {
	if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
		throw new TypeError(`Expected ${what} to be a valid Date`);
	}

	// Go's time.Time marshals only years 0–9999; a file outside that range Go could not read.
	const year = value.getUTCFullYear();
	if (year < 0 || year > 9999) {
		throw new RangeError(`Expected ${what} to be within the years 0–9999, got ${year}`);
	}
}

function assertUser(user: unknown): void {
	if (user === null) return;
	if (typeof user !== 'object' || user === undefined) {
		throw new TypeError(`Expected session.user to be an object or null, got ${typeof user}`);
	}

	const u = user as Record<string, unknown>;
	if (typeof u.id !== 'number' || !Number.isSafeInteger(u.id)) {
		throw new TypeError('Expected session.user.id to be an integer');
	}

	for (const key of ['login', 'name', 'avatarUrl', 'email']) {
		if (typeof u[key] !== 'string') {
			throw new TypeError(`Expected session.user.${key} to be a string, got ${typeof u[key]}`);
		}
	}
}

/**
 * Checks that a value is a Session a store can hold, before any I/O: the id first (an
 * InvalidIdError), then the other fields (a TypeError or RangeError naming the field).
 */
export function assertSession(session: unknown): asserts session is Session {
	if (typeof session !== 'object' || session === null) {
		throw new TypeError(
			`Expected a session object, got ${session === null ? 'null' : typeof session}`,
		);
	}

	const s = session as Record<string, unknown>;
	assertValidId(s.id);
	if (typeof s.accessToken !== 'string') {
		throw new TypeError(`Expected session.accessToken to be a string, got ${typeof s.accessToken}`);
	}

	assertUser(s.user);
	assertDate(s.expiresAt, 'session.expiresAt');
	assertDate(s.createdAt, 'session.createdAt');
}
