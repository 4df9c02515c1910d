// The device flow (RFC 8628) against the fake GitHub on loopback: the happy path with pending
// polls and a slow_down, every way GitHub ends it, and misbehaving peers.
import {beforeEach, describe, expect, test} from 'vitest';
import {
	type DeviceCodePrompt,
	type DeviceLoginOptions,
	deviceLogin,
	refuseToOpen,
} from '../source/github/device-flow.js';
import {LoginError} from '../source/github/errors.js';
import {MemoryStore, newSession} from '../source/session/index.js';
import {type FakeGitHub, MONALISA, OCTOCAT, useFakeGitHub} from './helpers/fake-github.js';
import {rejection} from './helpers/rejection.js';

let fake: FakeGitHub;
let store: MemoryStore;

useFakeGitHub((started) => {
	fake = started;
});

beforeEach(() => {
	store = new MemoryStore();
});

function start(options: Partial<DeviceLoginOptions> = {}) {
	const prompts: DeviceCodePrompt[] = [];
	const result = deviceLogin({
		store,
		sessionId: 'github',
		clientId: fake.clientId,
		githubHost: fake.url,
		openBrowser: false,
		onCode: (prompt) => prompts.push(prompt),
		...options,
	});
	result.catch(() => {});
	return {result, prompts};
}

/** The gaps between consecutive polls, in ms. */
function gaps(): number[] {
	return fake.devicePolls.slice(1).map((poll, i) => poll.at - (fake.devicePolls[i]?.at ?? 0));
}

