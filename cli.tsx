#!/usr/bin/env node
// The entry point: the command line parsed and checked once (commands/options.ts), then the
// command it names run on the store it names. The plain commands never load Ink or React: the
// inspector is imported only on its own path, and the bundler puts it in a chunk of its own, so
// that `list` starts as fast as a plain Node script.
import {existsSync} from 'node:fs';
import module from 'node:module';
import process from 'node:process';
import {isatty} from 'node:tty';
import packageJson from './package.json' with {type: 'json'};
import {cleanupCommand} from './source/commands/cleanup.js';
import {printIds, printScript} from './source/commands/completion.js';
import {deleteCommand} from './source/commands/delete.js';
import {createDemoDir, DEMO_BANNER, removeOnExit} from './source/commands/demo.js';
import {helpText, usageHint} from './source/commands/help.js';
import {hints} from './source/commands/hints.js';
import {listCommand} from './source/commands/list.js';
import {loginWaitMs} from './source/commands/login-options.js';
import {type OpenedStore, type OpenStoreOptions, openStore} from './source/commands/open-store.js';
import {
	type Command,
	type Invocation,
	parseCommandLine,
	type StoreChoice,
} from './source/commands/options.js';
import {errorMessage, processOutput} from './source/commands/output.js';
import {CLI_SESSION_ID} from './source/session/cli-store.js';
import type {StartLogin} from './source/ui/types.js';

const output = processOutput;

/** An invocation of one command. */
type Of<C extends Invocation['command']> = Extract<Invocation, {command: C}>;

// Node 22.1+ keeps V8's compiled code of the modules loaded from here on (the inspector's chunks:
// Ink, React, yoga) in a cache directory, so later starts skip compiling them. A no-op on
// Node 20, which lacks it; Node itself decides where (NODE_COMPILE_CACHE, else a directory in
// the temp dir) and never fails over it (NODE_DISABLE_COMPILE_CACHE=1 turns it off). cli.cjs
// is compiled before this runs: caching it too would take a second entry module.
(module as {enableCompileCache?: () => unknown}).enableCompileCache?.();

async function main(): Promise<number> {
	const parsed = parseCommandLine(process.argv.slice(2), process.env);
	if (!parsed.ok) return usageError(parsed.command, parsed.errors);
	const invocation = parsed.invocation;
	switch (invocation.command) {
		case 'help': {
			output.out(helpText(invocation.topic));
			return 0;
		}

		case 'version': {
			output.out(`${packageJson.version}\n`);
			return 0;
		}

		case 'inspect': {
			// The inspector shows a store it cannot open as an error screen that retries.
			const interactive = isInteractive();
			return withStore(
				invocation,
				(opened) => (interactive ? inspect(invocation, opened) : list(invocation, opened)),
				{lazy: interactive, keyspaceEvents: invocation.redisEvents ? 'enable' : 'use'},
			);
		}

		case 'demo': {
			return demo(invocation, isInteractive());
		}

		case 'list': {
			return withStore(invocation, (opened) => list(invocation, opened));
		}

		case 'cleanup': {
			return withStore(invocation, (opened) =>
				cleanupCommand({
					store: opened.store,
					location: opened.location,
					dryRun: invocation.dryRun,
					output,
				}),
			);
		}

		case 'delete':
		case 'logout': {
			const ids = invocation.command === 'delete' ? invocation.ids : [CLI_SESSION_ID];
			const revoke = invocation.command === 'delete' ? invocation.revoke : undefined;
			return withStore(invocation, (opened) =>
				deleteCommand({
					store: opened.store,
					location: opened.location,
					ids,
					dryRun: invocation.dryRun,
					output,
					...(revoke
						? {
								revoke: {
									clientId: revoke.oauthApp?.clientId,
									clientSecret: revoke.oauthApp?.clientSecret,
									githubHost: revoke.githubHost,
								},
							}
						: {}),
				}),
			);
		}

		case 'status': {
			const {statusCommand} = await import('./source/commands/status.js');
			return withStore(invocation, (opened) =>
				statusCommand({
					store: opened.store,
					location: opened.location,
					ids: invocation.ids,
					json: invocation.json,
					githubHost: invocation.token.githubHost,
					...(invocation.refresh ? {refresh: invocation.token} : {}),
					output,
				}),
			);
		}

		case 'refresh': {
			const {refreshCommand} = await import('./source/commands/refresh.js');
			return withStore(invocation, (opened) =>
				refreshCommand({
					store: opened.store,
					location: opened.location,
					ids: invocation.ids,
					...invocation.token,
					output,
				}),
			);
		}

		case 'copy': {
			const {copyCommand} = await import('./source/commands/copy.js');
			return copyCommand({...invocation, output});
		}

		case 'login': {
			return withStore(invocation, (opened) => login(invocation, opened));
		}

		case 'completion': {
			const {target} = invocation;
			return target === 'ids'
				? withStore(invocation, (opened) => printIds(opened.store, output))
				: printScript(target, output);
		}
	}
}

/** Every problem on the command line, then where to read the usage; exit 2. */
function usageError(command: Command | undefined, errors: readonly string[]): number {
	const lines = errors.map((error) => `stacktower-sessions: ${error}`);
	output.err(`${lines.join('\n')}\n${usageHint(command)}\n`);
	return 2;
}

