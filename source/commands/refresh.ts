// `refresh [ID...]`: renews the access token of sessions that hold a refresh token (GitHub App
// tokens), under the session's lock so that two processes never spend the same one-use refresh
// token. The session's own expires_at stays as it is: only the token pair and its expiries
// change, in one atomic write.
import {formatAbsolute} from '../format/duration.js';
import {escapeControl} from '../format/escape.js';
import type {requestGitHub} from '../github/http.js';
import {type RefreshSessionOutcome, refreshSession} from '../github/refresh-session.js';
import type {Session} from '../session/session.js';
import type {ListableStore} from '../session/store.js';
import {errorMessage, type Output} from './output.js';
import {selectSessions} from './select-sessions.js';

export type RefreshCommandOptions = {
	readonly store: ListableStore;
	readonly location: string;
	/** Valid ids without duplicates; empty for every active session that holds a refresh token. */
	readonly ids: readonly string[];
	/** The configured `--github-host`, for sessions that record none. */
	readonly githubHost: string;
	/** The client id for sessions that record none (the one `login` would use). */
	readonly defaultClientId: string;
	/** The configured OAuth app, when both its id and secret are given. */
	readonly oauthApp: {readonly clientId: string; readonly clientSecret: string} | undefined;
	readonly output: Output;
	readonly now?: () => number;
	readonly signal?: AbortSignal;
	readonly request?: typeof requestGitHub;
};

const LOG_IN_AGAIN = 'log in again: stacktower-sessions login';

export type Outcome = {
	readonly ok: boolean;
	readonly line: string;
	/** The session as saved after the refresh (`refreshed`, `already`). */
	readonly session?: Session;
};

/** What refreshing one session needs; `status --refresh` passes the same. */
export type RefreshOneOptions = Omit<RefreshCommandOptions, 'location' | 'ids' | 'now'>;

/** Refreshes one listed session and words the outcome; a store error is an outcome too. */
export async function refreshOne(
	options: RefreshOneOptions,
	seen: Session,
	now: () => number,
): Promise<Outcome> {
	const id = escapeControl(seen.id);
	try {
		const outcome = await refreshSession(options.store, seen, {
			githubHost: options.githubHost,
			defaultClientId: options.defaultClientId,
			oauthApp: options.oauthApp,
			now,
			onWait: () => options.output.err(`waiting for another process refreshing ${id}…\n`),
			...(options.signal ? {signal: options.signal} : {}),
			...(options.request ? {request: options.request} : {}),
		});
		const described = lineOf(id, outcome);
		return 'session' in outcome ? {...described, session: outcome.session} : described;
	} catch (error) {
		return {ok: false, line: `cannot refresh ${id}: ${errorMessage(error)}`};
	}
}

/** What `refresh` says of one outcome (`id` escaped). */
export function lineOf(id: string, outcome: RefreshSessionOutcome): Outcome {
	switch (outcome.kind) {
		case 'cannot_lock':
			return {ok: false, line: `cannot refresh ${id}: this store cannot lock a session`};
		case 'session_expired':
			return {ok: false, line: `${id}: the session has expired; ${LOG_IN_AGAIN}`};
		case 'gone':
			return {ok: false, line: `${id}: the session is gone`};
		case 'already':
			return {ok: true, line: `${id}: already refreshed by another process`};
		case 'no_refresh_token':
			return {
				ok: false,
				line: `${id}: the session holds no refresh token (only expiring GitHub App tokens come with one); ${LOG_IN_AGAIN}`,
			};
		case 'refresh_token_expired':
			return {
				ok: false,
				line: `${id}: the refresh token expired at ${formatAbsolute(outcome.at)}; ${LOG_IN_AGAIN}`,
			};
		case 'bad_refresh_token':
			return {ok: false, line: `${id}: ${escapeControl(outcome.message)}; ${LOG_IN_AGAIN}`};
		case 'failed': {
			const spent = outcome.maybeSpent
				? '; the refresh token may be spent if GitHub received the request'
				: '';
			return {ok: false, line: `${id}: refresh failed: ${escapeControl(outcome.message)}${spent}`};
		}
		case 'save_failed':
			return {
				ok: false,
				line: `${id}: GitHub renewed the token but saving it failed (${errorMessage(outcome.error)}); the old refresh token is spent: ${LOG_IN_AGAIN} if the session stops working`,
			};
		case 'refreshed': {
			const {tokens} = outcome;
			const until = tokens.tokenExpiresAt
				? `the token is valid until ${formatAbsolute(tokens.tokenExpiresAt)}`
				: 'the token does not expire';
			const note = tokens.refreshToken
				? ''
				: '; GitHub sent no new refresh token, so the next renewal needs a new login';
			return {ok: true, line: `refreshed ${id}: ${until}${note}`};
		}
	}
}

export async function refreshCommand(options: RefreshCommandOptions): Promise<number> {
	const {output, location} = options;
	const now = options.now ?? Date.now;
	const selection = await selectSessions(options.store, options.ids, location, output, now());
	if (selection === undefined) return 1;

	let code = selection.code;
	const sessions =
		options.ids.length === 0
			? selection.sessions.filter((session) => session.refreshToken)
			: selection.sessions;
	if (sessions.length === 0 && options.ids.length === 0) {
		output.err(`no active session in ${location} holds a refresh token: nothing to refresh\n`);
		return code;
	}

	// One at a time: each holds its session's lock only as long as its own exchange.
	for (const session of sessions) {
		const outcome = await refreshOne(options, session, now);
		if (outcome.ok) output.out(`${outcome.line}\n`);
		else {
			output.err(`stacktower-sessions: ${outcome.line}\n`);
			code = 1;
		}
	}

	return code;
}
