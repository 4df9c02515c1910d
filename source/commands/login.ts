// `stacktower-sessions login [--id ID]`: the loopback OAuth flow from the command line. The
// URL and the outcome go to stderr (stdout stays empty: nothing here is data to pipe).
import {escapeControl} from '../format/escape.js';
import {DEFAULT_GITHUB_HOST, GitHubHostError, githubEndpoints} from '../github/endpoints.js';
import {
	DEFAULT_LOGIN_TIMEOUT_MS,
	DEFAULT_SCOPES,
	formatTimeout,
	LoginError,
	login,
	MAX_LOGIN_TIMEOUT_MS,
} from '../github/login-flow.js';
import {openInBrowser} from '../github/open-browser.js';
import {isValidId, type Session, type StateStore, type Store} from '../session/index.js';

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
	readonly githubHost: string;
	readonly scopes: string;
	readonly callbackPort: number;
	readonly timeoutMs: number;
	readonly openBrowser: boolean;
};

export type LoginConfigResult =
	| {readonly ok: true; readonly config: LoginConfig}
	| {readonly ok: false; readonly problems: string[]};

const units: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000};

/** `300` (seconds), `90s`, `5m`, `1h`, `1m30s`; undefined when it is not a positive duration. */
export function parseTimeout(value: string | number): number | undefined {
	if (typeof value === 'number') {
		return Number.isFinite(value) && value > 0 ? Math.round(value * 1000) : undefined;
	}

	const text = value.trim();
	if (/^\d+(?:\.\d+)?$/.test(text)) return parseTimeout(Number(text));
	const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
	let total = 0;
	let end = 0;
	for (let match = part.exec(text); match; match = part.exec(text)) {
		total += Number(match[1]) * (units[match[2] ?? ''] ?? 0);
		end = part.lastIndex;
	}

	return end > 0 && end === text.length && total > 0 ? Math.round(total) : undefined;
}

const show = (text: string) => JSON.stringify(escapeControl(text).slice(0, 80));

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

export type LoginCommandArgs = {
	store: Store;
	stateStore: StateStore;
	/** The session id to log in (default `github`, decided by the caller). */
	id: string;
	flags: LoginCommandFlags;
	env: NodeJS.ProcessEnv;
	stderr: NodeJS.WritableStream;
	/** Cancels the login (Ctrl-C). */
	signal?: AbortSignal;
};

function who(user: {login: string; name: string}): string {
	const name = user.name ? ` (${escapeControl(user.name)})` : '';
	return `@${escapeControl(user.login)}${name}`;
}

/** Logs in and saves the session. 0 logged in, 1 the login failed, 2 a usage error. */
export async function loginCommand(args: LoginCommandArgs): Promise<number> {
	const write = (text: string) => {
		args.stderr.write(text);
	};

	const resolved = resolveLoginConfig(args.flags, args.env);
	const problems = resolved.ok ? [] : [...resolved.problems];
	if (!isValidId(args.id)) {
		problems.unshift(
			`--id ${show(args.id)} is not a valid session id: use 1 to 128 characters from A-Z a-z 0-9 _ - = . , not starting with "."`,
		);
	}

	if (!resolved.ok || problems.length > 0) {
		write(`${problems.map((problem) => `stacktower-sessions login: ${problem}`).join('\n')}\n`);
		return 2;
	}

	const {config} = resolved;
	// The session being replaced, for the login hint and to tell when the account changes.
	// An expired or unreadable one is simply replaced.
	let previous: Session | null = null;
	try {
		previous = await args.store.get(args.id);
	} catch {
		previous = null;
	}

	const opener = (url: string) => openInBrowser(url, args.env);
	try {
		const outcome = await login({
			store: args.store,
			stateStore: args.stateStore,
			sessionId: args.id,
			previous,
			clientId: config.clientId,
			clientSecret: config.clientSecret,
			githubHost: config.githubHost,
			scopes: config.scopes,
			callbackPort: config.callbackPort,
			timeoutMs: config.timeoutMs,
			openBrowser: config.openBrowser ? opener : false,
			...(args.signal ? {signal: args.signal} : {}),
			onUrl(url) {
				const callback = new URL(new URL(url).searchParams.get('redirect_uri') ?? '');
				write(
					[
						`Logging in to ${config.githubHost} for session "${args.id}".`,
						config.openBrowser
							? 'Opening your browser; if it does not open, open this URL yourself:'
							: 'Open this URL in your browser:',
						'',
						`  ${url}`,
						'',
						`Waiting for the callback on ${callback.origin}${callback.pathname} (up to ${formatTimeout(config.timeoutMs)})...`,
						'',
					].join('\n'),
				);
			},
			onBrowserError(error) {
				write(`${escapeControl(error.message)}; open the URL above yourself.\n`);
			},
		});
		const expires = outcome.session.expiresAt.toISOString().replace(/\.\d+Z$/, 'Z');
		write(`Logged in as ${who(outcome.user)}; saved session "${args.id}" (expires ${expires}).\n`);
		if (outcome.userChanged && outcome.previousLogin !== undefined) {
			write(
				`Note: session "${args.id}" belonged to @${escapeControl(outcome.previousLogin)}; it is now @${escapeControl(outcome.user.login)}'s.\n`,
			);
		}

		return 0;
	} catch (error) {
		const message =
			error instanceof LoginError
				? error.message
				: `unexpected error: ${(error as Error)?.message}`;
		write(`Login failed: ${escapeControl(message)}\n`);
		return 1;
	}
}
