// Every key binding of the inspector: what a keystroke (keys.ts) means in each context. The
// reducer (state.ts) resolves keys through this table, and the help screen and footer are drawn
// from it, so they can never disagree with the code.
import type {Key} from 'ink';

export type Command =
	| 'up'
	| 'down'
	| 'pageUp'
	| 'pageDown'
	| 'first'
	| 'last'
	| 'details'
	| 'back'
	| 'delete'
	| 'cleanup'
	| 'login'
	| 'verify'
	| 'verifyAll'
	| 'refreshToken'
	| 'filter'
	| 'sort'
	| 'reload'
	| 'utc'
	| 'help'
	| 'quit'
	| 'yes'
	| 'no'
	| 'filterAccept'
	| 'filterClear'
	| 'filterErase';

/**
 * Where a binding applies: the list (and the details), the details alone (which take the
 * list's keys too), a y/n question, or typing a filter.
 */
export type KeyContext = 'list' | 'details' | 'confirm' | 'filter';

// A context that also takes another's keys.
const INHERITS: Partial<Record<KeyContext, KeyContext>> = {details: 'list'};

/** One key: a typed character, or a named key from Ink's Key, optionally with Ctrl. */
export type KeySpec = {
	readonly input?: string;
	readonly key?: keyof Key;
	readonly ctrl?: boolean;
};

export type Binding = {
	readonly command: Command;
	readonly context: KeyContext;
	readonly keys: readonly KeySpec[];
	/** The keys as the help screen shows them. */
	readonly label: string;
	readonly description: string;
	/** The short text in the footer; bindings without one are only in the help screen. */
	readonly footer?: string;
};

const ctrlC: KeySpec = {input: 'c', ctrl: true};

export const KEYMAP: readonly Binding[] = [
	{
		command: 'up',
		context: 'list',
		keys: [{key: 'upArrow'}, {input: 'k'}],
		label: '↑ k',
		description: 'move up',
		footer: '↑↓ move',
	},
	{
		command: 'down',
		context: 'list',
		keys: [{key: 'downArrow'}, {input: 'j'}],
		label: '↓ j',
		description: 'move down',
	},
	{
		command: 'pageUp',
		context: 'list',
		keys: [{key: 'pageUp'}],
		label: 'PgUp',
		description: 'one page up',
	},
	{
		command: 'pageDown',
		context: 'list',
		keys: [{key: 'pageDown'}],
		label: 'PgDn',
		description: 'one page down',
	},
	{
		command: 'first',
		context: 'list',
		keys: [{key: 'home'}, {input: 'g'}],
		label: 'g Home',
		description: 'first session',
	},
	{
		command: 'last',
		context: 'list',
		keys: [{key: 'end'}, {input: 'G'}],
		label: 'G End',
		description: 'last session',
	},
	{
		command: 'details',
		context: 'list',
		keys: [{key: 'return'}],
		label: 'Enter',
		description: 'show every field of the session',
		footer: '⏎ details',
	},
	{
		command: 'back',
		context: 'list',
		keys: [{key: 'escape'}],
		label: 'Esc',
		description: 'go back; clear the filter',
		footer: 'Esc back',
	},
	{
		command: 'delete',
		context: 'list',
		keys: [{input: 'd'}],
		label: 'd',
		description: 'delete the selected session',
		footer: 'd delete',
	},
	{
		command: 'cleanup',
		context: 'list',
		keys: [{input: 'c'}],
		label: 'c',
		description: 'remove all expired sessions',
		footer: 'c clean up',
	},
	{
		command: 'login',
		context: 'list',
		keys: [{input: 'l'}],
		label: 'l',
		description: 'log the session in again (GitHub)',
		footer: 'l log in',
	},
	{
		command: 'filter',
		context: 'list',
		keys: [{input: '/'}],
		label: '/',
		description: 'filter by id, login or name',
		footer: '/ filter',
	},
	{
		command: 'sort',
		context: 'list',
		keys: [{input: 's'}],
		label: 's',
		description: 'next sort: expiry, created, user, id',
		footer: 's sort',
	},
	{
		command: 'reload',
		context: 'list',
		keys: [{input: 'r'}],
		label: 'r',
		description: 'reload the sessions now',
	},
	{
		command: 'verify',
		context: 'list',
		keys: [{input: 'v'}],
		label: 'v',
		description: 'check the token with GitHub',
		footer: 'v verify',
	},
	{
		command: 'verifyAll',
		context: 'list',
		keys: [{input: 'V'}],
		label: 'V',
		description: 'check all in view; Esc stops',
	},
	{
		command: 'refreshToken',
		context: 'list',
		keys: [{input: 'R'}],
		label: 'R',
		description: 'renew the token (refresh token)',
	},
	{
		command: 'utc',
		context: 'details',
		keys: [{input: 'u'}],
		label: 'u',
		description: 'times in UTC / local time',
	},
	{
		command: 'help',
		context: 'list',
		keys: [{input: '?'}],
		label: '?',
		description: 'show or hide this help',
		footer: '? help',
	},
	{
		command: 'quit',
		context: 'list',
		keys: [{input: 'q'}, ctrlC],
		label: 'q Ctrl-C',
		description: 'quit',
		footer: 'q quit',
	},
	{
		command: 'yes',
		context: 'confirm',
		keys: [{input: 'y'}, {input: 'Y'}],
		label: 'y',
		description: 'yes, go ahead',
		footer: 'y yes',
	},
	{
		command: 'no',
		context: 'confirm',
		// q backs out of the question, as it would leave the list: never a yes, never a quit
		// with the question unanswered.
		keys: [{input: 'n'}, {input: 'N'}, {input: 'q'}, {key: 'escape'}],
		label: 'n q Esc',
		description: 'no, keep everything',
		footer: 'n no',
	},
	{
		command: 'quit',
		context: 'confirm',
		keys: [ctrlC],
		label: 'Ctrl-C',
		description: 'quit',
	},
	{
		command: 'filterAccept',
		context: 'filter',
		keys: [{key: 'return'}],
		label: 'Enter',
		description: 'keep the filter',
		footer: '⏎ keep',
	},
	{
		command: 'filterClear',
		context: 'filter',
		keys: [{key: 'escape'}],
		label: 'Esc',
		description: 'clear the filter',
		footer: 'Esc clear',
	},
	{
		command: 'filterErase',
		context: 'filter',
		keys: [{key: 'backspace'}, {key: 'delete'}],
		label: 'Backspace',
		description: 'erase the last character',
	},
	{
		command: 'quit',
		context: 'filter',
		keys: [ctrlC],
		label: 'Ctrl-C',
		description: 'quit',
	},
];

