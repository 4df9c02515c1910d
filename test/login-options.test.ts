// The login flags parsed once: which flow and which app (the table in `login --help`), every
// value checked, every problem reported at once.
import {describe, expect, test} from 'vitest';
import {loginWaitMs, parseLoginOptions} from '../source/commands/login-options.js';
import {parseDuration} from '../source/format/duration.js';
import {STACKTOWER_APP_CLIENT_ID} from '../source/github/defaults.js';
import {runCli} from './helpers/cli.js';

const DAY = 86_400_000;
const oauth = {
	STACKTOWER_GITHUB_CLIENT_ID: 'Ov23.oauth',
	STACKTOWER_GITHUB_CLIENT_SECRET: 's3cret',
};

function config(flags: Parameters<typeof parseLoginOptions>[0], env: Record<string, string> = {}) {
	const result = parseLoginOptions(flags, env);
	if (!result.ok) throw new Error(`expected a config, got ${result.problems.join('; ')}`);
	return result.config;
}

function problems(
	flags: Parameters<typeof parseLoginOptions>[0],
	env: Record<string, string> = {},
) {
	const result = parseLoginOptions(flags, env);
	return result.ok ? [] : result.problems;
}

describe('which flow, and which app', () => {
	test("nothing: the device flow with stacktower's App on github.com, 30 days", () => {
		expect(config({})).toEqual({
			flow: 'device',
			id: 'github',
			clientId: STACKTOWER_APP_CLIENT_ID,
			githubHost: 'https://github.com',
			scopes: 'read:user user:email',
			ttlMs: 30 * DAY,
			timeoutMs: undefined,
			openBrowser: true,
		});
		expect(STACKTOWER_APP_CLIENT_ID).toBe('Iv23liRkeVtW225qGBef');
	});

	test("the device flow's app: --client-id, else STACKTOWER_GITHUB_APP_CLIENT_ID", () => {
		const env = {STACKTOWER_GITHUB_APP_CLIENT_ID: 'Iv23.env'};
		expect(config({}, env)).toMatchObject({flow: 'device', clientId: 'Iv23.env'});
		expect(config({clientId: 'Iv23.flag'}, env)).toMatchObject({
			flow: 'device',
			clientId: 'Iv23.flag',
		});
		// An OAuth client id without its secret does not make the web flow.
		expect(config({}, {STACKTOWER_GITHUB_CLIENT_ID: 'Ov23.oauth'})).toMatchObject({
			flow: 'device',
			clientId: STACKTOWER_APP_CLIENT_ID,
		});
	});

	test('an OAuth client id and its secret: the loopback web flow, 5 minutes', () => {
		expect(config({}, oauth)).toEqual({
			flow: 'web',
			id: 'github',
			clientId: 'Ov23.oauth',
			clientSecret: 's3cret',
			githubHost: 'https://github.com',
			scopes: 'read:user user:email',
			callbackPort: 0,
			timeoutMs: 300_000,
			ttlMs: 30 * DAY,
			openBrowser: true,
		});
		expect(config({clientId: 'Ov23.flag'}, {STACKTOWER_GITHUB_CLIENT_SECRET: 's'})).toMatchObject({
			flow: 'web',
			clientId: 'Ov23.flag',
		});
		expect(config({web: true}, oauth)).toMatchObject({flow: 'web'});
	});

	test('--device wins over an OAuth app in the environment', () => {
		expect(config({device: true}, oauth)).toMatchObject({
			flow: 'device',
			clientId: STACKTOWER_APP_CLIENT_ID,
		});
	});

	test('--web without an OAuth app, and --web --device, are refused', () => {
		expect(problems({web: true})).toEqual([
			expect.stringMatching(
				/^--web needs an OAuth app, and a client id and a client secret are missing: register an OAuth app at https:\/\/github\.com\/settings\/developers with the callback URL http:\/\/127\.0\.0\.1\/callback \(or use one you have\); pass its client id with --client-id ID or STACKTOWER_GITHUB_CLIENT_ID, and its secret in STACKTOWER_GITHUB_CLIENT_SECRET/,
			),
		]);
		// Where to register names the GitHub the login is for.
		expect(problems({web: true, githubHost: 'ghe.example.com'})).toEqual([
			expect.stringContaining(
				'register an OAuth app at https://ghe.example.com/settings/developers with the callback URL http://127.0.0.1/callback',
			),
		]);
		expect(problems({web: true, clientId: 'x'})).toEqual([
			expect.stringContaining('a client secret is missing'),
		]);
		expect(problems({web: true, device: true}, oauth)).toEqual([
			'--web and --device ask for different flows: give one of them',
		]);
	});

	test("another GitHub needs an app of its own: stacktower's is on github.com only", () => {
		expect(problems({githubHost: 'ghe.example.com'})).toEqual([
			expect.stringMatching(
				/^stacktower's GitHub App is on github\.com only: to log in to https:\/\/ghe\.example\.com, register an app there \(a GitHub App at https:\/\/ghe\.example\.com\/settings\/apps\/new or an OAuth app at https:\/\/ghe\.example\.com\/settings\/developers, with "Enable Device Flow" checked\) and pass its client id with --client-id ID or STACKTOWER_GITHUB_APP_CLIENT_ID/,
			),
		]);
		expect(config({githubHost: 'ghe.example.com', clientId: 'Iv1.ghe'})).toMatchObject({
			flow: 'device',
			clientId: 'Iv1.ghe',
			githubHost: 'https://ghe.example.com',
		});
	});
});

