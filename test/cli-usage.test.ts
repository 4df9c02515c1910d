// The command line itself: help, version, and usage errors (exit 2), each reported with its fix
// and all of them at once, before any store is touched.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {commandNames} from '../source/commands/catalog.js';
import {parseCommandLine} from '../source/commands/options.js';
import {displayWidth} from '../source/format/width.js';
import {repoRoot, runCli} from './helpers/cli.js';
import {idsIn, makeSessionDir} from './helpers/session-dir.js';

const packageJson = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
	version: string;
};

describe('help and version', () => {
	test('--help shows every command, alias and option, exit 0', async () => {
		const result = await runCli(['--help']);
		expect(result.code).toBe(0);
		expect(result.stderr).toBe('');
		for (const text of [
			'Usage',
			'$ stacktower-sessions [command] [options]',
			'list, ls',
			'cleanup',
			'delete, rm ID...',
			'logout',
			'status [ID...]',
			'refresh [ID...]',
			'--revoke',
			'demo',
			'login',
			'completion SHELL',
			'help [COMMAND]',
			'--dir DIR',
			'STACKTOWER_SESSIONS_DIR',
			'--redis URL',
			'STACKTOWER_REDIS_URL',
			'--redis-events',
			'--json',
			'--show-token',
			'--dry-run',
			'--no-color',
			'--client-id ID',
			'--github-host URL',
			'--scopes SCOPES',
			'--callback-port PORT',
			'--timeout DURATION',
			'--ttl DURATION',
			'--no-browser',
			'--id ID',
			'Exit codes',
			'Examples',
		]) {
			expect(result.stdout).toContain(text);
		}
	});

	test.each([
		['list', '$ stacktower-sessions list [options]', ['--json', '--show-token', '--dir DIR']],
		['cleanup', '$ stacktower-sessions cleanup [options]', ['--dry-run', '--redis URL']],
		['delete', '$ stacktower-sessions delete ID... [options]', ['--dry-run', 'rm']],
		['logout', '$ stacktower-sessions logout [options]', ['--dry-run', '"github"']],
		[
			'login',
			'$ stacktower-sessions login [options]',
			[
				'--client-id ID',
				'--timeout DURATION',
				'--callback-port PORT',
				// Where to get the loopback flow's OAuth app, and what to set.
				'The loopback web flow needs an OAuth app: register one at\n    https://github.com/settings/developers',
				'with the callback URL http://127.0.0.1/callback',
				'its id in STACKTOWER_GITHUB_CLIENT_ID',
				'its secret in STACKTOWER_GITHUB_CLIENT_SECRET',
			],
		],
		[
			'demo',
			'$ stacktower-sessions demo [options]',
			['--no-color', '--client-id ID', '--ttl DURATION'],
		],
		['completion', '$ stacktower-sessions completion SHELL [options]', ['bash', 'zsh', 'fish']],
		['status', '$ stacktower-sessions status [ID...] [options]', ['--json', 'Stored tokens']],
		[
			'refresh',
			'$ stacktower-sessions refresh [ID...] [options]',
			['--client-id', '--github-host'],
		],
	])("%s --help and help %s show that command's page", async (command, usage, texts) => {
		const [flag, word] = await Promise.all([
			runCli([command, '--help']),
			runCli(['help', command]),
		]);
		expect(flag.code).toBe(0);
		expect(word.code).toBe(0);
		expect(word.stdout).toBe(flag.stdout);
		expect(flag.stdout).toContain(usage);
		for (const text of [...texts, 'Options', 'Exit codes', 'Examples']) {
			expect(flag.stdout).toContain(text);
		}
		// Its own page, not the main one.
		expect(flag.stdout).not.toContain('[command] [options]');
	});

	test('every help page fits 80 columns: prose filled, examples broken with \\', async () => {
		const pages = await Promise.all(
			[[], ...commandNames.filter((name) => name !== 'help').map((name) => [name])].map((command) =>
				runCli([...command, '--help']),
			),
		);
		for (const page of pages) {
			expect(page.code).toBe(0);
			const wide = page.stdout.split('\n').filter((line) => displayWidth(line) > 80);
			expect(wide).toEqual([]);
		}

		const copy = await runCli(['copy', '--help']);
		expect(copy.stdout).toContain(
			'    $ stacktower-sessions copy --from ~/.config/stacktower/sessions \\\n        --to redis://localhost:6379 --dry-run\n',
		);
	});

	test('an alias shows the page of its command', async () => {
		const [alias, command] = await Promise.all([
			runCli(['rm', '--help']),
			runCli(['help', 'delete']),
		]);
		expect(alias.code).toBe(0);
		expect(alias.stdout).toBe(command.stdout);
	});

	test('--help wins over the other problems of the line', async () => {
		const result = await runCli(['delete', '--frobnicate', '-h']);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('$ stacktower-sessions delete ID... [options]');
	});

	test('help for an unknown command suggests the nearest', async () => {
		const result = await runCli(['help', 'delet']);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('unknown command "delet" (did you mean delete?)');
	});

	test('--version prints the package version', async () => {
		const result = await runCli(['--version']);
		expect(result.code).toBe(0);
		expect(result.stdout.trim()).toBe(packageJson.version);
	});
});

