// `status` and `list --json`'s token_status: the built CLI against a fake GitHub on loopback.
import {describe, expect, test} from 'vitest';
import type {Session} from '../source/session/session.js';
import {runCli} from './helpers/cli.js';
import {FakeGitHub, MONALISA, OCTOCAT, useFakeGitHub} from './helpers/fake-github.js';
import {makeSession, makeSessionDir, makeUser, readSession} from './helpers/session-dir.js';

let fake: FakeGitHub;

useFakeGitHub((started) => {
	fake = started;
});

const octocat = makeUser('octocat', {id: OCTOCAT.id, name: 'The Octocat'});

function session(id: string, accessToken: string, extra: Partial<Session> = {}): Session {
	return makeSession(id, 24 * 3_600_000, {
		accessToken,
		user: octocat,
		githubHost: fake.url,
		clientId: fake.clientId,
		...extra,
	});
}

function status(dir: string, ...args: string[]) {
	return runCli(['status', '--dir', dir, ...args]);
}

describe('status', () => {
	test('every active session, each with what GitHub says; exit 1 when one is revoked', async () => {
		const good = fake.issueToken({scopes: ['repo', 'read:user']}).accessToken;
		const gone = fake.issueToken().accessToken;
		fake.revokeToken(gone);
		const dir = makeSessionDir({
			fixtures: false,
			sessions: [
				session('alpha', good),
				session('beta', gone),
				session('local', '', {user: makeUser('local')}),
				session('old', good, {expiresAt: new Date(Date.now() - 60_000)}),
			],
		});
		const result = await status(dir);
		const lines = result.stdout.trimEnd().split('\n');
		expect(lines[0]).toMatch(/^ID\s+STATUS\s+LOGIN\s+SCOPES\s+TOKEN EXPIRES\s+NOTE$/);
		expect(lines[1]).toMatch(/^alpha\s+valid\s+@octocat\s+repo,read:user\s+-$/);
		expect(lines[2]).toMatch(
			/^beta\s+revoked\s+@octocat\s+-\s+-\s+revoked or expired on GitHub: log in again$/,
		);
		expect(lines[3]).toMatch(/^local\s+no_token\s+@local\s+-\s+-\s+the session holds no token$/);
		// The expired session is not checked unless named.
		expect(lines).toHaveLength(4);
		expect(result.code).toBe(1);
		expect(result.stdout + result.stderr).not.toContain(good);
		expect(fake.userRequests).toHaveLength(2);
	});

	test('--json: one element per session with id, status, login, scopes, token_expires_at, error', async () => {
		const oauth = fake.issueToken({scopes: ['read:user']}).accessToken;
		const app = fake.issueToken({expiresInMs: 8 * 3_600_000});
		const dir = makeSessionDir({
			fixtures: false,
			sessions: [
				session('a', oauth),
				session('b', app.accessToken, {refreshToken: app.refreshToken}),
			],
		});
		const result = await status(dir, '--json');
		expect(result.code).toBe(0);
		const parsed = JSON.parse(result.stdout) as Record<string, unknown>[];
		expect(parsed).toEqual([
			{
				id: 'a',
				status: 'valid',
				login: 'octocat',
				scopes: ['read:user'],
				token_expires_at: null,
				error: null,
			},
			{
				id: 'b',
				status: 'valid',
				login: 'octocat',
				scopes: [],
				token_expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
				error: null,
			},
		]);
		const expiry = Date.parse(String(parsed[1]?.token_expires_at));
		expect(Math.abs(expiry - (Date.now() + 8 * 3_600_000))).toBeLessThan(60_000);
	});

	test('named ids only, an unknown id reported (exit 1); a stored token_expires_at shows without a header', async () => {
		const oauth = fake.issueToken().accessToken;
		const tokenExpiresAt = new Date(Date.now() + 3 * 3_600_000);
		const dir = makeSessionDir({
			fixtures: false,
			sessions: [session('a', oauth, {tokenExpiresAt}), session('b', oauth)],
		});
		const result = await status(dir, 'a', 'nope', '--json');
		expect(result.stderr).toContain('no session nope in');
		expect(result.code).toBe(1);
		const parsed = JSON.parse(result.stdout) as {id: string; token_expires_at: string}[];
		expect(parsed.map((entry) => entry.id)).toEqual(['a']);
		expect(parsed[0]?.token_expires_at).toBe(tokenExpiresAt.toISOString());
	});

	test('a login that changed on GitHub is a warning', async () => {
		const token = fake.issueToken({user: MONALISA}).accessToken;
		const dir = makeSessionDir({fixtures: false, sessions: [session('a', token)]});
		const result = await status(dir);
		expect(result.code).toBe(0);
		expect(result.stderr).toContain(
			'warning: a belongs to @monalisa on GitHub now, not @octocat as stored',
		);
		expect(result.stdout).toMatch(/GitHub account is @monalisa, the session says @octocat/);
	});

	test('control characters in the login and name GitHub sends are escaped', async () => {
		const token = fake.issueToken().accessToken;
		fake.userOverride = {
			id: OCTOCAT.id,
			login: 'evil\u001B]0;owned\u0007',
			name: 'x\u009B2J\u202E',
		};
		const dir = makeSessionDir({fixtures: false, sessions: [session('a', token)]});
		// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
		const unsafe = /[\u001B\u0007\u009B\u202E]/;
		const table = await status(dir);
		expect(table.stdout).toContain('@evil\\x1b]0;owned\\x07');
		expect(table.stdout + table.stderr).not.toMatch(unsafe);
		const json = await status(dir, '--json');
		expect(json.stdout).not.toMatch(unsafe);
		expect((JSON.parse(json.stdout) as {login: string}[])[0]?.login).toBe(
			'evil\u001B]0;owned\u0007',
		);
	});

	test('the token goes only to the host the session records, never to --github-host', async () => {
		const other = await FakeGitHub.start();
		try {
			const token = fake.issueToken().accessToken;
			const dir = makeSessionDir({fixtures: false, sessions: [session('a', token)]});
			const result = await status(dir, '--github-host', other.url);
			expect(result.code).toBe(0);
			expect(other.userRequests).toHaveLength(0);
			expect(fake.userRequests).toHaveLength(1);
			// A session without a host goes to the configured one.
			const bare = makeSessionDir({
				fixtures: false,
				sessions: [makeSession('b', 3_600_000, {accessToken: token})],
			});
			expect((await status(bare, '--github-host', fake.url)).code).toBe(0);
			expect(fake.userRequests).toHaveLength(2);
		} finally {
			await other.close();
		}
	});

	test('the rate limit used up: stops, says when it resets, exit 1', async () => {
		const sessions = Array.from({length: 6}, (_, i) =>
			session(`s${i}`, fake.issueToken().accessToken),
		);
		fake.rateLimit.remaining = 0;
		const dir = makeSessionDir({fixtures: false, sessions});
		const result = await status(dir);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(
			/GitHub's rate limit is used up, so the checks stopped \(\d sessions not checked\); it resets at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(in \d+m\)/,
		);
		// At most the 4 requests already under way, never one per session.
		expect(fake.userRequests.length).toBeLessThanOrEqual(4);
	});

	test('GitHub answering 500 or HTML is an error with the cause, exit 1', async () => {
		const dir = makeSessionDir({
			fixtures: false,
			sessions: [session('a', fake.issueToken().accessToken)],
		});
		fake.userFault = 'server-error';
		const failed = await status(dir);
		expect(failed.code).toBe(1);
		expect(failed.stdout).toMatch(
			/^a\s+error\s+@octocat\s+-\s+-\s+GitHub answered HTTP 500: Server Error$/m,
		);
		fake.userFault = 'html';
		expect((await status(dir)).stdout).toContain(
			'GitHub answered HTTP 200 with something that is not JSON',
		);
	});

	test('a GitHub that stalls: the command ends after its 10 s bound and says so', async () => {
		const dir = makeSessionDir({
			fixtures: false,
			sessions: [session('a', fake.issueToken().accessToken)],
		});
		fake.userFault = 'stall';
		const started = performance.now();
		const result = await status(dir);
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(/did not finish its answer within 10s/);
		expect(performance.now() - started).toBeLessThan(25_000);
	}, 30_000);

	test('no sessions at all: exit 0 and a line saying so', async () => {
		const dir = makeSessionDir({fixtures: false});
		const result = await status(dir);
		expect(result).toMatchObject({code: 0, stdout: ''});
		expect(result.stderr).toMatch(/^no active sessions in .+: nothing to check\n$/);
	});
});

