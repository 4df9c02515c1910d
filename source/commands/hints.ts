// The command lines that messages suggest ("remove the expired ones with: ..."). A store named
// on the command line (--dir, --redis) is repeated in them, so that the suggested command works
// on the same store; one named by the environment needs nothing repeated.
import {escapeControl} from '../format/escape.js';

const BIN = 'stacktower-sessions';

/**
 * A word as a POSIX shell reads it back: as it is when it holds nothing a shell treats
 * specially, otherwise in single quotes (inside which only `'` itself needs care). Control
 * characters are escaped for the terminal, which makes such a word show, not paste, as typed.
 */
export function shellWord(word: string): string {
	const safe = /^[\w@%+=:,./~-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
	return escapeControl(safe);
}

/** A Redis URL with its password, if any, replaced by the word PASSWORD: never printed. */
function withoutPassword(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password === '') return url;
		parsed.password = 'PASSWORD';
		return parsed.href;
	} catch {
		// Not a URL (parsing refuses it before any hint is made); cut what credentials would be.
		return url.replace(/\/\/[^/]*@/, '//PASSWORD@');
	}
}

export type Hints = {
	/** `stacktower-sessions NAME` and the store's flags. */
	command(name: string): string;
	/** What to say under an empty listing; `missing` when the directory does not exist. */
	empty(missing: boolean): string;
};

export function hints(storeArgs: readonly string[]): Hints {
	const shown = storeArgs.map((arg, i) =>
		shellWord(storeArgs[i - 1] === '--redis' ? withoutPassword(arg) : arg),
	);
	const store = shown.length > 0 ? ` ${shown.join(' ')}` : '';
	const command = (name: string) => `${BIN} ${name}${store}`;
	return {
		command,
		empty: (missing) =>
			`${missing ? 'the directory does not exist yet\n' : ''}log in with: ${command('login')} (or with the stacktower CLI)`,
	};
}
