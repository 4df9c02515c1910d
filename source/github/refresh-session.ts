// Renews one stored session's token pair under the session's lock: lock, re-read, trade the
// refresh token, save the new pair in one write, unlock. Shared by `refresh`, `status --refresh`
// and the inspector's `R`, which word the outcome each their own way.
import {ExpiredError} from '../session/errors.js';
import type {Session} from '../session/session.js';
import {isLockingStore, type Store} from '../session/store.js';
import type {requestGitHub} from './http.js';
import {RefreshError, type RefreshedTokens, refreshAccessToken} from './refresh.js';
import {hostOf} from './session-status.js';

export type RefreshSessionOptions = {
	/** The configured `--github-host`, for sessions that record none. */
	readonly githubHost: string;
	/** The client id for sessions that record none (the one `login` would use). */
	readonly defaultClientId: string;
	/** The configured OAuth app, when both its id and secret are given. */
	readonly oauthApp: {readonly clientId: string; readonly clientSecret: string} | undefined;
	readonly now?: () => number;
	readonly signal?: AbortSignal;
	/** Called when another process holds the session's lock and this one waits. */
	readonly onWait?: () => void;
	readonly request?: typeof requestGitHub;
};

/** What became of one refresh; only `refreshed` and `already` renewed anything. */
export type RefreshSessionOutcome =
	| {readonly kind: 'refreshed'; readonly session: Session; readonly tokens: RefreshedTokens}
	/** Another process renewed it between the listing and the lock. */
	| {readonly kind: 'already'; readonly session: Session}
	| {readonly kind: 'cannot_lock'}
	| {readonly kind: 'gone'}
	| {readonly kind: 'session_expired'}
	| {readonly kind: 'no_refresh_token'}
	| {readonly kind: 'refresh_token_expired'; readonly at: Date}
	/** bad_refresh_token: wrong, used or expired on GitHub; only a new login helps. */
	| {readonly kind: 'bad_refresh_token'; readonly message: string}
	| {readonly kind: 'failed'; readonly message: string; readonly maybeSpent: boolean}
	/** GitHub renewed it but the write failed: the old refresh token is spent. */
	| {readonly kind: 'save_failed'; readonly error: unknown};

/** The session with the new pair; a pair without a refresh token drops the spent one. */
export function withTokens(session: Session, tokens: RefreshedTokens): Session {
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

/**
 * Refreshes `seen` (the session as listed). Rejects only for a store error or a cancel; every
 * answer of GitHub's is an outcome. The session's own expires_at never changes.
 */
export async function refreshSession(
	store: Store,
	seen: Session,
	options: RefreshSessionOptions,
): Promise<RefreshSessionOutcome> {
	if (!isLockingStore(store)) return {kind: 'cannot_lock'};
	const now = options.now ?? Date.now;
	const lock = await store.lock(seen.id, {
		...(options.signal ? {signal: options.signal} : {}),
		...(options.onWait ? {onWait: options.onWait} : {}),
	});
	try {
		// Re-read under the lock: another process may have refreshed it since it was listed.
		let session: Session | null;
		try {
			session = await store.get(seen.id);
		} catch (error) {
			if (error instanceof ExpiredError) return {kind: 'session_expired'};
			throw error;
		}

		if (session === null) return {kind: 'gone'};
		if (session.refreshToken !== seen.refreshToken) return {kind: 'already', session};
		if (session.refreshToken === undefined || session.refreshToken === '') {
			return {kind: 'no_refresh_token'};
		}

		if (session.refreshTokenExpiresAt && session.refreshTokenExpiresAt.getTime() <= now()) {
			return {kind: 'refresh_token_expired', at: session.refreshTokenExpiresAt};
		}

		const clientId = session.clientId ?? options.defaultClientId;
		const app = options.oauthApp;
		let tokens: RefreshedTokens;
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
				return {kind: 'bad_refresh_token', message: error.message};
			}

			return {kind: 'failed', message: error.message, maybeSpent: error.maybeSpent};
		}

		const renewed = withTokens(session, tokens);
		try {
			await store.set(renewed);
		} catch (error) {
			return {kind: 'save_failed', error};
		}

		return {kind: 'refreshed', session: renewed, tokens};
	} finally {
		await lock.release();
	}
}
