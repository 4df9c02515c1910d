// GitHub, GitHub Enterprise Cloud with data residency (TENANT.ghe.com) and GitHub Enterprise
// Server differ only in base URLs, so one `--github-host` serves all three.

/** The URLs the login flows talk to. */
export type GitHubEndpoints = {
	/** The host as given, normalised to its origin (`https://github.com`). */
	readonly origin: string;
	readonly authorize: string;
	/** The device flow's first step (RFC 8628 §3.1). */
	readonly deviceCode: string;
	readonly token: string;
	readonly user: string;
	/** The REST API's base, without a trailing slash (`https://api.github.com`). */
	readonly api: string;
};

export const DEFAULT_GITHUB_HOST = 'https://github.com';

/** A `--github-host` that is not a usable base URL. */
export class GitHubHostError extends TypeError {
	constructor(message: string) {
		super(message);
		this.name = 'GitHubHostError';
	}
}

const loopbackHostnames = new Set(['localhost', '[::1]']);

function isLoopback(hostname: string): boolean {
	return loopbackHostnames.has(hostname) || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Parses and checks a GitHub host URL. It must be `https://HOST[:PORT]` with no path, query,
 * fragment or credentials. Plain `http://` is accepted only for loopback hosts (127.0.0.0/8,
 * ::1, localhost): the client secret and the token travel over this connection, and the
 * only legitimate plain-HTTP GitHub is a fake one in tests.
 */
export function parseGitHubHost(input: string): URL {
	if (typeof input !== 'string') {
		throw new GitHubHostError(`Expected the GitHub host to be a string, got ${typeof input}`);
	}

	const shown = JSON.stringify(input);
	let url: URL;
	try {
		url = new URL(input.trim());
	} catch {
		throw new GitHubHostError(
			`the GitHub host ${shown} is not a URL: expected something like https://github.example.com`,
		);
	}

	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new GitHubHostError(
			`the GitHub host ${shown} must start with https:// (like https://github.example.com)`,
		);
	}

	if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
		throw new GitHubHostError(
			`the GitHub host ${shown} must use https://: plain http:// is allowed only for 127.0.0.1 and localhost`,
		);
	}

	if (url.username !== '' || url.password !== '') {
		throw new GitHubHostError(`the GitHub host ${shown} must not contain a user name or password`);
	}

	if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
		throw new GitHubHostError(
			`the GitHub host ${shown} must be just the scheme and host, without a path, query or fragment (like https://github.example.com)`,
		);
	}

	return url;
}

/**
 * The endpoints for a host: github.com uses api.github.com, `TENANT.ghe.com` uses
 * api.TENANT.ghe.com, and anything else is GitHub Enterprise Server with its REST API under
 * /api/v3. Throws GitHubHostError for a host parseGitHubHost rejects.
 */
export function githubEndpoints(host: string = DEFAULT_GITHUB_HOST): GitHubEndpoints {
	const url = parseGitHubHost(host);
	const origin = url.origin;
	const authorize = `${origin}/login/oauth/authorize`;
	const token = `${origin}/login/oauth/access_token`;
	const deviceCode = `${origin}/login/device/code`;
	const withApi = (api: string): GitHubEndpoints => ({
		origin,
		authorize,
		deviceCode,
		token,
		user: `${api}/user`,
		api,
	});
	if (url.hostname === 'github.com' && url.port === '') return withApi('https://api.github.com');
	const tenant = /^([a-z\d](?:[a-z\d-]*[a-z\d])?)\.ghe\.com$/.exec(url.hostname);
	if (tenant && url.port === '') return withApi(`https://api.${tenant[1]}.ghe.com`);
	return withApi(`${origin}/api/v3`);
}

/**
 * The origin a `--github-host` names, typed as people type it: a bare host is https://HOST.
 * Throws GitHubHostError for a host parseGitHubHost rejects.
 */
export function githubHostFlag(text: string): string {
	const trimmed = text.trim();
	return githubEndpoints(/^[a-z][a-z\d+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`)
		.origin;
}
