// Every command and flag the CLI knows, in one table: names, aliases, where each flag applies,
// and the words of the help pages. The parse (options.ts), the help pages (help.ts) and the
// shell completions (completion.ts) are all drawn from here, so they cannot disagree.
import {CLI_SESSION_ID} from '../session/cli-store.js';
import {loginFlagDefinitions, loginHelp} from './login-options.js';

/** The commands a user names; `inspect` is the bare command (no name). */
export const commandNames = [
	'list',
	'cleanup',
	'delete',
	'logout',
	'status',
	'refresh',
	'copy',
	'login',
	'demo',
	'completion',
	'help',
] as const;
export type CommandName = (typeof commandNames)[number];
export type Command = CommandName | 'inspect';

/** The shells `completion` writes a script for. */
export const shells = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof shells)[number];

export type CommandSpec = {
	readonly name: Command;
	/** Other names that run it (`rm` for delete). */
	readonly aliases: readonly string[];
	/** What follows the name in the usage line: `ID...`, `SHELL`. */
	readonly operands: string;
	/** One line, for the commands list of the main page. */
	readonly summary: string;
	/** What the command does, for its own page. */
	readonly description: string;
	readonly examples: readonly string[];
	/** Its flags described as a block of text of their own (login's), instead of one line each. */
	readonly flagsText?: string;
};

export type FlagSpec = {
	/** The flag's name in camelCase: `showToken` for --show-token. */
	readonly name: string;
	readonly type: 'string' | 'boolean';
	readonly shortFlag?: string;
	/** How it is written: `--dir DIR`, `--no-color`; a flag that takes a value names it. */
	readonly usage: string;
	/** A value it takes, for the error that asks for one: `30d` for --ttl. */
	readonly example?: string;
	/** What it does, one line or more. */
	readonly description: string;
	/** The commands it applies to; 'all' for every one. */
	readonly commands: readonly Command[] | 'all';
	/** Its value is completed as a directory path (--dir, and copy's --from and --to). */
	readonly completesDirectory?: true;
};

/** Where the store is named: every command that reads or writes sessions. */
const storeCommands: readonly Command[] = [
	'inspect',
	'list',
	'cleanup',
	'delete',
	'logout',
	'status',
	'refresh',
	'login',
	'completion',
];

// ─── STORED TOKENS ───────────────────────────────────────────────────────────────────────────
// status, refresh and delete --revoke send a saved token to GitHub: --github-host and
// --client-id, login's flags, apply to them too (with the meaning told below; options.ts
// parses them for these commands), and this block describes them on those pages.
const tokenFlagCommands: Readonly<Record<string, readonly Command[]>> = {
	githubHost: ['status', 'refresh', 'delete'],
	clientId: ['refresh', 'delete'],
};

const storedTokensHelp = `
	Stored tokens (status, refresh, delete --revoke)
	  A token goes only to the GitHub that issued it (the session's github_host).
	  --github-host URL   the GitHub for sessions that record none (default
	                      https://github.com)
	  --client-id ID      refresh: the app for sessions that record none (else env
	                      STACKTOWER_GITHUB_APP_CLIENT_ID, else stacktower's App);
	                      delete --revoke: the app that issued the tokens (or env
	                      STACKTOWER_GITHUB_CLIENT_ID)
	  refresh sends env STACKTOWER_GITHUB_CLIENT_SECRET only when --client-id or
	  STACKTOWER_GITHUB_CLIENT_ID is the session's own client id; delete --revoke
	  needs that app's id and secret.
`;
// ─── end of STORED TOKENS ────────────────────────────────────────────────────────────────────

// ─── LOGIN ───────────────────────────────────────────────────────────────────────────────────
// The login flags, their words and their checks live in login-options.ts; here only where they
// apply (every login flag to login, the inspector's `l` and demo's; --id to login alone) and
// the login command's page.
const loginCommands: readonly Command[] = ['login', 'inspect', 'demo'];

