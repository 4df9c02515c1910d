// What the status line says after `v`/`V` and `R`: pure wording of the library's answers, in the
// inspector's style (lowercase, no final period). Every text from GitHub here is already escaped
// by the library (safeText); the status line escapes the whole line again for the terminal.
import {formatAbsolute, formatRelative} from '../format/duration.js';
import {messageOf, plural} from '../format/text.js';
import type {RefreshSessionOutcome} from '../github/refresh-session.js';
import type {TokenCheck, TokenCheckStatus} from './token-checks.js';

export type Said = {readonly text: string; readonly tone: 'info' | 'error'};

const LOG_IN_AGAIN = 'l logs in again';
// First, where a long reason cut at the terminal's edge cannot hide it.
const LOG_IN_FIRST = 'log in again (l)';

/** One session's answer, named by its label. */
function oneResult(label: string, check: TokenCheck | undefined, resetNote: string): Said {
	if (check?.phase !== 'done') return {text: `${label}: not checked`, tone: 'error'};
	switch (check.status) {
		case 'valid': {
			const other =
				check.storedLogin === undefined
					? ''
					: `, but it belongs to @${check.login} on GitHub now, not @${check.storedLogin}`;
			return {text: `${label}: valid${other}`, tone: other ? 'error' : 'info'};
		}
		case 'revoked':
			return {text: `${label}: revoked or expired on GitHub; ${LOG_IN_AGAIN}`, tone: 'error'};
		case 'no_token':
			return {text: `${label}: the session holds no token`, tone: 'info'};
		case 'rate_limited':
			return {
				text: `${label}: not checked, GitHub's rate limit is used up${resetNote}`,
				tone: 'error',
			};
		case 'error':
			return {text: `${label}: the check failed: ${check.error ?? 'unknown error'}`, tone: 'error'};
	}
}

const ORDER: readonly TokenCheckStatus[] = [
	'valid',
	'revoked',
	'error',
	'no_token',
	'rate_limited',
];
const WORDS: Readonly<Record<TokenCheckStatus, string>> = {
	valid: 'valid',
	revoked: 'revoked',
	error: 'failed',
	no_token: 'without a token',
	rate_limited: 'not checked (rate limit)',
};

/**
 * The end of a verify: one session's answer in full, or for several how many of each. `resetAt`
 * is when GitHub's rate limit resets, when the checks stopped at it.
 */
export function verifySummary(
	label: string,
	checks: readonly (TokenCheck | undefined)[],
	resetAt: number | undefined,
	now: number,
): Said {
	const resetNote =
		resetAt === undefined
			? ''
			: `; it resets at ${formatAbsolute(resetAt)} (${formatRelative(resetAt, now)})`;
	if (checks.length === 1) return oneResult(label, checks[0], resetNote);
	const counts = new Map<TokenCheckStatus, number>();
	for (const check of checks) {
		if (check?.phase === 'done') counts.set(check.status, (counts.get(check.status) ?? 0) + 1);
	}
	const parts = ORDER.flatMap((status) => {
		const count = counts.get(status);
		return count ? [`${count} ${WORDS[status]}`] : [];
	});
	const bad = ORDER.some(
		(status) => status !== 'valid' && status !== 'no_token' && counts.get(status),
	);
	const limit = resetAt === undefined ? '' : `; GitHub's rate limit is used up${resetNote}`;
	return {
		text: `verified ${plural(checks.length, 'session')}: ${parts.join(', ') || 'no answers'}${limit}`,
		tone: bad ? 'error' : 'info',
	};
}

/** The end of an `R`. */
export function refreshSaid(label: string, outcome: RefreshSessionOutcome, now: number): Said {
	const error = (text: string): Said => ({text: `${label}: ${text}`, tone: 'error'});
	switch (outcome.kind) {
		case 'refreshed': {
			const {tokenExpiresAt, refreshToken} = outcome.tokens;
			const until = tokenExpiresAt
				? `the new token is valid until ${formatAbsolute(tokenExpiresAt)}`
				: 'the new token does not expire';
			const note = refreshToken
				? ''
				: '; GitHub sent no new refresh token: the next renewal is a login';
			return {text: `refreshed ${label}: ${until}${note}`, tone: 'info'};
		}
		case 'already':
			return {text: `${label}: already refreshed by another process`, tone: 'info'};
		case 'cannot_lock':
			return error('cannot refresh: this store cannot lock a session');
		case 'gone':
			return error('the session is gone');
		case 'session_expired':
			return error(`${LOG_IN_FIRST}: the session has expired`);
		case 'no_refresh_token':
			return error(`${LOG_IN_FIRST}: no refresh token to renew it with`);
		case 'refresh_token_expired':
			return error(`${LOG_IN_FIRST}: the refresh token expired ${formatRelative(outcome.at, now)}`);
		case 'bad_refresh_token':
			return error(`${LOG_IN_FIRST}: ${outcome.message}`);
		case 'failed':
			return error(
				`refresh failed: ${outcome.message}${outcome.maybeSpent ? `; the refresh token may be spent, if it stops working ${LOG_IN_AGAIN}` : ''}`,
			);
		case 'save_failed':
			return error(
				`GitHub renewed the token but saving it failed (${messageOf(outcome.error)}); the old refresh token is spent: if the session stops working ${LOG_IN_AGAIN}`,
			);
	}
}

/** Why `R` cannot renew a session, before asking GitHub anything; undefined when it can try. */
export function cannotRefresh(
	refreshToken: string | undefined,
	refreshTokenExpiresAt: Date | undefined,
	now: number,
): string | undefined {
	if (refreshToken === undefined || refreshToken === '') {
		return `${LOG_IN_FIRST}: no refresh token (only expiring GitHub App tokens come with one)`;
	}
	if (refreshTokenExpiresAt && refreshTokenExpiresAt.getTime() <= now) {
		return `${LOG_IN_FIRST}: the refresh token expired ${formatRelative(refreshTokenExpiresAt, now)}`;
	}
	return undefined;
}
