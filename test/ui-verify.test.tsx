// The inspector's token keys as rendered: a stored token expiry turning a row on the one clock,
// and v, V and R against a fake GitHub on loopback (a real HTTP server), on a MemoryStore.
import {afterEach, describe, expect, it, vi} from 'vitest';
import type {Session} from '../source/session/session.js';
import type {Props} from '../source/ui/App.js';
import {type FakeGitHub, OCTOCAT, useFakeGitHub} from './helpers/fake-github.js';
import {createTestSession, DAY, HOUR, NOW, openApp, SECOND, TestStore} from './helpers/ink.js';

afterEach(() => {
	vi.useRealTimers();
});

const open = (store: Props['store'], props: Partial<Props> = {}) =>
	openApp(store, {width: 100, ...props});

const line = (frame: string, id: string) =>
	frame.split('\n').find((l) => l.slice(2).startsWith(`${id} `)) ?? '';

describe('a stored token expiry on the clock', () => {
	it('turns the row to `token expired` when it passes, without a key', async () => {
		vi.useFakeTimers({
			toFake: ['Date', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'],
			now: NOW + 200,
		});
		const app: Session = {
			...createTestSession({id: 'app', login: 'app', expiresIn: DAY}),
			tokenExpiresAt: new Date(NOW + 2 * SECOND),
		};
		const ui = open(new TestStore([app]));
		await ui.until((f) => line(f, 'app').endsWith('23h 59m 59s'));
		await vi.advanceTimersByTimeAsync(3 * SECOND);
		await ui.until((f) => line(f, 'app').endsWith('token expired'));
		expect(ui.frame()).toContain('1 active · 0 expired');
	});
});

describe('v, V and R against GitHub', () => {
	let fake: FakeGitHub;
	useFakeGitHub((started) => {
		fake = started;
	});

	const access = () => ({
		githubHost: fake.url,
		defaultClientId: fake.clientId,
		oauthApp: undefined,
	});

	function issued(id: string, token: string, extra: Partial<Session> = {}): Session {
		return {
			...createTestSession({id, login: 'octocat', expiresIn: DAY, now: Date.now()}),
			user: {id: OCTOCAT.id, login: 'octocat', name: 'The Octocat', avatarUrl: '', email: ''},
			accessToken: token,
			githubHost: fake.url,
			clientId: fake.clientId,
			...extra,
		};
	}

	it('v and V show what GitHub says in the rows and the status line', async () => {
		const good = fake.issueToken({scopes: ['repo']}).accessToken;
		const gone = fake.issueToken().accessToken;
		fake.revokeToken(gone);
		const ui = open(new TestStore([issued('a-good', good), issued('b-gone', gone)]), {
			github: access(),
		});
		await ui.see('a-good');
		ui.write('v');
		await ui.until((f) => /valid 23h left$/.test(line(f, 'a-good')));
		expect(ui.frame()).toContain('a-good (@octocat): valid');
		ui.write('\r');
		await ui.see('scopes');
		expect(ui.frame()).toMatch(/github\s+valid, the token works as @octocat \(checked just now\)/);
		expect(ui.frame()).toMatch(/scopes\s+repo/);
		ui.write('\r');
		ui.write('V');
		await ui.see('verified 2 sessions: 1 valid, 1 revoked');
		expect(line(ui.frame(), 'b-gone')).toMatch(/revoked$/);
		expect(fake.userRequests).toHaveLength(3);
	});

	it('R renews the token in the store and says until when', async () => {
		const pair = fake.issueToken({expiresInMs: 8 * HOUR});
		const store = new TestStore([
			issued('app', pair.accessToken, {
				refreshToken: pair.refreshToken as string,
				tokenExpiresAt: new Date(Date.now() - HOUR),
			}),
		]);
		const ui = open(store, {github: access()});
		await ui.until((f) => line(f, 'app').endsWith('token expired'));
		ui.write('R');
		await ui.see('refreshed app (@octocat): the new token is valid until');
		const saved = await store.get('app');
		expect(saved?.accessToken).not.toBe(pair.accessToken);
		expect(saved?.tokenExpiresAt?.getTime()).toBeGreaterThan(Date.now() + 7 * HOUR);
		// The row follows the re-read session: its token lives again.
		await ui.until(
			(f) => line(f, 'app').endsWith('1d 0h') || /23h \d+m \d+s$/.test(line(f, 'app')),
		);
	});

	it('R on a spent refresh token says to log in again, and keeps the session as it was', async () => {
		const pair = fake.issueToken({expiresInMs: 8 * HOUR});
		const grant = fake.refreshGrants.get(pair.refreshToken as string);
		if (grant) grant.used = true;
		const before = issued('app', pair.accessToken, {refreshToken: pair.refreshToken as string});
		const store = new TestStore([before]);
		const ui = open(store, {github: access()});
		await ui.see('app');
		ui.write('R');
		await ui.see('app (@octocat): log in again (l): the refresh token is wrong, already used');
		expect(await store.get('app')).toEqual(before);
	});

	it('without GitHub access the keys say so', async () => {
		const ui = open(new TestStore([issued('app', 'gho_x')]));
		await ui.see('app');
		ui.write('v');
		await ui.see('talking to GitHub is not configured for this inspector');
		expect(fake.userRequests).toHaveLength(0);
	});
});
