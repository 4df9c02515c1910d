// The inspector's token keys end to end: the built CLI in a real pseudo-terminal, its sessions
// issued by a fake GitHub on loopback, read back as the screen a person sees. v and V ask
// GitHub, Esc stops a V that GitHub stalls, R renews a token on disk, d can revoke it.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import type {Session} from '../source/session/session.js';
import {type FakeGitHub, OCTOCAT, useFakeGitHub} from './helpers/fake-github.js';
import {killAllPtys, type PtySession, spawnCli} from './helpers/pty.js';
import {idsIn, makeSession, makeSessionDir, makeUser} from './helpers/session-dir.js';
import {waitFor} from './helpers/wait.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let fake: FakeGitHub;

useFakeGitHub((started) => {
	fake = started;
});

afterAll(() => killAllPtys());

/** A session as a login at the fake GitHub leaves it: its host and app recorded. */
function issued(id: string, accessToken: string, extra: Partial<Session> = {}): Session {
	return makeSession(id, 30 * DAY, {
		accessToken,
		user: makeUser('octocat', {id: OCTOCAT.id}),
		githubHost: fake.url,
		clientId: fake.clientId,
		...extra,
	});
}

/** The screen line showing the session `id` (ids are the first column). */
function rowOf(screen: string, id: string): string {
	return screen.split('\n').find((line) => new RegExp(`^[❯ ] ${id}\\s`).test(line)) ?? '';
}

/** Selects `id` by filtering the list down to it. */
async function select(p: PtySession, id: string): Promise<void> {
	p.press('/');
	await p.waitFor(' /');
	p.type(id);
	await p.waitFor((s) => s.includes(` /${id}`) && s.includes('1 match'));
	p.press('enter');
	await p.waitFor((s) => rowOf(s, id).startsWith('❯') && !s.includes('1 match'));
}

async function quit(p: PtySession): Promise<void> {
	p.press('q');
	expect((await p.exit).exitCode).toBe(0);
}

