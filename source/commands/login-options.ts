// The login options (`login`, and the inspector's `l`): argv and the environment parsed and
// checked once, here, into a LoginConfig that the flows take as it is. Every problem is
// collected and reported together, each with its fix, as meow's validate does. No I/O: the
// inspector learns its login config before its first frame without loading either flow.
import {parseDuration} from '../format/duration.js';
import {escapeControl} from '../format/escape.js';
import {
	DEFAULT_LOGIN_TIMEOUT_MS,
	DEFAULT_LOGIN_TTL_MS,
	DEFAULT_SCOPES,
	DEVICE_CODE_LIFETIME_MS,
	formatTimeout,
	LOOPBACK_CALLBACK_URL,
	MAX_LOGIN_TIMEOUT_MS,
	MAX_LOGIN_TTL_MS,
	MIN_LOGIN_TTL_MS,
	registerOAuthApp,
	STACKTOWER_APP_CLIENT_ID,
} from '../github/defaults.js';
import {DEFAULT_GITHUB_HOST, GitHubHostError, githubHostFlag} from '../github/endpoints.js';
import type {LoginConfig} from '../github/start-login.js';
import {CLI_SESSION_ID} from '../session/cli-store.js';
import {isValidId} from '../session/ids.js';

export type {LoginConfig} from '../github/start-login.js';

/**
 * The login flags, for the catalog (catalog.ts): their type and, for those that take a value,
 * the word that stands for it on the help pages and an example, both used by the error for a
 * missing value (`--ttl needs a value: --ttl DURATION (e.g. --ttl 30d)`).
 */
export const loginFlagDefinitions = {
	id: {type: 'string', value: 'ID', example: 'ci-runner'},
	clientId: {type: 'string', value: 'ID', example: 'Iv1.0123456789abcdef'},
	githubHost: {type: 'string', value: 'URL', example: 'https://github.example.com'},
	scopes: {type: 'string', value: 'SCOPES', example: `"${DEFAULT_SCOPES}"`},
	callbackPort: {type: 'string', value: 'PORT', example: '8765'},
	timeout: {type: 'string', value: 'DURATION', example: '5m'},
	ttl: {type: 'string', value: 'DURATION', example: '30d'},
	browser: {type: 'boolean'},
	web: {type: 'boolean'},
	device: {type: 'boolean'},
} as const;

/** The login flags as meow parses them: strings, and booleans left undefined when not given. */
export type LoginFlagValues = {
	id?: string | undefined;
	clientId?: string | undefined;
	githubHost?: string | undefined;
	scopes?: string | undefined;
	callbackPort?: string | undefined;
	timeout?: string | undefined;
	ttl?: string | undefined;
	browser?: boolean | undefined;
	web?: boolean | undefined;
	device?: boolean | undefined;
};

/** The part of `--help` about logging in: which flow is used when, and the login flags. */
export const loginHelp = `
	Login (login, and the l key in the inspector)
	  Which flow, and which app:
	    nothing, or --device    the device flow: enter a one-time code at a URL
	                            on any device (works over SSH); the app is
	                            --client-id, else env
	                            STACKTOWER_GITHUB_APP_CLIENT_ID, else
	                            stacktower's GitHub App (github.com only)
	    an OAuth client id      the loopback web flow: the browser comes back
	    and its secret          to 127.0.0.1; the id from --client-id or env
	                            STACKTOWER_GITHUB_CLIENT_ID, the secret only
	                            from env STACKTOWER_GITHUB_CLIENT_SECRET
	    --web                   the loopback web flow; a usage error without both
	  The loopback web flow needs an OAuth app: register one at
	  https://github.com/settings/developers (GitHub Enterprise: its own
	  HOST/settings/developers) with the callback URL ${LOOPBACK_CALLBACK_URL}
	  (GitHub accepts any port), then set its id in STACKTOWER_GITHUB_CLIENT_ID
	  (or pass --client-id) and its secret in STACKTOWER_GITHUB_CLIENT_SECRET.
	  --id ID               login: the session id to log in (default ${CLI_SESSION_ID};
	                        a re-login keeps the session's id)
	  --client-id ID        the GitHub App or OAuth app to log in with (see above)
	  --github-host URL     GitHub Enterprise Server or TENANT.ghe.com (default
	                        https://github.com); needs --client-id:
	                        stacktower's App is on github.com only
	  --scopes SCOPES       default "${DEFAULT_SCOPES}"
	  --ttl DURATION        how long the saved session lasts: 30d, 12h, 90m; a
	                        unit is required; 1m to 365d (default 30d, as the
	                        stacktower CLI)
	  --timeout DURATION    give up after this long: 90s, 5m, 1h at most
	                        (default: the device code's lifetime, 15m on
	                        GitHub; 5m for --web)
	  --callback-port PORT  --web: the local callback's port (default 0: any
	                        free port)
	  --no-browser          print the URL without opening a browser
	  --device, --web       choose the flow (see above)
`;

