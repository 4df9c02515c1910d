// Asking GitHub whether a token still works: GET /user against a fake GitHub on loopback, real
// HTTP, with each way GitHub can answer or fail.
import {describe, expect, test} from 'vitest';
import {requestGitHub} from '../source/github/http.js';
import {checkSessions} from '../source/github/session-status.js';
import {checkToken, parseTokenExpiration} from '../source/github/token-status.js';
import type {Session} from '../source/session/session.js';
import {FakeGitHub, MONALISA, OCTOCAT, useFakeGitHub} from './helpers/fake-github.js';
import {makeSession, makeUser} from './helpers/session-dir.js';

let fake: FakeGitHub;

useFakeGitHub((started) => {
	fake = started;
});

const octocat = makeUser('octocat', {id: OCTOCAT.id});

function sessionWith(id: string, accessToken: string, extra: Partial<Session> = {}): Session {
	return makeSession(id, 3_600_000, {accessToken, user: octocat, ...extra});
}

describe('checkToken', () => {
	test('an OAuth app token: valid, its login, its scopes and the rate limit left', async () => {
		const {accessToken} = fake.issueToken({scopes: ['repo', 'read:user']});
		const result = await checkToken({githubHost: fake.url, accessToken});
		expect(result).toMatchObject({
			status: 'valid',
			login: 'octocat',
			userId: OCTOCAT.id,
			scopes: ['repo', 'read:user'],
			tokenExpiresAt: undefined,
		});
		expect(result.status === 'valid' && result.rateLimit?.remaining).toBe(4999);
		expect(fake.userRequests[0]?.authorization).toBe(`Bearer ${accessToken}`);
	});

	test("a GitHub App token: its expiry from GitHub's header, no scopes", async () => {
		const {accessToken} = fake.issueToken({expiresInMs: 8 * 3_600_000});
		const before = Date.now();
		const result = await checkToken({githubHost: fake.url, accessToken});
		expect(result.status).toBe('valid');
		if (result.status !== 'valid') return;
		expect(result.scopes).toBeUndefined();
		// The header has whole seconds.
		const expected = before + 8 * 3_600_000;
		expect(Math.abs((result.tokenExpiresAt?.getTime() ?? 0) - expected)).toBeLessThan(2000);
	});

	test('a revoked token and an unknown one are revoked (401)', async () => {
		const {accessToken} = fake.issueToken();
		fake.revokeToken(accessToken);
		expect((await checkToken({githubHost: fake.url, accessToken})).status).toBe('revoked');
		expect((await checkToken({githubHost: fake.url, accessToken: 'gho_nope'})).status).toBe(
			'revoked',
		);
	});

	test('the expiration header in both of the forms GitHub writes', () => {
		expect(parseTokenExpiration('2023-05-01 12:00:00 UTC')?.toISOString()).toBe(
			'2023-05-01T12:00:00.000Z',
		);
		expect(parseTokenExpiration('2021-09-08 17:30:00 -0700')?.toISOString()).toBe(
			'2021-09-09T00:30:00.000Z',
		);
		expect(parseTokenExpiration('tomorrow')).toBeUndefined();
		expect(parseTokenExpiration(null)).toBeUndefined();
	});

	describe('a GitHub that misbehaves: each request ends within its bound, with a clear error', () => {
		const token = () => fake.issueToken().accessToken;

		test.each([
			[
				'stall',
				/^GitHub's API \/user \(http:\S+\/api\/v3\/user\) did not finish its answer within 500ms \(0 bytes received\)$/,
			],
			[
				'trickle',
				/^GitHub's API \/user \(http:\S+\) did not finish its answer within 500ms \([1-9]\d* bytes received\)$/,
			],
		] as const)('%s', async (fault, message) => {
			fake.userFault = fault;
			const started = performance.now();
			const result = await checkToken({githubHost: fake.url, accessToken: token(), timeoutMs: 500});
			expect(result).toMatchObject({status: 'error', error: expect.stringMatching(message)});
			// Bounded: ends near the limit, not when the peer gives up.
			expect(performance.now() - started).toBeLessThan(5000);
		});

		test('HTML instead of JSON', async () => {
			fake.userFault = 'html';
			expect(await checkToken({githubHost: fake.url, accessToken: token()})).toMatchObject({
				status: 'error',
				error: 'GitHub answered HTTP 200 with something that is not JSON',
			});
		});

		test('500', async () => {
			fake.userFault = 'server-error';
			expect(await checkToken({githubHost: fake.url, accessToken: token()})).toMatchObject({
				status: 'error',
				httpStatus: 500,
				error: 'GitHub answered HTTP 500: Server Error',
				rateLimited: false,
			});
		});

		test('a huge body is cut off at the byte limit', async () => {
			fake.userFault = 'huge';
			expect(await checkToken({githubHost: fake.url, accessToken: token()})).toMatchObject({
				status: 'error',
				error: expect.stringMatching(/sent an answer larger than 256 KiB; it was not read$/),
			});
		});

		test('403 with the rate limit used up says so', async () => {
			const accessToken = token();
			fake.rateLimit.remaining = 0;
			expect(await checkToken({githubHost: fake.url, accessToken})).toMatchObject({
				status: 'error',
				httpStatus: 403,
				rateLimited: true,
				error: expect.stringMatching(/^GitHub answered HTTP 403: API rate limit exceeded/),
			});
		});

		test('nobody listening', async () => {
			const url = fake.url;
			await fake.close();
			expect(await checkToken({githubHost: url, accessToken: 'gho_x'})).toMatchObject({
				status: 'error',
				error: expect.stringMatching(
					/^could not reach GitHub's API \/user \(http:\/\/127\.0\.0\.1:\d+\/api\/v3\/user\) \(ECONNREFUSED\)$/,
				),
			});
		});
	});
});

