// The command line, parsed and checked in one pass into a typed Invocation: every problem is
// collected and reported together with its fix (a usage error, exit 2) before anything touches
// a store. No I/O and no React here.
//
// Node's own util.parseArgs tokenises argv (no dependency to load at every start); the tokens
// keep what a flag parser's result loses: a flag given twice, a flag given without its value,
// and a value given to a flag that takes none are each reported, with every other problem.
import {resolve} from 'node:path';
import {parseArgs} from 'node:util';
import {escapeControl} from '../format/escape.js';
import {closest} from '../format/suggest.js';
import {STACKTOWER_APP_CLIENT_ID} from '../github/defaults.js';
import {isValidId} from '../session/ids.js';
import {
	appliesTo,
	type Command,
	commandNamed,
	commandNames,
	commandSpec,
	type FlagSpec,
	flagSpecs,
	flagWord,
	kebabCase,
	type Shell,
	shells,
} from './catalog.js';

export type {Command} from './catalog.js';

import {
	appsGiven,
	githubHostGiven,
	type LoginConfig,
	type LoginFlagValues,
	loginFlagDefinitions,
	needsValue,
	parseLoginOptions,
	quote,
} from './login-options.js';

/** Which store a command works on. */
export type StoreChoice = {
	/** The directory when given (flag or env); undefined means the default one. */
	readonly dir: string | undefined;
	readonly redisUrl: string | undefined;
	/**
	 * The flags that named the store (`['--dir', 'X']`), for hints to repeat so that the command
	 * they suggest works on the same store; empty when it came from the environment or the default.
	 */
	readonly storeArgs: readonly string[];
};

/** One store of `copy`, as --from or --to names it: a session directory or a Redis URL. */
export type StoreRef =
	| {readonly kind: 'dir' /** Absolute. */; readonly dir: string}
	| {readonly kind: 'redis'; readonly url: string};

/**
 * What status, refresh and delete --revoke need to send a stored token to GitHub. They never
 * log in, so unlike login's they take a GitHub Enterprise host without an app (a session
 * records its own), and the secret matters only for the client id it belongs to.
 */
export type TokenOptions = {
	/** The origin for sessions that record no github_host. */
	readonly githubHost: string;
	/** The client id for a refresh of a session that records none: the one login would use. */
	readonly defaultClientId: string;
	/** The OAuth app whose id and secret are both given (env secret only): refresh, revoke. */
	readonly oauthApp: {readonly clientId: string; readonly clientSecret: string} | undefined;
};

type Common = {
	/** Colour wanted: not turned off by --no-color or NO_COLOR (a terminal is still needed). */
	readonly color: boolean;
};

/** What the command line asks for, checked. */
export type Invocation = Common &
	(
		| {readonly command: 'help'; readonly topic: Command | undefined}
		| {readonly command: 'version'}
		| ({
				readonly command: 'inspect';
				readonly login: LoginConfig;
				/** How the inspector's v, V, R and revoke-on-delete send stored tokens. */
				readonly token: TokenOptions;
				/** --redis-events: turn Redis keyspace events on where they are off (else used when on). */
				readonly redisEvents: boolean;
		  } & StoreChoice)
		| ({
				readonly command: 'list';
				readonly json: boolean;
				readonly showToken: boolean;
		  } & StoreChoice)
		| ({readonly command: 'cleanup'; readonly dryRun: boolean} & StoreChoice)
		| ({
				readonly command: 'delete';
				/** Valid ids, without duplicates. */
				readonly ids: readonly string[];
				readonly dryRun: boolean;
				/** --revoke: the app and host to revoke the tokens with; undefined without it. */
				readonly revoke: TokenOptions | undefined;
		  } & StoreChoice)
		| ({
				readonly command: 'status';
				/** Valid ids, without duplicates; empty for every active session. */
				readonly ids: readonly string[];
				readonly json: boolean;
				/** --refresh: renew expired tokens that have a refresh token before checking. */
				readonly refresh: boolean;
				readonly token: TokenOptions;
		  } & StoreChoice)
		| ({
				readonly command: 'refresh';
				/** Valid ids, without duplicates; empty for every active session with a refresh token. */
				readonly ids: readonly string[];
				readonly token: TokenOptions;
		  } & StoreChoice)
		| ({readonly command: 'logout'; readonly dryRun: boolean} & StoreChoice)
		| {
				readonly command: 'copy';
				readonly from: StoreRef;
				readonly to: StoreRef;
				readonly dryRun: boolean;
				readonly move: boolean;
		  }
		| ({readonly command: 'login'; readonly login: LoginConfig} & StoreChoice)
		| {readonly command: 'demo'; readonly login: LoginConfig}
		| ({readonly command: 'completion'; readonly target: Shell | 'ids'} & StoreChoice)
	);