describe('the token keys in a real terminal', () => {
	test('v asks GitHub about the selected session: valid, or revoked, in its row', async () => {
		const good = fake.issueToken().accessToken;
		const gone = fake.issueToken().accessToken;
		fake.revokeToken(gone);
		const dir = makeSessionDir({
			fixtures: false,
			sessions: [issued('alpha', good), issued('beta', gone)],
		});
		const p = await spawnCli({args: ['--dir', dir]});
		await p.ready((s) => rowOf(s, 'alpha') !== '' && rowOf(s, 'beta') !== '');

		await select(p, 'alpha');
		p.press('v');
		await p.waitFor((s) => /valid \d+d left/.test(rowOf(s, 'alpha')));
		await p.waitFor('alpha (@octocat): valid');
		p.press('escape');
		await p.waitFor((s) => rowOf(s, 'beta') !== '');
		await select(p, 'beta');
		p.press('v');
		await p.waitFor((s) => rowOf(s, 'beta').includes('revoked'));
		await p.waitFor('revoked or expired on GitHub; l logs in again');
		p.press('enter');
		await p.waitFor(/github\s+revoked or expired on GitHub \(checked (just now|\d+s ago)\)/);
		expect(fake.userRequests).toHaveLength(2);
		expect(p.output()).not.toContain(good);
		await quit(p);
	});

	test('V shows its progress, and Esc stops it at once while GitHub stalls', async () => {
		const sessions = Array.from({length: 6}, (_, i) =>
			issued(`stalled-${i}`, fake.issueToken().accessToken),
		);
		const dir = makeSessionDir({fixtures: false, sessions});
		fake.userFault = 'stall';
		const p = await spawnCli({args: ['--dir', dir]});
		await p.ready((s) => rowOf(s, 'stalled-5') !== '');
		p.press('V');
		await p.waitFor((s) => s.includes('verifying… 0 / 6 checked') && s.includes('Esc cancel'));
		// Four requests at once, all held by GitHub: none can have answered.
		await waitFor(
			() => fake.userRequests.length === 4,
			() => String(fake.userRequests.length),
		);
		expect(rowOf(p.screenText(), 'stalled-0')).toContain('checking…');
		p.press('escape');
		// Well inside the 10 s each request may take: the requests were aborted, not waited for.
		const screen = await p.waitFor('verify cancelled · 0 of 6 checked', 5000);
		for (const session of sessions) expect(rowOf(screen, session.id)).not.toContain('checking');
		expect(fake.userRequests).toHaveLength(4);
		await quit(p);
	});

	test('R renews an expired GitHub App token: the row, and the file, hold the new one', async () => {
		const pair = fake.issueToken({expiresInMs: 8 * HOUR});
		const dir = makeSessionDir({
			fixtures: false,
			sessions: [
				issued('app', pair.accessToken, {
					refreshToken: pair.refreshToken as string,
					// As stored at login, eight hours ago: the token died an hour ago.
					tokenExpiresAt: new Date(Date.now() - HOUR),
					refreshTokenExpiresAt: new Date(Date.now() + 100 * DAY),
				}),
			],
		});
		const file = path.join(dir, 'app.json');
		const p = await spawnCli({args: ['--dir', dir]});
		// Before any check, the row says the token is dead.
		await p.ready((s) => rowOf(s, 'app').includes('token expired'));
		p.press('R');
		await p.waitFor(/refreshed app \(@octocat\): the new token is valid until/);
		await p.waitFor((s) => /\d+d \d+h/.test(rowOf(s, 'app')));
		const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
		expect(Date.parse(saved.token_expires_at as string)).toBeGreaterThan(Date.now() + 7 * HOUR);
		expect(saved.access_token).not.toBe(pair.accessToken);
		expect(saved.refresh_token).not.toBe(pair.refreshToken);
		expect(fake.refreshRequests).toHaveLength(1);
		// The old refresh token is spent: a second R renews with the new one.
		p.press('R');
		await waitFor(
			() => fake.refreshRequests.length === 2,
			() => p.screenText(),
		);
		await p.waitFor(/refreshed app \(@octocat\)/);
		expect(p.output()).not.toContain(pair.refreshToken);
		await quit(p);
	});

	test('d, y, then y revokes the token on GitHub and deletes the session', async () => {
		const token = fake.issueToken().accessToken;
		const dir = makeSessionDir({fixtures: false, sessions: [issued('doomed', token)]});
		const p = await spawnCli({
			args: ['--dir', dir],
			env: {
				STACKTOWER_GITHUB_CLIENT_ID: fake.clientId,
				STACKTOWER_GITHUB_CLIENT_SECRET: fake.clientSecret,
			},
		});
		await p.ready((s) => rowOf(s, 'doomed') !== '');
		p.press('d');
		await p.waitFor('delete doomed (@octocat)? y/n');
		p.press('y');
		await p.waitFor('also revoke the token on GitHub? y/n');
		p.press('y');
		await p.waitFor('deleted doomed (@octocat) · token revoked on GitHub');
		expect(fake.revokeRequests).toHaveLength(1);
		expect(fake.revokeRequests[0]?.body).toBe(JSON.stringify({access_token: token}));
		expect(fake.tokens.has(token)).toBe(false);
		expect(idsIn(dir)).toEqual([]);
		await quit(p);
	});

	test('without the app secret d asks once, and says where to revoke by hand', async () => {
		const token = fake.issueToken().accessToken;
		const dir = makeSessionDir({fixtures: false, sessions: [issued('plain', token)]});
		const p = await spawnCli({
			args: ['--dir', dir],
			cols: 160,
			env: {STACKTOWER_GITHUB_CLIENT_SECRET: undefined},
		});
		await p.ready((s) => rowOf(s, 'plain') !== '');
		p.press('d');
		await p.waitFor('delete plain (@octocat)? y/n');
		p.press('y');
		await p.waitFor(
			`deleted plain (@octocat) · token not revoked: revoke it by hand at ${fake.url}/settings/apps/authorizations`,
		);
		expect(fake.revokeRequests).toHaveLength(0);
		expect(idsIn(dir)).toEqual([]);
		await quit(p);
	});
});
