#!/usr/bin/env node
// The entry point: parse and check the command line, pick the store, then run a plain command
// or the inspector. The plain commands never load Ink or React: the inspector is imported
// only on its own path, and the bundler puts it in a chunk of its own (issue 6).
import {existsSync} from 'node:fs';
import module from 'node:module';
import process from 'node:process';
import meow from 'meow';
import packageJson from './package.json' with {type: 'json'};
import {cleanupCommand} from './source/commands/cleanup.js';
import {deleteCommand} from './source/commands/delete.js';
import {createDemoDir, DEMO_BANNER, removeOnExit} from './source/commands/demo.js';
import {listCommand} from './source/commands/list.js';
import {loginWaitMs} from './source/commands/login-options.js';
import {type OpenedStore, openStore} from './source/commands/open-store.js';
import {errorMessage, processOutput} from './source/commands/output.js';
import {
	flagDefinitions,
	helpText,
	type Options,
	parseCommandLine,
} from './source/commands/usage.js';
import type {StartLogin} from './source/ui/types.js';

const output = processOutput;

// Node 22.1+ keeps V8's compiled code of the modules loaded from here on (the inspector's chunks:
// Ink, React, yoga) in a cache directory, so later starts skip compiling them: about -10 ms to
// the inspector's first frame on Node 22 (issue 6). A no-op on Node 20, which lacks it; Node
// itself decides where (NODE_COMPILE_CACHE, else a directory in the temp dir) and never fails
// over it (NODE_DISABLE_COMPILE_CACHE=1 turns it off). cli.cjs is compiled before this runs:
// caching it too would take a second entry module, which costs Node 20 more than it saves.
(module as {enableCompileCache?: () => unknown}).enableCompileCache?.();

const EMPTY_HINT = 'log in with: stacktower-sessions login (or with the stacktower CLI)';

function usageError(errors: readonly string[]): number {
	output.err(
		`${errors.map((error) => `stacktower-sessions: ${error}`).join('\n')}\nrun stacktower-sessions --help for the usage\n`,
	);
	return 2;
}

/** Opens the store the options name, runs `run` on it, and closes it whatever happens. */
async function withStore(
	options: Options,
	run: (opened: OpenedStore) => Promise<number>,
	{lazy = false} = {},
): Promise<number> {
	let opened: OpenedStore;
	try {
		opened = await openStore({dir: options.dir, redisUrl: options.redisUrl, lazy});
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

function list(options: Options, opened: OpenedStore): Promise<number> {
	return listCommand({
		store: opened.store,
		location: opened.location,
		json: options.json,
		showToken: options.showToken,
		// A directory that does not exist is said so: a mistyped --dir shows as a typo, not as
		// an empty store (listing creates nothing, so it stays missing until a first login).
		emptyHint: () =>
			opened.watchDir !== undefined && !existsSync(opened.watchDir)
				? `the directory does not exist yet\n${EMPTY_HINT}`
				: EMPTY_HINT,
		output,
	});
}

// A StartLogin for the inspector's `l` key, bound to the checked login config. The flows
// themselves (an HTTP server, the browser opener) load when `l` is pressed, not before the
// first frame.
function startLoginFor(options: Options, opened: OpenedStore): StartLogin {
	return async (args) => {
		const {createStartLogin} = await import('./source/github/start-login.js');
		return createStartLogin(options.login, opened.store, opened.stateStore)(args);
	};
}

// The `login` command (exit 0 on success, 1 on failure, 2 usage); Ctrl-C cancels it cleanly.
async function login(options: Options, opened: OpenedStore): Promise<number> {
	const {loginCommand} = await import('./source/commands/login.js');
	const controller = new AbortController();
	const cancel = () => controller.abort();
	process.once('SIGINT', cancel);
	try {
		return await loginCommand({
			store: opened.store,
			stateStore: opened.stateStore,
			config: options.login,
			env: process.env,
			stderr: process.stderr,
			signal: controller.signal,
		});
	} finally {
		process.off('SIGINT', cancel);
	}
}

async function inspect(options: Options, opened: OpenedStore, banner?: string): Promise<number> {
	// Colour support is decided when Ink's colour library loads, so this must come first.
	if (!options.color) {
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
		login: startLoginFor(options, opened),
		loginTimeoutMs: loginWaitMs(options.login),
		...(banner === undefined ? {} : {banner}),
	});
}

async function demo(options: Options, interactive: boolean): Promise<number> {
	const dir = createDemoDir();
	const remove = removeOnExit(dir, {signals: !interactive});
	try {
		return await withStore({...options, dir, redisUrl: undefined}, (opened) =>
			interactive ? inspect(options, opened, DEMO_BANNER) : list(options, opened),
		);
	} finally {
		remove();
	}
}

// Asked only where it matters: the first read of process.stdin sets up a stream for it, about
// 2.5 ms that the plain commands, which never read stdin, need not pay (issue 6).
function isInteractive(): boolean {
	return process.stdin.isTTY === true && process.stdout.isTTY === true;
}

async function main(): Promise<number> {
	let cli: ReturnType<typeof meow<typeof flagDefinitions>>;
	try {
		cli = meow(helpText, {
			importMeta: import.meta,
			pkg: packageJson,
			flags: flagDefinitions,
			// Unset booleans stay undefined, so a flag given where it does not apply is seen.
			booleanDefault: undefined,
			// parseCommandLine reports unknown flags together with every other problem.
			allowUnknownFlags: true,
		});
	} catch (error) {
		// meow throws for a flag given twice.
		return usageError([errorMessage(error)]);
	}

	if (cli.flags.help) cli.showHelp(0);
	if (cli.flags.version) cli.showVersion();

	const parsed = parseCommandLine(cli.input, cli.flags, process.argv.slice(2), process.env);
	if (!parsed.ok) return usageError(parsed.errors);
	const {options} = parsed;

	switch (options.command) {
		case 'inspect': {
			// The inspector shows a store it cannot open as an error screen that retries.
			const interactive = isInteractive();
			return withStore(
				options,
				(opened) => (interactive ? inspect(options, opened) : list(options, opened)),
				{lazy: interactive},
			);
		}

		case 'demo': {
			return demo(options, isInteractive());
		}

		case 'list': {
			return withStore(options, (opened) => list(options, opened));
		}

		case 'cleanup': {
			return withStore(options, (opened) =>
				cleanupCommand({store: opened.store, location: opened.location, output}),
			);
		}

		case 'delete': {
			return withStore(options, (opened) =>
				deleteCommand({
					store: opened.store,
					location: opened.location,
					ids: options.ids,
					output,
					...(options.revoke
						? {
								revoke: {
									clientId: options.token.oauthApp?.clientId,
									clientSecret: options.token.oauthApp?.clientSecret,
									githubHost: options.token.githubHost,
								},
							}
						: {}),
				}),
			);
		}

		case 'status': {
			const {statusCommand} = await import('./source/commands/status.js');
			return withStore(options, (opened) =>
				statusCommand({
					store: opened.store,
					location: opened.location,
					ids: options.ids,
					json: options.json,
					githubHost: options.token.githubHost,
					output,
				}),
			);
		}

		case 'refresh': {
			const {refreshCommand} = await import('./source/commands/refresh.js');
			return withStore(options, (opened) =>
				refreshCommand({
					store: opened.store,
					location: opened.location,
					ids: options.ids,
					...options.token,
					output,
				}),
			);
		}

		case 'login': {
			return withStore(options, (opened) => login(options, opened));
		}
	}
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
