// The help pages, drawn from the catalog: the main page (`--help`, `help`) and one page per
// command (`COMMAND --help`, `help COMMAND`), each in the shape Usage / Options / Examples.
// Every line fits 80 columns: the catalog's prose is filled to the page here, so its texts are
// written without counting columns.
import {displayWidth} from '../format/width.js';
import {
	type Command,
	type CommandSpec,
	commandSpec,
	commandSpecs,
	type FlagSpec,
	flagSpecs,
	flagsOf,
} from './catalog.js';

const BIN = 'stacktower-sessions';

const EXIT_CODES = '0 done, 1 failed, 2 usage error';
/** login's, and the main page's: a login stopped with Ctrl-C exits as a shell reports SIGINT. */
const LOGIN_EXIT_CODES = `${EXIT_CODES}, 130 login cancelled with Ctrl-C (nothing saved)`;

/** The width the help pages keep within, as a terminal's default. */
export const PAGE_WIDTH = 80;

/** Words joined by `gap` into lines of at most `width` columns (a longer word has a line of its own). */
function packed(words: readonly string[], width: number, gap = '  '): string[] {
	const lines: string[] = [];
	for (const word of words) {
		const last = lines.at(-1);
		if (last !== undefined && displayWidth(last) + gap.length + displayWidth(word) <= width) {
			lines[lines.length - 1] = `${last}${gap}${word}`;
		} else {
			lines.push(word);
		}
	}

	return lines;
}

/**
 * Prose filled into lines of at most `width` columns: a line break in the catalog's text is a
 * space and an empty line starts a paragraph, so a text is written without counting columns.
 */
function filled(text: string, width: number): string[] {
	return text
		.split(/\n\s*\n/)
		.flatMap((paragraph, i) => [
			...(i > 0 ? [''] : []),
			...packed(paragraph.split(/\s+/).filter(Boolean), width, ' '),
		]);
}

/** Rows of two columns, the second aligned and in lines of its own under it. */
function table(rows: ReadonlyArray<readonly [string, readonly string[]]>, indent = '    '): string {
	const width = Math.max(...rows.map(([left]) => left.length)) + 2;
	return rows
		.flatMap(([left, lines]) =>
			lines.map((line, i) => `${indent}${(i === 0 ? left : '').padEnd(width)}${line}`.trimEnd()),
		)
		.join('\n');
}

/** Rows whose second column is prose, filled to the page beside the first. */
function proseTable(rows: ReadonlyArray<readonly [string, string]>, indent = '    '): string {
	const room = PAGE_WIDTH - indent.length - Math.max(...rows.map(([left]) => left.length)) - 2;
	return table(
		rows.map(([left, right]) => [left, filled(right, room)]),
		indent,
	);
}

/**
 * An example command line, broken where it would pass the page into lines a shell joins again
 * (` \` at the end, the rest indented), never inside a quoted word.
 */