/** Opens the store the command line names, runs `run` on it, and closes it whatever happens. */
async function withStore(
	choice: StoreChoice,
	run: (opened: OpenedStore) => Promise<number>,
	{lazy = false, keyspaceEvents}: Pick<OpenStoreOptions, 'lazy' | 'keyspaceEvents'> = {},
): Promise<number> {
	let opened: OpenedStore;
	try {
		opened = await openStore({dir: choice.dir, redisUrl: choice.redisUrl, lazy, keyspaceEvents});
	} catch (error) {
		output.err(`stacktower-sessions: ${errorMessage(error)}\n`);
		return 1;
	}

	try {
		return await run(opened);
	} finally {
		await opened.close();
	}
}

/** `temporary`: the store goes when the command ends (the demo's), so no hint names a command for it. */
function list(
	invocation: Of<'list'> | Of<'inspect'>,
	opened: OpenedStore,
	temporary = false,
): Promise<number> {
	const json = invocation.command === 'list' && invocation.json;
	const terminal = !json && isatty(1);
	const suggest = hints(invocation.storeArgs);
	return listCommand({
		store: opened.store,
		location: opened.location,
		json,
		showToken: invocation.command === 'list' && invocation.showToken,
		// A directory that does not exist is said so: a mistyped --dir shows as a typo, not as
		// an empty store (listing creates nothing, so it stays missing until a first login).
		emptyHint: () => suggest.empty(opened.watchDir !== undefined && !existsSync(opened.watchDir)),
		table: {
			width: terminal ? process.stdout.columns : undefined,
			color: terminal && invocation.color,
			cleanupCommand: temporary ? null : suggest.command('cleanup'),
		},
		output,
	});
}

// A StartLogin for the inspector's `l` key, bound to the checked login config. The flows
// themselves (an HTTP server, the browser opener) load when `l` is pressed, not before the
// first frame.
function startLoginFor(invocation: Of<'inspect'> | Of<'demo'>, opened: OpenedStore): StartLogin {
	return async (args) => {
		const {createStartLogin} = await import('./source/github/start-login.js');
		return createStartLogin(invocation.login, opened.store, opened.stateStore)(args);
	};
}

// The `login` command (exit 0 on success, 1 on failure, 2 usage); Ctrl-C cancels it cleanly.
async function login(invocation: Of<'login'>, opened: OpenedStore): Promise<number> {
	const {loginCommand} = await import('./source/commands/login.js');
	const controller = new AbortController();
	const cancel = () => controller.abort();
	process.once('SIGINT', cancel);
	try {
		return await loginCommand({
			store: opened.store,
			stateStore: opened.stateStore,
			config: invocation.login,
			env: process.env,
			stderr: process.stderr,
			signal: controller.signal,
		});
	} finally {
		process.off('SIGINT', cancel);
	}
}

async function inspect(
	invocation: Of<'inspect'> | Of<'demo'>,
	opened: OpenedStore,
	banner?: string,
): Promise<number> {
	// Colour support is decided when Ink's colour library loads, so this must come first.
	if (!invocation.color) {
		process.env.NO_COLOR = '1';
		process.env.FORCE_COLOR = '0';
	}

	// Ink (through is-in-ci) draws only a final frame when CI variables are set. We only get
	// here with a terminal on both ends, so a person is watching: draw the live screen.
	// (Deleted rather than set to 'false': chalk's supports-color drops colour when CI is present.)
	delete process.env.CI;
	delete process.env.CONTINUOUS_INTEGRATION;

	const {runInspector} = await import('./source/ui/run-inspector.js');
	return runInspector({
		store: opened.store,
		location: opened.location,
		...(opened.watchDir === undefined ? {} : {watchDir: opened.watchDir}),
		login: startLoginFor(invocation, opened),
		loginTimeoutMs: loginWaitMs(invocation.login),
		// The demo's sample tokens are not GitHub's: it never sends them anywhere.
		...(invocation.command === 'inspect' ? {github: invocation.token} : {}),
		...(banner === undefined ? {} : {banner}),
	});
}

async function demo(invocation: Of<'demo'>, interactive: boolean): Promise<number> {
	const dir = createDemoDir();
	const remove = removeOnExit(dir, {signals: !interactive});
	const choice: StoreChoice = {dir, redisUrl: undefined, storeArgs: []};
	try {
		return await withStore(choice, (opened) =>
			interactive
				? inspect(invocation, opened, DEMO_BANNER)
				: list(
						{command: 'list', json: false, showToken: false, color: invocation.color, ...choice},
						opened,
						true,
					),
		);
	} finally {
		remove();
	}
}

// Asked only where it matters: the first read of process.stdin sets up a stream for it, a
// start-up cost that the plain commands, which never read stdin, need not pay.
function isInteractive(): boolean {
	return process.stdin.isTTY === true && process.stdout.isTTY === true;
}

// Not a top-level await: the lazily loaded chunks import the modules they share with this one
// from the built cli.cjs (scripts/bundle-cli.mjs), which must have finished evaluating by then.
main().then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		output.err(`stacktower-sessions: ${errorMessage(error)}\n`);
		process.exitCode = 1;
	},
);
