// `l` in the inspector, end to end: the built CLI in a real pseudo-terminal logs in against
// the fake GitHub, and Esc cancels a login and frees its port.
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {request} from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeEach, describe, expect, test} from 'vitest';
import {installFakeBrowser, waitForVisit} from './helpers/fake-browser.js';
import {FakeGitHub} from './helpers/fake-github.js';
import {killAllPtys, spawnCli} from './helpers/pty.js';

let fake: FakeGitHub;
let dir: string;

beforeEach(async () => {
	fake = await FakeGitHub.start();
	dir = mkdtempSync(path.join(tmpdir(), 'stacktower-inspector-login-'));
});

afterEach(async () => {
	await fake.close();
	rmSync(dir, {recursive: true, force: true});
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
		expect(p.screenText()).toContain(
			'--web needs an OAuth app, and a client secret is missing: pass --client-id ID or set STACKTOWER_GITHUB_CLIENT_ID, and set STACKTOWER_GITHUB_CLIENT_SECRET',
		);
		expect(fake.authorizeQueries).toHaveLength(0);
		expect(fake.deviceCodeRequests).toHaveLength(0);
	});

	test('Esc cancels a waiting login and frees its port', async () => {
		const p = await inspector(['--no-browser']);
		await p.waitFor('No sessions yet');
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
		await p.waitFor('No sessions yet');
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
