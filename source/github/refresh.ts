// Trades a refresh token for a new token pair: POST {host}/login/oauth/access_token with
// grant_type=refresh_token. GitHub answers errors as HTTP 200 with an `error` field, and a
// refresh token works once: after a request reached GitHub, the old one may be spent.
// https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens
import {githubEndpoints} from './endpoints.js';
import {safeText} from './errors.js';
import {GitHubHttpError, type GitHubResponse, requestGitHub} from './http.js';

export type RefreshedTokens = {
	readonly accessToken: string;
	readonly tokenExpiresAt: Date | undefined;
	/** Undefined when GitHub sent none: the old one is spent all the same. */
	readonly refreshToken: string | undefined;
	readonly refreshTokenExpiresAt: Date | undefined;
};

export type RefreshErrorCode =
	/** bad_refresh_token: wrong, used or expired; only a new login helps. */
	| 'BAD_REFRESH_TOKEN'
	/** GitHub refused the client (unauthorized_client, incorrect_client_credentials, ...). */
	| 'REFUSED'
	/** No usable answer: network, a bound, HTTP error, not JSON, no token. */
	| 'FAILED';

export class RefreshError extends Error {
	readonly code: RefreshErrorCode;
	/** True when the request may have reached GitHub, so the refresh token may now be spent. */
	readonly maybeSpent: boolean;

	constructor(code: RefreshErrorCode, message: string, maybeSpent: boolean) {
		super(message);
		this.name = 'RefreshError';
		this.code = code;
		this.maybeSpent = maybeSpent;
	}
}

export type RefreshOptions = {
	readonly githubHost: string;
	readonly clientId: string;
	/** Only for an OAuth app's own token; a GitHub App's device-flow token needs none. */
	readonly clientSecret?: string | undefined;
	readonly refreshToken: string;
	readonly now?: () => number;
	readonly signal?: AbortSignal;
	readonly timeoutMs?: number;
	readonly request?: typeof requestGitHub;
};

// A token goes into an Authorization header and a JSON file: printable ASCII without spaces.
const tokenShape = /^[\x21-\x7e]{1,1024}$/;

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expiryOf(seconds: unknown, now: number): Date | undefined {
	return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
		? new Date(now + seconds * 1000)
		: undefined;
}

const refusals: Record<string, string> = {
	bad_refresh_token: 'the refresh token is wrong, already used or expired',
	unauthorized_client: 'this app does not allow refreshing tokens (token expiration is off)',
	incorrect_client_credentials: 'GitHub refused the client id or secret',
};

/** One refresh. Resolves to the new pair; rejects with a RefreshError that never holds a token. */
export async function refreshAccessToken(options: RefreshOptions): Promise<RefreshedTokens> {
	const {token: url} = githubEndpoints(options.githubHost);
	const now = options.now ?? Date.now;
	const form = new URLSearchParams({
		client_id: options.clientId,
		grant_type: 'refresh_token',
		refresh_token: options.refreshToken,
	});
	if (options.clientSecret !== undefined) form.set('client_secret', options.clientSecret);
	const send = options.request ?? requestGitHub;
	let response: GitHubResponse;
	try {
		response = await send(
			{
				name: "GitHub's token endpoint",
				url,
				method: 'POST',
				headers: {
					Accept: 'application/json',
					'Content-Type': 'application/x-www-form-urlencoded',
				},
				body: form.toString(),
			},
			{timeoutMs: options.timeoutMs, signal: options.signal},
		);
	} catch (error) {
		if (!(error instanceof GitHubHttpError)) throw error;
		// Only a request never sent surely spent nothing; after that GitHub may have taken it.
		throw new RefreshError('FAILED', error.message, error.code !== 'INVALID_REQUEST');
	}

	// Read as soon as it arrives: from here on, the old refresh token is spent if this succeeded.
	const received = now();
	let json: unknown;
	try {
		json = JSON.parse(response.text);
	} catch {
		json = undefined;
	}

	if (isObject(json) && typeof json.error === 'string') {
		const description =
			typeof json.error_description === 'string'
				? `: ${safeText(json.error_description, 200)}`
				: '';
		const known = refusals[json.error];
		const code = json.error === 'bad_refresh_token' ? 'BAD_REFRESH_TOKEN' : 'REFUSED';
		throw new RefreshError(
			code,
			`${known ?? 'GitHub refused the refresh'} (${safeText(json.error, 80)}${description})`,
			false,
		);
	}

	if (response.status !== 200) {
		throw new RefreshError('FAILED', `GitHub answered HTTP ${response.status}`, true);
	}

	if (!isObject(json)) {
		throw new RefreshError('FAILED', 'GitHub answered with something that is not JSON', true);
	}

	const {access_token: accessToken, refresh_token: refreshToken} = json;
	if (typeof accessToken !== 'string' || !tokenShape.test(accessToken)) {
		throw new RefreshError('FAILED', "GitHub's answer holds no usable access token", true);
	}

	const usableRefresh = typeof refreshToken === 'string' && tokenShape.test(refreshToken);
	return {
		accessToken,
		tokenExpiresAt: expiryOf(json.expires_in, received),
		refreshToken: usableRefresh ? refreshToken : undefined,
		refreshTokenExpiresAt: usableRefresh
			? expiryOf(json.refresh_token_expires_in, received)
			: undefined,
	};
}
