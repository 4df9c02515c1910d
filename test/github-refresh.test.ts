// The refresh grant and the revoke endpoint, against the fake GitHub on loopback.
import {describe, expect, test} from 'vitest';
import {RefreshError, refreshAccessToken} from '../source/github/refresh.js';
import {manualRevokeUrl, RevokeError, revokeToken} from '../source/github/revoke.js';
import {checkToken} from '../source/github/token-status.js';
import {type FakeGitHub, useFakeGitHub} from './helpers/fake-github.js';

let fake: FakeGitHub;

useFakeGitHub((started) => {
	fake = started;
});

function appPair() {
	const pair = fake.issueToken({expiresInMs: 8 * 3_600_000});
	return {accessToken: pair.accessToken, refreshToken: pair.refreshToken ?? ''};
}

describe('refreshAccessToken', () => {
	test('a new pair with its expiries; client_id, grant_type and refresh_token, no secret', async () => {
		const {refreshToken} = appPair();
		const before = Date.now();
		const tokens = await refreshAccessToken({
			githubHost: fake.url,
			clientId: fake.clientId,
			refreshToken,
		});
		expect(tokens.accessToken).toMatch(/^ghu_/);
		expect(tokens.refreshToken).toMatch(/^ghr_/);
		expect(tokens.refreshToken).not.toBe(refreshToken);
		const expiry = tokens.tokenExpiresAt?.getTime() ?? 0;
		expect(expiry - before).toBeGreaterThanOrEqual(28_800_000);
		expect(expiry - Date.now()).toBeLessThanOrEqual(28_800_000);
		expect((tokens.refreshTokenExpiresAt?.getTime() ?? 0) - expiry).toBe(
			(15_811_200 - 28_800) * 1000,
		);
		expect(fake.refreshRequests[0]?.params).toEqual({
			client_id: fake.clientId,
			grant_type: 'refresh_token',
			refresh_token: refreshToken,
		});
		expect((await checkToken({githubHost: fake.url, accessToken: tokens.accessToken})).status).toBe(
			'valid',
		);
	});

	test('the client secret goes along when given', async () => {
		const {refreshToken} = appPair();
		await refreshAccessToken({
			githubHost: fake.url,
			clientId: fake.clientId,
			clientSecret: fake.clientSecret,
			refreshToken,
		});
		expect(fake.refreshRequests[0]?.params.client_secret).toBe(fake.clientSecret);
	});

	test('a refresh token works once: the second use is bad_refresh_token, nothing spent by the refusal', async () => {
		const {refreshToken} = appPair();
		const options = {githubHost: fake.url, clientId: fake.clientId, refreshToken};
		await refreshAccessToken(options);
		const error = await refreshAccessToken(options).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(RefreshError);
		expect(error).toMatchObject({
			code: 'BAD_REFRESH_TOKEN',
			maybeSpent: false,
			message:
				'the refresh token is wrong, already used or expired (bad_refresh_token: The refresh token passed is incorrect or expired.)',
		});
		expect(String((error as Error).message)).not.toContain(refreshToken);
	});

	test('an answer without a new refresh token: the access token, no refresh token', async () => {
		const {refreshToken} = appPair();
		fake.refreshWithoutRefreshToken = true;
		const tokens = await refreshAccessToken({
			githubHost: fake.url,
			clientId: fake.clientId,
			refreshToken,
		});
		expect(tokens.accessToken).toMatch(/^ghu_/);
		expect(tokens.refreshToken).toBeUndefined();
		expect(tokens.refreshTokenExpiresAt).toBeUndefined();
	});

	test('a stalled token endpoint ends at the bound, and says the token may be spent', async () => {
		const {refreshToken} = appPair();
		fake.holdTokenRequests();
		const error = await refreshAccessToken({
			githubHost: fake.url,
			clientId: fake.clientId,
			refreshToken,
			timeoutMs: 300,
		}).catch((e: unknown) => e);
		expect(error).toMatchObject({code: 'FAILED', maybeSpent: true});
		expect((error as Error).message).toMatch(
			/^GitHub's token endpoint \(http:\S+\) did not answer within 300ms$/,
		);
	});

	test('an access token a header cannot carry is refused without echoing it', async () => {
		const error = await refreshAccessToken({
			githubHost: fake.url,
			clientId: fake.clientId,
			refreshToken: 'ghr_x',
			request: async () => ({
				status: 200,
				ok: true,
				headers: new Headers(),
				text: JSON.stringify({access_token: 'ghu_bad\r\nX-Evil: 1', refresh_token: 'ghr_y'}),
			}),
		}).catch((e: unknown) => e);
		expect(error).toMatchObject({
			code: 'FAILED',
			message: "GitHub's answer holds no usable access token",
		});
	});
});

describe('revokeToken', () => {
	const revoke = (accessToken: string, clientSecret = fake.clientSecret) =>
		revokeToken({githubHost: fake.url, clientId: fake.clientId, clientSecret, accessToken});

	test('204: revoked, and GitHub no longer takes the token; then 404: already invalid', async () => {
		const {accessToken} = fake.issueToken();
		expect(await revoke(accessToken)).toBe('revoked');
		expect(fake.revokeRequests[0]).toEqual({
			clientId: fake.clientId,
			authorization: `Basic ${Buffer.from(`${fake.clientId}:${fake.clientSecret}`).toString('base64')}`,
			body: JSON.stringify({access_token: accessToken}),
		});
		expect((await checkToken({githubHost: fake.url, accessToken})).status).toBe('revoked');
		expect(await revoke(accessToken)).toBe('already_invalid');
	});

	test('422 and a dead host are failures that say why', async () => {
		await expect(revoke('')).rejects.toThrow(
			new RevokeError('GitHub answered HTTP 422: Invalid request.'),
		);
		const url = fake.url;
		await fake.close();
		await expect(
			revokeToken({githubHost: url, clientId: 'x', clientSecret: 'y', accessToken: 'z'}),
		).rejects.toThrow(
			/^could not reach GitHub's token revocation endpoint \(.+\) \(ECONNREFUSED\)$/,
		);
	});

	test('where to revoke by hand: OAuth apps, or GitHub Apps for their tokens', () => {
		expect(manualRevokeUrl('https://github.com', 'Ov23abc', 'gho_x')).toBe(
			'https://github.com/settings/applications',
		);
		expect(manualRevokeUrl('https://github.com', 'Iv23liRkeVtW225qGBef', 'ghu_x')).toBe(
			'https://github.com/settings/apps/authorizations',
		);
	});
});
