// After an accepted callback: the code exchanged for a token, GET /user, and the session
// saved by save-login.ts (the one save step of every flow). Each step rejects with a
// LoginError that names it.
import type {Session, Store} from '../../session/index.js';
import type {GitHubEndpoints} from '../endpoints.js';
import type {HttpContext} from '../http.js';
import {type LoginOutcome, saveLogin} from '../save-login.js';
import {exchangeCode} from '../token.js';
import {fetchUser} from '../user.js';

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
	/** How long the saved session lasts. */
	readonly ttlMs: number;
};

/** Exchanges `code`, reads the user and saves the session; resolves to what changed. */
export async function completeLogin(code: string, login: CompleteLogin): Promise<LoginOutcome> {
	const grant = await exchangeCode(login.http, {
		tokenUrl: login.endpoints.token,
		clientId: login.clientId,
		clientSecret: login.clientSecret,
		code,
		redirectUri: login.redirectUri,
		codeVerifier: login.codeVerifier,
	});
	const user = await fetchUser(login.http, login.endpoints.user, grant.accessToken);
	// Ended (cancelled, timed out) while GitHub answered: nothing is saved.
	if (login.http.signal?.aborted) throw login.http.signal.reason;
	return saveLogin({
		store: login.store,
		sessionId: login.sessionId,
		previous: login.previous,
		grant,
		user,
		ttlMs: login.ttlMs,
		clientId: login.clientId,
		githubHost: login.endpoints.origin,
	});
}
