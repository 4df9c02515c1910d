// The command line, checked in one pass: every problem is collected and reported together with
// its fix (a usage error, exit 2), before anything touches a store. No I/O and no React here.
import {escapeControl} from '../format/escape.js';
import {isValidId} from '../session/ids.js';
import {
	type LoginConfig,
	type LoginFlagValues,
	loginFlagDefinitions,
	loginHelp,
	parseLoginOptions,
} from './login-options.js';
import {parseTokenOptions, type TokenOptions} from './token-options.js';

export const commands = [
	'list',
	'cleanup',
	'delete',
	'demo',
	'login',
	'status',
	'refresh',
] as const;
export type CommandName = (typeof commands)[number];

/** `inspect` is the bare command: the inspector on a terminal, `list` otherwise. */
export type Command = CommandName | 'inspect';

export const helpText = `
	Usage
	  $ stacktower-sessions [command] [options]

	Commands
	  (none)        the interactive inspector (on a terminal; otherwise as list)
	  list          print the sessions; --json for one JSON array
	  cleanup       remove expired sessions and print how many
	  delete ID...  remove sessions by id; --revoke also revokes their tokens on GitHub
	                (needs the OAuth app's secret: STACKTOWER_GITHUB_CLIENT_SECRET)
	  demo          the inspector on a temporary directory of sample sessions
	  login         log in to GitHub and save the session (default id github)
	  status [ID...]   ask GitHub whether each token still works (default: every active
	                   session); --json for one JSON array; exit 1 if any is revoked or failed
	  refresh [ID...]  renew the access token of sessions that hold a refresh token
	                   (GitHub App tokens); the session's own expiry does not change

	Options
	  --dir PATH            the session directory (env STACKTOWER_SESSIONS_DIR;
	                        default ~/.config/stacktower/sessions)
	  --redis URL           use the sessions in Redis instead (env STACKTOWER_REDIS_URL)
	  --json                list, status: print one JSON array
	  --show-token          list: print whole access tokens (masked otherwise)
	  --no-color            no colours (also NO_COLOR)
	  --help, --version

${loginHelp.slice(1)}
	Stored tokens (status, refresh, delete --revoke)
	  A token goes only to the GitHub that issued it (the session's github_host); for
	  sessions that record none, to --github-host (default https://github.com).
	  refresh uses the session's client_id (else --client-id, else
	  STACKTOWER_GITHUB_APP_CLIENT_ID, else stacktower's App) and sends
	  STACKTOWER_GITHUB_CLIENT_SECRET only when --client-id or STACKTOWER_GITHUB_CLIENT_ID
	  is that same client id. delete --revoke needs that app's id and secret.

	Exit codes
	  0 done, 1 failed, 2 usage error, 130 login cancelled with Ctrl-C (nothing saved)

	Examples
	  $ stacktower-sessions
	  $ stacktower-sessions demo
	  $ stacktower-sessions list --json | jq '.[] | select(.status == "expired") | .id'
	  $ stacktower-sessions delete github old-laptop
	  $ stacktower-sessions --redis redis://localhost:6379 cleanup
`;

/** meow's flag definitions. Booleans default to undefined (booleanDefault) so "given" is visible. */
export const flagDefinitions = {
	dir: {type: 'string'},
	redis: {type: 'string'},
	json: {type: 'boolean'},
	showToken: {type: 'boolean'},
	color: {type: 'boolean'},
	...loginFlagDefinitions,
	revoke: {type: 'boolean'},
	help: {type: 'boolean', shortFlag: 'h'},
	version: {type: 'boolean', shortFlag: 'v'},
} as const;

/** Flags as meow parses them with flagDefinitions. */
export type ParsedFlags = LoginFlagValues & {
	dir?: string | undefined;
	redis?: string | undefined;
	json?: boolean | undefined;
	showToken?: boolean | undefined;
	color?: boolean | undefined;
	revoke?: boolean | undefined;
};

export type Options = {
	readonly command: Command;
	/** delete, status, refresh: the ids, validated and without duplicates. */
	readonly ids: readonly string[];
	/** The directory when given (flag or env); undefined means the default one. */
	readonly dir: string | undefined;
	readonly redisUrl: string | undefined;
	readonly json: boolean;
	readonly showToken: boolean;
	readonly color: boolean;
	/** The login flags, checked (login-options.ts); the inspector's `l` uses them too. */
	readonly login: LoginConfig;
	/** status, refresh, delete --revoke: the host and app for stored tokens. */
	readonly token: TokenOptions;
	/** delete --revoke: revoke the tokens on GitHub too. */
	readonly revoke: boolean;
};

