// Where the plain commands write. One write per command keeps `list` at 100,000 sessions
// close to the cost of reading the files (issue 6); the functions are passed in so the
// commands can be run against any sink.
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

export const processOutput: Output = {
	out: (text) => process.stdout.write(text),
	drain: () =>
		new Promise((resolve) => {
			process.stdout.once('drain', resolve);
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
