// GET /user: who a token belongs to, as the session's GitHubUser.
import type {GitHubUser} from '../session/index.js';
import {LoginError, safeText} from './errors.js';
import {type HttpContext, parseJson} from './http.js';
import {loginRequest} from './login-request.js';

const STEP = 'reading the GitHub user failed';

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** GET /user with `accessToken`, mapped to a GitHubUser (a null name or email becomes ''). */
export async function fetchUser(
	http: HttpContext,
	userUrl: string,
	accessToken: string,
): Promise<GitHubUser> {
	const response = await loginRequest(
		{
			name: "GitHub's /user endpoint",
			url: userUrl,
			headers: {
				Accept: 'application/vnd.github+json',
				Authorization: `Bearer ${accessToken}`,
				'X-GitHub-Api-Version': '2022-11-28',
			},
		},
		http,
		'USER_FETCH_FAILED',
		STEP,
	);
	const json = parseJson(response);
	if (!response.ok) {
		const message =
			isObject(json) && typeof json.message === 'string' ? `: ${safeText(json.message, 120)}` : '';
		throw new LoginError(
			'USER_FETCH_FAILED',
			`${STEP}: GitHub answered HTTP ${response.status}${message}`,
		);
	}

	if (json === undefined) {
		throw new LoginError(
			'USER_FETCH_FAILED',
			`${STEP}: GitHub answered HTTP ${response.status} with something that is not JSON`,
		);
	}

	if (
		!isObject(json) ||
		typeof json.id !== 'number' ||
		!Number.isSafeInteger(json.id) ||
		json.id <= 0 ||
		typeof json.login !== 'string' ||
		json.login === ''
	) {
		throw new LoginError('USER_FETCH_FAILED', `${STEP}: the answer has no user id and login`);
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
