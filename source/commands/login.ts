// `stacktower-sessions login [--id ID]`: the device flow (default) or the loopback web flow
// from the command line. What to do and the outcome go to stderr (stdout stays empty:
// nothing here is data to pipe), in output.ts's style: lowercase, no final period; a failure,
// like every error of the CLI, prefixed `stacktower-sessions: `.
import {formatLocal, formatRelative} from '../format/duration.js';
import {escapeControl} from '../format/escape.js';
import {formatTimeout} from '../github/defaults.js';
import type {DeviceCodePrompt} from '../github/device-flow.js';
import {LoginError} from '../github/errors.js';
import {openInBrowser} from '../github/open-browser.js';
import {createStartLogin, type LoginConfig} from '../github/start-login.js';
import type {Session, StateStore, Store} from '../session/index.js';

/** The exit code of a login cancelled with Ctrl-C: 128 + SIGINT, as a shell reports it. */
export const CANCELLED_EXIT_CODE = 130;

export type LoginCommandArgs = {
	store: Store;
	stateStore: StateStore;
	/** Checked by parseLoginOptions. */
	config: LoginConfig;
	env: NodeJS.ProcessEnv;
	stderr: NodeJS.WritableStream & {isTTY?: boolean};
	/** Cancels the login (Ctrl-C). */
	signal?: AbortSignal;
};

function who(user: {login: string; name: string}): string {
	const name = user.name ? ` (${escapeControl(user.name)})` : '';
	return `@${escapeControl(user.login)}${name}`;
}

/** The one-time code, bold and reversed on a terminal that takes colour, so it stands out. */
function highlight(text: string, args: LoginCommandArgs): string {
	const colour = args.stderr.isTTY === true && !args.env.NO_COLOR && args.env.TERM !== 'dumb';
	return colour ? `\u001B[1;7m ${text} \u001B[0m` : text;
}

function deviceInstructions(prompt: DeviceCodePrompt, args: LoginCommandArgs): string {
	const {config} = args;
	const url = escapeControl(prompt.verificationUri);
	// To the minute: the request took a moment, and "up to 899s" reads worse than "up to 15m".
	const leftMs = prompt.expiresAt.getTime() - Date.now();
	const lifetime = formatTimeout(
		leftMs >= 60_000
			? Math.round(leftMs / 60_000) * 60_000
			: Math.max(1000, Math.round(leftMs / 1000) * 1000),
	);
	const where = prompt.opening
		? `opening ${url} in your browser (if it does not open, open it yourself)`
		: `open ${url} in a browser on any device`;
	const notOpened =
		prompt.notOpenedBecause === undefined
			? []
			: [`(not opened in the browser: ${escapeControl(prompt.notOpenedBecause)})`];
	return [
		`logging in to ${config.githubHost} for session "${config.id}" by the device flow`,
		`${where}, and enter this one-time code:`,
		...notOpened,
		'',
		`    ${highlight(escapeControl(prompt.userCode), args)}`,
		'',
		`waiting for the code to be entered (up to ${lifetime}; Ctrl-C cancels)...`,
		'',
	].join('\n');
}

function webInstructions(url: string, args: LoginCommandArgs): string {
	const {config} = args;
	const callback = new URL(new URL(url).searchParams.get('redirect_uri') ?? '');
	return [
		`logging in to ${config.githubHost} for session "${config.id}" by the loopback web flow`,
		config.openBrowser
			? 'opening your browser (if it does not open, open this URL yourself):'
			: 'open this URL in your browser:',
		'',
		`  ${url}`,
		'',
		`waiting for the callback on ${callback.origin}${callback.pathname} (up to ${formatTimeout(config.timeoutMs ?? 0)}; Ctrl-C cancels)...`,
		'',
	].join('\n');
}

/** Logs in and saves the session. 0 logged in, 1 the login failed, 130 cancelled. */
export async function loginCommand(args: LoginCommandArgs): Promise<number> {
	const {config} = args;
	const write = (text: string) => {
		args.stderr.write(text);
	};

	// The session being replaced, for the login hint and to tell when the account changes.
	// An expired or unreadable one is simply replaced.
	let previous: Session | null = null;
	try {
		previous = await args.store.get(config.id);
	} catch {
		previous = null;
	}

	const start = createStartLogin(config, args.store, args.stateStore, (url) =>
		openInBrowser(url, args.env),
	);
	try {
		const outcome = await start({
			sessionId: config.id,
			previous,
			signal: args.signal ?? new AbortController().signal,
			onUrl: (url) => write(webInstructions(url, args)),
			onDeviceCode: (prompt) => write(deviceInstructions(prompt, args)),
			onBrowserError(error) {
				write(`${escapeControl(error.message)}; open the URL above yourself\n`);
			},
		});
		// Local time with its offset, as a person reads it, and relative to the save (`in 30d`).
		const {expiresAt, createdAt} = outcome.session;
		const expires = `${formatLocal(expiresAt)}, ${formatRelative(expiresAt, createdAt)}`;
		write(`logged in as ${who(outcome.user)}: saved session "${config.id}" (expires ${expires})\n`);
		if (outcome.userChanged && outcome.previousLogin !== undefined) {
			write(
				`note: session "${config.id}" belonged to @${escapeControl(outcome.previousLogin)}; it is now @${escapeControl(outcome.user.login)}'s\n`,
			);
		}

		return 0;
	} catch (error) {
		if (error instanceof LoginError && error.code === 'CANCELLED' && args.signal?.aborted) {
			write('stacktower-sessions: login cancelled: nothing was saved\n');
			return CANCELLED_EXIT_CODE;
		}

		// A LoginError says what happened to the login itself (`the login timed out: …`), so it
		// is not wrapped in a second `login failed:`.
		const message =
			error instanceof LoginError
				? error.message
				: `login failed: unexpected error: ${(error as Error)?.message}`;
		write(`stacktower-sessions: ${escapeControl(message)}\n`);
		return 1;
	}
}