export type ParseResult =
	| {readonly ok: true; readonly invocation: Invocation}
	| {
			readonly ok: false;
			/** The command the line named, when it named one: its help page is the one to point to. */
			readonly command: Command | undefined;
			readonly errors: readonly string[];
	  };

type Env = Readonly<Record<string, string | undefined>>;

/** The flags as given: a string's value, true/false for a boolean (false for --no-x). */
type Given = ReadonlyMap<string, string | boolean>;

const specByWord = new Map<string, {spec: FlagSpec; value?: boolean}>();
for (const spec of flagSpecs) {
	const word = kebabCase(spec.name);
	specByWord.set(word, {spec});
	if (spec.type === 'boolean') specByWord.set(`no-${word}`, {spec, value: false});
	if (spec.shortFlag) specByWord.set(spec.shortFlag, {spec});
}

function specByName(name: string): FlagSpec {
	const spec = flagSpecs.find((candidate) => candidate.name === name);
	if (spec === undefined) throw new TypeError(`Expected a flag, got ${name}`);
	return spec;
}

/** Every flag as typed, for suggestions: `--json`, `--no-color`, `--dir`. */
const flagWords = [...specByWord.keys()].filter((word) => word.length > 1);

const REDIS_URL_FORM = 'redis://[USER:PASSWORD@]HOST[:PORT][/DB] or rediss://...';

/** True for a URL node-redis accepts: redis:// or rediss://, a host, at most a database number. */
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

/** The flags of argv, checked against the catalog; positional words in order. */
function readTokens(argv: readonly string[]): {
	words: string[];
	given: Map<string, string | boolean>;
	errors: string[];
} {
	const options: Record<string, {type: 'string' | 'boolean'; short?: string}> = {};
	for (const spec of flagSpecs) {
		options[kebabCase(spec.name)] = {
			type: spec.type,
			...(spec.shortFlag ? {short: spec.shortFlag} : {}),
		};
	}

	const {tokens} = parseArgs({
		args: [...argv],
		options,
		strict: false,
		allowPositionals: true,
		tokens: true,
	});
	const words: string[] = [];
	const given = new Map<string, string | boolean>();
	const errors: string[] = [];
	for (const token of tokens) {
		if (token.kind === 'positional') {
			words.push(token.value);
			continue;
		}

		if (token.kind !== 'option') continue;
		const known = specByWord.get(token.name);
		if (known === undefined) {
			const short = !token.rawName.startsWith('--');
			const hint = short ? undefined : closest(token.name, flagWords);
			errors.push(
				`unknown flag ${short ? '-' : '--'}${escapeControl(token.name)}${hint ? ` (did you mean --${hint}?)` : ''}`,
			);
			continue;
		}

		const {spec} = known;
		const word = token.rawName.startsWith('--') ? token.rawName : `--${kebabCase(spec.name)}`;
		if (given.has(spec.name)) {
			errors.push(`${flagWord(spec)} can only be given once`);
			continue;
		}

		if (spec.type === 'boolean') {
			if (token.value !== undefined) {
				errors.push(`${word} takes no value, got ${quote(token.value)}`);
			} else {
				given.set(spec.name, known.value ?? true);
			}
		} else if (
			token.value === undefined ||
			token.value === '' ||
			// `--ttl --web`: parseArgs takes the next word as the value, but a word that starts
			// with `--` is a flag the user meant as one, and the value was forgotten
			// (`--ttl=--x` still gives that value).
			(!token.inlineValue && token.value.startsWith('--'))
		) {
			errors.push(needsValue(spec.usage, spec.example));
		} else {
			given.set(spec.name, token.value);
		}
	}

	return {words, given, errors};
}

const stringOf = (given: Given, name: string): string | undefined => {
	const value = given.get(name);
	return typeof value === 'string' ? value : undefined;
};

