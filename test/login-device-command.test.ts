// Plain `login` by the device flow, as a person sees it: the built CLI in a real
// pseudo-terminal against the fake GitHub, and loginCommand's output for hostile answers.
import {existsSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeEach, describe, expect, test} from 'vitest';
import {loginCommand} from '../source/commands/login.js';
import {parseLoginOptions} from '../source/commands/login-options.js';
import {MemoryStateStore, MemoryStore} from '../source/session/index.js';
import {capture} from './helpers/capture.js';
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
	dir = makeTempDir('stacktower-device-login-');
});

afterAll(() => killAllPtys());

const sessions = () => path.join(dir, 'sessions');

function login(extraArgs: string[], env: Record<string, string | undefined> = {}) {
	return spawnCli({
		args: [
			'login',
			'--dir',
			sessions(),
			'--github-host',
			fake.url,
			'--client-id',
			fake.clientId,
			...extraArgs,
		],
		cols: 120,
		rows: 30,
		env,
	});
}

const codeLine = /^ {4,5}([A-Z]{4}-[A-Z]{4}) ?$/m;

describe('login in a terminal', () => {
	test('shows the code and URL, waits, and Ctrl-C exits 130 with nothing saved', async () => {
		fake.pendingPolls = 100_000;
		const p = await login(['--no-browser'], {NO_COLOR: undefined, TERM: 'xterm-256color'});
		const screen = await p.waitFor('waiting for the code to be entered');
		expect(screen).toContain(`logging in to ${fake.url} for session "github" by the device flow\n`);
		expect(screen).toContain(
			`open ${fake.url}/login/device in a browser on any device, and enter this one-time code:`,
		);
		expect(screen).toMatch(codeLine);
		expect(screen).toMatch(/\(up to 15m; Ctrl-C cancels\)/);
		// The code stands out: bold and reversed on a terminal.
		const code = codeLine.exec(screen)?.[1] ?? '';
		expect(p.output()).toContain(`\u001B[1;7m ${code} \u001B[0m`);
		await expect.poll(() => fake.devicePolls.length, {timeout: 20_000}).toBeGreaterThan(0);

		p.press('ctrlC');
		const {exitCode} = await p.exit;
		expect(exitCode).toBe(130);
		// After the ^C the terminal echoes.
		expect(p.screenText()).toMatch(/\^Cstacktower-sessions: login cancelled: nothing was saved$/);
		expect(existsSync(path.join(sessions(), 'github.json'))).toBe(false);
	});

	test("opens the URL with $BROWSER, then saves the session with the App token's fields", async () => {
		const browser = installFakeBrowser(dir);
		const p = await login(['--ttl', '7d'], {
			BROWSER: browser.command,
			FAKE_BROWSER_LOG: browser.logFile,
		});
		const visit = await waitForVisit(browser.logFile);
		expect(visit.argv).toEqual([`${fake.url}/login/device`]);
		expect(visit.authorize?.status).toBe(200);
		const screen = await p.waitFor('logged in as @octocat');
		expect(screen).toContain(
			`opening ${fake.url}/login/device in your browser (if it does not open, open it yourself)`,
		);
		expect(screen).toMatch(/saved session "github" \(expires \d{4}-/);
		expect((await p.exit).exitCode).toBe(0);

		const [token] = [...fake.tokens.keys()];
		const [refresh] = [...fake.refreshTokens];
		const file = path.join(sessions(), 'github.json');
		const written = JSON.parse(readFileSync(file, 'utf8'));
		expect(written).toMatchObject({
			id: 'github',
			access_token: token,
			user: {login: 'octocat'},
			refresh_token: refresh,
			client_id: fake.clientId,
			github_host: fake.url,
		});
		expect(Date.parse(written.expires_at) - Date.parse(written.created_at)).toBe(7 * 86_400_000);
		expect(Date.parse(written.token_expires_at)).toBeGreaterThan(Date.parse(written.created_at));
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(p.output()).not.toContain(token?.slice(4, 16));
		expect(p.output()).not.toContain(refresh?.slice(4, 16));
	});
});

describe('what reaches the terminal', () => {
	test('a hostile code and URL are escaped, and a URL off the host is not opened', async () => {
		fake.deviceCodeFields = {
			user_code: 'ABCD\u001B]0;pwned\u0007-EFGH',
			verification_uri: 'https://evil.example/\u001B[2Jlogin',
		};
		const parsed = parseLoginOptions(
			{clientId: fake.clientId, githubHost: fake.url, browser: true},
			{},
		);
		if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
		const stderr = capture();
		const code = await loginCommand({
			store: new MemoryStore(),
			stateStore: new MemoryStateStore(),
			config: parsed.config,
			// Any opener would do: it must not be started.
			env: {BROWSER: '/nonexistent/browser'},
			stderr: stderr.stream,
		});
		expect(code).toBe(0);
		const text = stderr.text();
		// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
		expect(text).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
		expect(text).toContain('    ABCD\\x1b]0;pwned\\x07-EFGH\n');
		expect(text).toContain('open https://evil.example/\\x1b[2Jlogin in a browser on any device');
		expect(text).toContain(`(not opened in the browser: it is not on ${fake.url})\n`);
		expect(text).not.toContain('could not start $BROWSER');
	});
});
