import {spawn} from 'node:child_process';
import {LoginError, safeText} from './errors.js';

/**
 * Opens `url` with the command in `$BROWSER` when set, else the platform's opener (the `open`
 * package). `$BROWSER` is taken as one command name or path and run without a shell, with
 * the URL as its only argument: the URL holds `&`, and no shell must ever see it. (The
 * colon-separated, `%s`-templated $BROWSER of some Linux tools is not supported.)
 * Resolves once the command has started; rejects with BROWSER_FAILED when it cannot start.
 */
export async function openInBrowser(
	url: string,
	env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
	const command = env.BROWSER?.trim();
	if (command) {
		await new Promise<void>((resolve, reject) => {
			const child = spawn(command, [url], {
				detached: true,
				stdio: 'ignore',
				windowsHide: true,
				env,
			});
			child.once('error', (error: NodeJS.ErrnoException) => {
				reject(
					new LoginError(
						'BROWSER_FAILED',
						`Could not start $BROWSER (${JSON.stringify(safeText(command, 200))}): ${error.code ?? safeText(error.message)}`,
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
		return;
	}

	try {
		// Loaded on demand: it is only needed when no $BROWSER is set.
		const {default: open} = await import('open');
		const child = await open(url);
		child.once('error', () => {});
	} catch (error) {
		throw new LoginError(
			'BROWSER_FAILED',
			`Could not open a browser: ${safeText((error as Error).message, 200)}`,
			{cause: error},
		);
	}
}
