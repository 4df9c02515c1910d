// The options of the commands that use a stored token (`status`, `refresh`, `delete --revoke`),
// parsed and checked once. Apart from the login options: these never log in, so they take a
// GitHub Enterprise host without an app (a session records its own), and the secret matters
// only for the client id it belongs to.
import {escapeControl} from '../format/escape.js';
import {STACKTOWER_APP_CLIENT_ID} from '../github/defaults.js';
import {DEFAULT_GITHUB_HOST, GitHubHostError, githubEndpoints} from '../github/endpoints.js';

export type TokenOptions = {
	/** The origin for sessions that record no github_host. */
	readonly githubHost: string;
	/** The client id for a refresh of a session that records none: the one login would use. */
	readonly defaultClientId: string;
	/** The OAuth app whose id and secret are both given (env secret only): refresh, revoke. */
	readonly oauthApp: {readonly clientId: string; readonly clientSecret: string} | undefined;
};

export type TokenOptionsResult =
	| {readonly ok: true; readonly options: TokenOptions}
	| {readonly ok: false; readonly problems: readonly string[]};

export type TokenFlagValues = {
	readonly clientId?: string | undefined;
	readonly githubHost?: string | undefined;
	readonly revoke?: boolean | undefined;
};

function given(value: string | undefined): string | undefined {
	const trimmed = value?.trim();
	return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

export function parseTokenOptions(
	flags: TokenFlagValues,
	env: Readonly<Record<string, string | undefined>>,
): TokenOptionsResult {
	const problems: string[] = [];
	let githubHost = DEFAULT_GITHUB_HOST;
	if (flags.githubHost !== undefined) {
		// A bare host is https://HOST, as people type it (as for login).
		const text = flags.githubHost.trim();
		try {
			githubHost = githubEndpoints(
				/^[a-z][a-z\d+.-]*:\/\//i.test(text) ? text : `https://${text}`,
			).origin;
		} catch (error) {
			if (!(error instanceof GitHubHostError)) throw error;
			problems.push(`--github-host: ${escapeControl(error.message)}`);
		}
	}

	if (flags.clientId !== undefined && given(flags.clientId) === undefined) {
		problems.push("--client-id needs the app's client id: --client-id ID");
	}

	const oauthClientId = given(flags.clientId) ?? given(env.STACKTOWER_GITHUB_CLIENT_ID);
	// Not trimmed: a secret is used exactly as set; only an empty one counts as missing.
	const secret = env.STACKTOWER_GITHUB_CLIENT_SECRET;
	const oauthApp =
		oauthClientId !== undefined && secret !== undefined && secret.trim() !== ''
			? {clientId: oauthClientId, clientSecret: secret}
			: undefined;

	// Revoking takes the issuing app's id and secret; which sessions they fit is checked on reading them.
	if (flags.revoke && oauthApp === undefined) {
		problems.push(
			`--revoke needs the app that issued the tokens: its client id (--client-id or STACKTOWER_GITHUB_CLIENT_ID) and secret (STACKTOWER_GITHUB_CLIENT_SECRET); without them, revoke a token by hand at ${githubHost}/settings/applications (GitHub Apps: ${githubHost}/settings/apps/authorizations)`,
		);
	}

	if (problems.length > 0) return {ok: false, problems};
	return {
		ok: true,
		options: {
			githubHost,
			defaultClientId:
				given(flags.clientId) ??
				given(env.STACKTOWER_GITHUB_APP_CLIENT_ID) ??
				STACKTOWER_APP_CLIENT_ID,
			oauthApp,
		},
	};
}