/** The store the flags or the environment name. Flags beat the environment; two at one level is ambiguous. */
function parseStore(given: Given, env: Env, errors: string[]): StoreChoice {
	const dir = stringOf(given, 'dir');
	const redis = stringOf(given, 'redis');
	if (dir !== undefined && redis !== undefined) {
		errors.push('--dir and --redis both name a store: give one of them');
		return {dir: undefined, redisUrl: undefined, storeArgs: []};
	}

	if (dir !== undefined) return {dir, redisUrl: undefined, storeArgs: ['--dir', dir]};
	if (redis !== undefined) {
		if (!isRedisUrl(redis)) {
			errors.push(
				// Not echoed: the URL may hold a password.
				`--redis is not a Redis URL: use ${REDIS_URL_FORM}`,
			);
		}

		return {dir: undefined, redisUrl: redis, storeArgs: ['--redis', redis]};
	}

	const envDir = nonEmpty(env.STACKTOWER_SESSIONS_DIR);
	const envRedis = nonEmpty(env.STACKTOWER_REDIS_URL);
	if (envDir && envRedis) {
		errors.push(
			'STACKTOWER_SESSIONS_DIR and STACKTOWER_REDIS_URL are both set: unset one, or pick with --dir or --redis',
		);
	}

	if (envDir) return {dir: envDir, redisUrl: undefined, storeArgs: []};
	if (envRedis !== undefined && !isRedisUrl(envRedis)) {
		errors.push(`STACKTOWER_REDIS_URL is not a Redis URL: use ${REDIS_URL_FORM}`);
		return {dir: undefined, redisUrl: undefined, storeArgs: []};
	}

	return {dir: undefined, redisUrl: envRedis, storeArgs: []};
}

/**
 * --from or --to of copy: a redis:// or rediss:// URL, else a directory path (made absolute
 * here, so the two can be compared). Any other URL is neither, and refused.
 */
function parseStoreRef(given: Given, name: 'from' | 'to', errors: string[]): StoreRef | undefined {
	const text = stringOf(given, name);
	if (text === undefined) {
		// Given without its value: readTokens has said so already.
		if (!errors.some((error) => error.startsWith(`--${name} needs a value`))) {
			errors.push(
				`copy needs --${name} STORE: a session directory or a Redis URL, as in stacktower-sessions copy --from ~/.config/stacktower/sessions --to redis://localhost:6379`,
			);
		}

		return undefined;
	}

	if (/^rediss?:/i.test(text)) {
		if (isRedisUrl(text)) return {kind: 'redis', url: text};
		// Not echoed: the URL may hold a password.
		errors.push(`--${name} is not a Redis URL: use ${REDIS_URL_FORM}`);
		return undefined;
	}

	if (/^[a-z][a-z\d+.-]*:\/\//i.test(text)) {
		errors.push(
			`--${name} ${quote(text)} is neither a session directory nor a Redis URL: give a path, or ${REDIS_URL_FORM}`,
		);
		return undefined;
	}

	return {kind: 'dir', dir: resolve(text)};
}

/** `host:port/db` of a Redis URL: two spellings of one server and database compare equal. */
function redisIdentity(url: string): string {
	const parsed = new URL(url);
	const db = Number(parsed.pathname.slice(1) || '0');
	return `${parsed.hostname.toLowerCase()}:${parsed.port || '6379'}/${db}`;
}

function sameStoreRef(a: StoreRef, b: StoreRef): boolean {
	if (a.kind === 'dir' && b.kind === 'dir') return a.dir === b.dir;
	if (a.kind === 'redis' && b.kind === 'redis')
		return redisIdentity(a.url) === redisIdentity(b.url);
	return false;
}

/** The login flags as login-options.ts takes them. */
function loginValues(given: Given): LoginFlagValues {
	const values: Record<string, string | boolean> = {};
	for (const name of Object.keys(loginFlagDefinitions)) {
		const value = given.get(name);
		if (value !== undefined) values[name] = value;
	}

	return values as LoginFlagValues;
}

/** The commands that send a stored token to GitHub, and so read --client-id and --github-host. */
const tokenCommands: ReadonlySet<Command> = new Set(['status', 'refresh', 'delete']);

