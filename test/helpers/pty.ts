// The built CLI in a real pseudo-terminal: node-pty runs it, @xterm/headless emulates the
// screen it draws, and tests read that screen as text, the way a person would. Every spawned
// process is killed when the test that started it finishes (or at the latest by killAllPtys()).
import {execFile} from 'node:child_process';
import * as pty from 'node-pty';
import {onTestFinished} from 'vitest';
import {builtCli, cliEnv, repoRoot} from './cli.js';
import {type KeyName, keys} from './keys.js';
import {cellOf, headlessTerminal, rowsOf} from './screen.js';

export type Condition = string | RegExp | ((screen: string) => boolean);

export type PtyOptions = {
	/** Arguments after `node dist/cli.cjs`. */
	readonly args?: readonly string[];
	readonly cols?: number;
	readonly rows?: number;
	/** Added to (or, as undefined, removed from) the environment cliEnv() gives. */
	readonly env?: Record<string, string | undefined>;
	readonly cwd?: string;
};

export type PtyExit = {readonly exitCode: number; readonly signal: number | undefined};

export type PtySession = {
	/** The visible screen: one line per row, trailing spaces cut, trailing empty rows dropped. */
	screenText(): string;
	/**
	 * The terminal column (0-based cell) where `text` starts on the screen row that contains it,
	 * as the emulator placed it: a wide character takes two cells, a combining mark none. -1 when
	 * no row holds it.
	 */
	columnOf(row: number, text: string): number;
	/** Everything the program wrote, raw, escape sequences included. */
	output(): string;
	/** Resolves with the screen once it satisfies the condition; rejects (showing the screen) on timeout. */
	waitFor(condition: Condition, timeoutMs?: number): Promise<string>;
	/**
	 * Resolves with the screen once it satisfies the condition and the program reads keys (its
	 * terminal is in raw mode). Ink draws its first frame before it turns raw mode on, and keys
	 * typed before that sit in the terminal's line buffer: wait for this before the first key.
	 */
	ready(condition: Condition, timeoutMs?: number): Promise<string>;
	/** Resolves with the screen once it differs from `from` (default: the screen now). */
	waitForChange(from?: string, timeoutMs?: number): Promise<string>;
	/** Sends a named key (see `keys`) or, for anything else, the text as typed. */
	press(key: KeyName | (string & {})): void;
	/** Types the characters one write at a time, as a person would. */
	type(text: string): void;
	resize(cols: number, rows: number): void;
	/** Settles when the process exits. */
	readonly exit: Promise<PtyExit>;
	readonly pid: number;
	kill(): void;
};

const live = new Set<PtySession>();

function describeCondition(condition: Condition): string {
	return typeof condition === 'function' ? 'the condition' : JSON.stringify(String(condition));
}

function matches(screen: string, condition: Condition): boolean {
	if (typeof condition === 'string') return screen.includes(condition);
	if (condition instanceof RegExp) return condition.test(screen);
	return condition(screen);
}

/** Spawns `node dist/cli.cjs ...args` in a pseudo-terminal (100x30 unless told). */
export async function spawnCli(options: PtyOptions = {}): Promise<PtySession> {
	const cli = await builtCli();
	let cols = options.cols ?? 100;
	let rows = options.rows ?? 30;
	const env = cliEnv({
		TERM: 'xterm-256color',
		COLUMNS: undefined,
		LINES: undefined,
		...options.env,
	});
	const terminal = headlessTerminal(cols, rows);
	const child = pty.spawn(process.execPath, [cli, ...(options.args ?? [])], {
		name: 'xterm-256color',
		cols,
		rows,
		cwd: options.cwd ?? repoRoot,
		env,
	});

	let raw = '';
	let exited = false;
	const listeners = new Set<() => void>();
	const notify = () => {
		for (const listener of listeners) listener();
	};

	child.onData((data) => {
		raw += data;
		// The emulator parses asynchronously; look at the screen only once it has this chunk.
		terminal.write(data, notify);
	});

	const exit = new Promise<PtyExit>((resolve) => {
		child.onExit(({exitCode, signal}) => {
			exited = true;
			// Let the emulator finish the last chunk before anyone reads the final screen.
			terminal.write('', () => {
				notify();
				resolve({exitCode, signal});
			});
		});
	});

	const screenText = () => rowsOf(terminal, terminal.buffer.active.viewportY, rows).join('\n');
	const columnOf = (row: number, text: string) =>
		cellOf(terminal, terminal.buffer.active.viewportY + row, text);

	const waitFor = (condition: Condition, timeoutMs = 20_000) =>
		new Promise<string>((resolve, reject) => {
			const check = () => {
				const screen = screenText();
				if (matches(screen, condition)) {
					done();
					resolve(screen);
				} else if (exited) {
					done();
					reject(
						new Error(
							`the program exited before the screen showed ${describeCondition(condition)}; screen:\n${screen}`,
						),
					);
				}
			};

			const timer = setTimeout(() => {
				done();
				reject(
					new Error(
						`timed out after ${timeoutMs} ms waiting for ${describeCondition(condition)}; screen:\n${screenText()}`,
					),
				);
			}, timeoutMs);
			const done = () => {
				clearTimeout(timer);
				listeners.delete(check);
			};

			listeners.add(check);
			check();
		});

	// node-pty has the slave's path (/dev/pts/N) but leaves it out of its typings.
	const {ptsName} = child as unknown as {ptsName: string};
	// `stty -a` on the pty shows `-icanon` once the program has switched the terminal to raw mode.
	const isRaw = () =>
		new Promise<boolean>((resolve) => {
			execFile('stty', ['-F', ptsName, '-a'], (error, stdout) => {
				// Without a usable stty (not Linux), do not block: the first frame must do.
				resolve(error ? true : /(^|\s)-icanon(\s|$)/.test(stdout));
			});
		});

	const ready = async (condition: Condition, timeoutMs = 20_000) => {
		const deadline = Date.now() + timeoutMs;
		await waitFor(condition, timeoutMs);
		while (!(await isRaw())) {
			if (exited)
				throw new Error(`the program exited before reading keys; screen:\n${screenText()}`);
			if (Date.now() > deadline) {
				throw new Error(`timed out waiting for the program to read keys; screen:\n${screenText()}`);
			}

			await new Promise((resolve) => {
				setTimeout(resolve, 20);
			});
		}

		return screenText();
	};

	const session: PtySession = {
		screenText,
		columnOf,
		output: () => raw,
		waitFor,
		ready,
		waitForChange(from = screenText(), timeoutMs) {
			return waitFor((screen) => screen !== from, timeoutMs);
		},
		press(key) {
			child.write(key in keys ? keys[key as KeyName] : key);
		},
		type(text) {
			for (const char of text) child.write(char);
		},
		resize(newCols, newRows) {
			cols = newCols;
			rows = newRows;
			terminal.resize(newCols, newRows);
			child.resize(newCols, newRows);
		},
		exit,
		pid: child.pid,
		kill() {
			if (!exited) {
				try {
					child.kill('SIGKILL');
				} catch {
					// Already gone.
				}
			}

			live.delete(session);
		},
	};

	live.add(session);
	void exit.then(() => live.delete(session));
	try {
		onTestFinished(() => session.kill());
	} catch {
		// Spawned outside a test (beforeAll): killAllPtys() in an afterAll is the backstop.
	}

	return session;
}

/** Kills every pseudo-terminal process still running; call from afterEach/afterAll. */
export function killAllPtys(): void {
	for (const session of live) session.kill();
}
