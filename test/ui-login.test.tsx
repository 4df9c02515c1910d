import {describe, expect, it} from 'vitest';
import {displayWidth} from '../source/format/width.js';
import type {Session} from '../source/session/session.js';
import type {StartLogin} from '../source/ui/types.js';
import {createTestSession, keys, openApp, TestStore, waitFor} from './helpers/ink.js';

const open = openApp;

const URL = 'http://127.0.0.1:4567/login/oauth/authorize?client_id=abc&state=xyz';

type Call = Parameters<StartLogin>[0];

/** A login that waits until the test settles it, saving into `store` on success like the real flow. */
function controllableLogin(store: TestStore) {
	const calls: Call[] = [];
	let settle: {resolve: (user: string) => void; reject: (error: Error) => void} | undefined;
	const login: StartLogin = (args) => {
		calls.push(args);
		args.onUrl(URL);
		return new Promise((resolve, reject) => {
			args.signal.addEventListener('abort', () => reject(new Error('login cancelled')));
			settle = {
				resolve: (login) => {
					const session: Session = {
						...createTestSession({id: args.sessionId, login, name: 'New Name', now: Date.now()}),
					};
					void store.set(session).then(() => {
						const before = args.previous?.user?.login;
						resolve({
							session,
							userChanged: before !== undefined && before !== login,
							previousLogin: before,
						});
					});
				},
				reject,
			};
		});
	};

	return {calls, login, settle: () => settle};
}

/** The inspector on one session `work` of `login`, after `l`: the login waits for GitHub. */
async function pressL(login: string) {
	const store = new TestStore([createTestSession({id: 'work', login, now: Date.now()})]);
	const fake = controllableLogin(store);
	const ui = open(store, {login: fake.login});
	await ui.see(`@${login}`);
	await ui.press('l', (f) => f.includes(URL));
	return {fake, ui};
}

