// The two calls to GitHub after the callback: code → token, token → user.
// Nothing here ever puts the token (or any part of it) into an error message.
import type {GitHubUser} from '../session/index.js';
import {LoginError, type LoginErrorCode, safeText} from './errors.js';

export const USER_AGENT = 'stacktower-sessions';

/** How long one request to GitHub may take, on top of the flow's own deadline. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export type ApiContext = {
	readonly fetch: typeof fetch;
	/** The flow's signal (cancel, overall timeout); each request adds its own timeout. */
	readonly signal: AbortSignal;
	readonly requestTimeoutMs: number;
	/** Maps an abort of `signal` to the flow's CANCELLED or TIMEOUT error. */
	readonly aborted: () => LoginError;
};

export type ExchangeRequest = {
	readonly tokenUrl: string;
	readonly clientId: string;
	readonly clientSecret: string;
	readonly code: string;
	readonly redirectUri: string;
	readonly codeVerifier: string;
};

const tokenErrors: Record<string, {code: LoginErrorCode; hint: string}> = {
	bad_verification_code: {
		code: 'BAD_VERIFICATION_CODE',
		hint: 'the authorization code was wrong, already used or expired; try logging in again',
	},
	incorrect_client_credentials: {
		code: 'INCORRECT_CLIENT_CREDENTIALS',
		hint: 'check --client-id (STACKTOWER_GITHUB_CLIENT_ID) and STACKTOWER_GITHUB_CLIENT_SECRET',
	},
	redirect_uri_mismatch: {
		code: 'REDIRECT_URI_MISMATCH',
		hint: 'the OAuth app must allow the callback URL http://127.0.0.1/callback (any port)',
	},
};

async function request(
	context: ApiContext,
	url: string,
	init: RequestInit,
	failure: LoginErrorCode,
	what: string,
): Promise<Response> {
	const timeout = AbortSignal.timeout(context.requestTimeoutMs);
	try {
		return await context.fetch(url, {
			...init,
			redirect: 'error',
			signal: AbortSignal.any([context.signal, timeout]),
		});
	} catch (error) {
		if (context.signal.aborted) throw context.aborted();
		if (timeout.aborted) {
			throw new LoginError(
				failure,
				`${what}: GitHub did not answer within ${Math.round(context.requestTimeoutMs / 1000)}s (${new URL(url).origin})`,
			);
		}

		// fetch wraps the reason (ECONNREFUSED, ENOTFOUND, a certificate error) in `cause`.
		const cause = (error as {cause?: {code?: unknown; message?: unknown}}).cause;
		const detail = safeText(cause?.code ?? cause?.message ?? (error as Error).message, 120);
		throw new LoginError(failure, `${what}: could not reach ${new URL(url).origin} (${detail})`, {
			cause: error,
		});
	}
}

async function readJson(
	context: ApiContext,
	response: Response,
	failure: LoginErrorCode,
	what: string,
): Promise<unknown> {
	try {
		return await response.json();
	} catch {
		if (context.signal.aborted) throw context.aborted();
		throw new LoginError(
			failure,
			`${what}: GitHub answered HTTP ${response.status} with something that is not JSON`,
		);
	}
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** POST /login/oauth/access_token. GitHub reports errors as HTTP 200 with an `error` field. */
export async function exchangeCode(
	context: ApiContext,
	exchange: ExchangeRequest,
): Promise<string> {
	const what = 'Exchanging the authorization code failed';
	const body = new URLSearchParams({
		client_id: exchange.clientId,
		client_secret: exchange.clientSecret,
		code: exchange.code,
		redirect_uri: exchange.redirectUri,
		code_verifier: exchange.codeVerifier,
	});
	const response = await request(
		context,
		exchange.tokenUrl,
		{
			method: 'POST',
			headers: {
				Accept: 'application/json',
				'Content-Type': 'application/x-www-form-urlencoded',
				'User-Agent': USER_AGENT,
			},
			body,
		},
		'TOKEN_EXCHANGE_FAILED',
		what,
	);
	const json = await readJson(context, response, 'TOKEN_EXCHANGE_FAILED', what);
	if (isObject(json) && typeof json.error === 'string') {
		const known = tokenErrors[json.error];
		const description =
			typeof json.error_description === 'string' ? safeText(json.error_description) : '';
		const said = description ? `: ${description}` : '';
		if (known) {
			throw new LoginError(
				known.code,
				`GitHub refused the code (${json.error}${said}); ${known.hint}`,
			);
		}

		throw new LoginError('TOKEN_EXCHANGE_FAILED', `${what} (${safeText(json.error, 80)}${said})`);
	}

	if (!response.ok) {
		throw new LoginError(
			'TOKEN_EXCHANGE_FAILED',
			`${what}: GitHub answered HTTP ${response.status}`,
		);
	}

	if (!isObject(json) || typeof json.access_token !== 'string' || json.access_token === '') {
		throw new LoginError('TOKEN_EXCHANGE_FAILED', `${what}: GitHub's answer holds no access token`);
	}

	return json.access_token;
}

/** GET /user with the new token, mapped to the session's GitHubUser (null name/email → ''). */
export async function fetchUser(
	context: ApiContext,
	userUrl: string,
	accessToken: string,
): Promise<GitHubUser> {
	const what = 'Reading the GitHub user failed';
	const response = await request(
		context,
		userUrl,
		{
			headers: {
				Accept: 'application/vnd.github+json',
				Authorization: `Bearer ${accessToken}`,
				'User-Agent': USER_AGENT,
				'X-GitHub-Api-Version': '2022-11-28',
			},
		},
		'USER_FETCH_FAILED',
		what,
	);
	if (!response.ok) {
		const json = await readJson(context, response, 'USER_FETCH_FAILED', what).catch(() => null);
		const message =
			isObject(json) && typeof json.message === 'string' ? `: ${safeText(json.message, 120)}` : '';
		throw new LoginError(
			'USER_FETCH_FAILED',
			`${what}: GitHub answered HTTP ${response.status}${message}`,
		);
	}

	const json = await readJson(context, response, 'USER_FETCH_FAILED', what);
	if (
		!isObject(json) ||
		typeof json.id !== 'number' ||
		!Number.isSafeInteger(json.id) ||
		json.id <= 0 ||
		typeof json.login !== 'string' ||
		json.login === ''
	) {
		throw new LoginError('USER_FETCH_FAILED', `${what}: the answer has no user id and login`);
	}

	const text = (value: unknown) => (typeof value === 'string' ? value : '');
	return {
		id: json.id,
		login: json.login,
		name: text(json.name),
		avatarUrl: text(json.avatar_url),
		email: text(json.email),
	};
}
