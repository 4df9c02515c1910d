// `completion bash|zsh|fish`: a script that completes the commands, their flags (drawn from the
// catalog, so they never disagree with the parse) and, after --id and a command that takes ids
// (delete, rm, status, refresh), the session ids, which the script asks this program for (`completion ids`) from the store named on the
// line being completed (--dir, --redis) or else the configured one.
import {isValidId} from '../session/ids.js';
import type {ListableStore} from '../session/store.js';
import {
	type Command,
	type CommandName,
	commandSpecs,
	flagSpecs,
	flagsOf,
	kebabCase,
	type Shell,
	shells,
} from './catalog.js';
import {errorMessage, type Output} from './output.js';

const BIN = 'stacktower-sessions';

/** Every flag word a command takes: `--json`, and both `--color` and `--no-color` for a boolean. */
function flagWords(command: Command): string[] {
	return flagsOf(command).flatMap((flag) => {
		const word = `--${kebabCase(flag.name)}`;
		return flag.type === 'boolean' ? [word, `--no-${kebabCase(flag.name)}`] : [word];
	});
}

/** The commands a user names, with their aliases, and their one-line summaries. */
function named(): Array<{names: string[]; command: CommandName; summary: string}> {
	return commandSpecs.flatMap((spec) =>
		spec.name === 'inspect'
			? []
			: [{names: [spec.name, ...spec.aliases], command: spec.name, summary: spec.summary}],
	);
}

/** Flags that take a value: the word after one is its value, not a command. */
const valueFlags = flagSpecs
	.filter((flag) => flag.type === 'string')
	.map((flag) => `--${kebabCase(flag.name)}`);

/** Flags whose value is a directory path (--dir, --from, --to): the shell completes directories. */
const directoryFlags = flagSpecs
	.filter((flag) => flag.completesDirectory)
	.map((flag) => `--${kebabCase(flag.name)}`);

/** The commands whose operands are session ids (delete, rm, status, refresh), by their names. */
const idCommands = commandSpecs
	.filter((spec) => spec.operands.includes('ID'))
	.flatMap((spec) => [spec.name, ...spec.aliases]);

function bashScript(): string {
	const commandWords = named().flatMap((entry) => entry.names);
	const flagCases = named()
		.map(
			(entry) => `\t\t${entry.names.join('|')}) flags="${flagWords(entry.command).join(' ')}" ;;`,
		)
		.join('\n');
	return `# bash completion for ${BIN}; from \`${BIN} completion bash\`.
_stacktower_sessions() {
	local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
	local cmd="" store=() i
	for ((i = 1; i < COMP_CWORD; i++)); do
		case \${COMP_WORDS[i]} in
			--dir|--redis) store+=("\${COMP_WORDS[i]}" "\${COMP_WORDS[i+1]}"); ((i++)) ;;
			${valueFlags.join('|')}) ((i++)) ;;
			-*) ;;
			*) [[ -z $cmd ]] && cmd=\${COMP_WORDS[i]} ;;
		esac
	done
	case $prev in
		${directoryFlags.join('|')}) COMPREPLY=($(compgen -d -- "$cur")); return ;;
		--id) COMPREPLY=($(compgen -W "$(${BIN} completion ids "\${store[@]}" 2>/dev/null)" -- "$cur")); return ;;
		${valueFlags.filter((flag) => !directoryFlags.includes(flag) && flag !== '--id').join('|')}) return ;;
	esac
	if [[ $cur == -* ]]; then
		local flags="${flagWords('inspect').join(' ')}"
		case $cmd in
${flagCases}
		esac
		COMPREPLY=($(compgen -W "$flags" -- "$cur"))
		return
	fi
	case $cmd in
		"") COMPREPLY=($(compgen -W "${commandWords.join(' ')}" -- "$cur")) ;;
		${idCommands.join('|')}) COMPREPLY=($(compgen -W "$(${BIN} completion ids "\${store[@]}" 2>/dev/null)" -- "$cur")) ;;
		help) COMPREPLY=($(compgen -W "${commandWords.join(' ')}" -- "$cur")) ;;
		completion) COMPREPLY=($(compgen -W "${shells.join(' ')}" -- "$cur")) ;;
	esac
}
complete -F _stacktower_sessions ${BIN}
`;
}

/** A zsh `_describe` entry: `name:summary`, with the colons a summary may hold escaped. */
const describeEntry = (name: string, summary: string) =>
	`'${name}:${summary.replaceAll(':', '\\:').replaceAll("'", `'\\''`)}'`;

function zshScript(): string {
	const entries = named()
		.flatMap((entry) => entry.names.map((name) => `\t\t${describeEntry(name, entry.summary)}`))
		.join('\n');
	const flagCases = named()
		.map(
			(entry) => `\t\t\t${entry.names.join('|')}) flags=(${flagWords(entry.command).join(' ')}) ;;`,
		)
		.join('\n');
	return `#compdef ${BIN}
