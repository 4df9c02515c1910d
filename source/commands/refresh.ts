// `refresh [ID...]`: renews the access token of sessions that hold a refresh token (GitHub App
// tokens), under the session's lock so that two processes never spend the same one-use refresh
// token. The session's own expires_at stays as it is: only the token pair and its expiries
// change, in one atomic write.
import {formatAbsolute} from '../format/duration.js';
import {escapeControl} from '../format/escape.js';
import type {requestGitHub} from '../github/http.js';
import {RefreshError, refreshAccessToken} from '../github/refresh.js';
import {hostOf} from '../github/session-status.js';
import {ExpiredError} from '../session/errors.js';
import type {Session} from '../session/session.js';
import {isLockingStore, type ListableStore} from '../session/store.js';
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

type Outcome = {readonly ok: boolean; readonly line: string};

/** The session with the new pair; a pair without a refresh token drops the spent one. */
function renewed(
	session: Session,
	tokens: Awaited<ReturnType<typeof refreshAccessToken>>,
): Session {
	const next: {-readonly [K in keyof Session]: Session[K]} = {
		...session,
		accessToken: tokens.accessToken,
	};
	delete next.tokenExpiresAt;
	delete next.refreshToken;
	delete next.refreshTokenExpiresAt;
	if (tokens.tokenExpiresAt) next.tokenExpiresAt = tokens.tokenExpiresAt;
	if (tokens.refreshToken) {
		next.refreshToken = tokens.refreshToken;
		if (tokens.refreshTokenExpiresAt) next.refreshTokenExpiresAt = tokens.refreshTokenExpiresAt;
	}

	return next;
}

async function refreshOne(
	options: RefreshCommandOptions,
	seen: Session,
	now: () => number,
): Promise<Outcome> {
	const {store} = options;
	const id = escapeControl(seen.id);
	if (!isLockingStore(store)) {
		return {ok: false, line: `cannot refresh ${id}: this store cannot lock a session`};
	}

	const lock = await store.lock(seen.id, {
		...(options.signal ? {signal: options.signal} : {}),
		onWait: () => options.output.err(`waiting for another process refreshing ${id}…\n`),
	});
	try {
		// Re-read under the lock: another process may have refreshed it since we listed it.
		let session: Session | null;
		try {
			session = await store.get(seen.id);
		} catch (error) {
			if (error instanceof ExpiredError) {
				return {ok: false, line: `${id}: the session has expired; ${LOG_IN_AGAIN}`};
			}

			throw error;
		}

		if (session === null) return {ok: false, line: `${id}: the session is gone`};
		if (session.refreshToken !== seen.refreshToken) {
			return {ok: true, line: `${id}: already refreshed by another process`};
		}

		if (session.refreshToken === undefined || session.refreshToken === '') {
			return {
				ok: false,
				line: `${id}: the session holds no refresh token (only expiring GitHub App tokens come with one); ${LOG_IN_AGAIN}`,
			};
		}

		const at = now();
		if (session.refreshTokenExpiresAt && session.refreshTokenExpiresAt.getTime() <= at) {
			return {
				ok: false,
				line: `${id}: the refresh token expired at ${formatAbsolute(session.refreshTokenExpiresAt)}; ${LOG_IN_AGAIN}`,
			};
		}

		const clientId = session.clientId ?? options.defaultClientId;
		const app = options.oauthApp;
		let tokens: Awaited<ReturnType<typeof refreshAccessToken>>;
		try {
			tokens = await refreshAccessToken({
				githubHost: hostOf(session, options.githubHost),
				clientId,
				// The secret only goes to GitHub with the client id it belongs to.
				clientSecret: app && app.clientId === clientId ? app.clientSecret : undefined,
				refreshToken: session.refreshToken,
				now,
				...(options.signal ? {signal: options.signal} : {}),
				...(options.request ? {request: options.request} : {}),
			});
		} catch (error) {
			if (!(error instanceof RefreshError)) throw error;
			if (error.code === 'BAD_REFRESH_TOKEN') {
				return {ok: false, line: `${id}: ${escapeControl(error.message)}; ${LOG_IN_AGAIN}`};
			}

			const spent = error.maybeSpent
				? '; the refresh token may be spent if GitHub received the request'
				: '';
			return {ok: false, line: `${id}: refresh failed: ${escapeControl(error.message)}${spent}`};
		}

		try {
			await store.set(renewed(session, tokens));
		} catch (error) {
			return {
				ok: false,
				line: `${id}: GitHub renewed the token but saving it failed (${errorMessage(error)}); the old refresh token is spent: ${LOG_IN_AGAIN} if the session stops working`,
			};
		}

		const until = tokens.tokenExpiresAt
			? `the token is valid until ${formatAbsolute(tokens.tokenExpiresAt)}`
			: 'the token does not expire';
		const note = tokens.refreshToken
			? ''
			: '; GitHub sent no new refresh token, so the next renewal needs a new login';
		return {ok: true, line: `refreshed ${id}: ${until}${note}`};
	} finally {
		await lock.release();
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
		let outcome: Outcome;
		try {
			outcome = await refreshOne(options, session, now);
		} catch (error) {
			outcome = {
				ok: false,
				line: `cannot refresh ${escapeControl(session.id)}: ${errorMessage(error)}`,
			};
		}

		if (outcome.ok) output.out(`${outcome.line}\n`);
		else {
			output.err(`stacktower-sessions: ${outcome.line}\n`);
			code = 1;
		}
	}

	return code;
}