describe('status --refresh', () => {
	/** A GitHub App session whose 8-hour token GitHub has let expire, with a live refresh token. */
	function expiredApp(id: string): Session {
		const pair = fake.issueToken({expiresInMs: -60_000});
		return session(id, pair.accessToken, {
			...(pair.refreshToken ? {refreshToken: pair.refreshToken} : {}),
			tokenExpiresAt: new Date(Date.now() - 60_000),
			refreshTokenExpiresAt: new Date(Date.now() + 180 * 24 * 3_600_000),
		});
	}

	test('renews each expired token that has a refresh token, then checks it: valid, exit 0', async () => {
		const live = fake.issueToken({expiresInMs: 8 * 3_600_000});
		const dir = makeSessionDir({
			fixtures: false,
			sessions: [
				expiredApp('github'),
				session('live', live.accessToken, {
					...(live.refreshToken ? {refreshToken: live.refreshToken} : {}),
					tokenExpiresAt: new Date(Date.now() + 8 * 3_600_000),
				}),
			],
		});
		const result = await status(dir, '--refresh', '--json');
		expect(result.stderr).toMatch(/^refreshed github: the token is valid until .+ UTC\n$/);
		const parsed = JSON.parse(result.stdout) as {id: string; status: string}[];
		expect(parsed.map(({id, status}) => [id, status])).toEqual([
			['github', 'valid'],
			['live', 'valid'],
		]);
		expect(result.code).toBe(0);
		// Only the expired one was renewed.
		expect(fake.refreshRequests).toHaveLength(1);
		expect(readSession(dir, 'github').tokenExpiresAt?.getTime()).toBeGreaterThan(Date.now());
	});

	test('without --refresh the same session is revoked; a refused refresh says log in again, exit 1', async () => {
		const dir = makeSessionDir({fixtures: false, sessions: [expiredApp('github')]});
		const plain = await status(dir);
		expect(plain.stdout).toMatch(/^github\s+revoked\s/m);
		expect(plain.code).toBe(1);
		expect(fake.refreshRequests).toHaveLength(0);

		const stored = readSession(dir, 'github');
		const grant = fake.refreshGrants.get(stored.refreshToken ?? '');
		if (!grant) throw new Error('the fake GitHub issued no refresh grant');
		grant.used = true;
		const refused = await status(dir, '--refresh');
		expect(refused.stderr).toContain(
			'stacktower-sessions: github: the refresh token is wrong, already used or expired',
		);
		expect(refused.stderr).toContain('log in again');
		expect(refused.stdout).toMatch(/^github\s+revoked\s/m);
		expect(refused.code).toBe(1);
		expect(readSession(dir, 'github')).toEqual(stored);
	});
});

describe('list --json token_status', () => {
	test('expired once the stored token_expires_at has passed, else absent; status untouched', async () => {
		const dir = makeSessionDir({
			fixtures: false,
			sessions: [
				makeSession('dead', 3_600_000, {tokenExpiresAt: new Date(Date.now() - 1000)}),
				makeSession('live', 3_600_000, {tokenExpiresAt: new Date(Date.now() + 3_600_000)}),
				makeSession('plain', 3_600_000),
			],
		});
		const result = await runCli(['list', '--json', '--dir', dir]);
		const byId = new Map(
			(JSON.parse(result.stdout) as {id: string; status: string; token_status?: string}[]).map(
				(e) => [e.id, e],
			),
		);
		expect(byId.get('dead')).toMatchObject({status: 'active', token_status: 'expired'});
		expect(byId.get('live')?.token_status).toBeUndefined();
		expect(byId.get('plain')?.token_status).toBeUndefined();
	});
});
