// The login options (`login` and the inspector's `l`), checked together with the environment.
// Apart from the login command so that the inspector can say what is missing without loading
// the flow (its HTTP server, the browser opener): that loads only when `l` is pressed.
import {parseDuration} from '../format/duration.js';
import {escapeControl} from '../format/escape.js';
import {
	DEFAULT_LOGIN_TIMEOUT_MS,
	DEFAULT_SCOPES,
	formatTimeout,
	MAX_LOGIN_TIMEOUT_MS,
} from '../github/defaults.js';
import {DEFAULT_GITHUB_HOST, GitHubHostError, githubEndpoints} from '../github/endpoints.js';

export type LoginCommandFlags = {
	clientId?: string | undefined;
	githubHost?: string | undefined;
	scopes?: string | undefined;
	callbackPort?: number | undefined;
	/** Seconds as a number, or `300`, `90s`, `5m`, `1h`, `1m30s`. */
	timeout?: string | number | undefined;
	/** false for --no-browser. */
	browser: boolean;
};

/** Everything login() needs besides the stores and the session: checked, with defaults. */
export type LoginConfig = {
	readonly clientId: string;
	readonly clientSecret: string;
	/** An origin such as `https://github.com` or `https://ghe.example.com`, no trailing slash. */
	readonly githubHost: string;
	readonly scopes: string;
	/** 0 means any free port. */
	readonly callbackPort: number;
	readonly timeoutMs: number;
	readonly openBrowser: boolean;
};

export type LoginConfigResult =
	| {readonly ok: true; readonly config: LoginConfig}
	| {readonly ok: false; readonly problems: string[]};

/** `300` (seconds, also as a number), `90s`, `5m`, `1h`, `1m30s`; undefined when not a positive duration. */
export function parseTimeout(value: string | number): number | undefined {
	return parseDuration(String(value));
}

/** A value from the command line, quoted and cut short for an error message. */
export const show = (text: string) => JSON.stringify(escapeControl(text).slice(0, 80));

/**
 * Checks the login flags and environment together and reports every problem at once, each
 * with its fix. The secret is read only from the environment: a flag would show in `ps`.
 */
export function resolveLoginConfig(
	flags: LoginCommandFlags,
	env: NodeJS.ProcessEnv,
): LoginConfigResult {
	const problems: string[] = [];
	const clientId = (flags.clientId ?? '').trim() || (env.STACKTOWER_GITHUB_CLIENT_ID ?? '').trim();
	if (!clientId) {
		problems.push(
			'Missing the GitHub OAuth app client id: pass --client-id ID or set STACKTOWER_GITHUB_CLIENT_ID',
		);
	}

	const clientSecret = env.STACKTOWER_GITHUB_CLIENT_SECRET ?? '';
	if (clientSecret.trim() === '') {
		problems.push(
			'Missing the GitHub OAuth app client secret: set STACKTOWER_GITHUB_CLIENT_SECRET (GitHub requires it for this flow even with PKCE; it is never taken from a flag)',
		);
	}

	let githubHost = DEFAULT_GITHUB_HOST;
	if (flags.githubHost !== undefined) {
		try {
			githubHost = githubEndpoints(flags.githubHost).origin;
		} catch (error) {
			if (!(error instanceof GitHubHostError)) throw error;
			problems.push(`--github-host: ${escapeControl(error.message)}`);
		}
	}

	const scopes = flags.scopes === undefined ? DEFAULT_SCOPES : flags.scopes.trim();
	if (flags.scopes !== undefined && scopes === '') {
		problems.push(`--scopes needs a value, e.g. --scopes "${DEFAULT_SCOPES}"`);
	}

	const callbackPort = flags.callbackPort ?? 0;
	if (!Number.isInteger(callbackPort) || callbackPort < 0 || callbackPort > 65_535) {
		problems.push(
			`--callback-port ${show(String(flags.callbackPort))} is not a port: use 1 to 65535, or 0 for any free port`,
		);
	}

	let timeoutMs = DEFAULT_LOGIN_TIMEOUT_MS;
	if (flags.timeout !== undefined) {
		const parsed = parseTimeout(flags.timeout);
		if (parsed === undefined) {
			problems.push(
				`--timeout ${show(String(flags.timeout))} is not a duration: use seconds (300) or 90s, 5m, 1h`,
			);
		} else if (parsed > MAX_LOGIN_TIMEOUT_MS) {
			problems.push(`--timeout ${formatTimeout(parsed)} is too long: at most 1h`);
		} else {
			timeoutMs = parsed;
		}
	}

	if (problems.length > 0) return {ok: false, problems};
	return {
		ok: true,
		config: {
			clientId,
			clientSecret,
			githubHost,
			scopes,
			callbackPort,
			timeoutMs,
			openBrowser: flags.browser,
		},
	};
}