describe('--ttl', () => {
	test.each([
		['30d', 30 * DAY],
		['12h', 12 * 3_600_000],
		['90m', 90 * 60_000],
		['1m', 60_000],
		['365d', 365 * DAY],
		['1d12h', 36 * 3_600_000],
	])('%s is %d ms', (ttl, ms) => {
		expect(config({ttl}).ttlMs).toBe(ms);
	});

	test.each([
		['30', '--ttl "30" needs a unit: e.g. 30d for days, 30h for hours'],
		['soon', '--ttl "soon" is not a duration: use e.g. 30d, 12h, 90m'],
		['0d', '--ttl "0d" is not a duration: use e.g. 30d, 12h, 90m'],
		['59s', '--ttl 59s is out of range: use 1m to 365d'],
		['366d', '--ttl 366d is out of range: use 1m to 365d'],
	])('%s is refused', (ttl, message) => {
		expect(problems({ttl})).toEqual([message]);
	});

	test('the duration parser: days, and a unit required when asked', () => {
		expect(parseDuration('30d')).toBe(30 * DAY);
		expect(parseDuration('30')).toBe(30_000);
		expect(parseDuration('30', {bareNumber: 'refuse'})).toBeUndefined();
		expect(parseDuration('30d', {bareNumber: 'refuse'})).toBe(30 * DAY);
	});
});

describe('the other values', () => {
	test('--timeout: explicit for the device flow, 5 minutes by default for the web flow', () => {
		expect(config({timeout: '90s'})).toMatchObject({flow: 'device', timeoutMs: 90_000});
		expect(loginWaitMs(config({}))).toBe(15 * 60_000);
		expect(loginWaitMs(config({timeout: '2m'}))).toBe(120_000);
		expect(config({timeout: '300'}, oauth)).toMatchObject({flow: 'web', timeoutMs: 300_000});
	});

	test('every problem at once, each with its fix', () => {
		expect(
			problems(
				{
					id: '../x',
					clientId: ' ',
					githubHost: 'ftp://x',
					scopes: ' ',
					callbackPort: '70000',
					timeout: '2h',
					ttl: '30',
				},
				{STACKTOWER_GITHUB_CLIENT_SECRET: 's'},
			),
		).toEqual([
			expect.stringMatching(/^--id "\.\.\/x" is not a valid session id: use 1 to 128/),
			expect.stringMatching(
				/^--github-host: the GitHub host "ftp:\/\/x" must start with https:\/\//,
			),
			'--client-id needs a value: --client-id ID (e.g. --client-id Iv1.0123456789abcdef)',
			'--callback-port is for the loopback web flow; the device flow has no callback (add --web to use it)',
			'--scopes needs a value: --scopes SCOPES (e.g. --scopes "read:user user:email")',
			'--callback-port "70000" is not a port: use 1 to 65535, or 0 for any free port',
			'--timeout 2h is too long: at most 1h',
			'--ttl "30" needs a unit: e.g. 30d for days, 30h for hours',
		]);
	});
});

describe('the built CLI', () => {
	test.each([
		[['login', '--web', '--device'], '--web and --device ask for different flows'],
		[
			['login', '--github-host', 'ghe.example.com'],
			"stacktower's GitHub App is on github.com only",
		],
		[['login', '--ttl', '30'], '--ttl "30" needs a unit'],
		[['--ttl', '400d'], '--ttl 400d is out of range: use 1m to 365d'],
	])('%j is a usage error, exit 2', async (args, message) => {
		const result = await runCli(args, {env: {STACKTOWER_SESSIONS_DIR: '/nonexistent/x'}});
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toContain(`stacktower-sessions: ${message}`);
	});

	test('a login flag on a command that does not log in is one error, not also a login problem', async () => {
		const result = await runCli(['list', '--web'], {
			env: {STACKTOWER_SESSIONS_DIR: '/nonexistent/x'},
		});
		expect(result.code).toBe(2);
		expect(result.stderr).toBe(
			'stacktower-sessions: --web does not apply to list; it is for login, the inspector, demo\nrun stacktower-sessions list --help for its usage\n',
		);
	});

	test.each([[['login', '--help']], [['help', 'login']]])(
		'%j tells which flow is used when, and the lifetime',
		async (args) => {
			const result = await runCli(args);
			expect(result.code).toBe(0);
			for (const text of [
				'nothing, or --device',
				'STACKTOWER_GITHUB_APP_CLIENT_ID',
				'--web',
				'--ttl DURATION',
				'default 30d',
				'130 login cancelled with Ctrl-C',
			]) {
				expect(result.stdout).toContain(text);
			}
		},
	);
});
