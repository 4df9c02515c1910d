// The inspector's entry point for cli.tsx. The only way into source/ui from outside, so the
// plain commands never load React or Ink (they start faster without them).
import {render} from 'ink';
import type {ListableStore} from '../session/store.js';
import App from './App.js';
import {startFirstListing} from './first-listing.js';
import type {GitHubAccess, StartLogin} from './types.js';

export type {GitHubAccess, StartLogin, StartLoginOutcome} from './types.js';

export type InspectorOptions = {
	readonly store: ListableStore; // FileStore, MemoryStore or RedisStore
	readonly location: string; // shown in the header (~-abbreviated path or redis URL without password)
	readonly watchDir?: string; // a directory to fs.watch for changes; undefined → periodic rescan only
	readonly login?: StartLogin; // undefined → `l` explains how to configure login
	readonly loginUnavailable?: string; // without login: why, a line per problem (the missing client secret…)
	readonly loginTimeoutMs?: number; // the login flow's timeout, for the time left (default 5 min)
	readonly banner?: string; // shown in the header instead of the location (the demo says it is one)
	readonly github?: GitHubAccess; // how v, V, R and revoke-on-delete reach GitHub; undefined → they say it is not configured
};

// The alternate screen buffer: the inspector draws on its own screen and the terminal's
// scrollback is exactly as it was after quitting, as full-screen tools (less, htop) do.
const ENTER_ALT_SCREEN = '\u001B[?1049h';
const LEAVE_ALT_SCREEN = '\u001B[?1049l';

const signals = {SIGTERM: 15, SIGHUP: 1} as const;

/**
 * Renders the inspector on the process's terminal and resolves with the exit code when the user
 * quits (0), after Ink has restored raw mode and the cursor and the alternate screen is left.
 * The store is not closed: the caller owns it.
 */
export async function runInspector(options: InspectorOptions): Promise<number> {
	const {stdout, stderr} = process;
	const alternate = Boolean(stdout.isTTY);
	let left = false;
	const leave = () => {
		if (alternate && !left) {
			left = true;
			stdout.write(LEAVE_ALT_SCREEN);
		}
	};

	const first = await startFirstListing(options.store, {dir: options.watchDir});
	if (alternate) stdout.write(ENTER_ALT_SCREEN);
	// Even an unexpected exit must not strand the user on the alternate screen.
	process.once('exit', leave);
	const instance = render(
		<App
			store={options.store}
			location={options.location}
			watchDir={options.watchDir}
			login={options.login}
			loginUnavailable={options.loginUnavailable}
			loginTimeoutMs={options.loginTimeoutMs}
			banner={options.banner}
			github={options.github}
			first={first}
		/>,
		// Ctrl-C is a key in the keymap: quitting goes through the app so it unmounts cleanly.
		{exitOnCtrlC: false},
	);

	let code = 0;
	const handlers = Object.entries(signals).map(([signal, number]) => {
		const handler = () => {
			code = 128 + number;
			instance.unmount();
		};

		process.once(signal, handler);
		return () => process.off(signal, handler);
	});

	try {
		await instance.waitUntilExit();
	} catch (error) {
		code = 1;
		leave();
		stderr.write(
			`stacktower-sessions: ${error instanceof Error ? error.message : String(error)}\n`,
		);
	} finally {
		for (const off of handlers) off();
		leave();
		process.off('exit', leave);
	}

	return code;
}