describe('login from the inspector', () => {
	it('shows the URL, a spinner and the time left, then who is logged in, and reloads', async () => {
		const {fake, ui} = await pressL('olduser');
		const frame = ui.frame();
		expect(frame).toContain('logging in session work (@olduser)');
		expect(frame).toMatch(/waiting for GitHub · (5m 0s|4m 5\ds) left/);
		expect(frame).toContain('Esc cancel');
		expect(fake.calls[0]?.sessionId).toBe('work');
		expect(fake.calls[0]?.previous?.user?.login).toBe('olduser');

		fake.settle()?.resolve('newuser');
		await ui.see('✔ logged in as @newuser (New Name) · session work');
		expect(ui.frame()).toContain('previously @olduser');
		await ui.press(keys.escape, (f) => f.includes('@newuser') && f.includes('EXPIRES IN'));
		expect(ui.frame()).not.toContain('@olduser');
	});

	it('says nothing about a previous user when the same user logs in again', async () => {
		const {fake, ui} = await pressL('same');
		fake.settle()?.resolve('same');
		await ui.see('✔ logged in as @same');
		expect(ui.frame()).not.toContain('previously');
	});

	it('shows why the login failed', async () => {
		const {fake, ui} = await pressL('olduser');
		fake
			.settle()
			?.reject(
				new Error('GitHub refused: access_denied (The user has denied your application access.)'),
			);
		await ui.see('✘ login failed for session work');
		expect(ui.frame()).toContain('GitHub refused: access_denied');
		expect(ui.frame()).toContain('press l to try again, Esc to go back');
		expect(ui.frame()).toContain('l try again');
		await ui.press(keys.enter, (f) => f.includes('EXPIRES IN'));
	});

	it('l after a failed login tries again, on the same session', async () => {
		const {fake, ui} = await pressL('olduser');
		fake.settle()?.reject(new Error('GitHub refused: access_denied'));
		await ui.see('✘ login failed for session work');
		await ui.press('l', (f) => f.includes('logging in session work (@olduser)'));
		expect(fake.calls.map((call) => call.sessionId)).toEqual(['work', 'work']);
		fake.settle()?.resolve('olduser');
		await ui.see('✔ logged in as @olduser');
	});

	it('Esc aborts the login through its signal', async () => {
		const {fake, ui} = await pressL('olduser');
		await ui.press(keys.escape, (f) => f.includes('login cancelled') && f.includes('EXPIRES IN'));
		await waitFor(() => fake.calls[0]?.signal.aborted === true);
	});

	it('q during a login aborts it through its signal and quits', async () => {
		const {fake, ui} = await pressL('olduser');
		ui.write('\u0003');
		await waitFor(() => fake.calls[0]?.signal.aborted === true);
	});

	it('logs in the CLI session `github` on an empty store', async () => {
		const store = new TestStore();
		const fake = controllableLogin(store);
		const ui = open(store, {login: fake.login});
		await ui.see('press l to log in');
		await ui.press('l', (f) => f.includes('logging in session github') && f.includes(URL));
		expect(fake.calls[0]?.sessionId).toBe('github');
		expect(fake.calls[0]?.previous).toBeNull();
		fake.settle()?.resolve('octocat');
		await ui.see('✔ logged in as @octocat');
		await ui.press(keys.escape, (f) => f.includes('@octocat') && f.includes('1 active'));
	});

	it('explains how to configure login when there is none', async () => {
		const store = new TestStore([createTestSession({id: 'work', now: Date.now()})]);
		const ui = open(store, {
			loginUnavailable:
				'the GitHub OAuth app client id is missing: pass --client-id ID or set STACKTOWER_GITHUB_CLIENT_ID',
			width: 200,
		});
		await ui.see('work');
		await ui.press('l', (f) => f.includes('login is not configured'));
		expect(ui.frame()).toMatch(
			/✘ cannot log in session work \(@user\d+\): login is not configured/,
		);
		expect(ui.frame()).toContain(
			'• the GitHub OAuth app client id is missing: pass --client-id ID or set STACKTOWER_GITHUB_CLIENT_ID',
		);
		// What to set, for either flow, where every way of starting the inspector shares it (not
		// a command line the user may not have typed), and where to get an OAuth app.
		expect(ui.frame()).toContain(
			'set in the environment the inspector starts in, then start it again:',
		);
		expect(ui.frame()).toContain(
			'• the device flow: STACKTOWER_GITHUB_APP_CLIENT_ID, a GitHub App or OAuth app with "Enable Device Flow" checked',
		);
		expect(ui.frame()).toContain(
			'• the loopback web flow: STACKTOWER_GITHUB_CLIENT_ID and STACKTOWER_GITHUB_CLIENT_SECRET of an OAuth app: register an OAuth app at https://github.com/settings/developers with the callback URL',
		);
		expect(ui.frame()).toContain(
			'http://127.0.0.1/callback (on GitHub Enterprise: HOST/settings/developers)',
		);
		expect(ui.frame()).not.toContain('start stacktower-sessions again');
		expect(ui.frame()).toContain('Esc back');
		await ui.press(keys.escape, (f) => f.includes('work') && !f.includes('cannot log in'));
	});

	it.each([
		[60, 15],
		[30, 8],
	])(
		'on a %ix%i terminal the not-configured view is cut to the screen, never wrapped off it',
		async (width, height) => {
			const store = new TestStore([createTestSession({id: 'work', now: Date.now()})]);
			const ui = open(store, {
				loginUnavailable:
					'the GitHub OAuth app client id is missing: pass --client-id ID or set STACKTOWER_GITHUB_CLIENT_ID',
				width,
				height,
			});
			await ui.see('work');
			await ui.press('l', (f) => f.includes('cannot log in'));
			const lines = ui.frame().split('\n');
			// The whole screen fits: no line wider than the terminal, no more lines than it has, the
			// footer still at the bottom.
			expect(lines.length).toBeLessThanOrEqual(height);
			for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width);
			expect(lines.at(-1)).toContain('Esc back');
			// Cut where it no longer fits, saying so; a wrapped bullet continues under its text.
			expect(ui.frame()).toContain('↓ more');
			if (width === 60) {
				expect(ui.frame()).toContain(
					' • the GitHub OAuth app client id is missing: pass\n   --client-id ID or set STACKTOWER_GITHUB_CLIENT_ID\n',
				);
			}
		},
	);

	it('says what is missing when the caller knows (here: the client secret)', async () => {
		const store = new TestStore([createTestSession({id: 'work', now: Date.now()})]);
		const ui = open(store, {
			loginUnavailable:
				'the client secret is missing: set STACKTOWER_GITHUB_CLIENT_SECRET (it is never taken from a flag)\nbad\u001B[2J host',
			width: 140,
		});
		await ui.see('work');
		// Every problem whole, one per line, escaped.
		await ui.press('l', (f) => f.includes('login is not configured'));
		expect(ui.frame()).toContain(
			'• the client secret is missing: set STACKTOWER_GITHUB_CLIENT_SECRET (it is never taken from a flag)\n',
		);
		expect(ui.frame()).toContain('• bad\\x1b[2J host');
		expect(ui.frame()).not.toContain('\u001B');
	});

	it('escapes what the login reports', async () => {
		const store = new TestStore([
			createTestSession({id: 'work', login: 'olduser', now: Date.now()}),
		]);
		const login: StartLogin = async ({onUrl}) => {
			onUrl('http://127.0.0.1:1/\u001B]0;title\u0007');
			throw new Error('bad\u001B[2Jthing');
		};
		const ui = open(store, {login});
		await ui.see('@olduser');
		await ui.press('l', (f) => f.includes('login failed'));
		expect(ui.frame()).toContain('bad\\x1b[2Jthing');
		expect(ui.frame()).not.toContain('\u001B');
	});
});
