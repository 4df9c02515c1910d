// A program in a real pseudo-terminal, timed from the moment it is spawned. The raw output is
// watched with escape sequences stripped (an xterm emulator would add its own parsing delay to
// every timing); Ink writes each row's text contiguously, so a marker in a row is found whole.
import {readdirSync, readFileSync} from 'node:fs';
import {stripVTControlCharacters} from 'node:util';
import pty from 'node-pty';

// Ink renders only the last frame when it thinks it runs in CI (is-in-ci); a benchmark of
// frames must not look like CI.
function terminalEnv() {
	const env = {...process.env, TERM: 'xterm-256color', COLUMNS: undefined, LINES: undefined};
	for (const key of Object.keys(env)) {
		if (key === 'CI' || key === 'CONTINUOUS_INTEGRATION' || key.startsWith('CI_')) {
			delete env[key];
		}
	}

	return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
}

/** Matches `n` as a screen may print it: 66667, 66,667, 66.667 or 66 667. */
export function numberPattern(n) {
	const digits = String(n);
	const groups = [];
	for (let end = digits.length; end > 0; end -= 3)
		groups.unshift(digits.slice(Math.max(0, end - 3), end));
	return groups.join("[,.\\u00a0\\u202f' ]?");
}

export class PtyRun {
	/** Spawns `file args` in a cols × rows terminal; times are ms since this call. */
	constructor(file, args, {cols = 120, rows = 40, cwd = process.cwd()} = {}) {
		this.started = performance.now();
		this.process = pty.spawn(file, args, {
			name: 'xterm-256color',
			cols,
			rows,
			cwd,
			env: terminalEnv(),
		});
		this.pid = this.process.pid;
		// Only a tail of the stripped text is kept: a 100,000-session load writes many frames.
		this.tail = '';
		this.bytes = 0;
		this.lastOutputAt = undefined;
		this.firstOutputAt = undefined;
		this.watchers = new Set();
		this.exited = new Promise((resolve) => {
			this.process.onExit((event) => {
				this.exit = event;
				resolve(event);
				for (const watcher of this.watchers) watcher.onExit(event);
			});
		});
		this.process.onData((data) => {
			const now = performance.now();
			this.firstOutputAt ??= now - this.started;
			this.lastOutputAt = now;
			this.bytes += data.length;
			const text = stripVTControlCharacters(data);
			// Keep enough of the previous text that a marker split across two chunks still matches.
			const window = this.tail.slice(-512) + text;
			this.tail = window.length > 8192 ? window.slice(-8192) : window;
			for (const watcher of this.watchers) watcher.onData(now, window, data);
		});
	}

	/** ms since spawn at which `test(window)` first held, checking each new chunk of output. */
	waitFor(test, {timeoutMs = 60_000, label = String(test)} = {}) {
		if (test(this.tail)) {
			return Promise.resolve(performance.now() - this.started);
		}

		return new Promise((resolve, reject) => {
			const watcher = {
				onData: (now, window) => {
					if (test(window)) {
						done();
						resolve(now - this.started);
					}
				},
				onExit: (event) => {
					done();
					reject(
						new Error(
							`exited (code ${event.exitCode}) before ${label}; last output: ${JSON.stringify(this.tail.slice(-300))}`,
						),
					);
				},
			};
			const timer = setTimeout(() => {
				done();
				reject(
					new Error(
						`timed out after ${timeoutMs} ms waiting for ${label}; last output: ${JSON.stringify(this.tail.slice(-300))}`,
					),
				);
			}, timeoutMs);
			const done = () => {
				clearTimeout(timer);
				this.watchers.delete(watcher);
			};
			this.watchers.add(watcher);
		});
	}

	/** Resolves once no output has arrived for `quietMs` (or after `maxMs` in all). */
	async quiet(quietMs, maxMs = 5000) {
		const deadline = performance.now() + maxMs;
		for (;;) {
			const since = performance.now() - (this.lastOutputAt ?? this.started);
			if (since >= quietMs || performance.now() >= deadline) return;
			await new Promise((resolve) => setTimeout(resolve, quietMs - since + 1));
		}
	}

	/** Writes `keys` and resolves with the ms until the next output arrives. */
	timeToNextOutput(keys, timeoutMs = 5000) {
		return new Promise((resolve, reject) => {
			let sent;
			const watcher = {
				onData: (now) => {
					done();
					resolve(now - sent);
				},
				onExit: (event) => {
					done();
					reject(new Error(`exited (code ${event.exitCode}) after a key press`));
				},
			};
			const timer = setTimeout(() => {
				done();
				reject(new Error(`no output within ${timeoutMs} ms of a key press`));
			}, timeoutMs);
			const done = () => {
				clearTimeout(timer);
				this.watchers.delete(watcher);
			};
			this.watchers.add(watcher);
			sent = performance.now();
			this.process.write(keys);
		});
	}

	/**
	 * CPU time the process (its main thread and every other thread) has used so far, in ms,
	 * from /proc/<pid>/task/<tid>/schedstat (nanoseconds on CPU): on a loaded machine this says
	 * more about the work done than wall time does.
	 */
	cpuMs() {
		try {
			let ns = 0;
			for (const tid of readdirSync(`/proc/${this.pid}/task`)) {
				ns += Number(readFileSync(`/proc/${this.pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
			}

			return ns / 1e6;
		} catch {
			return undefined; // gone, or no /proc
		}
	}

	/** Peak resident set size (VmHWM) of the process so far, in KiB. */
	peakRssKiB() {
		const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
		const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
		return match ? Number(match[1]) : undefined;
	}

	/** Sends `q` and waits for the exit; kills the process if it does not go within `ms`. */
	async quit(ms = 5000) {
		if (this.exit) return this.exit;
		this.process.write('q');
		const timer = setTimeout(() => this.kill(), ms);
		const event = await this.exited;
		clearTimeout(timer);
		return event;
	}

	kill() {
		if (!this.exit) {
			try {
				this.process.kill('SIGKILL');
			} catch {
				// Already gone.
			}
		}
	}
}