export type LoginOptionsResult =
	| {readonly ok: true; readonly config: LoginConfig}
	| {readonly ok: false; readonly problems: readonly string[]};

/** User input quoted for an error message: control characters escaped, long input cut. */
export function quote(text: string): string {
	const escaped = escapeControl(text);
	return `"${escaped.length > 60 ? `${escaped.slice(0, 60)}…` : escaped}"`;
}

/**
 * The error for a flag given without its value (or a blank one): `--ttl needs a value:
 * --ttl DURATION (e.g. --ttl 30d)`. `usage` is the flag as the help pages write it.
 */
export function needsValue(usage: string, example?: string): string {
	const flag = usage.split(' ')[0];
	return `${flag} needs a value: ${usage}${example === undefined ? '' : ` (e.g. ${flag} ${example})`}`;
}

/** needsValue for one of the login flags, by its name. */
function loginNeedsValue(name: 'clientId' | 'scopes'): string {
	const {value, example} = loginFlagDefinitions[name];
	return needsValue(`--${name === 'clientId' ? 'client-id' : 'scopes'} ${value}`, example);
}

function given(value: string | undefined): string | undefined {
	const trimmed = value?.trim();
	return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** --github-host as a base URL (github.com when not given); a bad one is added to `problems`. */
export function githubHostGiven(value: string | undefined, problems: string[]): string {
	if (value === undefined) return DEFAULT_GITHUB_HOST;
	try {
		return githubHostFlag(value);
	} catch (error) {
		if (!(error instanceof GitHubHostError)) throw error;
		problems.push(`--github-host: ${escapeControl(error.message)}`);
		return DEFAULT_GITHUB_HOST;
	}
}

/** The apps that --client-id and the environment name, for `login` and the token commands alike. */
export type AppsGiven = {
	/** --client-id, trimmed; blank counts as not given. */
	readonly flagClientId: string | undefined;
	/** An OAuth app's id: --client-id, else STACKTOWER_GITHUB_CLIENT_ID. */
	readonly oauthClientId: string | undefined;
	/** A GitHub App's id: --client-id, else STACKTOWER_GITHUB_APP_CLIENT_ID. */
	readonly appClientId: string | undefined;
	/** STACKTOWER_GITHUB_CLIENT_SECRET exactly as set (never trimmed); blank counts as not given. */
	readonly secret: string | undefined;
};

export function appsGiven(
	clientIdFlag: string | undefined,
	env: Readonly<Record<string, string | undefined>>,
): AppsGiven {
	const flagClientId = given(clientIdFlag);
	const secret = env.STACKTOWER_GITHUB_CLIENT_SECRET;
	return {
		flagClientId,
		oauthClientId: flagClientId ?? given(env.STACKTOWER_GITHUB_CLIENT_ID),
		appClientId: flagClientId ?? given(env.STACKTOWER_GITHUB_APP_CLIENT_ID),
		secret: secret !== undefined && secret.trim() !== '' ? secret : undefined,
	};
}

/** What the loopback flow needs, and where to get it, on `githubHost`. */
function oauthAppNeeded(githubHost: string): string {
	return `${registerOAuthApp(escapeControl(githubHost))} (or use one you have); pass its client id with --client-id ID or STACKTOWER_GITHUB_CLIENT_ID, and its secret in STACKTOWER_GITHUB_CLIENT_SECRET (never a flag: it would show in ps)`;
}

/**
 * Parses and checks the login flags with the environment: the flow and app by the table in
 * `--help`, then every value. Resolves to a LoginConfig, or to every problem found.
 */
export function parseLoginOptions(
	flags: LoginFlagValues,
	env: Readonly<Record<string, string | undefined>>,
): LoginOptionsResult {
	const problems: string[] = [];

	const id = flags.id ?? CLI_SESSION_ID;
	if (!isValidId(id)) {
		problems.push(
			`--id ${quote(id)} is not a valid session id: use 1 to 128 characters from A-Z a-z 0-9 _ - = . , not starting with "."`,
		);
	}

	const githubHost = githubHostGiven(flags.githubHost, problems);

	if (flags.clientId !== undefined && given(flags.clientId) === undefined) {
		problems.push(loginNeedsValue('clientId'));
	}

	const {oauthClientId, appClientId, secret} = appsGiven(flags.clientId, env);
	const hasSecret = secret !== undefined;

	let flow: LoginConfig['flow'] = 'device';
	if (flags.web && flags.device) {
		problems.push('--web and --device ask for different flows: give one of them');
	} else if (flags.web || (!flags.device && oauthClientId !== undefined && hasSecret)) {
		flow = 'web';
	}

	let clientId = '';
	if (flow === 'web') {
		if (oauthClientId === undefined || !hasSecret) {
			const missing = [
				oauthClientId === undefined ? 'a client id' : '',
				hasSecret ? '' : 'a client secret',
			].filter(Boolean);
			problems.push(
				`--web needs an OAuth app, and ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing: ${oauthAppNeeded(githubHost)}; or leave out --web to use the device flow`,
			);
		} else {
			clientId = oauthClientId;
		}
	} else {
		if (appClientId !== undefined) {
			clientId = appClientId;
		} else if (githubHost === DEFAULT_GITHUB_HOST) {
			clientId = STACKTOWER_APP_CLIENT_ID;
		} else {
			const host = escapeControl(githubHost);
			problems.push(
				`stacktower's GitHub App is on github.com only: to log in to ${host}, register an app there (a GitHub App at ${host}/settings/apps/new or an OAuth app at ${host}/settings/developers, with "Enable Device Flow" checked) and pass its client id with --client-id ID or STACKTOWER_GITHUB_APP_CLIENT_ID; or use the loopback web flow (--web, see login --help)`,
			);
		}

		if (flags.callbackPort !== undefined) {
			problems.push(
				'--callback-port is for the loopback web flow; the device flow has no callback (add --web to use it)',
			);
		}
	}

	let scopes = DEFAULT_SCOPES;
	if (flags.scopes !== undefined) {
		if (flags.scopes.trim() === '') {
			problems.push(loginNeedsValue('scopes'));
		} else {
			scopes = flags.scopes.trim();
		}
	}

	let callbackPort = 0;
	if (flags.callbackPort !== undefined) {
		const text = flags.callbackPort.trim();
		const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
		if (port >= 0 && port <= 65_535) {
			callbackPort = port;
		} else {
			problems.push(
				`--callback-port ${quote(flags.callbackPort)} is not a port: use 1 to 65535, or 0 for any free port`,
			);
		}
	}

	let timeoutMs: number | undefined;
	if (flags.timeout !== undefined) {
		const parsed = parseDuration(flags.timeout);
		if (parsed === undefined) {
			problems.push(
				`--timeout ${quote(flags.timeout)} is not a duration: use e.g. 90s, 5m, 1h or a number of seconds`,
			);
		} else if (parsed > MAX_LOGIN_TIMEOUT_MS) {
			problems.push(
				`--timeout ${formatTimeout(parsed)} is too long: at most ${formatTimeout(MAX_LOGIN_TIMEOUT_MS)}`,
			);
		} else {
			timeoutMs = parsed;
		}
	}

	let ttlMs = DEFAULT_LOGIN_TTL_MS;
	if (flags.ttl !== undefined) {
		const parsed = parseDuration(flags.ttl, {bareNumber: 'refuse'});
		if (parsed === undefined) {
			problems.push(
				/^\s*\d+(?:\.\d+)?\s*$/.test(flags.ttl)
					? `--ttl ${quote(flags.ttl)} needs a unit: e.g. ${flags.ttl.trim()}d for days, ${flags.ttl.trim()}h for hours`
					: `--ttl ${quote(flags.ttl)} is not a duration: use e.g. 30d, 12h, 90m`,
			);
		} else if (parsed < MIN_LOGIN_TTL_MS || parsed > MAX_LOGIN_TTL_MS) {
			problems.push(
				`--ttl ${formatTimeout(parsed)} is out of range: use ${formatTimeout(MIN_LOGIN_TTL_MS)} to ${formatTimeout(MAX_LOGIN_TTL_MS)}`,
			);
		} else {
			ttlMs = parsed;
		}
	}

	if (problems.length > 0) return {ok: false, problems};
	const common = {id, clientId, githubHost, scopes, ttlMs, openBrowser: flags.browser !== false};
	return {
		ok: true,
		config:
			flow === 'web'
				? {
						...common,
						flow,
						clientSecret: secret ?? '',
						callbackPort,
						timeoutMs: timeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS,
					}
				: {...common, flow, timeoutMs},
	};
}

/** The longest a login with this config can wait for the person logging in. */
export function loginWaitMs(config: LoginConfig): number {
	return config.timeoutMs ?? DEVICE_CODE_LIFETIME_MS;
}
