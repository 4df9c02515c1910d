// Where the plain commands write: stdout and stderr of the process, or, passed in instead,
// any sink (the tests).
//
// One style for every message: a lowercase first word and no final period (`deleted github
// (@octocat)`, `removed 3 expired sessions from ~/…`), what happened before a colon and the
// detail or the fix after it, lowercase too; on stderr, prefixed `stacktower-sessions: `.
import {writeSync} from 'node:fs';
import {escapeControl} from '../format/escape.js';
import {messageOf} from '../format/text.js';

export type Output = {
	/**
	 * Writes text to stdout as it is (the caller has escaped what needs escaping). May return
	 * false, as stream.write does, when the text was queued because the reader is behind.
	 */
	readonly out: (text: string) => unknown;
	/** Resolves when stdout has taken what `out` queued (after it returned false). */
	readonly drain?: () => Promise<void>;
	/** Writes text to stderr as it is. */
	readonly err: (text: string) => void;
};

let stdoutStream: NodeJS.WriteStream | undefined;

/**
 * The reader went away (EPIPE): `list | head` closes the pipe early, which is the reader's
 * choice, not our failure, so exit as we would have.
 */
function readerGone(): never {
	process.exit(process.exitCode ?? 0);
}

/** process.stdout, ending quietly when the reader goes away. */
export function stdout(): NodeJS.WriteStream {
	if (stdoutStream === undefined) {
		stdoutStream = process.stdout;
		stdoutStream.on('error', (error: NodeJS.ErrnoException) => {
			if (error.code === 'EPIPE') readerGone();
			throw error;
		});
	}

	return stdoutStream;
}

/**
 * Writes to descriptor 1 with writeSync rather than through process.stdout, whose first use
 * builds a stream for the pipe or terminal (node:net and the stream modules), a cost to the
 * start of every `list`, `cleanup` and `delete` (BENCHMARKS.md) for what a write system call
 * does. A reader that went away (EPIPE) ends the process quietly, as through stdout(). A
 * descriptor that someone made non-blocking (EAGAIN: the reader is behind) hands this and every
 * later write to process.stdout, which waits for the reader; so does Windows, whose console
 * wants UTF-16.
 */
function writeStdout(text: string): boolean {
	if (stdoutStream !== undefined || process.platform === 'win32') return stdout().write(text);
	const bytes = Buffer.from(text, 'utf8');
	let done = 0;
	try {
		while (done < bytes.length) done += writeSync(1, bytes, done);
		return true;
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EPIPE') readerGone();
		if (code !== 'EAGAIN') throw error;
		return stdout().write(bytes.subarray(done));
	}
}

export const processOutput: Output = {
	out: writeStdout,
	drain: () =>
		new Promise((resolve) => {
			stdout().once('drain', resolve);
		}),
	err: (text) => {
		process.stderr.write(text);
	},
};

/** An error as one line fit for a terminal: its message, control characters escaped. */
export function errorMessage(error: unknown): string {
	return escapeControl(messageOf(error));
}

export {plural} from '../format/text.js';

export type Report = {
	/** Says one thing that was done, on stdout; on stderr once stdout cannot take it. */
	readonly line: (text: string) => void;
	/** Whether stdout failed (the exit code then says so). */
	readonly failed: () => boolean;
};

/**
 * Lines that report what was done (deleted, removed). What was done stays said when the output
 * cannot take it (a full disk): the line goes to stderr with why, and so do the lines after it.
 */
export function reportTo(output: Output): Report {
	let failure: string | undefined;
	return {
		line(text) {
			if (failure === undefined) {
				try {
					output.out(`${text}\n`);
					return;
				} catch (error) {
					failure = errorMessage(error);
					output.err(
						`stacktower-sessions: ${text}, but the output could not be written: ${failure}\n`,
					);
					return;
				}
			}

			output.err(`stacktower-sessions: ${text}\n`);
		},
		failed: () => failure !== undefined,
	};
}
