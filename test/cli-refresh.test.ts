// `refresh` and `delete --revoke`: the built CLI in real processes against the fake GitHub.
import {type ChildProcessWithoutNullStreams, spawn} from 'node:child_process';
import {mkdirSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, onTestFinished, test} from 'vitest';
import type {Session} from '../source/session/session.js';
import {builtCli, cliEnv, runCli} from './helpers/cli.js';
import {type FakeGitHub, OCTOCAT, useFakeGitHub} from './helpers/fake-github.js';
import {idsIn, makeSession, makeSessionDir, makeUser, readSession} from './helpers/session-dir.js';
import {waitFor} from './helpers/wait.js';

let fake: FakeGitHub;

useFakeGitHub((started) => {
	fake = started;
});

const octocat = makeUser('octocat', {id: OCTOCAT.id});

/** A GitHub App session as a device-flow login leaves it: 8-hour token, refresh token, issuer. */
function appSession(id = 'github', extra: Partial<Session> = {}): Session {
	const pair = fake.issueToken({expiresInMs: 8 * 3_600_000});
	return makeSession(id, 30 * 24 * 3_600_000, {
		accessToken: pair.accessToken,
		...(pair.refreshToken ? {refreshToken: pair.refreshToken} : {}),
		tokenExpiresAt: new Date(Date.now() + 8 * 3_600_000),
		refreshTokenExpiresAt: new Date(Date.now() + 180 * 24 * 3_600_000),
		user: octocat,
		clientId: fake.clientId,
		githubHost: fake.url,
		...extra,
	});
}

function read(dir: string, id = 'github'): Session {
	return readSession(dir, id);
}

type Running = {
	child: ChildProcessWithoutNullStreams;
	stdout: () => string;
	stderr: () => string;
	exited: Promise<number | null>;
};

/** The CLI as a child whose output can be watched while it runs. */
async function start(args: string[], env: Record<string, string> = {}): Promise<Running> {
	const child = spawn(process.execPath, [await builtCli(), ...args], {env: cliEnv(env)});
	onTestFinished(() => {
		child.kill('SIGKILL');
	});
	let out = '';
	let err = '';
	child.stdout.on('data', (chunk: Buffer) => {
		out += chunk.toString();
	});
	child.stderr.on('data', (chunk: Buffer) => {
		err += chunk.toString();
	});
	const exited = new Promise<number | null>((resolve) =>
		child.on('close', (code) => resolve(code)),
	);
	return {child, stdout: () => out, stderr: () => err, exited};
}

