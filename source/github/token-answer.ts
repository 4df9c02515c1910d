// GitHub's answer to POST /login/oauth/access_token once it holds a token, read into what a
// session keeps. A GitHub App's user token expires (`expires_in`, 8 hours) and comes with a
// refresh token (`refresh_token`, `refresh_token_expires_in`, 6 months); an OAuth app's has
// neither. Nothing here puts any part of a token into an error message.
import {LoginError} from './errors.js';

/** What a login obtained from GitHub, with absolute expiry times. */
export type TokenGrant = {
	readonly accessToken: string;
	readonly tokenExpiresAt?: Date;
	readonly refreshToken?: string;
	readonly refreshTokenExpiresAt?: Date;
};

// RFC 6750's b64token and what GitHub's tokens are made of: printable ASCII without spaces,
// which is all an `Authorization: Bearer` header and a session file can carry safely.
const tokenShape = /^[\x21-\x7e]{1,4096}$/;

function seconds(value: unknown): number | undefined {
	const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
	return typeof number === 'number' && Number.isFinite(number) && number > 0 ? number : undefined;
}

/**
 * The grant in a token answer that has an `access_token`; `nowMs` is when the answer arrived.
 * A token that is empty or holds characters a header cannot carry is refused, unquoted.
 */
export function readTokenAnswer(json: Record<string, unknown>, nowMs: number): TokenGrant {
	const token = json.access_token;
	if (typeof token !== 'string' || !tokenShape.test(token)) {
		throw new LoginError(
			'INVALID_TOKEN_ANSWER',
			"GitHub's answer holds no usable access token (empty, or with characters a request header cannot carry); nothing was saved",
		);
	}

	const grant: {-readonly [K in keyof TokenGrant]: TokenGrant[K]} = {accessToken: token};
	const expiresIn = seconds(json.expires_in);
	if (expiresIn !== undefined) grant.tokenExpiresAt = new Date(nowMs + expiresIn * 1000);
	const refresh = json.refresh_token;
	if (typeof refresh === 'string' && refresh !== '') {
		if (!tokenShape.test(refresh)) {
			throw new LoginError(
				'INVALID_TOKEN_ANSWER',
				"GitHub's answer holds a refresh token with characters a request cannot carry; nothing was saved",
			);
		}

		grant.refreshToken = refresh;
		const refreshIn = seconds(json.refresh_token_expires_in);
		if (refreshIn !== undefined) grant.refreshTokenExpiresAt = new Date(nowMs + refreshIn * 1000);
	}

	return grant;
}