const loginFlags: readonly FlagSpec[] = Object.entries(loginFlagDefinitions).map(
	([name, definition]): FlagSpec => ({
		name,
		type: definition.type,
		usage:
			definition.type === 'string'
				? `--${kebabCase(name)} ${definition.value}`
				: name === 'browser'
					? '--no-browser'
					: `--${kebabCase(name)}`,
		...(definition.type === 'string' ? {example: definition.example} : {}),
		// Described by loginHelp, which the login page shows whole.
		description: '',
		commands: name === 'id' ? ['login'] : [...loginCommands, ...(tokenFlagCommands[name] ?? [])],
	}),
);

const loginCommand: CommandSpec = {
	name: 'login',
	aliases: [],
	operands: '',
	summary: `log in and save the session (default id ${CLI_SESSION_ID})`,
	description: [
		'Log in through GitHub and save the session. The URL to open is always printed; the',
		'token never is.',
	].join('\n'),
	flagsText: loginHelp,
	examples: ['stacktower-sessions login', 'stacktower-sessions login --id ci-runner --no-browser'],
};
// ─── end of LOGIN ────────────────────────────────────────────────────────────────────────────

/** Every flag; the order is the order of the help pages. */
export const flagSpecs: readonly FlagSpec[] = [
	{
		name: 'json',
		type: 'boolean',
		usage: '--json',
		description: 'one JSON array instead of the table',
		commands: ['list', 'status'],
	},
	{
		name: 'showToken',
		type: 'boolean',
		usage: '--show-token',
		description: 'print whole access tokens (masked otherwise)',
		commands: ['list'],
	},
	{
		name: 'dryRun',
		type: 'boolean',
		usage: '--dry-run',
		description: 'say what would be done to each session, and change nothing',
		commands: ['cleanup', 'delete', 'logout', 'copy'],
	},
	{
		name: 'from',
		type: 'string',
		usage: '--from STORE',
		description: 'the store to copy from: a session directory or a redis:// URL',
		commands: ['copy'],
		completesDirectory: true,
	},
	{
		name: 'to',
		type: 'string',
		usage: '--to STORE',
		description:
			'the store to copy to: a session directory (made 0700 if missing)\nor a redis:// URL',
		commands: ['copy'],
		completesDirectory: true,
	},
	{
		name: 'move',
		type: 'boolean',
		usage: '--move',
		description: 'then remove from the source each session verified at the target',
		commands: ['copy'],
	},
	{
		name: 'refresh',
		type: 'boolean',
		usage: '--refresh',
		description: 'first renew each expired token that has a refresh token (as refresh)',
		commands: ['status'],
	},
	{
		name: 'revoke',
		type: 'boolean',
		usage: '--revoke',
		description: "first revoke each session's token on GitHub (see Stored tokens)",
		commands: ['delete'],
	},
	...loginFlags,
	{
		name: 'dir',
		type: 'string',
		usage: '--dir DIR',
		example: '~/.config/stacktower/sessions',
		description:
			'the session directory (env STACKTOWER_SESSIONS_DIR;\ndefault ~/.config/stacktower/sessions)',
		commands: storeCommands,
		completesDirectory: true,
	},
	{
		name: 'redis',
		type: 'string',
		usage: '--redis URL',
		example: 'redis://localhost:6379',
		description: 'use the sessions in Redis instead (env STACKTOWER_REDIS_URL)',
		commands: storeCommands,
	},
	{
		name: 'redisEvents',
		type: 'boolean',
		usage: '--redis-events',
		description:
			'the inspector on Redis: turn on keyspace events (merged into\nnotify-keyspace-events on every node) to follow changes live',
		commands: ['inspect'],
	},
	{
		name: 'color',
		type: 'boolean',
		usage: '--no-color',
		description: 'no colours (also NO_COLOR; off when not a terminal)',
		commands: 'all',
	},
	{
		name: 'help',
		type: 'boolean',
		shortFlag: 'h',
		usage: '--help, -h',
		description: 'show the help (of the command before it)',
		commands: 'all',
	},
	{
		name: 'version',
		type: 'boolean',
		shortFlag: 'v',
		usage: '--version, -v',
		description: 'print the version',
		commands: 'all',
	},
];