describe('refresh', () => {
	test('renews the token pair and its expiries in the file; the session expiry stays', async () => {
		const before = appSession();
		const dir = makeSessionDir({fixtures: false, sessions: [before]});
		const result = await runCli(['refresh', '--dir', dir]);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(
			/^refreshed github: the token is valid until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\n$/,
		);
		const after = read(dir);
		expect(after.accessToken).toMatch(/^ghu_/);
		expect(after.accessToken).not.toBe(before.accessToken);
		expect(after.refreshToken).toMatch(/^ghr_/);
		expect(after.refreshToken).not.toBe(before.refreshToken);
		expect(after.expiresAt).toEqual(before.expiresAt);
		expect(after.createdAt).toEqual(before.createdAt);
		expect(after.user).toEqual(before.user);
		expect(after.clientId).toBe(fake.clientId);
		expect((after.tokenExpiresAt?.getTime() ?? 0) - Date.now()).toBeGreaterThan(7 * 3_600_000);
		expect(after.refreshTokenExpiresAt?.getTime()).toBeGreaterThan(
			after.tokenExpiresAt?.getTime() ?? 0,
		);
		expect(statSync(path.join(dir, 'github.json')).mode & 0o777).toBe(0o600);
		expect(idsIn(dir)).toEqual(['github']);
		expect(result.stdout).not.toContain(after.accessToken);
		// No secret for a device-flow token, and the session's own client id.
		expect(fake.refreshRequests[0]?.params).toEqual({
			client_id: fake.clientId,
			grant_type: 'refresh_token',
			refresh_token: before.refreshToken,
		});
	});

	test('the client secret goes only with the client id it belongs to', async () => {
		const dir = makeSessionDir({fixtures: false, sessions: [appSession()]});
		const env = {STACKTOWER_GITHUB_CLIENT_SECRET: fake.clientSecret};
		expect((await runCli(['refresh', '--dir', dir, '--client-id', 'Ov23other'], {env})).code).toBe(
			0,
		);
		expect(fake.refreshRequests[0]?.params.client_secret).toBeUndefined();
		expect(
			(await runCli(['refresh', '--dir', dir, '--client-id', fake.clientId], {env})).code,
		).toBe(0);
		expect(fake.refreshRequests[1]?.params.client_secret).toBe(fake.clientSecret);
	});

	test('a spent refresh token: "log in again", the session kept as it was, exit 1', async () => {
		const session = appSession();
		const dir = makeSessionDir({fixtures: false, sessions: [session]});
		const grant = fake.refreshGrants.get(session.refreshToken ?? '');
		if (grant) grant.used = true;
		const bytes = readFileSync(path.join(dir, 'github.json'), 'utf8');
		const result = await runCli(['refresh', '--dir', dir, 'github']);
		expect(result.code).toBe(1);
		expect(result.stderr).toBe(
			'stacktower-sessions: github: the refresh token is wrong, already used or expired (bad_refresh_token: The refresh token passed is incorrect or expired.); log in again: stacktower-sessions login\n',
		);
		expect(readFileSync(path.join(dir, 'github.json'), 'utf8')).toBe(bytes);
	});

	test('a refresh token past its stored expiry is not sent at all', async () => {
		const dir = makeSessionDir({
			fixtures: false,
			sessions: [appSession('github', {refreshTokenExpiresAt: new Date(Date.now() - 1000)})],
		});
		const result = await runCli(['refresh', '--dir', dir]);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/github: the refresh token expired at .+ UTC; log in again/);
		expect(fake.tokenRequests).toHaveLength(0);
	});

	test('a session without a refresh token, named: says so, exit 1; unnamed: nothing to refresh', async () => {
		const dir = makeSessionDir({
			fixtures: false,
			sessions: [makeSession('plain', 3_600_000)],
		});
		const named = await runCli(['refresh', '--dir', dir, 'plain']);
		expect(named.code).toBe(1);
		expect(named.stderr).toMatch(/plain: the session holds no refresh token/);
		const all = await runCli(['refresh', '--dir', dir]);
		expect(all.code).toBe(0);
		expect(all.stderr).toMatch(/no active session in .+ holds a refresh token: nothing to refresh/);
	});

	test('an answer without a new refresh token: the new token saved, the spent one dropped', async () => {
		const dir = makeSessionDir({fixtures: false, sessions: [appSession()]});
		fake.refreshWithoutRefreshToken = true;
		const result = await runCli(['refresh', '--dir', dir]);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(
			/GitHub sent no new refresh token, so the next renewal needs a new login/,
		);
		const after = read(dir);
		expect(after.refreshToken).toBeUndefined();
		expect(after.refreshTokenExpiresAt).toBeUndefined();
		expect((await runCli(['status', '--dir', dir, '--json'])).stdout).toContain('"status":"valid"');
	});

	test('two refresh processes at once: exactly one exchange reaches GitHub', async () => {
		const before = appSession();
		const dir = makeSessionDir({fixtures: false, sessions: [before]});
		fake.holdTokenRequests();
		const first = await start(['refresh', '--dir', dir]);
		await waitFor(() => fake.tokenRequests.length === 1, 'the first exchange');
		const second = await start(['refresh', '--dir', dir]);
		await waitFor(
			() => second.stderr().includes('waiting for another process refreshing github'),
			'the second to wait',
		);
		fake.release();
		expect(await first.exited).toBe(0);
		expect(await second.exited).toBe(0);
		expect(fake.tokenRequests).toHaveLength(1);
		expect(first.stdout()).toMatch(/^refreshed github/);
		expect(second.stdout()).toBe('github: already refreshed by another process\n');
		expect(read(dir).refreshToken).not.toBe(before.refreshToken);
		expect(idsIn(dir)).toEqual(['github']);
	});

	test('killed between receiving the new pair and saving it: the file still holds a usable pair', async () => {
		const before = appSession();
		const dir = makeSessionDir({fixtures: false, sessions: [before]});
		const running = await start(['refresh', '--dir', dir]);
		fake.onRefreshAnswered = () => running.child.kill('SIGKILL');
		await running.exited;
		const after = read(dir);
		// Either the old pair (not yet replaced) or the whole new one, never a mix or a torn file.
		const old = after.accessToken === before.accessToken;
		expect(
			old ? after.refreshToken === before.refreshToken : after.refreshToken !== before.refreshToken,
		).toBe(true);
		const status = await runCli(['status', '--dir', dir, '--json']);
		expect(JSON.parse(status.stdout)).toMatchObject([{id: 'github', status: 'valid'}]);
	});

	test('the save fails after GitHub renewed: says the old refresh token is spent', async () => {
		const dir = makeSessionDir({fixtures: false, sessions: [appSession()]});
		const file = path.join(dir, 'github.json');
		fake.holdTokenRequests();
		const running = await start(['refresh', '--dir', dir]);
		await waitFor(() => fake.tokenRequests.length === 1, 'the exchange');
		// A directory where the file was: the atomic rename onto it fails, even for root (a
		// read-only directory would not stop root, who runs these tests in CI containers).
		rmSync(file);
		mkdirSync(file);
		fake.release();
		expect(await running.exited).toBe(1);
		expect(running.stderr()).toMatch(
			/github: GitHub renewed the token but saving it failed \(.+\); the old refresh token is spent: log in again/,
		);
		expect(running.stdout()).toBe('');
		// The failed write left no temp file behind.
		expect(readdirSync(dir)).toEqual(['github.json']);
	});
});