describe('checkSessions', () => {
	test('each status; no_token sends nothing; results in the given order', async () => {
		const good = fake.issueToken().accessToken;
		const gone = fake.issueToken().accessToken;
		fake.revokeToken(gone);
		const {statuses, rateLimitStop} = await checkSessions(
			[sessionWith('a', good), sessionWith('b', gone), sessionWith('local', '')],
			{githubHost: fake.url},
		);
		expect(statuses.map((s) => [s.id, s.status])).toEqual([
			['a', 'valid'],
			['b', 'revoked'],
			['local', 'no_token'],
		]);
		expect(fake.userRequests).toHaveLength(2);
		expect(rateLimitStop).toBeUndefined();
	});

	test("a token goes to the session's own github_host, never to the configured one", async () => {
		const other = await FakeGitHub.start();
		try {
			const {accessToken} = fake.issueToken();
			const {statuses} = await checkSessions(
				[sessionWith('a', accessToken, {githubHost: fake.url})],
				{githubHost: other.url},
			);
			expect(statuses[0]?.status).toBe('valid');
			expect(other.userRequests).toHaveLength(0);
			expect(fake.userRequests).toHaveLength(1);
		} finally {
			await other.close();
		}
	});

	test('a stored github_host that is not a GitHub URL is an error, and nothing is sent', async () => {
		const {accessToken} = fake.issueToken();
		const {statuses} = await checkSessions(
			[sessionWith('a', accessToken, {githubHost: 'http://203.0.113.9'})],
			{githubHost: fake.url},
		);
		expect(statuses[0]).toMatchObject({
			status: 'error',
			error: 'the session records a github_host that is not a usable GitHub URL',
		});
		expect(fake.userRequests).toHaveLength(0);
	});

	test('a login that changed on GitHub is flagged with the stored one', async () => {
		const {accessToken} = fake.issueToken({user: MONALISA});
		const {statuses} = await checkSessions([sessionWith('a', accessToken)], {
			githubHost: fake.url,
		});
		expect(statuses[0]).toMatchObject({status: 'valid', login: 'monalisa', storedLogin: 'octocat'});
	});

	test('at most 4 requests at once', async () => {
		const sessions = Array.from({length: 10}, (_, i) =>
			sessionWith(`s${i}`, fake.issueToken().accessToken),
		);
		let inFlight = 0;
		let most = 0;
		const {statuses} = await checkSessions(sessions, {
			githubHost: fake.url,
			request: async (request, context) => {
				inFlight++;
				most = Math.max(most, inFlight);
				try {
					return await requestGitHub(request, context);
				} finally {
					inFlight--;
				}
			},
		});
		expect(statuses.every((s) => s.status === 'valid')).toBe(true);
		expect(most).toBe(4);
	});

	test('stops asking once the rate limit is used up, and says when it resets', async () => {
		const sessions = Array.from({length: 8}, (_, i) =>
			sessionWith(`s${i}`, fake.issueToken().accessToken),
		);
		fake.rateLimit.remaining = 2;
		const {statuses, rateLimitStop} = await checkSessions(sessions, {
			githubHost: fake.url,
			concurrency: 1,
		});
		expect(statuses.map((s) => s.status)).toEqual([
			'valid',
			'valid',
			...Array.from({length: 6}, () => 'not_checked'),
		]);
		expect(fake.userRequests).toHaveLength(2);
		expect(rateLimitStop?.resetAt?.getTime()).toBe(
			Math.floor(fake.rateLimit.resetAt.getTime() / 1000) * 1000,
		);
	});
});