describe('a device login', () => {
	test('waits through pending polls and a slow_down, then saves the GitHub App token', async () => {
		fake.pendingPolls = 3;
		fake.slowDownOnce = true;
		const before = Date.now();
		const {result, prompts} = start({ttlMs: 30 * 86_400_000});
		const outcome = await result;
		const after = Date.now();

		// What to show: GitHub's code and URL, and when the code expires.
		expect(prompts).toHaveLength(1);
		expect(prompts[0]?.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
		expect(prompts[0]?.verificationUri).toBe(`${fake.url}/login/device`);
		expect(prompts[0]?.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 900_000);
		expect(prompts[0]?.opening).toBe(false);

		// The request GitHub documents, and polls: slow_down, three pending, success.
		expect(fake.deviceCodeRequests[0]?.params).toEqual({
			client_id: fake.clientId,
			scope: 'read:user user:email',
		});
		expect(fake.deviceCodeRequests[0]?.headers.accept).toBe('application/json');
		expect(fake.devicePolls).toHaveLength(5);
		expect(fake.devicePolls[0]?.params).toEqual({
			client_id: fake.clientId,
			device_code: expect.any(String),
			grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
		});
		// Never early (the fake would say slow_down again), and slower after the slow_down:
		// the answer's interval (0.2 s) × 1.2.
		expect(
			gaps()
				.slice(1)
				.every((gap) => gap >= 240),
		).toBe(true);

		const session = await store.get('github');
		expect(session).toEqual(outcome.session);
		expect(outcome.user.login).toBe('octocat');
		expect(fake.tokens.get(session?.accessToken ?? '')).toEqual(OCTOCAT);
		expect(session?.accessToken).toMatch(/^ghu_/);
		expect(fake.refreshTokens.has(session?.refreshToken ?? '')).toBe(true);
		const created = session?.createdAt.getTime() ?? 0;
		expect(session?.expiresAt.getTime()).toBe(created + 30 * 86_400_000);
		// 8 hours and 6 months from when GitHub answered.
		const tokenExpires = session?.tokenExpiresAt?.getTime() ?? 0;
		expect(tokenExpires).toBeGreaterThanOrEqual(before + 28_800_000);
		expect(tokenExpires).toBeLessThanOrEqual(after + 28_800_000);
		expect(session?.refreshTokenExpiresAt?.getTime()).toBe(
			tokenExpires - 28_800_000 + 15_811_200_000,
		);
		expect(session?.clientId).toBe(fake.clientId);
		expect(session?.githubHost).toBe(fake.url);
	});

	test('an OAuth app token (no expiry, no refresh token) is saved without those fields', async () => {
		fake.appTokens = false;
		await start().result;
		const session = await store.get('github');
		expect(session?.accessToken).toMatch(/^gho_/);
		expect(session).not.toHaveProperty('tokenExpiresAt');
		expect(session).not.toHaveProperty('refreshToken');
		expect(session).toMatchObject({clientId: fake.clientId, githubHost: fake.url});
	});

	test('a re-login keeps the id and tells when the account changed', async () => {
		await store.set({
			...newSession('gho_old', {...OCTOCAT, avatarUrl: '', name: '', email: ''}),
			id: 'laptop',
		});
		fake.user = MONALISA;
		const previous = await store.get('laptop');
		const outcome = await start({sessionId: 'laptop', previous}).result;
		expect(outcome).toMatchObject({userChanged: true, previousLogin: 'octocat'});
		expect((await store.list()).map((entry) => entry.id)).toEqual(['laptop']);
		expect((await store.get('laptop'))?.user?.login).toBe('monalisa');
	});

	test('without an interval it polls every 5 s (× 1.2)', async () => {
		fake.deviceInterval = undefined;
		fake.pendingPolls = 0;
		const started = Date.now();
		await start().result;
		expect(fake.devicePolls).toHaveLength(1);
		expect((fake.devicePolls[0]?.at ?? 0) - started).toBeGreaterThanOrEqual(6000);
	}, 30_000);

	test('a slow_down without an interval adds 5 s', async () => {
		fake.slowDownOnce = true;
		fake.slowDownStep = undefined;
		fake.pendingPolls = 0;
		await start().result;
		expect(fake.devicePolls).toHaveLength(2);
		expect(gaps()[0]).toBeGreaterThanOrEqual((0.1 + 5) * 1.2 * 1000);
	}, 30_000);
});

describe('GitHub ends it', () => {
	test.each([
		['deny', 'ACCESS_DENIED', 'the login was denied on GitHub'],
		['expire', 'EXPIRED_TOKEN', 'the one-time code expired before it was entered: log in again'],
	] as const)('%s: %s, nothing saved', async (outcome, code, message) => {
		fake.deviceOutcome = outcome;
		const error = await rejection(start().result, LoginError);
		expect(error.code).toBe(code);
		expect(error.message).toContain(message);
		expect(await store.list()).toEqual([]);
	});

	test("token_expired (GitHub's docs name it so too) is the expired code", async () => {
		fake.pollAnswer = {
			status: 200,
			contentType: 'application/json',
			body: JSON.stringify({error: 'token_expired'}),
		};
		expect((await rejection(start().result, LoginError)).code).toBe('EXPIRED_TOKEN');
	});

	test.each([
		[
			'device_flow_disabled',
			/has the device flow turned off .*enable "Device Flow" in its settings .*or log in with --web/,
		],
		['unauthorized_client', /may not use the device flow .*enable "Device Flow".*--web/],
		[
			'incorrect_client_credentials',
			/does not know the app .*check --client-id or STACKTOWER_GITHUB_APP_CLIENT_ID/,
		],
		['unsupported_grant_type', /does not accept the device flow .*--web and an OAuth app/],
	])('%s while polling says what to do', async (error, message) => {
		fake.pollAnswer = {
			status: 200,
			contentType: 'application/json',
			body: JSON.stringify({error, error_description: 'x'}),
		};
		const failure = await rejection(start().result, LoginError);
		expect(failure.code).toBe('DEVICE_FLOW_REFUSED');
		expect(failure.message).toMatch(message);
		expect(await store.list()).toEqual([]);
	});

	test('an app with the device flow off is refused at the first step', async () => {
		fake.deviceFlowEnabled = false;
		const failure = await rejection(start().result, LoginError);
		expect(failure.message).toMatch(/device_flow_disabled.*enable "Device Flow"/);
		expect(fake.devicePolls).toHaveLength(0);
	});
});

describe('an endpoint without a device flow', () => {
	const noFlow = /offers no device flow for the app .* log in with --web and an OAuth app/;
	test.each([
		[404, 'application/json', JSON.stringify({error: 'Not Found'}), 'Not Found'],
		[401, 'application/json', '{"message":"Requires authentication"}', 'HTTP 401'],
		[403, 'text/html', '<html>forbidden</html>', 'HTTP 403, not JSON'],
		[422, 'application/json', '{"message":"Unprocessable"}', 'HTTP 422'],
		[200, 'text/html', '<!doctype html><p>Sign in</p>', 'HTTP 200, not JSON'],
		[
			200,
			'application/json',
			'{"device_code":"x","user_code":"A-B"}',
			'no code and verification_uri',
		],
		[
			200,
			'application/json',
			'{"device_code":"x","user_code":"A","verification_uri":"javascript:alert(1)"}',
			'no code and verification_uri',
		],
	])(
		'HTTP %d %s is "no device flow", with --web suggested',
		async (status, contentType, body, said) => {
			fake.deviceCodeAnswer = {status, contentType, body};
			const failure = await rejection(start().result, LoginError);
			expect(failure.code).toBe('DEVICE_FLOW_UNAVAILABLE');
			expect(failure.message).toMatch(noFlow);
			expect(failure.message).toContain(said);
			expect(fake.devicePolls).toHaveLength(0);
		},
	);

	test('an unknown client id, as the fake GitHub answers it (404)', async () => {
		const failure = await rejection(start({clientId: 'Iv1.nobody'}).result, LoginError);
		expect(failure.message).toMatch(noFlow);
		expect(failure.message).toContain('"Iv1.nobody"');
	});
});

describe('misbehaving peers and cancelling', () => {
	test('a stalled poll is bounded by the whole wait (--timeout)', async () => {
		fake.pollAnswer = {status: 200, contentType: 'application/json', body: '', stall: true};
		const started = Date.now();
		const failure = await rejection(start({timeoutMs: 1500}).result, LoginError);
		expect(failure.code).toBe('TIMEOUT');
		expect(failure.message).toBe('the login timed out: the code was not entered within 2s');
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(await store.list()).toEqual([]);
	});

	test('a stalled device-code request is bounded too', async () => {
		fake.deviceCodeAnswer = {status: 200, contentType: 'application/json', body: '', stall: true};
		const failure = await rejection(start({timeoutMs: 1000}).result, LoginError);
		expect(failure.code).toBe('TIMEOUT');
		expect(failure.message).toBe('the login timed out: GitHub gave no device code within 1s');
	});

	test('garbage while polling ends the login with what was wrong', async () => {
		fake.pollAnswer = {status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>'};
		const failure = await rejection(start().result, LoginError);
		expect(failure.message).toBe(
			`waiting for the code failed: ${fake.url} answered HTTP 502 with something that is not GitHub's JSON`,
		);
	});

	test('an answer larger than GitHub ever sends is refused', async () => {
		fake.deviceCodeAnswer = {
			status: 200,
			contentType: 'application/json',
			body: JSON.stringify({padding: 'x'.repeat(300_000)}),
		};
		const failure = await rejection(start().result, LoginError);
		expect(failure.message).toBe(
			`asking GitHub for a device code failed: GitHub's device code endpoint (${fake.url}/login/device/code) sent an answer larger than 256 KiB; it was not read`,
		);
	});

	test('an access token a header cannot carry is refused without echoing it', async () => {
		fake.deviceTokenAnswer = {access_token: 'ghu_SECRET\r\nX-Evil: 1', token_type: 'bearer'};
		const failure = await rejection(start().result, LoginError);
		expect(failure.code).toBe('INVALID_TOKEN_ANSWER');
		expect(failure.message).not.toContain('SECRET');
		expect(fake.userRequests).toHaveLength(0);
		expect(await store.list()).toEqual([]);
	});

	test('the abort signal stops polling at once', async () => {
		fake.pendingPolls = 1000;
		const controller = new AbortController();
		const {result} = start({signal: controller.signal});
		await expect.poll(() => fake.devicePolls.length, {timeout: 20_000}).toBeGreaterThan(1);
		controller.abort();
		const failure = await rejection(result, LoginError);
		expect(failure.code).toBe('CANCELLED');
		const code = fake.devicePolls[0]?.params.device_code;
		const pollsOf = (deviceCode: string | undefined) =>
			fake.devicePolls.filter((poll) => poll.params.device_code === deviceCode).length;
		const polls = pollsOf(code);
		// A second login as the clock: once it has polled three times, several intervals have
		// passed, and the cancelled one would have polled again by then.
		const second = start({sessionId: 'other', signal: AbortSignal.timeout(20_000)});
		await expect.poll(() => fake.devicePolls.length - polls, {timeout: 20_000}).toBeGreaterThan(3);
		expect(pollsOf(code)).toBe(polls);
		void second;
		expect(await store.list()).toEqual([]);
	});
});

describe('opening the verification URL', () => {
	test.each([
		['https://github.com/login/device', 'https://github.com', undefined],
		['https://octo.ghe.com/login/device', 'https://octo.ghe.com', undefined],
		['http://127.0.0.1:9/login/device', 'http://127.0.0.1:9', undefined],
		['https://evil.example/login/device', 'https://github.com', 'it is not on https://github.com'],
		['http://github.com/login/device', 'https://github.com', 'it does not start with https://'],
		['file:///etc/passwd', 'https://github.com', 'it does not start with https://'],
		[
			'https://user@github.com/login/device',
			'https://github.com',
			'it is not on https://github.com',
		],
	])('%s on %s: %s', (uri, host, why) => {
		expect(refuseToOpen(uri, host)).toBe(why);
	});

	test('a URL off the host is shown, not opened, and the login goes on', async () => {
		fake.deviceCodeFields = {verification_uri: 'https://evil.example/login/device'};
		const opened: string[] = [];
		const {result, prompts} = start({
			openBrowser: async (url) => {
				opened.push(url);
			},
		});
		await result;
		expect(prompts[0]).toMatchObject({
			verificationUri: 'https://evil.example/login/device',
			opening: false,
			notOpenedBecause: `it is not on ${fake.url}`,
		});
		expect(opened).toEqual([]);
	});

	test('the URL on the host is opened', async () => {
		const opened: string[] = [];
		const {result, prompts} = start({
			openBrowser: async (url) => {
				opened.push(url);
			},
		});
		await result;
		expect(prompts[0]?.opening).toBe(true);
		expect(opened).toEqual([`${fake.url}/login/device`]);
	});
});