/** The footer in the help when it does not fit: there the moving keys scroll it. */
export const HELP_SCROLL_FOOTER = '↑↓ scroll';

export const CONTEXT_TITLES: Readonly<Record<KeyContext, string>> = {
	list: 'In the list and the details',
	details: 'In the details',
	confirm: 'When asked y/n',
	filter: 'Typing a filter (other keys type)',
};

function matches(spec: KeySpec, input: string, key: Key): boolean {
	if (Boolean(spec.ctrl) !== Boolean(key.ctrl)) return false;
	if (spec.key && !key[spec.key]) return false;
	if (spec.input !== undefined && spec.input !== input) return false;
	return spec.key !== undefined || spec.input !== undefined;
}

/** The command a key means in a context, if any. */
export function commandFor(context: KeyContext, input: string, key: Key): Command | undefined {
	for (const binding of KEYMAP) {
		if (binding.context !== context) continue;
		if (binding.keys.some((spec) => matches(spec, input, key))) return binding.command;
	}

	const inherited = INHERITS[context];
	return inherited ? commandFor(inherited, input, key) : undefined;
}

export function bindingsFor(context: KeyContext): Binding[] {
	return KEYMAP.filter((binding) => binding.context === context);
}

/** The footer texts of a context, in keymap order, leaving out the commands in `omit`. */
export function footerItems(context: KeyContext, omit: readonly Command[] = []): string[] {
	return bindingsFor(context).flatMap((binding) =>
		binding.footer && !omit.includes(binding.command) ? [binding.footer] : [],
	);
}

/** The footer text of one command (in the list context unless given). */
export function footerFor(command: Command, context: KeyContext = 'list'): string {
	const binding = KEYMAP.find((b) => b.command === command && b.context === context);
	return binding?.footer ?? binding?.label ?? command;
}
