// What the inspector knows of each session's token beyond its file: the last answer of GitHub's
// to `v`/`V` (the same check `status` makes), and what the row shows of it. Pure: time is an
// argument, so a stored token expiry turns a row to `token expired` as the one clock passes it.
import {formatShortSpan} from '../format/duration.js';
import type {SessionStatus} from '../github/session-status.js';
import type {Session} from '../session/session.js';
import type {Row} from './rows.js';

/** What GitHub said of one token. `rate_limited`: not asked, the limit was used up. */
export type TokenCheckStatus = 'valid' | 'revoked' | 'error' | 'no_token' | 'rate_limited';

export type TokenCheck =
	| {
			readonly phase: 'checking';
			/** The token asked about: a check of another token (renewed, logged in again) is stale. */
			readonly token: string;
			/** The answer shown before, back on screen if this check is cancelled. */
			readonly previous: TokenCheck | undefined;
	  }
	| {
			readonly phase: 'done';
			readonly token: string;
			readonly status: TokenCheckStatus;
			/** The GitHub login now (valid), escaped on screen; '' when unknown. */
			readonly login: string;
			/** The stored login when GitHub's differs from it. */
			readonly storedLogin: string | undefined;
			readonly scopes: readonly string[] | undefined;
			/** GitHub's header when sent, else the stored token_expires_at (ms). */
			readonly tokenExpiresAt: number | undefined;
			/** Why `error` (safe to show). */
			readonly error: string | undefined;
			/** When the answer came (ms). */
			readonly at: number;
	  };

export type TokenChecks = ReadonlyMap<string, TokenCheck>;

/** A library status (session-status.ts) as the inspector keeps it. */
export function checkOf(status: SessionStatus, token: string, at: number): TokenCheck {
	return {
		phase: 'done',
		token,
		status: status.status === 'not_checked' ? 'rate_limited' : status.status,
		login: status.status === 'valid' ? status.login : '',
		storedLogin: status.storedLogin,
		scopes: status.scopes,
		tokenExpiresAt: status.tokenExpiresAt?.getTime(),
		error: status.error,
		at,
	};
}

/** The check that applies to a session: none when it was of another token. */
export function checkFor(checks: TokenChecks, session: Session): TokenCheck | undefined {
	const check = checks.get(session.id);
	return check?.token === session.accessToken ? check : undefined;
}

/** When the token dies, as far as known: GitHub's answer, else the file's token_expires_at. */
export function tokenExpiry(session: Session, check: TokenCheck | undefined): number | undefined {
	if (check?.phase === 'done' && check.tokenExpiresAt !== undefined) return check.tokenExpiresAt;
	return session.tokenExpiresAt?.getTime();
}

/** How the row's countdown column reads. */
export type TokenMark = {
	readonly text: string;
	readonly tone: 'expired' | 'bad' | 'good' | 'pending' | 'dim';
};

/**
 * What replaces the session's countdown, if anything, for a session that has not expired: a
 * token known dead never shows as a live countdown. Undefined: show the countdown.
 *   checking…       a check in flight
 *   revoked         GitHub answered 401
 *   token expired   its expiry (stored, or GitHub's) has passed: checked or not
 *   valid 23h left  GitHub answered 200, and the session's time left
 *   no token        the session holds none (the local mock)
 * An error or the rate limit changes nothing in the row: the details say why.
 */
export function tokenMark(
	row: Row,
	check: TokenCheck | undefined,
	now: number,
): TokenMark | undefined {
	if (row.entry.kind !== 'session') return undefined;
	const {session} = row.entry;
	// An expired session's own countdown says all: `expired 3d ago`.
	if (now > row.expiresAt) return undefined;
	if (check?.phase === 'checking') return {text: 'checking…', tone: 'pending'};
	if (check?.status === 'revoked') return {text: 'revoked', tone: 'bad'};
	const dies = tokenExpiry(session, check);
	if (dies !== undefined && now > dies) return {text: 'token expired', tone: 'expired'};
	if (check?.status === 'valid') {
		return {text: `valid ${formatShortSpan(row.expiresAt - now)} left`, tone: 'good'};
	}
	if (check?.status === 'no_token') return {text: 'no token', tone: 'dim'};
	return undefined;
}
