import {spawn} from 'node:child_process';
import {LoginError, safeText} from './errors.js';

/**
 * Variables the browser never needs and must not get: a browser is a long-lived program that
 * runs extensions and other programs. Ours (the OAuth app's secret; a Redis URL may hold a
 * password) and the GitHub tokens of gh and of CI that a developer's shell commonly holds.
 */
export const WITHHELD_FROM_BROWSER = [
	'STACKTOWER_GITHUB_CLIENT_SECRET',
	'STACKTOWER_REDIS_URL',
	'GITHUB_TOKEN',
	'GH_TOKEN',
	'GH_ENTERPRISE_TOKEN',
	'GITHUB_ENTERPRISE_TOKEN',
] as const;

/** `env` without WITHHELD_FROM_BROWSER. */
export function browserEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	const withheld = new Set<string>(WITHHELD_FROM_BROWSER);
	return Object.fromEntries(Object.entries(env).filter(([name]) => !withheld.has(name)));
}

/** Starts `command url` detached, without a shell and without WITHHELD_FROM_BROWSER. */
function startBrowser(command: string, url: string, env: NodeJS.ProcessEnv, shown: string) {
	return new Promise<void>((resolve, reject) => {
		const child = spawn(command, [url], {
			detached: true,
			stdio: 'ignore',
			windowsHide: true,
			env: browserEnv(env),
		});
		child.once('error', (error: NodeJS.ErrnoException) => {
			reject(
				new LoginError(
					'BROWSER_FAILED',
					`could not start ${shown}: ${error.code ?? safeText(error.message)}`,
					{cause: error},
				),
			);
		});
		child.once('spawn', () => {
			// The browser outlives the login: do not wait for it, and do not keep us alive.
			child.unref();
			resolve();
		});
	});
}

// The openers the `open` package itself runs on these platforms, started here instead so that
// they (and the browser they start) get the environment without WITHHELD_FROM_BROWSER: `open`
// takes no environment of its own.
const platformOpeners: Partial<Record<NodeJS.Platform, string>> = {
	darwin: 'open',
	linux: 'xdg-open',
	freebsd: 'xdg-open',
	openbsd: 'xdg-open',
};

/**
 * Opens `url` with the command in `$BROWSER` when set, else the platform's opener. `$BROWSER`
 * is taken as one command name or path and run without a shell, with the URL as its only
 * argument: the URL holds `&`, and no shell must ever see it. (The colon-separated,
 * `%s`-templated $BROWSER of some Linux tools is not supported.) Both start without
 * WITHHELD_FROM_BROWSER. Where there is no such opener (Windows, or WSL without xdg-open) the
 * `open` package opens the URL, and its opener inherits this process's environment.
 * Resolves once the command has started; rejects with BROWSER_FAILED when it cannot start.
 */
export async function openInBrowser(
	url: string,
	env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
	const command = env.BROWSER?.trim();
	if (command) {
		await startBrowser(command, url, env, `$BROWSER (${JSON.stringify(safeText(command, 200))})`);
		return;
	}

	const opener = platformOpeners[process.platform];
	if (opener) {
		try {
			await startBrowser(opener, url, env, opener);
			return;
		} catch (error) {
			const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
			if (code !== 'ENOENT') throw error;
		}
	}

	try {
		// Loaded on demand: it is only needed where the platform has no opener of its own.
		const {default: open} = await import('open');
		const child = await open(url);
		child.once('error', () => {});
	} catch (error) {
		throw new LoginError(
			'BROWSER_FAILED',
			`could not open a browser: ${safeText((error as Error).message, 200)}`,
			{cause: error},
		);
	}
}

/** A login option's browser choice as the function to call, or undefined for none. */
export function browserOpener(
	choice: boolean | ((url: string) => Promise<void>) | undefined,
): ((url: string) => Promise<void>) | undefined {
	if (choice === false) return undefined;
	return typeof choice === 'function' ? choice : (url: string) => openInBrowser(url);
}

/**
 * Opens `url` without waiting: the flow goes on whether or not a browser starts (the URL is
 * shown). A failure reaches `onError` as a BROWSER_FAILED LoginError, unless `ended()` says the
 * login is over by then.
 */
export function openInBackground(
	opener: (url: string) => Promise<void>,
	url: string,
	ended: () => boolean,
	onError: ((error: LoginError) => void) | undefined,
): void {
	Promise.resolve()
		.then(() => opener(url))
		.catch((error: unknown) => {
			const failure =
				error instanceof LoginError && error.code === 'BROWSER_FAILED'
					? error
					: new LoginError(
							'BROWSER_FAILED',
							`could not open a browser: ${safeText((error as Error)?.message)}`,
							{cause: error},
						);
			if (!ended()) onError?.(failure);
		});
}