/** Every command, in the order of the main page. */
export const commandSpecs: readonly CommandSpec[] = [
	{
		name: 'inspect',
		aliases: [],
		operands: '',
		summary: 'the interactive inspector (as list when not on a terminal)',
		description: [
			'The interactive inspector: every session with its user and a live countdown to',
			'expiry; delete, clean up and log in again from the keyboard (? shows the keys).',
			'When stdin or stdout is not a terminal, it lists the sessions as list does.',
		].join('\n'),
		examples: ['stacktower-sessions', 'stacktower-sessions --redis redis://localhost:6379'],
	},
	{
		name: 'list',
		aliases: ['ls'],
		operands: '',
		summary: 'print the sessions; --json for one JSON array',
		description: [
			'Print every session: id, user, created, time left, status; expired and unreadable',
			'ones included. On a terminal the table fits its width and is coloured. Tokens are',
			'masked unless --show-token.',
		].join('\n'),
		examples: [
			'stacktower-sessions list',
			'stacktower-sessions list --json | jq -r \'.[] | select(.status == "expired") | .id\'',
		],
	},
	{
		name: 'cleanup',
		aliases: [],
		operands: '',
		summary: 'remove the expired sessions and say how many',
		description: [
			'Remove every expired session; active and unreadable ones stay. With --dry-run,',
			'name the ones that would go (id, user, expired how long ago) and remove nothing.',
		].join('\n'),
		examples: ['stacktower-sessions cleanup --dry-run', 'stacktower-sessions cleanup'],
	},
	{
		name: 'delete',
		aliases: ['rm'],
		operands: 'ID...',
		summary: 'remove sessions by id',
		description: [
			'Remove the sessions with these ids: active, expired or unreadable. An id with no',
			'session is reported (exit 1); the others are still removed. With --dry-run, name',
			'what would go and remove nothing. With --revoke, first revoke each token on the',
			'GitHub that issued it; a session is deleted even when revoking fails (exit 1).',
		].join('\n'),
		flagsText: storedTokensHelp,
		examples: [
			'stacktower-sessions delete old-laptop ci-runner',
			'stacktower-sessions rm --dry-run github',
			'STACKTOWER_GITHUB_CLIENT_SECRET=... stacktower-sessions delete --revoke --client-id Iv1.abc github',
		],
	},
	{
		name: 'logout',
		aliases: [],
		operands: '',
		summary: `remove the stacktower CLI's own session "${CLI_SESSION_ID}"`,
		description: [
			`Remove the session "${CLI_SESSION_ID}", the one the stacktower CLI logs in as, as`,
			'`stacktower github logout` does: the same as `delete github`.',
		].join('\n'),
		examples: ['stacktower-sessions logout'],
	},
	{
		name: 'status',
		aliases: [],
		operands: '[ID...]',
		summary: 'ask GitHub whether each token still works',
		description: [
			'Ask GitHub whether the token of each session still works, with its scopes and',
			'expiry: the sessions named, or every active one. Exit 1 when one is revoked, or',
			'GitHub could not be asked (error, rate limit).',
		].join('\n'),
		flagsText: storedTokensHelp,
		examples: ['stacktower-sessions status', 'stacktower-sessions status --json github'],
	},
	{
		name: 'refresh',
		aliases: [],
		operands: '[ID...]',
		summary: 'renew the tokens of sessions that hold a refresh token',
		description: [
			'Renew the access token of the sessions named, or of every active one that holds a',
			"refresh token (GitHub App tokens). The session's own expiry does not change. A",
			'session is locked while it is renewed, so two processes never spend one refresh',
			'token.',
		].join('\n'),
		flagsText: storedTokensHelp,
		examples: ['stacktower-sessions refresh', 'stacktower-sessions refresh github'],
	},
	{
		name: 'copy',
		aliases: [],
		operands: '',
		summary: 'copy sessions between stores (files, Redis); --move moves',
		description: [
			'Copy every readable session from one store to another, each a session directory',
			'or a redis:// / rediss:// URL (a node of a Redis Cluster works too), with the expiry',
			'it has. Expired and unreadable sessions are skipped and listed; a session the target',
			'holds with a later expiry is kept. Run it again and it finds everything already',
			'there. With --move, each session read back equal from the target is removed from',
			'the source, and only those. A session being refreshed is waited for (its lock).',
			'Exit 0 when every readable session is at the target, 1 when one could not be copied.',
		].join('\n'),
		examples: [
			'stacktower-sessions copy --from ~/.config/stacktower/sessions --to redis://localhost:6379 --dry-run',
			'stacktower-sessions copy --from ~/.config/stacktower/sessions --to redis://localhost:6379',
			'stacktower-sessions copy --move --from redis://old-host:6379 --to rediss://new-host:6380',
		],
	},
	loginCommand,
	{
		name: 'demo',
		aliases: [],
		operands: '',
		summary: 'the inspector on a temporary directory of sample sessions',
		description: [
			'The inspector on a temporary directory of sample sessions, removed on exit: a look',
			'at the tool without logging in. Without a terminal, lists the samples.',
		].join('\n'),
		examples: ['stacktower-sessions demo'],
	},
	{
		name: 'completion',
		aliases: [],
		operands: 'SHELL',
		summary: 'print a completion script for bash, zsh or fish',
		description: [
			'Print a script that completes commands, flags and session ids (read from the',
			'store the command line names, or the default one) for bash, zsh or fish.',
			'`completion ids` prints the session ids, one a line: what the scripts run.',
		].join('\n'),
		examples: [
			'stacktower-sessions completion bash > ~/.local/share/bash-completion/completions/stacktower-sessions',
			// biome-ignore lint/suspicious/noTemplateCurlyInString: a zsh expansion, printed as it is
			'stacktower-sessions completion zsh > "${fpath[1]}/_stacktower-sessions"',
			'stacktower-sessions completion fish > ~/.config/fish/completions/stacktower-sessions.fish',
		],
	},
	{
		name: 'help',
		aliases: [],
		operands: '[COMMAND]',
		summary: "this page, or a command's own",
		description: "Show the main help page, or a command's: its usage, flags and examples.",
		examples: ['stacktower-sessions help delete', 'stacktower-sessions delete --help'],
	},
];

/** The spec of a command (aliases resolved by the caller). */
export function commandSpec(name: Command): CommandSpec {
	const spec = commandSpecs.find((candidate) => candidate.name === name);
	if (spec === undefined) throw new TypeError(`Expected a command, got ${name}`);
	return spec;
}

/** The command a name or alias stands for; undefined when it is neither. */
export function commandNamed(word: string): CommandName | undefined {
	for (const spec of commandSpecs) {
		if (spec.name !== 'inspect' && (spec.name === word || spec.aliases.includes(word))) {
			return spec.name;
		}
	}

	return undefined;
}

/** Whether `flag` applies to `command`. */
export function appliesTo(flag: FlagSpec, command: Command): boolean {
	return flag.commands === 'all' || flag.commands.includes(command);
}

/** The flags of a command, in help order. */
export function flagsOf(command: Command): FlagSpec[] {
	return flagSpecs.filter((flag) => appliesTo(flag, command));
}

/** `showToken` → `show-token`. */
export function kebabCase(name: string): string {
	return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The flag as typed: `--show-token`, and `--no-browser` for a boolean whose default is true. */
export function flagWord(flag: FlagSpec): string {
	return flag.usage.split(/[ ,]/)[0] ?? `--${kebabCase(flag.name)}`;
}
