// `l` in the inspector, end to end: the built CLI in a real pseudo-terminal logs in against
// the fake GitHub, and Esc cancels a login and frees its port.
import {existsSync, readFileSync} from 'node:fs';
import {request} from 'node:http';
import path from 'node:path';
import {afterAll, beforeEach, describe, expect, test} from 'vitest';
import {installFakeBrowser, waitForVisit} from './helpers/fake-browser.js';
import {type FakeGitHub, useFakeGitHub} from './helpers/fake-github.js';
import {killAllPtys, spawnCli} from './helpers/pty.js';
import {makeTempDir} from './helpers/temp-dir.js';

let fake: FakeGitHub;
let dir: string;

useFakeGitHub((started) => {
	fake = started;
});

beforeEach(() => {
	dir = makeTempDir('stacktower-inspector-login-');
});

afterAll(() => killAllPtys());

function connect(port: number): Promise<string> {
	return new Promise((resolve) => {
		const req = request({host: '127.0.0.1', port, path: '/callback', agent: false}, (res) => {
			res.resume();
			resolve(`answered ${res.statusCode}`);
		});
		req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
		req.end();
	});
}

function inspector(extraArgs: string[], env: Record<string, string> = {}) {
	// Wide enough for the whole authorize URL on one line.
	return spawnCli({
		args: ['--dir', path.join(dir, 'sessions'), '--github-host', fake.url, ...extraArgs],
		cols: 400,
		rows: 30,
		env: {
			STACKTOWER_GITHUB_CLIENT_ID: fake.clientId,
			STACKTOWER_GITHUB_CLIENT_SECRET: fake.clientSecret,
			...env,
		},
	});
}

const urlPattern = /http:\/\/127\.0\.0\.1:\d+\/login\/oauth\/authorize\?\S+/;

describe('logging in from the inspector', () => {
	test('--web without the client secret is a usage error before the inspector starts', async () => {
		const p = await inspector(['--web', '--no-browser'], {STACKTOWER_GITHUB_CLIENT_SECRET: ''});
		expect((await p.exit).exitCode).toBe(2);
		// The raw output: the screen wraps this long line at its width.
		expect(p.output()).toContain(
			`--web needs an OAuth app, and a client secret is missing: register an OAuth app at ${fake.url}/settings/developers with the callback URL http://127.0.0.1/callback (or use one you have); pass its client id with --client-id ID or STACKTOWER_GITHUB_CLIENT_ID, and its secret in STACKTOWER_GITHUB_CLIENT_SECRET`,
		);
		expect(fake.authorizeQueries).toHaveLength(0);
		expect(fake.deviceCodeRequests).toHaveLength(0);
	});

	test('Esc cancels a waiting login and frees its port', async () => {
		const p = await inspector(['--no-browser']);
		await p.waitFor('no sessions yet');
		p.press('l');
		const screen = await p.waitFor(urlPattern);
		expect(screen).toContain('waiting for GitHub');
		const authorize = new URL(urlPattern.exec(screen)?.[0] ?? '');
		const callback = new URL(authorize.searchParams.get('redirect_uri') ?? '');
		expect(await connect(Number(callback.port))).toBe('answered 400');

		p.press('escape');
		await p.waitFor('login cancelled');
		await expect.poll(() => connect(Number(callback.port)), {timeout: 20_000}).toBe('ECONNREFUSED');
		expect(existsSync(path.join(dir, 'sessions', 'github.json'))).toBe(false);
		p.press('q');
		expect((await p.exit).exitCode).toBe(0);
	});

	test('l on an empty store logs the CLI session in through $BROWSER and lists it', async () => {
		const browser = installFakeBrowser(dir);
		const p = await inspector([], {BROWSER: browser.command, FAKE_BROWSER_LOG: browser.logFile});
		await p.waitFor('no sessions yet');
		p.press('l');
		const screen = await p.waitFor('logged in as @octocat');
		expect(screen).toContain('session github');
		expect((await waitForVisit(browser.logFile)).callback?.status).toBe(200);

		const [token] = [...fake.tokens.keys()];
		const file = JSON.parse(readFileSync(path.join(dir, 'sessions', 'github.json'), 'utf8'));
		expect(file).toMatchObject({id: 'github', access_token: token, user: {login: 'octocat'}});
		expect(p.output()).not.toContain(token?.slice(4, 16));
		p.press('escape');
		await p.waitFor(/github\s+@octocat/);
		p.press('q');
		expect((await p.exit).exitCode).toBe(0);
	});
});

