// Revokes an access token on GitHub: DELETE {api}/applications/{client_id}/token with the app's
// id and secret as Basic auth and the token in the body. Only the app that issued a token can
// revoke it this way; without its secret a person revokes it on GitHub's settings pages.
// https://docs.github.com/en/rest/apps/oauth-applications#delete-an-app-token
import {githubEndpoints} from './endpoints.js';
import {safeText} from './errors.js';
import {GitHubHttpError, type GitHubResponse, requestGitHub} from './http.js';

export type RevokeOutcome =
	/** 204: revoked now. */
	| 'revoked'
	/** 404: GitHub does not know the token (already revoked or expired), or not for this app. */
	| 'already_invalid';

export class RevokeError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'RevokeError';
	}
}

export type RevokeOptions = {
	readonly githubHost: string;
	readonly clientId: string;
	readonly clientSecret: string;
	readonly accessToken: string;
	readonly signal?: AbortSignal;
	readonly timeoutMs?: number;
	readonly request?: typeof requestGitHub;
};

/**
 * Where a person revokes a token by hand: the OAuth apps page, or the GitHub Apps one for a
 * GitHub App's token (`ghu_`, or a client id starting `Iv`, as GitHub Apps' do).
 */
export function manualRevokeUrl(githubHost: string, clientId?: string, token?: string): string {
	const {origin} = githubEndpoints(githubHost);
	const app = token?.startsWith('ghu_') === true || /^Iv/.test(clientId ?? '');
	return `${origin}${app ? '/settings/apps/authorizations' : '/settings/applications'}`;
}

export async function revokeToken(options: RevokeOptions): Promise<RevokeOutcome> {
	const {api} = githubEndpoints(options.githubHost);
	const send = options.request ?? requestGitHub;
	const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64');
	let response: GitHubResponse;
	try {
		response = await send(
			{
				name: "GitHub's token revocation endpoint",
				url: `${api}/applications/${encodeURIComponent(options.clientId)}/token`,
				method: 'DELETE',
				headers: {
					Accept: 'application/vnd.github+json',
					Authorization: `Basic ${basic}`,
					'Content-Type': 'application/json',
					'X-GitHub-Api-Version': '2022-11-28',
				},
				body: JSON.stringify({access_token: options.accessToken}),
			},
			{timeoutMs: options.timeoutMs, signal: options.signal},
		);
	} catch (error) {
		if (error instanceof GitHubHttpError) throw new RevokeError(error.message);
		throw error;
	}

	if (response.status === 204) return 'revoked';
	if (response.status === 404) return 'already_invalid';
	let said = '';
	try {
		const json = JSON.parse(response.text) as {message?: unknown};
		if (typeof json.message === 'string') said = `: ${safeText(json.message, 120)}`;
	} catch {}

	throw new RevokeError(`GitHub answered HTTP ${response.status}${said}`);
}
