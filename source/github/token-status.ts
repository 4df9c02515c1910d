// Asks GitHub whether one access token still works: `GET {api}/user` with it, read as GitHub
// documents the answer. 401 means revoked or expired on GitHub; the headers carry the OAuth
// scopes, a GitHub App token's own expiry and the rate limit left.
// https://docs.github.com/en/rest/users/users#get-the-authenticated-user
import {githubEndpoints} from './endpoints.js';
import {safeText} from './errors.js';
import {GitHubHttpError, type GitHubResponse, requestGitHub} from './http.js';

/** What the rate-limit headers said; both absent on an answer without them. */
export type RateLimit = {
	/** `x-ratelimit-remaining`. */
	readonly remaining: number;
	/** `x-ratelimit-reset` (epoch seconds) as a Date. */
	readonly resetAt: Date | undefined;
};

export type TokenCheck =
	| {
			readonly status: 'valid';
			readonly login: string;
			readonly userId: number;
			readonly name: string;
			/** From `X-OAuth-Scopes`; undefined when GitHub sent none (GitHub App tokens). */
			readonly scopes: readonly string[] | undefined;
			/** From `GitHub-Authentication-Token-Expiration`; undefined when not sent. */
			readonly tokenExpiresAt: Date | undefined;
			readonly rateLimit: RateLimit | undefined;
	  }
	| {readonly status: 'revoked'; readonly rateLimit: RateLimit | undefined}
	| {
			readonly status: 'error';
			/** Safe to print: which bound was hit, or GitHub's status and message, escaped. */
			readonly error: string;
			readonly httpStatus: number | undefined;
			readonly rateLimit: RateLimit | undefined;
			/** True when the answer says the rate limit is used up: stop asking. */
			readonly rateLimited: boolean;
	  };

export type CheckTokenOptions = {
	/** The GitHub origin the token belongs to; the request goes to its API and nowhere else. */
	readonly githubHost: string;
	readonly accessToken: string;
	readonly timeoutMs?: number;
	readonly maxBytes?: number;
	readonly signal?: AbortSignal;
	/** The transport (tests wrap it); default requestGitHub. */
	readonly request?: typeof requestGitHub;
};

// `2023-05-01 12:00:00 UTC` or `2021-09-08 17:30:00 -0700`, as GitHub writes it.
const expirationPattern =
	/^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) (?:UTC|([+-])(\d{2})(\d{2}))$/;

/** The `GitHub-Authentication-Token-Expiration` header as a Date; undefined when absent or malformed. */
export function parseTokenExpiration(value: string | null): Date | undefined {
	const match = value === null ? null : expirationPattern.exec(value.trim());
	if (!match) return undefined;
	const n = (i: number) => Number(match[i] ?? 0);
	const offsetMinutes =
		match[7] === undefined ? 0 : (match[7] === '-' ? -1 : 1) * (n(8) * 60 + n(9));
	const ms = Date.UTC(n(1), n(2) - 1, n(3), n(4), n(5), n(6)) - offsetMinutes * 60_000;
	return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** `X-OAuth-Scopes: repo, read:user` as ['repo', 'read:user']; undefined when the header is absent. */
export function parseScopes(value: string | null): string[] | undefined {
	if (value === null) return undefined;
	return value
		.split(',')
		.map((scope) => safeText(scope, 100))
		.filter((scope) => scope !== '');
}

function parseRateLimit(headers: Headers): RateLimit | undefined {
	const remaining = headers.get('x-ratelimit-remaining');
	if (remaining === null || !/^\d+$/.test(remaining.trim())) return undefined;
	const reset = headers.get('x-ratelimit-reset');
	const resetSeconds = reset !== null && /^\d+$/.test(reset.trim()) ? Number(reset) : undefined;
	return {
		remaining: Number(remaining),
		resetAt: resetSeconds === undefined ? undefined : new Date(resetSeconds * 1000),
	};
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** GitHub's own `message`, if the body is its JSON error object; escaped and short. */
function githubMessage(text: string): string {
	const json = parseJson(text);
	return isObject(json) && typeof json.message === 'string' ? safeText(json.message, 120) : '';
}

/** GET /user with the token. Never throws for what GitHub answers or fails to; only for a bad host. */
export async function checkToken(options: CheckTokenOptions): Promise<TokenCheck> {
	const {user} = githubEndpoints(options.githubHost);
	const send = options.request ?? requestGitHub;
	let response: GitHubResponse;
	try {
		response = await send(
			{
				name: "GitHub's API /user",
				url: user,
				headers: {
					Accept: 'application/vnd.github+json',
					Authorization: `Bearer ${options.accessToken}`,
					'X-GitHub-Api-Version': '2022-11-28',
				},
			},
			{timeoutMs: options.timeoutMs, maxBytes: options.maxBytes, signal: options.signal},
		);
	} catch (error) {
		// A bound, an unreachable host or a token a header cannot carry; a cancel goes on up.
		if (!(error instanceof GitHubHttpError)) throw error;
		return {
			status: 'error',
			error: error.message,
			httpStatus: undefined,
			rateLimit: undefined,
			rateLimited: false,
		};
	}

	const {status, headers, text} = response;
	const rateLimit = parseRateLimit(headers);
	if (status === 401) return {status: 'revoked', rateLimit};
	if (status !== 200) {
		// GitHub's primary limit is 403 (or 429) with x-ratelimit-remaining: 0; a secondary
		// limit sends retry-after. Either way more requests now would only be refused.
		const rateLimited =
			(status === 403 || status === 429) &&
			(rateLimit?.remaining === 0 || headers.get('retry-after') !== null);
		const said = githubMessage(text);
		return {
			status: 'error',
			error: `GitHub answered HTTP ${status}${said ? `: ${said}` : ''}`,
			httpStatus: status,
			rateLimit,
			rateLimited,
		};
	}

	const json = parseJson(text);
	if (
		!isObject(json) ||
		typeof json.login !== 'string' ||
		json.login === '' ||
		typeof json.id !== 'number' ||
		!Number.isSafeInteger(json.id)
	) {
		return {
			status: 'error',
			error: `GitHub answered HTTP 200 with ${json === undefined ? 'something that is not JSON' : 'no user id and login'}`,
			httpStatus: status,
			rateLimit,
			rateLimited: false,
		};
	}

	return {
		status: 'valid',
		login: json.login,
		userId: json.id,
		name: typeof json.name === 'string' ? json.name : '',
		scopes: parseScopes(headers.get('x-oauth-scopes')),
		tokenExpiresAt: parseTokenExpiration(headers.get('github-authentication-token-expiration')),
		rateLimit,
	};
}