describe('delete --revoke', () => {
	const secretEnv = () => ({
		STACKTOWER_GITHUB_CLIENT_ID: fake.clientId,
		STACKTOWER_GITHUB_CLIENT_SECRET: fake.clientSecret,
	});

	test('without the app secret: a usage error naming where to revoke by hand; nothing deleted', async () => {
		const dir = makeSessionDir({fixtures: false, sessions: [appSession()]});
		const result = await runCli(['delete', '--revoke', '--dir', dir, 'github']);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('--revoke needs the app that issued the tokens');
		expect(result.stderr).toContain('https://github.com/settings/applications');
		expect(idsIn(dir)).toEqual(['github']);
	});

	test('a token issued to another client id: exit 2, where to revoke it, nothing deleted', async () => {
		const dir = makeSessionDir({
			fixtures: false,
			sessions: [appSession('github', {clientId: 'Iv23other'}), appSession('second')],
		});
		const result = await runCli(['delete', '--revoke', '--dir', dir, 'second', 'github'], {
			env: secretEnv(),
		});
		expect(result.code).toBe(2);
		expect(result.stderr).toBe(
			`stacktower-sessions: github's token was issued to client Iv23other, not to the configured ${fake.clientId}; revoke it by hand at ${fake.url}/settings/apps/authorizations, or delete without --revoke\n`,
		);
		expect(idsIn(dir)).toEqual(['github', 'second']);
		expect(fake.revokeRequests).toHaveLength(0);
	});

	test('revokes on GitHub, then deletes; GitHub no longer takes the token', async () => {
		const session = appSession();
		const dir = makeSessionDir({fixtures: false, sessions: [session]});
		const result = await runCli(['delete', '--revoke', '--dir', dir, 'github'], {env: secretEnv()});
		expect(result.code).toBe(0);
		expect(result.stdout).toBe('deleted github (@octocat); token revoked on GitHub\n');
		expect(idsIn(dir)).toEqual([]);
		expect(fake.tokens.has(session.accessToken)).toBe(false);
	});

	test('a token GitHub no longer knows is fine (404)', async () => {
		const session = appSession();
		fake.revokeToken(session.accessToken);
		const dir = makeSessionDir({fixtures: false, sessions: [session]});
		const result = await runCli(['delete', '--revoke', '--dir', dir, 'github'], {env: secretEnv()});
		expect(result).toMatchObject({
			code: 0,
			stdout: 'deleted github (@octocat); token was already invalid\n',
		});
	});

	test('revocation fails: the session is deleted all the same, the failure reported, exit 1', async () => {
		const dir = makeSessionDir({fixtures: false, sessions: [appSession()]});
		await fake.close();
		const result = await runCli(['delete', '--revoke', '--dir', dir, 'github'], {env: secretEnv()});
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(
			/github: revoking the token failed: could not reach .+; revoke it by hand at/,
		);
		expect(result.stdout).toBe('deleted github (@octocat)\n');
		expect(idsIn(dir)).toEqual([]);
	});
});