# zsh completion for ${BIN}; from \`${BIN} completion zsh\`.
_stacktower-sessions() {
	local -a commands store flags
	commands=(
${entries}
	)
	local cmd="" i
	for ((i = 2; i < CURRENT; i++)); do
		case \${words[i]} in
			--dir|--redis) store+=(\${words[i]} \${words[i+1]}); ((i++)) ;;
			${valueFlags.join('|')}) ((i++)) ;;
			-*) ;;
			*) [[ -z $cmd ]] && cmd=\${words[i]} ;;
		esac
	done
	case \${words[CURRENT-1]} in
		${directoryFlags.join('|')}) _files -/; return ;;
		--id) compadd -- \${(f)"$(${BIN} completion ids \${store[@]} 2>/dev/null)"}; return ;;
		${valueFlags.filter((flag) => !directoryFlags.includes(flag) && flag !== '--id').join('|')}) return ;;
	esac
	if [[ \${words[CURRENT]} == -* ]]; then
		flags=(${flagWords('inspect').join(' ')})
		case $cmd in
${flagCases}
		esac
		compadd -- $flags
		return
	fi
	case $cmd in
		"") _describe command commands ;;
		${idCommands.join('|')}) compadd -- \${(f)"$(${BIN} completion ids \${store[@]} 2>/dev/null)"} ;;
		help) _describe command commands ;;
		completion) compadd -- ${shells.join(' ')} ;;
	esac
}
if [[ $funcstack[1] == _stacktower-sessions ]]; then
	_stacktower-sessions "$@"
else
	compdef _stacktower-sessions ${BIN}
fi
`;
}

/** A fish string in single quotes. */
const fishString = (text: string) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

function fishScript(): string {
	const all = named();
	const allNames = all.flatMap((entry) => entry.names).join(' ');
	const lines = [
		`# fish completion for ${BIN}; from \`${BIN} completion fish\`.`,
		'# The store named on the line being completed (--dir, --redis), for the session ids.',
		'function __stacktower_sessions_ids',
		'\tset -l tokens (commandline -opc)',
		'\tset -l store',
		'\tfor i in (seq 2 (count $tokens))',
		'\t\tif contains -- $tokens[$i] --dir --redis',
		'\t\t\tset -a store $tokens[$i] $tokens[(math $i + 1)]',
		'\t\tend',
		'\tend',
		`\t${BIN} completion ids $store 2>/dev/null`,
		'end',
		`complete -c ${BIN} -f`,
	];
	for (const entry of all) {
		for (const name of entry.names) {
			lines.push(
				`complete -c ${BIN} -n "not __fish_seen_subcommand_from ${allNames}" -a ${name} -d ${fishString(entry.summary)}`,
			);
		}
	}

	for (const flag of flagsOf('inspect')) {
		lines.push(fishFlag(flag.name, flag.type, `not __fish_seen_subcommand_from ${allNames}`));
	}

	for (const entry of all) {
		const seen = `__fish_seen_subcommand_from ${entry.names.join(' ')}`;
		for (const flag of flagsOf(entry.command)) lines.push(fishFlag(flag.name, flag.type, seen));
	}

	lines.push(
		`complete -c ${BIN} -n "__fish_seen_subcommand_from ${idCommands.join(' ')}" -a "(__stacktower_sessions_ids)"`,
		`complete -c ${BIN} -n "__fish_seen_subcommand_from help" -a "${allNames}"`,
		`complete -c ${BIN} -n "__fish_seen_subcommand_from completion" -a "${shells.join(' ')}"`,
		'',
	);
	return lines.join('\n');
}

function fishFlag(name: string, type: 'string' | 'boolean', condition: string): string {
	const long = kebabCase(name);
	const base = `complete -c ${BIN} -n "${condition}"`;
	if (type === 'boolean') return `${base} -l ${long}\n${base} -l no-${long}`;
	if (directoryFlags.includes(`--${long}`)) return `${base} -l ${long} -r -F`;
	if (long === 'id') return `${base} -l id -x -a "(__stacktower_sessions_ids)"`;
	return `${base} -l ${long} -x`;
}

/** The completion script for a shell. */
export function completionScript(shell: Shell): string {
	switch (shell) {
		case 'bash': {
			return bashScript();
		}

		case 'zsh': {
			return zshScript();
		}

		case 'fish': {
			return fishScript();
		}
	}
}

/** Writes the completion script for a shell. */
export function printScript(shell: Shell, output: Output): Promise<number> {
	output.out(completionScript(shell));
	return Promise.resolve(0);
}

/**
 * Writes the store's session ids, one a line, sorted: what the scripts complete. Only valid
 * ids, whose characters no shell acts on (the scripts hand them to compgen -W, which expands
 * words). A failure goes to stderr, which the scripts discard: a message would land in the
 * middle of the user's command line.
 */
export async function printIds(store: ListableStore, output: Output): Promise<number> {
	try {
		const entries = await store.list();
		const ids = entries.map((entry) => entry.id).filter((id) => isValidId(id));
		ids.sort();
		if (ids.length > 0) output.out(`${ids.join('\n')}\n`);
		return 0;
	} catch (error) {
		output.err(`stacktower-sessions: cannot list the session ids: ${errorMessage(error)}\n`);
		return 1;
	}
}