/** --github-host and --client-id for the stored tokens, with the environment; --revoke's needs. */
function parseTokenOptions(given: Given, env: Env, errors: string[]): TokenOptions {
	const githubHost = githubHostGiven(stringOf(given, 'githubHost'), errors);

	const clientIdFlag = stringOf(given, 'clientId');
	const {flagClientId, oauthClientId, appClientId, secret} = appsGiven(clientIdFlag, env);
	if (clientIdFlag !== undefined && flagClientId === undefined) {
		errors.push(needsValue(specByName('clientId').usage, specByName('clientId').example));
	}

	const oauthApp =
		oauthClientId !== undefined && secret !== undefined
			? {clientId: oauthClientId, clientSecret: secret}
			: undefined;

	// Revoking takes the issuing app's id and secret; which sessions they fit is checked on reading them.
	if (given.get('revoke') === true && oauthApp === undefined) {
		errors.push(
			`--revoke needs the app that issued the tokens: its client id (--client-id or STACKTOWER_GITHUB_CLIENT_ID) and secret (STACKTOWER_GITHUB_CLIENT_SECRET); without them, revoke a token by hand at ${githubHost}/settings/applications (GitHub Apps: ${githubHost}/settings/apps/authorizations)`,
		);
	}

	return {
		githubHost,
		defaultClientId: appClientId ?? STACKTOWER_APP_CLIENT_ID,
		oauthApp,
	};
}

const commandList = commandNames.join(', ');

function unknownCommand(word: string, what = 'command'): string {
	const hint = closest(word, commandNames);
	return `unknown ${what} ${quote(word)}${hint ? ` (did you mean ${hint}?)` : ''}; the commands are ${commandList}`;
}

/** The ids of `delete` (at least one), `status` and `refresh`: each valid, without duplicates. */
function parseIds(
	operands: readonly string[],
	command: string,
	errors: string[],
	required = true,
): string[] {
	if (required && operands.length === 0) {
		errors.push(
			`${command} needs the ids of the sessions to remove: stacktower-sessions ${command} ID...`,
		);
	}

	const ids: string[] = [];
	for (const id of operands) {
		if (!isValidId(id)) {
			errors.push(
				`invalid session id ${quote(id)}: ids are 1–128 characters from A–Z a–z 0–9 _ - = . and do not start with "."`,
			);
		} else if (!ids.includes(id)) {
			ids.push(id);
		}
	}

	return ids;
}

/**
 * Checks the command line (`argv`, without node and the script) with the environment, and
 * resolves it to an Invocation, or to every problem found, each with its fix.
 */
