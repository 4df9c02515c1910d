// GitHub's token endpoint (POST /login/oauth/access_token) and what its answer may hold.
// Nothing here ever puts the token, or any part of it, into an error message.
import {LOOPBACK_CALLBACK_URL} from './defaults.js';
import {LoginError, type LoginErrorCode, safeText} from './errors.js';
import {type GitHubResponse, type HttpContext, parseJson} from './http.js';
import {loginRequest} from './login-request.js';
import {readTokenAnswer, type TokenGrant} from './token-answer.js';

export type ExchangeRequest = {
	readonly tokenUrl: string;
	readonly clientId: string;
	readonly clientSecret: string;
	readonly code: string;
	readonly redirectUri: string;
	readonly codeVerifier: string;
};

const STEP = 'exchanging the authorization code failed';

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
		hint: `the OAuth app must allow the callback URL ${LOOPBACK_CALLBACK_URL} (any port)`,
	},
};

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The grant (the access token, and its refresh token and expiry times when GitHub gives them)
 * in a token endpoint's answer. GitHub reports OAuth errors as HTTP 200 with
 * an `error` field, so that is looked at before the status.
 */
export function grantFrom(response: GitHubResponse, step: string): TokenGrant {
	const receivedAt = Date.now();
	const json = parseJson(response);
	if (json === undefined) {
		throw new LoginError(
			'TOKEN_EXCHANGE_FAILED',
			`${step}: GitHub answered HTTP ${response.status} with something that is not JSON`,
		);
	}

	if (isObject(json) && typeof json.error === 'string') {
		const known = tokenErrors[json.error];
		const description =
			typeof json.error_description === 'string' ? safeText(json.error_description) : '';
		const said = description ? `: ${description}` : '';
		if (known) {
			throw new LoginError(
				known.code,
				`GitHub refused the code (${safeText(json.error, 80)}${said}); ${known.hint}`,
			);
		}

		throw new LoginError('TOKEN_EXCHANGE_FAILED', `${step} (${safeText(json.error, 80)}${said})`);
	}

	if (!response.ok) {
		throw new LoginError(
			'TOKEN_EXCHANGE_FAILED',
			`${step}: GitHub answered HTTP ${response.status}`,
		);
	}

	if (!isObject(json)) {
		throw new LoginError('TOKEN_EXCHANGE_FAILED', `${step}: GitHub's answer holds no access token`);
	}

	// The one check of a token answer, shared with the device flow: the token goes into an
	// Authorization header next, so one a header cannot carry is refused, and never quoted.
	return readTokenAnswer(json, receivedAt);
}

/** Trades the callback's code (with the PKCE verifier) for a token grant. */
export async function exchangeCode(
	http: HttpContext,
	exchange: ExchangeRequest,
): Promise<TokenGrant> {
	const body = new URLSearchParams({
		client_id: exchange.clientId,
		client_secret: exchange.clientSecret,
		code: exchange.code,
		redirect_uri: exchange.redirectUri,
		code_verifier: exchange.codeVerifier,
	});
	const response = await loginRequest(
		{
			name: "GitHub's token endpoint",
			url: exchange.tokenUrl,
			method: 'POST',
			headers: {
				Accept: 'application/json',
				'Content-Type': 'application/x-www-form-urlencoded',
			},
			body: body.toString(),
		},
		http,
		'TOKEN_EXCHANGE_FAILED',
		STEP,
	);
	return grantFrom(response, STEP);
}
