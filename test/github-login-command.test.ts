// `login` as a command: what a person sees on stderr, the exit codes, and the usage errors.
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Writable} from 'node:stream';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {loginCommand} from '../source/commands/login.js';
import {
	type LoginCommandFlags,
	parseTimeout,
	resolveLoginConfig,
} from '../source/commands/login-config.js';
import {MemoryStateStore, MemoryStore, newSession} from '../source/session/index.js';
import {runCli} from './helpers/cli.js';
import {installFakeBrowser, waitForVisit} from './helpers/fake-browser.js';
import {FakeGitHub, MONALISA} from './helpers/fake-github.js';
import {type Answer, headersThenStall, misbehave} from './helpers/stalling-peer.js';

let fake: FakeGitHub;
let store: MemoryStore;
let dir: string;

beforeEach(async () => {
	fake = await FakeGitHub.start();
	store = new MemoryStore();
	dir = mkdtempSync(path.join(tmpdir(), 'stacktower-login-cmd-'));
});

afterEach(async () => {
	await fake.close();
	rmSync(dir, {recursive: true, force: true});
});

function capture() {
	let text = '';
	const stream = new Writable({
		write(chunk: Buffer, _encoding, done) {
			text += chunk.toString();
			done();
		},
	});
	return {stream, text: () => text};
}

function run(flags: Partial<LoginCommandFlags> = {}, env: NodeJS.ProcessEnv = {}, id = 'github') {
	const stderr = capture();
	const code = loginCommand({
		store,
		stateStore: new MemoryStateStore(),
		id,
		flags: {clientId: fake.clientId, githubHost: fake.url, browser: true, ...flags},
		env: {STACKTOWER_GITHUB_CLIENT_SECRET: fake.clientSecret, ...env},
		stderr: stderr.stream,
	});
	return {code, stderr: stderr.text};
}

/** No 8 characters in a row of any issued token's secret part appear in `text`. */
function expectNoTokenIn(text: string): void {
	expect(fake.tokens.size).toBeGreaterThan(0);
	for (const token of fake.tokens.keys()) {
		const secret = token.slice('gho_'.length);
		for (let i = 0; i + 8 <= secret.length; i++) {
			expect(text).not.toContain(secret.slice(i, i + 8));
		}
	}
}

async function waitForText(read: () => string, pattern: RegExp): Promise<RegExpExecArray> {
	await expect.poll(() => pattern.test(read()), {timeout: 20_000}).toBe(true);
	return pattern.exec(read()) as RegExpExecArray;
}

