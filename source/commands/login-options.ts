// The login options (`login`, and the inspector's `l`): argv's login flags and the environment
// parsed and checked once, here. Every problem is collected and reported together, each with
// its fix. No I/O: the inspector learns its login options before its first frame without
// loading the flow.
import {parseDuration} from '../format/duration.js';
import {escapeControl} from '../format/escape.js';
import {
	DEFAULT_LOGIN_TIMEOUT_MS,
	DEFAULT_SCOPES,
	formatTimeout,
	MAX_LOGIN_TIMEOUT_MS,
} from '../github/defaults.js';
import {DEFAULT_GITHUB_HOST, GitHubHostError, githubEndpoints} from '../github/endpoints.js';
import {CLI_SESSION_ID} from '../session/cli-store.js';
import {isValidId} from '../session/ids.js';
import type {LoginConfig} from './login-config.js';

/** The login flags' types (the command line's parse merges them with its own). */
export const loginFlagDefinitions = {
	id: {type: 'string'},
	clientId: {type: 'string'},
	githubHost: {type: 'string'},
	scopes: {type: 'string'},
	callbackPort: {type: 'string'},
	timeout: {type: 'string'},
	browser: {type: 'boolean'},
} as const;

/** The login flags as given: strings, and booleans left undefined when not given. */
export type LoginFlagValues = {
	id?: string | undefined;
	clientId?: string | undefined;
	githubHost?: string | undefined;
	scopes?: string | undefined;
	callbackPort?: string | undefined;
	timeout?: string | undefined;
	browser?: boolean | undefined;
};

/** The part of the help about logging in: the login flags. */
export const loginHelp = `
	Login (login, and the l key in the inspector)
	  --id ID               login: the session id to log in (default ${CLI_SESSION_ID})
	  --client-id ID        the GitHub OAuth app (env STACKTOWER_GITHUB_CLIENT_ID);
	                        its secret only from env STACKTOWER_GITHUB_CLIENT_SECRET
	  --github-host URL     GitHub Enterprise Server (default https://github.com)
	  --scopes SCOPES       default "${DEFAULT_SCOPES}"
	  --callback-port PORT  the local callback's port (default 0: any free port)
	  --timeout DURATION    give up after this long: 90s, 5m, 1h at most (default 5m)
	  --no-browser          print the URL without opening a browser
`;

/** The checked login options: a LoginConfig whose client may still be missing (the inspector runs without). */
export type LoginOptions = Omit<LoginConfig, 'clientId' | 'clientSecret'> & {
	/** The session id `login` logs in (the inspector uses the selected row's). */
	readonly id: string;
	/** From --client-id or STACKTOWER_GITHUB_CLIENT_ID; undefined when neither is set. */
	readonly clientId: string | undefined;
	/** Only ever from STACKTOWER_GITHUB_CLIENT_SECRET, never a flag (it would show in `ps`). */
	readonly clientSecret: string | undefined;
};

export type LoginOptionsResult =
	| {readonly ok: true; readonly config: LoginOptions}
	| {readonly ok: false; readonly problems: readonly string[]};

/** User input quoted for an error message: control characters escaped, long input cut. */
export function quote(text: string): string {
	const escaped = escapeControl(text);
	return `"${escaped.length > 60 ? `${escaped.slice(0, 60)}…` : escaped}"`;
}

function given(value: string | undefined): string | undefined {
	const trimmed = value?.trim();
	return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** Parses and checks the login flags with the environment: LoginOptions, or every problem found. */
export function parseLoginOptions(
	flags: LoginFlagValues,
	env: Readonly<Record<string, string | undefined>>,
): LoginOptionsResult {
	const problems: string[] = [];
	const id = flags.id ?? CLI_SESSION_ID;
	if (!isValidId(id)) {
		problems.push(
			`--id ${quote(id)} is not a valid session id: use 1–128 characters from A–Z a–z 0–9 _ - = . , not starting with "."`,
		);
	}

	if (flags.clientId !== undefined && given(flags.clientId) === undefined) {
		problems.push('--client-id needs the OAuth app client id: --client-id ID');
	}

	let githubHost = DEFAULT_GITHUB_HOST;
	if (flags.githubHost !== undefined) {
		// A bare host is https://HOST, as people type it.
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

	let scopes = DEFAULT_SCOPES;
	if (flags.scopes !== undefined) {
		if (flags.scopes.trim() === '') {
			problems.push(`--scopes needs a value, e.g. --scopes "${DEFAULT_SCOPES}"`);
		} else scopes = flags.scopes.trim();
	}

	let callbackPort = 0;
	if (flags.callbackPort !== undefined) {
		const text = flags.callbackPort.trim();
		const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
		if (port >= 0 && port <= 65_535) callbackPort = port;
		else {
			problems.push(
				`--callback-port ${quote(flags.callbackPort)} is not a port: use 1–65535, or 0 for any free port`,
			);
		}
	}

	let timeoutMs = DEFAULT_LOGIN_TIMEOUT_MS;
	if (flags.timeout !== undefined) {
		const parsed = parseDuration(flags.timeout);
		if (parsed === undefined) {
			problems.push(
				`--timeout ${quote(flags.timeout)} is not a duration: use e.g. 90s, 5m, 1h or a number of seconds`,
			);
		} else if (parsed > MAX_LOGIN_TIMEOUT_MS) {
			problems.push(`--timeout ${formatTimeout(parsed)} is too long: at most 1h`);
		} else timeoutMs = parsed;
	}

	if (problems.length > 0) return {ok: false, problems};
	return {
		ok: true,
		config: {
			id,
			clientId: given(flags.clientId) ?? given(env.STACKTOWER_GITHUB_CLIENT_ID),
			// Not trimmed: a secret is used exactly as set; only an empty one counts as missing.
			clientSecret:
				given(env.STACKTOWER_GITHUB_CLIENT_SECRET) && env.STACKTOWER_GITHUB_CLIENT_SECRET,
			githubHost,
			scopes,
			callbackPort,
			timeoutMs,
			openBrowser: flags.browser !== false,
		},
	};
}

/** The longest a login with these options can wait for the person logging in. */
export function loginWaitMs(config: LoginOptions): number {
	return config.timeoutMs;
}