export type ParseResult =
	| {readonly ok: true; readonly options: Options}
	| {readonly ok: false; readonly errors: readonly string[]};

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const flagNames: ReadonlySet<string> = new Set(
	Object.entries(flagDefinitions).flatMap(([name, definition]) =>
		definition.type === 'boolean' ? [kebab(name), `no-${kebab(name)}`] : [kebab(name)],
	),
);
const shortFlags: ReadonlySet<string> = new Set(['h', 'v']);

// Where a flag applies; others are refused so a typo'd command line never half-works.
const flagScope: Record<string, readonly Command[]> = {
	// The bare command with --json is `list --json` (parseCommandLine), so these are list's alone.
	json: ['list', 'status'],
	showToken: ['list'],
	id: ['login'],
	clientId: ['login', 'inspect', 'demo', 'refresh', 'delete'],
	githubHost: ['login', 'inspect', 'demo', 'status', 'refresh', 'delete'],
	scopes: ['login', 'inspect', 'demo'],
	callbackPort: ['login', 'inspect', 'demo'],
	timeout: ['login', 'inspect', 'demo'],
	ttl: ['login', 'inspect', 'demo'],
	browser: ['login', 'inspect', 'demo'],
	web: ['login', 'inspect', 'demo'],
	device: ['login', 'inspect', 'demo'],
	dir: ['list', 'cleanup', 'delete', 'login', 'inspect', 'status', 'refresh'],
	redis: ['list', 'cleanup', 'delete', 'login', 'inspect', 'status', 'refresh'],
	revoke: ['delete'],
};

/** User input quoted for an error message: control characters escaped, long input cut. */
function show(text: string): string {
	const escaped = escapeControl(text);
	return escaped.length > 60 ? `${escaped.slice(0, 60)}…` : escaped;
}

function quote(text: string): string {
	return `"${show(text)}"`;
}

function editDistance(a: string, b: string): number {
	let previous = Array.from({length: b.length + 1}, (_, i) => i);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			current[j] = Math.min(
				(previous[j] ?? 0) + 1,
				(current[j - 1] ?? 0) + 1,
				(previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
			);
		}

		previous = current;
	}

	return previous[b.length] ?? 0;
}

function suggest(word: string, candidates: Iterable<string>): string {
	let best: string | undefined;
	let bestDistance = 3;
	for (const candidate of candidates) {
		const distance = editDistance(word, candidate);
		if (distance < bestDistance) {
			best = candidate;
			bestDistance = distance;
		}
	}

	return best === undefined ? '' : best;
}