describe('the login command', () => {
	test('logs in through $BROWSER, prints the URL and who logged in, and never the token', async () => {
		const browser = installFakeBrowser(dir);
		const {code, stderr} = run({}, {BROWSER: browser.command, FAKE_BROWSER_LOG: browser.logFile});
		expect(await code).toBe(0);
		const visit = await waitForVisit(browser.logFile);
		expect(visit.callback?.status).toBe(200);
		expect(visit.env).toContain('FAKE_BROWSER_LOG');
		expect(visit.env).not.toContain('STACKTOWER_GITHUB_CLIENT_SECRET');

		const text = stderr();
		expect(text).toContain(`Logging in to ${fake.url} for session "github".`);
		expect(text).toContain(`  ${visit.argv[0]}\n`);
		expect(text).toMatch(
			/Waiting for the callback on http:\/\/127\.0\.0\.1:\d+\/callback \(up to 5m\)/,
		);
		expect(text).toMatch(
			/Logged in as @octocat \(The Octocat\); saved session "github" \(expires \d{4}-/,
		);
		expectNoTokenIn(text);
		expect(text).not.toContain(fake.clientSecret);

		const session = await store.get('github');
		expect(session?.user?.login).toBe('octocat');
		expect(fake.tokens.has(session?.accessToken ?? '')).toBe(true);
	});

	test('--no-browser prints the URL to open; a re-login as someone else says so', async () => {
		await store.set({
			...newSession('gho_old', {id: 583_231, login: 'octocat', name: '', avatarUrl: '', email: ''}),
			id: 'laptop',
		});
		fake.user = MONALISA;
		const {code, stderr} = run({browser: false}, {}, 'laptop');
		const [, url] = await waitForText(stderr, /Open this URL in your browser:\n\n {2}(\S+)\n/);
		const authorize = new URL(url ?? '');
		expect(authorize.searchParams.get('login')).toBe('octocat');
		const redirect = await fetch(authorize, {redirect: 'manual'});
		const callback = await fetch(redirect.headers.get('location') ?? '');
		expect(callback.status).toBe(200);

		expect(await code).toBe(0);
		const text = stderr();
		expect(text).toContain('Logged in as @monalisa (Mona Lisa); saved session "laptop"');
		expect(text).toContain('Note: session "laptop" belonged to @octocat; it is now @monalisa\'s.');
		expectNoTokenIn(text);
		expect((await store.get('laptop'))?.user?.login).toBe('monalisa');
	});

	test('a denied login exits 1 with the reason, escaped for the terminal', async () => {
		fake.denyWith = {error: 'access_denied', description: 'The user said no\u001b[31m'};
		const {code, stderr} = run({browser: false});
		const [, url] = await waitForText(stderr, /\n {2}(\S+)\n/);
		const redirect = await fetch(url ?? '', {redirect: 'manual'});
		expect((await fetch(redirect.headers.get('location') ?? '')).status).toBe(400);
		expect(await code).toBe(1);
		expect(stderr()).toContain(
			'Login failed: The login was denied on GitHub (access_denied: The user said no [31m)',
		);
		expect(stderr()).not.toContain('\u001b');
		expect(await store.list()).toEqual([]);
	});

	test('a timeout exits 1', async () => {
		const {code, stderr} = run({browser: false, timeout: 0.3});
		expect(await code).toBe(1);
		expect(stderr()).toContain('Login failed: The login timed out');
	});

	test('usage errors exit 2 and name every problem with its fix', async () => {
		const {code, stderr} = run(
			{clientId: undefined, githubHost: 'ftp://example.com', callbackPort: 70_000, timeout: 'soon'},
			{STACKTOWER_GITHUB_CLIENT_SECRET: ''},
			'../x',
		);
		expect(await code).toBe(2);
		const text = stderr();
		expect(text).toContain('--id "../x" is not a valid session id');
		expect(text).toContain('--client-id');
		expect(text).toContain('STACKTOWER_GITHUB_CLIENT_ID');
		expect(text).toContain('STACKTOWER_GITHUB_CLIENT_SECRET');
		expect(text).toContain('--github-host');
		expect(text).toContain('--callback-port "70000" is not a port');
		expect(text).toContain('--timeout "soon" is not a duration');
		expect(fake.authorizeQueries).toHaveLength(0);
	});
});

describe('the built CLI', () => {
	test('`login --dir` saves the session file and prints no token', async () => {
		const browser = installFakeBrowser(dir);
		const sessions = path.join(dir, 'sessions');
		expect(existsSync(sessions)).toBe(false);
		const result = await runCli(
			[
				'login',
				'--dir',
				sessions,
				'--client-id',
				fake.clientId,
				'--github-host',
				fake.url,
				'--id',
				'ci',
			],
			{
				env: {
					BROWSER: browser.command,
					FAKE_BROWSER_LOG: browser.logFile,
					STACKTOWER_GITHUB_CLIENT_SECRET: fake.clientSecret,
				},
			},
		);
		expect(result.stderr).toContain('Logged in as @octocat (The Octocat); saved session "ci"');
		expect(result.code).toBe(0);
		expect(result.stdout).toBe('');
		expectNoTokenIn(result.stderr);
		const [token] = [...fake.tokens.keys()];
		const written = JSON.parse(readFileSync(path.join(sessions, 'ci.json'), 'utf8'));
		expect(written).toMatchObject({id: 'ci', access_token: token, user: {login: 'octocat'}});
		// The directory did not exist: the saved session made it, private.
		expect(statSync(sessions).mode & 0o777).toBe(0o700);
	});

	test('`login` against a token endpoint that stalls exits 1 on time, naming what timed out', async () => {
		const browser = installFakeBrowser(dir);
		const answers: Answer[] = [];
		fake.tokenAnswer = (req, res) => answers.push(misbehave(headersThenStall, req, res));
		const result = await runCli(
			[
				'login',
				'--dir',
				path.join(dir, 'sessions'),
				'--client-id',
				fake.clientId,
				'--github-host',
				fake.url,
			],
			{
				env: {
					BROWSER: browser.command,
					FAKE_BROWSER_LOG: browser.logFile,
					STACKTOWER_GITHUB_CLIENT_SECRET: fake.clientSecret,
				},
				// The bound is 10 s; the login's own deadline (5 minutes) must not be what ends it.
				timeoutMs: 60_000,
			},
		);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain(
			`Login failed: Exchanging the authorization code failed: GitHub's token endpoint (${fake.url}/login/oauth/access_token) did not finish its answer within 10s (1 bytes received)`,
		);
		expect(result.stderr).not.toMatch(/browser within/);
		expect(answers[0]?.closed).toBe(true);
		expect(existsSync(path.join(dir, 'sessions', 'github.json'))).toBe(false);
	}, 90_000);

	test('`login` without a client id is a usage error naming the flag and the variables', async () => {
		const result = await runCli(['login', '--dir', path.join(dir, 'sessions')]);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('--client-id');
		expect(result.stderr).toContain('STACKTOWER_GITHUB_CLIENT_ID');
	});
});

describe('resolveLoginConfig', () => {
	const env = {STACKTOWER_GITHUB_CLIENT_ID: 'Iv1.env', STACKTOWER_GITHUB_CLIENT_SECRET: 's3cret'};

	test('defaults, and the environment for the client id', () => {
		expect(resolveLoginConfig({browser: true}, env)).toEqual({
			ok: true,
			config: {
				clientId: 'Iv1.env',
				clientSecret: 's3cret',
				githubHost: 'https://github.com',
				scopes: 'read:user user:email',
				callbackPort: 0,
				timeoutMs: 300_000,
				openBrowser: true,
			},
		});
	});

	test('flags beat the environment', () => {
		const result = resolveLoginConfig(
			{
				clientId: 'Iv1.flag',
				githubHost: 'https://ghe.example.com/',
				scopes: ' repo ',
				callbackPort: 8765,
				timeout: '90s',
				browser: false,
			},
			env,
		);
		expect(result).toMatchObject({
			ok: true,
			config: {
				clientId: 'Iv1.flag',
				githubHost: 'https://ghe.example.com',
				scopes: 'repo',
				callbackPort: 8765,
				timeoutMs: 90_000,
				openBrowser: false,
			},
		});
	});

	test.each([
		['300', 300_000],
		[300, 300_000],
		['90s', 90_000],
		['5m', 300_000],
		['1m30s', 90_000],
		['1h', 3_600_000],
	])('--timeout %s is %d ms', (timeout, ms) => {
		expect(parseTimeout(timeout)).toBe(ms);
		expect(resolveLoginConfig({timeout, browser: true}, env)).toMatchObject({
			ok: true,
			config: {timeoutMs: ms},
		});
	});

	test.each([
		[{timeout: 'soon'}, '--timeout "soon" is not a duration'],
		[{timeout: '0'}, '--timeout "0" is not a duration'],
		[{timeout: -5}, '--timeout "-5" is not a duration'],
		[{timeout: '5 m'}, 'is not a duration'],
		[{timeout: '2h'}, '--timeout 2h is too long: at most 1h'],
		[{timeout: 7200}, '--timeout 2h is too long: at most 1h'],
		[{callbackPort: -1}, '--callback-port "-1" is not a port'],
		[{callbackPort: 1.5}, '--callback-port "1.5" is not a port'],
		[{callbackPort: Number.NaN}, 'is not a port'],
		[{githubHost: 'github.example.com'}, 'is not a URL'],
		[{githubHost: 'http://github.example.com'}, 'must use https://'],
		[{githubHost: 'https://github.example.com/api/v3'}, 'without a path'],
		[{githubHost: 'https://user:pw@github.example.com'}, 'user name or password'],
		[{scopes: '  '}, '--scopes needs a value'],
	] as const)('%o is refused', (flags, text) => {
		const result = resolveLoginConfig({browser: true, ...flags}, env);
		expect(result.ok).toBe(false);
		expect(result.ok ? [] : result.problems).toEqual([expect.stringContaining(text)]);
	});

	test('a missing client id names the flag and the variable; a missing secret its variable', () => {
		const result = resolveLoginConfig({browser: true}, {});
		expect(result).toEqual({
			ok: false,
			problems: [
				expect.stringMatching(/--client-id.*STACKTOWER_GITHUB_CLIENT_ID/),
				expect.stringContaining('set STACKTOWER_GITHUB_CLIENT_SECRET'),
			],
		});
	});
});