describe('usage errors exit 2 and say how to fix them', () => {
	test.each([
		[
			['frobnicate'],
			'unknown command "frobnicate"; the commands are list, cleanup, delete, logout, status, refresh, copy, login, demo, completion, help',
		],
		[['lsit'], 'unknown command "lsit" (did you mean list?)'],
		[['list', '--frobnicate'], 'unknown flag --frobnicate'],
		[['list', '--jsno'], 'unknown flag --jsno (did you mean --json?)'],
		[['list', '-x'], 'unknown flag -x'],
		[['ls', '--jsno'], 'unknown flag --jsno (did you mean --json?)'],
		[['cleanup', '--json'], '--json does not apply to cleanup'],
		[['list', '--id', 'github'], '--id does not apply to list'],
		[['list', 'extra'], 'list takes no arguments'],
		[
			['list', '--dir', '/tmp/a', '--redis', 'redis://127.0.0.1:6379'],
			'--dir and --redis both name a store',
		],
		[['list', '--redis', 'http://example.com'], 'is not a Redis URL'],
		[
			['list', '--dir'],
			'--dir needs a value: --dir DIR (e.g. --dir ~/.config/stacktower/sessions)',
		],
		[
			['list', '--dir='],
			'--dir needs a value: --dir DIR (e.g. --dir ~/.config/stacktower/sessions)',
		],
		[['list', '--json=yes'], '--json takes no value, got "yes"'],
		[['list', '--dir', '/a', '--dir', '/b'], '--dir can only be given once'],
		[['cleanup', 'extra'], 'cleanup takes no arguments, got "extra"'],
		[['completion'], 'completion takes one of bash, zsh, fish'],
		[['completion', 'tcsh'], 'completion takes one of bash, zsh, fish, got "tcsh"'],
		[['logout', '--id', 'x'], '--id does not apply to logout'],
		[['list', '--dry-run'], '--dry-run does not apply to list'],
		[['demo', '--dir', '/tmp/a'], '--dir does not apply to demo'],
		[['login', '--client-id', 'x', '--id', '../x'], '--id "../x" is not a valid session id'],
		[
			['login', '--client-id', 'x', '--callback-port', '70000'],
			'--callback-port "70000" is not a port',
		],
		[['login', '--client-id', 'x', '--timeout', 'soon'], '--timeout "soon" is not a duration'],
		[['login', '--client-id', 'x', '--timeout', '2h'], '--timeout 2h is too long: at most 1h'],
		[['--timeout', '90m'], '--timeout 90m is too long: at most 1h'],
		[
			['login', '--client-id', 'x', '--github-host', 'ftp://x'],
			'--github-host: the GitHub host "ftp://x" must start with https://',
		],
		[['status', '--show-token'], '--show-token does not apply to status; it is for list'],
		[['refresh', '--json'], '--json does not apply to refresh; it is for list, status'],
		[['list', '--revoke'], '--revoke does not apply to list; it is for delete'],
		[['status', '--client-id', 'x'], '--client-id does not apply to status'],
		[['refresh', '.hidden'], 'invalid session id ".hidden"'],
		[['status', '--github-host', 'ftp://x'], '--github-host: the GitHub host "ftp://x"'],
		[['delete', '--revoke', 'github'], '--revoke needs the app that issued the tokens'],
		[
			['login', '--web'],
			'--web needs an OAuth app, and a client id and a client secret are missing: register an OAuth app at https://github.com/settings/developers with the callback URL http://127.0.0.1/callback (or use one you have); pass its client id with --client-id ID or STACKTOWER_GITHUB_CLIENT_ID, and its secret in STACKTOWER_GITHUB_CLIENT_SECRET',
		],
		[
			['login', '--github-host', 'https://ghe.example.com'],
			'to log in to https://ghe.example.com, register an app there (a GitHub App at https://ghe.example.com/settings/apps/new or an OAuth app at https://ghe.example.com/settings/developers',
		],
		// A flag that takes a value, given none: the value's word and an example, for each
		// family (the store, the login, the stored tokens).
		[
			['list', '--redis'],
			'--redis needs a value: --redis URL (e.g. --redis redis://localhost:6379)',
		],
		[['login', '--ttl'], '--ttl needs a value: --ttl DURATION (e.g. --ttl 30d)'],
		[['login', '--timeout='], '--timeout needs a value: --timeout DURATION (e.g. --timeout 5m)'],
		[['login', '--id'], '--id needs a value: --id ID (e.g. --id ci-runner)'],
		[
			['login', '--scopes', ' '],
			'--scopes needs a value: --scopes SCOPES (e.g. --scopes "read:user user:email")',
		],
		[
			['login', '--web', '--callback-port'],
			'--callback-port needs a value: --callback-port PORT (e.g. --callback-port 8765)',
		],
		[
			['status', '--github-host'],
			'--github-host needs a value: --github-host URL (e.g. --github-host https://github.example.com)',
		],
		[
			['refresh', '--client-id', ' '],
			'--client-id needs a value: --client-id ID (e.g. --client-id Iv1.0123456789abcdef)',
		],
		// The next word is a flag: the value was forgotten, not `--web`.
		[['login', '--ttl', '--web'], '--ttl needs a value: --ttl DURATION (e.g. --ttl 30d)'],
		[
			['--redis-events'],
			'--redis-events needs a Redis store: give --redis URL or set STACKTOWER_REDIS_URL',
		],
		[['--redis-events', '--dir', '/tmp/a'], '--redis-events needs a Redis store'],
		[['list', '--redis-events'], '--redis-events does not apply to list; it is for the inspector'],
	])('%j', async (args, message) => {
		const result = await runCli(args);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toContain(message);
		expect(result.stderr).toMatch(/run stacktower-sessions (\w+ )?--help for (the|its) usage\n$/);
	});

	test('an unknown command is one error, with a suggestion, and nothing else', async () => {
		const result = await runCli(['delet', 'github', '--jsno', '--dir', '/tmp']);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toBe(
			'stacktower-sessions: unknown command "delet" (did you mean delete?); the commands are list, cleanup, delete, logout, status, refresh, copy, login, demo, completion, help\nrun stacktower-sessions --help for the usage\n',
		);
	});

	test('every problem is reported at once', async () => {
		const dir = makeSessionDir();
		const result = await runCli([
			'delete',
			'github',
			'.hidden',
			'--frobnicate',
			'--json',
			'--dir',
			dir,
		]);
		expect(result.code).toBe(2);
		const lines = result.stderr.trim().split('\n');
		expect(lines).toEqual([
			expect.stringContaining('unknown flag --frobnicate'),
			expect.stringContaining('--json does not apply to delete'),
			expect.stringContaining('invalid session id ".hidden"'),
			'run stacktower-sessions delete --help for its usage',
		]);
		expect(idsIn(dir)).toContain('github');
	});

	test('a bad STACKTOWER_REDIS_URL names the variable', async () => {
		const result = await runCli(['list'], {env: {STACKTOWER_REDIS_URL: 'localhost:6379'}});
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('STACKTOWER_REDIS_URL is not a Redis URL');
	});

	test('control characters in arguments are echoed escaped', async () => {
		const result = await runCli(['delete', 'bad\u001B]0;pwned\u0007id', '\u009B31m']);
		expect(result.code).toBe(2);
		// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for raw control characters
		expect(result.stderr).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
		expect(result.stderr).toContain('bad\\x1b]0;pwned\\x07id');
	});
});