const negativeNumber = /^-(?:\d+|\d*\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * The flags in argv that flagDefinitions does not know. meow would stop at the first unknown
 * flag (allowUnknownFlags: false exits at once), so we find them all ourselves.
 */
export function unknownFlags(argv: readonly string[]): string[] {
	const unknown: string[] = [];
	for (const arg of argv) {
		if (arg === '--') break;
		if (!arg.startsWith('-') || arg === '-' || negativeNumber.test(arg)) continue;
		if (arg.startsWith('--')) {
			const name = kebab(arg.slice(2).split('=')[0] ?? '');
			if (!flagNames.has(name)) {
				const hint = suggest(name, flagNames);
				unknown.push(
					`unknown flag --${show(name)}${hint ? ` (did you mean --${hint}?)` : ''}; see --help for the flags`,
				);
			}
		} else {
			for (const char of arg.slice(1).split('=')[0] ?? '') {
				if (!shortFlags.has(char)) {
					unknown.push(`unknown flag -${show(char)}; see --help for the flags`);
				}
			}
		}
	}

	return unknown;
}

/** True for a URL node-redis accepts: redis:// or rediss://. */
export function isRedisUrl(text: string): boolean {
	try {
		const url = new URL(text);
		return (
			(url.protocol === 'redis:' || url.protocol === 'rediss:') &&
			url.hostname !== '' &&
			/^(?:\/\d*)?$/.test(url.pathname)
		);
	} catch {
		return false;
	}
}

function nonEmpty(value: string | undefined): string | undefined {
	return value === undefined || value === '' ? undefined : value;
}

/**
 * Checks the command line meow parsed (`input`, `flags`) against the raw `argv` and the
 * environment, and resolves it to Options, or to every problem found, each with its fix.
 */
export function parseCommandLine(
	input: readonly string[],
	flags: ParsedFlags,
	argv: readonly string[],
	env: Readonly<Record<string, string | undefined>>,
): ParseResult {
	const errors: string[] = unknownFlags(argv);

	const [first, ...rest] = input;
	let command: Command = 'inspect';
	if (first !== undefined) {
		if ((commands as readonly string[]).includes(first)) {
			command = first as CommandName;
		} else {
			const hint = suggest(first, commands);
			errors.push(
				`unknown command ${quote(first)}${hint ? ` (did you mean ${hint}?)` : ''}; the commands are ${commands.join(', ')}`,
			);
		}
	}

	// --json on its own asks for the listing, terminal or not.
	if (command === 'inspect' && (flags.json || flags.showToken)) command = 'list';

	for (const [flag, scope] of Object.entries(flagScope)) {
		if (flags[flag as keyof ParsedFlags] === undefined) continue;
		if (!scope.includes(command)) {
			const name = flag === 'browser' ? 'no-browser' : kebab(flag);
			const where =
				command === 'inspect'
					? 'the inspector'
					: command === 'demo' && (flag === 'dir' || flag === 'redis')
						? 'demo (it uses a temporary directory of its own)'
						: command;
			errors.push(
				`--${name} does not apply to ${where}; it is for ${scope.map((c) => (c === 'inspect' ? 'the inspector' : c)).join(', ')}`,
			);
		}
	}

	const ids: string[] = [];
	if (command === 'delete' || command === 'status' || command === 'refresh') {
		if (rest.length === 0 && command === 'delete') {
			errors.push(
				'delete needs the ids of the sessions to remove: stacktower-sessions delete ID...',
			);
		}

		for (const id of rest) {
			if (!isValidId(id)) {
				errors.push(
					`invalid session id ${quote(id)}: ids are 1–128 characters from A–Z a–z 0–9 _ - = . and do not start with "."`,
				);
			} else if (!ids.includes(id)) {
				ids.push(id);
			}
		}
	} else if (first !== undefined && rest.length > 0) {
		errors.push(`${command} takes no arguments, got ${rest.map((arg) => quote(arg)).join(' ')}`);
	}

	// Flags beat the environment; both at the same level is ambiguous.
	let dir: string | undefined;
	let redisUrl: string | undefined;
	if (flags.dir !== undefined && flags.dir === '') {
		errors.push('--dir needs a path: --dir PATH');
	}

	if (flags.redis !== undefined && flags.redis === '') {
		errors.push('--redis needs a URL: --redis redis://HOST:6379');
	}

	if (nonEmpty(flags.dir) && nonEmpty(flags.redis)) {
		errors.push('--dir and --redis both name a store: give one of them');
	} else if (nonEmpty(flags.dir)) {
		dir = flags.dir;
	} else if (nonEmpty(flags.redis)) {
		redisUrl = flags.redis;
	} else if (command !== 'demo') {
		const envDir = nonEmpty(env.STACKTOWER_SESSIONS_DIR);
		const envRedis = nonEmpty(env.STACKTOWER_REDIS_URL);
		if (envDir && envRedis) {
			errors.push(
				'STACKTOWER_SESSIONS_DIR and STACKTOWER_REDIS_URL are both set: unset one, or pick with --dir or --redis',
			);
		}

		dir = envDir;
		redisUrl = envDir ? undefined : envRedis;
		if (redisUrl !== undefined && !isRedisUrl(redisUrl)) {
			errors.push(
				`STACKTOWER_REDIS_URL is not a Redis URL: use redis://[USER:PASSWORD@]HOST[:PORT][/DB] or rediss://...`,
			);
			redisUrl = undefined;
		}
	}

	if (nonEmpty(flags.redis) && !isRedisUrl(flags.redis ?? '')) {
		errors.push(
			// Not echoed: the URL may hold a password.
			`--redis is not a Redis URL: use redis://[USER:PASSWORD@]HOST[:PORT][/DB] or rediss://...`,
		);
	}

	// --client-id and --github-host mean the login's app and host only where there is a login;
	// the token commands read them with parseTokenOptions.
	const usesLogin = command === 'login' || command === 'inspect' || command === 'demo';
	const login = parseLoginOptions(
		usesLogin ? flags : {...flags, clientId: undefined, githubHost: undefined},
		env,
	);
	if (!login.ok) errors.push(...login.problems);

	const usesToken = command === 'status' || command === 'refresh' || command === 'delete';
	const token = parseTokenOptions(usesToken ? flags : {}, env);
	if (!token.ok) errors.push(...token.problems);

	if (errors.length > 0 || !login.ok || !token.ok) return {ok: false, errors};
	return {
		ok: true,
		options: {
			command,
			ids,
			dir,
			redisUrl,
			json: flags.json === true,
			showToken: flags.showToken === true,
			revoke: flags.revoke === true,
			token: token.options,
			color: flags.color !== false && nonEmpty(env.NO_COLOR) === undefined,
			login: login.config,
		},
	};
}
