// `stacktower-sessions login [--id ID]`: the loopback OAuth flow from the command line. The
// URL and the outcome go to stderr (stdout stays empty: nothing here is data to pipe).
import {escapeControl} from '../format/escape.js';
import {formatTimeout, LoginError, login} from '../github/login-flow.js';
import {openInBrowser} from '../github/open-browser.js';
import {isValidId, type Session, type StateStore, type Store} from '../session/index.js';
import {type LoginCommandFlags, resolveLoginConfig, show} from './login-config.js';

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