describe('--redis-events', () => {
	const url = 'redis://127.0.0.1:6379';
	test('turns events on for the inspector on the Redis that --redis or the environment names', () => {
		expect(parseCommandLine(['--redis-events', '--redis', url], {})).toMatchObject({
			ok: true,
			invocation: {command: 'inspect', redisUrl: url, redisEvents: true},
		});
		expect(parseCommandLine(['--redis-events'], {STACKTOWER_REDIS_URL: url})).toMatchObject({
			ok: true,
			invocation: {command: 'inspect', redisUrl: url, redisEvents: true},
		});
		expect(parseCommandLine(['--redis', url], {})).toMatchObject({
			ok: true,
			invocation: {redisEvents: false},
		});
	});

	test('a --dir beside the environment URL names a directory: refused', () => {
		expect(
			parseCommandLine(['--redis-events', '--dir', '/tmp/a'], {STACKTOWER_REDIS_URL: url}),
		).toEqual({
			ok: false,
			command: 'inspect',
			errors: ['--redis-events needs a Redis store: give --redis URL or set STACKTOWER_REDIS_URL'],
		});
	});
});

describe('--github-host', () => {
	const parse = (host: string) =>
		parseCommandLine(['login', '--client-id', 'Iv1.x', '--github-host', host], {});

	test.each([
		['ghe.example.com', 'https://ghe.example.com'],
		['https://ghe.example.com/', 'https://ghe.example.com'],
		['https://ghe.example.com:8443', 'https://ghe.example.com:8443'],
		['octo.ghe.com', 'https://octo.ghe.com'],
		['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
	])('%j is the origin %j', (host, origin) => {
		expect(parse(host)).toMatchObject({ok: true, invocation: {login: {githubHost: origin}}});
	});

	test.each([
		['ftp://x', 'must start with https://'],
		['http://ghe.example.com', 'must use https://'],
		['https://ghe.example.com/api/v3', 'without a path'],
		['https://user:pw@ghe.example.com', 'user name or password'],
		['https://', 'is not a URL'],
	])('%j is refused: %s', (host, text) => {
		const result = parse(host);
		expect(result.ok).toBe(false);
		expect(result.ok ? [] : result.errors).toEqual([
			expect.stringMatching(new RegExp(`^--github-host: .*${text.replace(/[/.]/g, '\\$&')}`)),
		]);
	});
});

describe('the token commands (status, refresh, delete --revoke)', () => {
	test('take no ids (every session) or valid ids, once each', () => {
		expect(parseCommandLine(['status'], {})).toMatchObject({
			ok: true,
			invocation: {command: 'status', ids: [], json: false},
		});
		expect(parseCommandLine(['refresh', 'a', 'b', 'a'], {})).toMatchObject({
			ok: true,
			invocation: {command: 'refresh', ids: ['a', 'b']},
		});
	});

	test('--github-host names the host for sessions that record none, with no app needed', () => {
		// login would refuse this host without --client-id; the token commands never log in.
		expect(parseCommandLine(['status', '--github-host', 'ghe.example.com'], {})).toMatchObject({
			ok: true,
			invocation: {token: {githubHost: 'https://ghe.example.com', oauthApp: undefined}},
		});
	});

	test('refresh: the client id for sessions that record none is the one login would use', () => {
		const env = {STACKTOWER_GITHUB_APP_CLIENT_ID: 'Iv23env'};
		expect(parseCommandLine(['refresh'], env)).toMatchObject({
			invocation: {token: {defaultClientId: 'Iv23env'}},
		});
		expect(parseCommandLine(['refresh', '--client-id', 'Iv23flag'], env)).toMatchObject({
			invocation: {token: {defaultClientId: 'Iv23flag'}},
		});
	});

	test('delete --revoke takes the app from --client-id and the secret from the environment', () => {
		const env = {STACKTOWER_GITHUB_CLIENT_SECRET: 'shh'};
		expect(parseCommandLine(['delete', 'github'], env)).toMatchObject({
			invocation: {command: 'delete', revoke: undefined},
		});
		expect(
			parseCommandLine(['delete', '--revoke', '--client-id', 'Ov23app', 'github'], env),
		).toMatchObject({
			ok: true,
			invocation: {revoke: {oauthApp: {clientId: 'Ov23app', clientSecret: 'shh'}}},
		});
		const missing = parseCommandLine(
			['delete', '--revoke', '--client-id', 'Ov23app', 'github'],
			{},
		);
		expect(missing.ok ? [] : missing.errors).toEqual([
			expect.stringContaining('https://github.com/settings/applications'),
		]);
	});
});