function exampleLines(example: string, indent = '    '): string[] {
	const tokens = example.match(/(?:'[^']*'|"[^"]*"|\S)+/g) ?? [];
	// A flag stays on the line of its value, and `>` on the line of its file.
	const words: string[] = [];
	for (const token of tokens) {
		const last = words.at(-1);
		if (last !== undefined && /^(--\S+|>)$/.test(last) && !/^[-|]/.test(token)) {
			words[words.length - 1] = `${last} ${token}`;
		} else {
			words.push(token);
		}
	}

	const lines: string[] = [];
	for (const word of words) {
		const last = lines.at(-1);
		// Room for the ` \` of a line another follows.
		if (last !== undefined && displayWidth(last) + 1 + displayWidth(word) + 2 <= PAGE_WIDTH) {
			lines[lines.length - 1] = `${last} ${word}`;
		} else {
			lines.push(`${indent}${last === undefined ? '$ ' : '    '}${word}`);
		}
	}

	return lines.map((line, i) => (i < lines.length - 1 ? `${line} \\` : line));
}

/** The exit codes in lines of the page, broken only between two codes. */
function exitCodeLines(codes: string): string[] {
	return packed(codes.split(/(?<=,) /), PAGE_WIDTH - 4, ' ').map((line) => `    ${line}`);
}

/** A block written with tab indents (as login-options.ts writes its help), indented by two spaces a tab. */
function indentBlock(text: string): string {
	return text.replace(/^\t+/gm, (tabs) => '  '.repeat(tabs.length));
}

function usageLine(spec: CommandSpec): string {
	const name = spec.name === 'inspect' ? '' : ` ${spec.name}`;
	const operands = spec.operands ? ` ${spec.operands}` : '';
	return `$ ${BIN}${name}${operands} [options]`;
}

function flagRows(flags: readonly FlagSpec[]): Array<[string, string]> {
	return flags.map((flag) => [flag.usage, flag.description]);
}

/** The main page: every command, the options shared by most, and each command's own. */
export function mainHelp(): string {
	const commands = proseTable(
		commandSpecs.map((spec) => {
			const names = spec.name === 'inspect' ? '(none)' : [spec.name, ...spec.aliases].join(', ');
			return [`${names}${spec.operands ? ` ${spec.operands}` : ''}`, spec.summary];
		}),
	);
	// --redis-events too: the inspector has no page of its own, so this is where it is described.
	const shared = flagSpecs.filter(
		(flag) =>
			flag.commands === 'all' ||
			flag.name === 'dir' ||
			flag.name === 'redis' ||
			flag.name === 'redisEvents',
	);
	const names = commandSpecs.map((spec) => (spec.name === 'inspect' ? '(none)' : spec.name));
	// The flags packed into lines that fit the page beside the widest command name.
	const room = PAGE_WIDTH - 4 - Math.max(...names.map((name) => name.length)) - 2;
	const own = commandSpecs
		.map((spec, i): [string, string[]] => [
			names[i] ?? spec.name,
			packed(
				flagsOf(spec.name)
					.filter((flag) => !shared.includes(flag))
					.map((flag) => flag.usage),
				room,
			),
		])
		.filter(([, flags]) => flags.length > 0);
	return [
		'',
		'  Inspect, prune and renew the login sessions of stacktower.',
		'',
		'  Usage',
		`    $ ${BIN} [command] [options]`,
		'',
		'  Commands',
		commands,
		'',
		'  Options',
		proseTable(flagRows(shared)),
		'',
		`  Options of one command (${BIN} help COMMAND for more)`,
		table(own),
		'',
		'  Exit codes',
		...exitCodeLines(LOGIN_EXIT_CODES),
		'',
		'  Examples',
		...[
			BIN,
			`${BIN} demo`,
			`${BIN} list --json | jq '.[] | select(.status == "expired") | .id'`,
			`${BIN} delete github old-laptop`,
			`${BIN} --redis redis://localhost:6379 cleanup --dry-run`,
		].flatMap((example) => exampleLines(example)),
		'',
	].join('\n');
}

/** A command's page: usage, what it does, its flags, exit codes and examples. */
export function commandHelp(command: Command): string {
	const spec = commandSpec(command);
	const lines = ['', '  Usage', `    ${usageLine(spec)}`];
	if (spec.aliases.length > 0) {
		lines.push(`    (also: ${spec.aliases.map((alias) => `${BIN} ${alias}`).join(', ')})`);
	}

	lines.push('', ...filled(spec.description, PAGE_WIDTH - 2).map((line) => `  ${line}`.trimEnd()));
	// Flags described by a block of their own (login's) are shown as that block on their
	// command's page, and named with a pointer to it elsewhere.
	const flags = flagsOf(command);
	const rows = flagRows(flags.filter((flag) => flag.description !== ''));
	const undescribed = flags.filter((flag) => flag.description === '');
	lines.push('', '  Options', proseTable(rows));
	if (spec.flagsText !== undefined)
		lines.push('', indentBlock(spec.flagsText.replace(/^\n+/, '').trimEnd()));
	else if (undescribed.length > 0) {
		lines.push(
			'',
			'  Logging in (the l key), as login does',
			...packed(
				undescribed.map((flag) => flag.usage),
				PAGE_WIDTH - 4,
			).map((line) => `    ${line}`),
			`    (see ${BIN} login --help)`,
		);
	}

	const exitCodes = command === 'login' ? LOGIN_EXIT_CODES : EXIT_CODES;
	lines.push('', '  Exit codes', ...exitCodeLines(exitCodes));
	lines.push('', '  Examples', ...spec.examples.flatMap((example) => exampleLines(example)), '');
	return lines.join('\n');
}

/** The help page for a topic: a command's, or the main page. */
export function helpText(topic: Command | undefined): string {
	return topic === undefined || topic === 'inspect' ? mainHelp() : commandHelp(topic);
}

/** How a usage error ends: where to read the usage of what was typed. */
export function usageHint(command: Command | undefined): string {
	return command === undefined || command === 'inspect'
		? `run ${BIN} --help for the usage`
		: `run ${BIN} ${command} --help for its usage`;
}