export function parseCommandLine(argv: readonly string[], env: Env): ParseResult {
	const {words, given, errors} = readTokens(argv);
	const [first, ...operands] = words;
	let command: Command = 'inspect';
	if (first !== undefined) {
		const named = commandNamed(first);
		// One error for an unknown command: what the rest of the line means depends on it.
		if (named === undefined)
			return {ok: false, command: undefined, errors: [unknownCommand(first)]};
		command = named;
	}

	const color = given.get('color') !== false && nonEmpty(env.NO_COLOR) === undefined;
	// --help wins over everything else on the line: it is how one finds out what went wrong.
	if (given.get('help') === true)
		return {ok: true, invocation: {command: 'help', topic: command, color}};
	if (given.get('version') === true) return {ok: true, invocation: {command: 'version', color}};

	if (command === 'help') {
		const [topic, ...extra] = operands;
		if (topic === undefined)
			return {ok: true, invocation: {command: 'help', topic: undefined, color}};
		const named = commandNamed(topic);
		if (named === undefined) return {ok: false, command, errors: [unknownCommand(topic)]};
		if (extra.length > 0) {
			errors.push(`help takes one command, got ${extra.map((word) => quote(word)).join(' ')}`);
		}

		return errors.length > 0
			? {ok: false, command, errors}
			: {ok: true, invocation: {command: 'help', topic: named, color}};
	}

	// --json or --show-token on its own asks for the listing, terminal or not.
	if (command === 'inspect' && (given.has('json') || given.has('showToken'))) command = 'list';

	for (const spec of flagSpecs) {
		if (!given.has(spec.name) || appliesTo(spec, command)) continue;
		const where =
			command === 'inspect'
				? 'the inspector'
				: command === 'demo' && (spec.name === 'dir' || spec.name === 'redis')
					? 'demo (it uses a temporary directory of its own)'
					: command === 'copy' && (spec.name === 'dir' || spec.name === 'redis')
						? 'copy (it takes --from STORE and --to STORE)'
						: command;
		const scope = spec.commands === 'all' ? [] : spec.commands;
		errors.push(
			`${flagWord(spec)} does not apply to ${where}; it is for ${scope.map((c) => (c === 'inspect' ? 'the inspector' : c)).join(', ')}`,
		);
	}

	if (commandSpec(command).operands === '' && operands.length > 0) {
		errors.push(
			`${command === 'inspect' ? 'the inspector' : command} takes no arguments, got ${operands.map((word) => quote(word)).join(' ')}`,
		);
	}

	const dryRun = given.get('dryRun') === true;
	// demo makes a directory of its own; copy names its two stores with --from and --to.
	const store =
		command === 'demo' || command === 'copy' ? undefined : parseStore(given, env, errors);
	// Only where a login can run: elsewhere a login flag is refused above, once, or (--client-id
	// and --github-host of the token commands) read by parseTokenOptions.
	const parsedLogin =
		command === 'login' || command === 'inspect' || command === 'demo'
			? parseLoginOptions(loginValues(given), env)
			: undefined;
	if (parsedLogin?.ok === false) errors.push(...parsedLogin.problems);
	const redisEvents = given.get('redisEvents') === true;
	// It changes a Redis server's setting: on sessions in a directory it would mean nothing. A
	// --redis, or a STACKTOWER_REDIS_URL, that names no usable store has its own error.
	if (
		redisEvents &&
		store?.redisUrl === undefined &&
		!given.has('redis') &&
		(given.has('dir') || nonEmpty(env.STACKTOWER_REDIS_URL) === undefined)
	) {
		errors.push('--redis-events needs a Redis store: give --redis URL or set STACKTOWER_REDIS_URL');
	}

	const login = parsedLogin?.ok ? parsedLogin.config : undefined;
	// The inspector reads the same flags for its token keys; its login reports their problems.
	const token = tokenCommands.has(command)
		? parseTokenOptions(given, env, errors)
		: command === 'inspect'
			? parseTokenOptions(given, env, [])
			: undefined;
	let invocation: Invocation | undefined;
	switch (command) {
		case 'inspect': {
			if (login) {
				const access = token as TokenOptions;
				invocation = {
					command,
					login,
					token: access,
					redisEvents,
					color,
					...(store as StoreChoice),
				};
			}
			break;
		}

		case 'login': {
			if (login) invocation = {command, login, color, ...(store as StoreChoice)};
			break;
		}

		case 'demo': {
			if (login) invocation = {command, login, color};
			break;
		}

		case 'list': {
			invocation = {
				command,
				json: given.get('json') === true,
				showToken: given.get('showToken') === true,
				color,
				...(store as StoreChoice),
			};
			break;
		}

		case 'cleanup':
		case 'logout': {
			invocation = {command, dryRun, color, ...(store as StoreChoice)};
			break;
		}

		case 'copy': {
			const from = parseStoreRef(given, 'from', errors);
			const to = parseStoreRef(given, 'to', errors);
			if (from && to && sameStoreRef(from, to)) {
				errors.push('--from and --to name the same store: give two different ones');
			}

			const move = given.get('move') === true;
			if (from && to) invocation = {command, from, to, dryRun, move, color};
			break;
		}

		case 'delete': {
			const ids = parseIds(operands, first ?? command, errors);
			const revoke = given.get('revoke') === true ? token : undefined;
			invocation = {command, ids, dryRun, revoke, color, ...(store as StoreChoice)};
			break;
		}

		case 'status': {
			const ids = parseIds(operands, command, errors, false);
			const json = given.get('json') === true;
			const refresh = given.get('refresh') === true;
			invocation = {
				command,
				ids,
				json,
				refresh,
				token: token as TokenOptions,
				color,
				...(store as StoreChoice),
			};
			break;
		}

		case 'refresh': {
			const ids = parseIds(operands, command, errors, false);
			invocation = {command, ids, token: token as TokenOptions, color, ...(store as StoreChoice)};
			break;
		}

		case 'completion': {
			const [target, ...extra] = operands;
			const targets: readonly string[] = [...shells, 'ids'];
			if (target === undefined || !targets.includes(target) || extra.length > 0) {
				errors.push(
					`completion takes one of ${shells.join(', ')}${target === undefined ? '' : `, got ${operands.map((word) => quote(word)).join(' ')}`}: stacktower-sessions completion bash`,
				);
			}

			invocation = {
				command,
				target: (target ?? 'bash') as Shell | 'ids',
				color,
				...(store as StoreChoice),
			};
			break;
		}
	}

	if (errors.length > 0 || invocation === undefined) return {ok: false, command, errors};
	return {ok: true, invocation};
}
