// After an accepted callback: the code exchanged for a token, GET /user, and the session
// saved. Each step rejects with a LoginError that names it.
import {
	encodeSession,
	type GitHubUser,
	MAX_SESSION_FILE_BYTES,
	newSession,
	type Session,
	type Store,
} from '../../session/index.js';
import type {GitHubEndpoints} from '../endpoints.js';
import {LoginError, safeText} from '../errors.js';
import type {HttpContext} from '../http.js';
import {exchangeCode} from '../token.js';
import {fetchUser} from '../user.js';

export type LoginOutcome = {
	session: Session;
	user: GitHubUser;
	/** GitHub returned a different account than `previous` had. */
	userChanged: boolean;
	/** The login `previous` had, when it had a user. */
	previousLogin?: string;
};

export type CompleteLogin = {
	readonly http: HttpContext;
	readonly endpoints: GitHubEndpoints;
	readonly clientId: string;
	readonly clientSecret: string;
	/** The redirect_uri the authorize URL carried; the token endpoint checks it matches. */
	readonly redirectUri: string;
	readonly codeVerifier: string;
	readonly store: Store;
	readonly sessionId: string;
	readonly previous: Session | null | undefined;
};

function mib(bytes: number): string {
	return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/**
 * Refuses a session no store would read back: a file over MAX_SESSION_FILE_BYTES is reported
 * unreadable (and Redis keeps the same limit), so saving it would only replace a good session
 * with a broken one.
 */
function assertStorable(session: Session): void {
	const bytes = Buffer.byteLength(encodeSession(session));
	if (bytes > MAX_SESSION_FILE_BYTES) {
		throw new LoginError(
			'STORE_FAILED',
			`Not saved: the session for @${safeText(session.user?.login, 80)} would take ${mib(bytes)}, over the ${mib(MAX_SESSION_FILE_BYTES)} a session store reads back (GitHub's /user answer is unusually large)`,
		);
	}
}

/** Exchanges `code`, reads the user and saves the session; resolves to what changed. */
export async function completeLogin(code: string, login: CompleteLogin): Promise<LoginOutcome> {
	const accessToken = await exchangeCode(login.http, {
		tokenUrl: login.endpoints.token,
		clientId: login.clientId,
		clientSecret: login.clientSecret,
		code,
		redirectUri: login.redirectUri,
		codeVerifier: login.codeVerifier,
	});
	const user = await fetchUser(login.http, login.endpoints.user, accessToken);
	// Ended (cancelled, timed out) while GitHub answered: nothing is saved.
	if (login.http.signal?.aborted) throw login.http.signal.reason;
	const session: Session = {...newSession(accessToken, user), id: login.sessionId};
	assertStorable(session);
	try {
		await login.store.set(session);
	} catch (error) {
		throw new LoginError(
			'STORE_FAILED',
			`Could not save the session ${JSON.stringify(login.sessionId)}: ${safeText((error as Error).message)}`,
			{cause: error},
		);
	}

	const before = login.previous?.user ?? null;
	return {
		session,
		user,
		userChanged: before !== null && before.id !== user.id,
		...(before ? {previousLogin: before.login} : {}),
	};
}