describe('l by the device flow', () => {
	function deviceInspector(cols: number) {
		return spawnCli({
			args: [
				'--dir',
				path.join(dir, 'sessions'),
				'--github-host',
				fake.url,
				'--client-id',
				fake.clientId,
				'--no-browser',
			],
			cols,
			rows: 30,
		});
	}

	const codePattern = /^ {3} ([A-Z]{4}-[A-Z]{4}) ?$/m;

	test('shows the code and URL each on a line of its own, counts down, and Esc stops polling', async () => {
		fake.pendingPolls = 100_000;
		const p = await deviceInspector(80);
		await p.ready('no sessions yet');
		p.press('l');
		const screen = await p.waitFor(codePattern);
		const lines = screen.split('\n');
		expect(lines).toContain(`   ${fake.url}/login/device`);
		expect(lines).toContain(' open this URL in a browser, on any device:');
		expect(screen).toMatch(/waiting for the code to be entered · it expires in 1[45]m \d+s/);
		const code = codePattern.exec(screen)?.[1];
		await expect.poll(() => fake.devicePolls.length, {timeout: 20_000}).toBeGreaterThan(0);
		// The countdown moves.
		await p.waitFor((text) => !text.includes(screen.match(/expires in [^\n]+/)?.[0] ?? ''));

		p.press('escape');
		await p.waitFor('login cancelled');
		const first = fake.devicePolls[0]?.params.device_code;
		const pollsOf = (deviceCode: string | undefined) =>
			fake.devicePolls.filter((poll) => poll.params.device_code === deviceCode).length;
		const polls = pollsOf(first);
		// A second login as the clock: once it has polled three times, the cancelled one would
		// have polled again had it not stopped.
		p.press('l');
		await p.waitFor((text) => codePattern.test(text) && codePattern.exec(text)?.[1] !== code);
		await expect.poll(() => fake.devicePolls.length - polls, {timeout: 20_000}).toBeGreaterThan(3);
		expect(pollsOf(first)).toBe(polls);
		p.press('escape');
		await p.waitFor('login cancelled');
		expect(existsSync(path.join(dir, 'sessions', 'github.json'))).toBe(false);
		p.press('q');
		expect((await p.exit).exitCode).toBe(0);
	});

	test("logs the CLI session in and keeps the App token's fields", async () => {
		const p = await deviceInspector(100);
		await p.ready('no sessions yet');
		p.press('l');
		await p.waitFor('logged in as @octocat');
		const file = JSON.parse(readFileSync(path.join(dir, 'sessions', 'github.json'), 'utf8'));
		expect(file).toMatchObject({
			id: 'github',
			access_token: [...fake.tokens.keys()][0],
			refresh_token: [...fake.refreshTokens][0],
			client_id: fake.clientId,
			github_host: fake.url,
		});
		expect(p.output()).not.toContain(file.refresh_token.slice(4, 16));
		p.press('escape');
		await p.waitFor(/github\s+@octocat/);
		p.press('q');
		expect((await p.exit).exitCode).toBe(0);
	});

	test('a URL wider than the terminal is not shown broken: it says how wide to make it', async () => {
		fake.pendingPolls = 100_000;
		const p = await deviceInspector(36);
		await p.ready('no sessions yet');
		p.press('l');
		const url = `${fake.url}/login/device`;
		const screen = await p.waitFor('needs');
		expect(screen.replace(/\s+/g, ' ')).toContain(`the URL needs ${url.length + 3} columns`);
		expect(screen).not.toContain('/login/dev');
		p.press('escape');
		await p.waitFor('login cancelled');
		p.press('q');
		expect((await p.exit).exitCode).toBe(0);
	});
});
