// `login` as a command: what a person sees on stderr, the exit codes, and the usage errors.
import {existsSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {beforeEach, describe, expect, onTestFinished, test} from 'vitest';
import {loginCommand} from '../source/commands/login.js';
import {type LoginFlagValues, parseLoginOptions} from '../source/commands/login-options.js';
import {MemoryStateStore, MemoryStore, newSession} from '../source/session/index.js';
import {capture} from './helpers/capture.js';
import {runCli} from './helpers/cli.js';
import {installFakeBrowser, waitForVisit} from './helpers/fake-browser.js';
import {type FakeGitHub, MONALISA, useFakeGitHub} from './helpers/fake-github.js';
import {type Answer, headersThenStall, misbehave} from './helpers/stalling-peer.js';
import {makeTempDir} from './helpers/temp-dir.js';
import {waitFor} from './helpers/wait.js';

let fake: FakeGitHub;
let store: MemoryStore;
let dir: string;

useFakeGitHub((started) => {
	fake = started;
});

beforeEach(() => {
	store = new MemoryStore();
	dir = makeTempDir('stacktower-login-cmd-');
});

/** The web flow: the fake's OAuth app id and its secret, as the command line would give them. */
function run(flags: LoginFlagValues = {}, env: NodeJS.ProcessEnv = {}) {
	const stderr = capture();
	const fullEnv = {STACKTOWER_GITHUB_CLIENT_SECRET: fake.clientSecret, ...env};
	const parsed = parseLoginOptions(
		{clientId: fake.clientId, githubHost: fake.url, ...flags},
		fullEnv,
	);
	if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
	expect(parsed.config.flow).toBe('web');
	const code = loginCommand({
		store,
		stateStore: new MemoryStateStore(),
		config: parsed.config,
		env: fullEnv,
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
	await waitFor(() => pattern.test(read()), read);
	return pattern.exec(read()) as RegExpExecArray;
}

describe('the login command', () => {
	test('logs in through $BROWSER, prints the URL and who logged in, and never the token', async () => {
		const browser = installFakeBrowser(dir);
		// A zone without daylight saving: the offset is the same on any date.
		const zone = process.env.TZ;
		process.env.TZ = 'Asia/Kolkata';
		onTestFinished(() => {
			if (zone === undefined) delete process.env.TZ;
			else process.env.TZ = zone;
		});
		const {code, stderr} = run({}, {BROWSER: browser.command, FAKE_BROWSER_LOG: browser.logFile});
		expect(await code).toBe(0);
		const visit = await waitForVisit(browser.logFile);
		expect(visit.callback?.status).toBe(200);
		expect(visit.env).toContain('FAKE_BROWSER_LOG');
		expect(visit.env).not.toContain('STACKTOWER_GITHUB_CLIENT_SECRET');

		const text = stderr();
		expect(text).toContain(
			`logging in to ${fake.url} for session "github" by the loopback web flow\n`,
		);
		expect(text).toContain(`  ${visit.argv[0]}\n`);
		expect(text).toMatch(
			/waiting for the callback on http:\/\/127\.0\.0\.1:\d+\/callback \(up to 5m; Ctrl-C cancels\)/,
		);
		expect(text).toMatch(
			/logged in as @octocat \(The Octocat\): saved session "github" \(expires \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+05:30, in 30d\)\n/,
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
		const {code, stderr} = run({browser: false, id: 'laptop'});
		const [, url] = await waitForText(stderr, /open this URL in your browser:\n\n {2}(\S+)\n/);
		const authorize = new URL(url ?? '');
		expect(authorize.searchParams.get('login')).toBe('octocat');
		const redirect = await fetch(authorize, {redirect: 'manual'});
		const callback = await fetch(redirect.headers.get('location') ?? '');
		expect(callback.status).toBe(200);

		expect(await code).toBe(0);
		const text = stderr();
		expect(text).toContain('logged in as @monalisa (Mona Lisa): saved session "laptop"');
		expect(text).toContain('note: session "laptop" belonged to @octocat; it is now @monalisa\'s\n');
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
			'stacktower-sessions: the login was denied on GitHub (access_denied: The user said no [31m)\n',
		);
		expect(stderr()).not.toContain('\u001b');
		expect(await store.list()).toEqual([]);
	});

	test('a timeout exits 1', async () => {
		const {code, stderr} = run({browser: false, timeout: '0.3'});
		expect(await code).toBe(1);
		expect(stderr()).toContain(
			'stacktower-sessions: the login timed out: no answer from the browser within',
		);
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
		expect(result.stderr).toContain('logged in as @octocat (The Octocat): saved session "ci"');
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
			`stacktower-sessions: exchanging the authorization code failed: GitHub's token endpoint (${fake.url}/login/oauth/access_token) did not finish its answer within 10s (1 bytes received)`,
		);
		expect(result.stderr).not.toMatch(/browser within/);
		expect(answers[0]?.closed).toBe(true);
		expect(existsSync(path.join(dir, 'sessions', 'github.json'))).toBe(false);
	}, 90_000);

	test('`login --web` without the secret is a usage error naming the variables', async () => {
		const result = await runCli([
			'login',
			'--web',
			'--client-id',
			'Iv1.x',
			'--dir',
			path.join(dir, 'sessions'),
		]);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain(
			'stacktower-sessions: --web needs an OAuth app, and a client secret is missing',
		);
		expect(result.stderr).toContain('STACKTOWER_GITHUB_CLIENT_SECRET');
		expect(existsSync(path.join(dir, 'sessions'))).toBe(false);
	});
});
