// The command line itself: help, version, and usage errors (exit 2), each reported with its fix
// and all of them at once, before any store is touched.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {parseCommandLine} from '../source/commands/usage.js';
import {repoRoot, runCli} from './helpers/cli.js';
import {idsIn, makeSessionDir} from './helpers/session-dir.js';

const packageJson = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
	version: string;
};

describe('help and version', () => {
	test('--help shows the commands and every option, exit 0', async () => {
		const result = await runCli(['--help']);
		expect(result.code).toBe(0);
		for (const text of [
			'Usage',
			'$ stacktower-sessions [command] [options]',
			'list',
			'cleanup',
			'delete ID...',
			'demo',
			'login',
			'--dir PATH',
			'STACKTOWER_SESSIONS_DIR',
			'--redis URL',
			'STACKTOWER_REDIS_URL',
			'--json',
			'--show-token',
			'--no-color',
			'--client-id',
			'--github-host',
			'--scopes',
			'--callback-port',
			'--timeout',
			'--no-browser',
			'--id ID',
			'Examples',
		]) {
			expect(result.stdout).toContain(text);
		}
	});

	test('--help after a command shows the help too', async () => {
		const result = await runCli(['list', '--help']);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('Usage');
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
			'unknown command "frobnicate"; the commands are list, cleanup, delete, demo, login',
		],
		[['lsit'], 'unknown command "lsit" (did you mean list?)'],
		[['list', '--frobnicate'], 'unknown flag --frobnicate'],
		[['list', '--jsno'], 'unknown flag --jsno (did you mean --json?)'],
		[['list', '-x'], 'unknown flag -x'],
		[['cleanup', '--json'], '--json does not apply to cleanup'],
		[['list', '--id', 'github'], '--id does not apply to list'],
		[['list', 'extra'], 'list takes no arguments'],
		[
			['list', '--dir', '/tmp/a', '--redis', 'redis://127.0.0.1:6379'],
			'--dir and --redis both name a store',
		],
		[['list', '--redis', 'http://example.com'], 'is not a Redis URL'],
		[['list', '--dir'], '--dir needs a path'],
		[['list', '--dir', '/a', '--dir', '/b'], '--dir can only be set once'],
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
			'--github-host: The GitHub host "ftp://x" must start with https://',
		],
		[
			['login', '--web'],
			'--web needs an OAuth app, and a client id and a client secret are missing: pass --client-id ID or set STACKTOWER_GITHUB_CLIENT_ID',
		],
	])('%j', async (args, message) => {
		const result = await runCli(args);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toContain(message);
		expect(result.stderr).toContain('run stacktower-sessions --help for the usage');
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
			'run stacktower-sessions --help for the usage',
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

describe('--github-host', () => {
	const parse = (host: string) =>
		parseCommandLine(
			['login'],
			{clientId: 'Iv1.x', githubHost: host},
			['login', '--client-id', 'Iv1.x', '--github-host', host],
			{},
		);

	test.each([
		['ghe.example.com', 'https://ghe.example.com'],
		['https://ghe.example.com/', 'https://ghe.example.com'],
		['https://ghe.example.com:8443', 'https://ghe.example.com:8443'],
		['octo.ghe.com', 'https://octo.ghe.com'],
		['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
	])('%j is the origin %j', (host, origin) => {
		expect(parse(host)).toMatchObject({ok: true, options: {login: {githubHost: origin}}});
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
