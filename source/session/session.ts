import {assertValidId, generateId} from './ids.js';

/** The GitHub account a session belongs to (Go: github.User). */
export type GitHubUser = {
	readonly id: number;
	readonly login: string;
	readonly name: string;
	readonly avatarUrl: string;
	readonly email: string;
};

/**
 * A login session (Go: session.Session). The optional properties are extras beside Go's
 * fields, kept when GitHub gives them (a GitHub App's token expires and comes with a refresh
 * token) and naming who issued the token, so that checking, refreshing or revoking it later
 * goes to the right host with the right app. Go ignores them on read.
 */
export type Session = {
	readonly id: string;
	readonly accessToken: string;
	readonly user: GitHubUser | null;
	readonly expiresAt: Date;
	readonly createdAt: Date;
	/** When the access token itself expires (a GitHub App's `ghu_` token: 8 hours). */
	readonly tokenExpiresAt?: Date;
	/** The token that renews the access token (`ghr_`, single use); secret as the access token. */
	readonly refreshToken?: string;
	readonly refreshTokenExpiresAt?: Date;
	/** The client id of the GitHub App or OAuth app that issued the token. */
	readonly clientId?: string;
	/** The GitHub that issued the token, as an origin: `https://github.com`. */
	readonly githubHost?: string;
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
	const copy: {-readonly [K in keyof Session]: Session[K]} = {
		id: session.id,
		accessToken: session.accessToken,
		user: session.user ? {...session.user} : null,
		expiresAt: new Date(session.expiresAt.getTime()),
		createdAt: new Date(session.createdAt.getTime()),
	};
	// Only when present: a session without extras stays without the keys.
	if (session.tokenExpiresAt !== undefined) {
		copy.tokenExpiresAt = new Date(session.tokenExpiresAt.getTime());
	}

	if (session.refreshToken !== undefined) copy.refreshToken = session.refreshToken;
	if (session.refreshTokenExpiresAt !== undefined) {
		copy.refreshTokenExpiresAt = new Date(session.refreshTokenExpiresAt.getTime());
	}

	if (session.clientId !== undefined) copy.clientId = session.clientId;
	if (session.githubHost !== undefined) copy.githubHost = session.githubHost;
	return copy;
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
	for (const key of ['tokenExpiresAt', 'refreshTokenExpiresAt'] as const) {
		if (s[key] !== undefined) assertDate(s[key], `session.${key}`);
	}

	for (const key of ['refreshToken', 'clientId', 'githubHost'] as const) {
		if (s[key] !== undefined && typeof s[key] !== 'string') {
			throw new TypeError(`Expected session.${key} to be a string, got ${typeof s[key]}`);
		}
	}
}
