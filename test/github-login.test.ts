// The loopback login flow against a fake GitHub on 127.0.0.1, with real HTTP on both sides.
import {readFileSync, rmSync, statSync} from 'node:fs';
import {request} from 'node:http';
import {type AddressInfo, createServer} from 'node:net';
import {networkInterfaces} from 'node:os';
import path from 'node:path';
import {beforeEach, describe, expect, test, vi} from 'vitest';
import {GitHubHostError} from '../source/github/endpoints.js';
import {LoginError, type LoginOptions, login} from '../source/github/login-flow.js';
import {openInBrowser, WITHHELD_FROM_BROWSER} from '../source/github/open-browser.js';
import {createStartLogin} from '../source/github/start-login.js';
import {FileStore} from '../source/session/file-store/file-store.js';
import {
	InvalidIdError,
	MemoryStateStore,
	MemoryStore,
	newSession,
	type Session,
} from '../source/session/index.js';
import {installFakeBrowser, waitForVisit} from './helpers/fake-browser.js';
import {type FakeGitHub, MONALISA, OCTOCAT, useFakeGitHub} from './helpers/fake-github.js';
import {rejection} from './helpers/rejection.js';
import {
	type Answer,
	headersThenStall,
	hugeBody,
	misbehave,
	trickle,
} from './helpers/stalling-peer.js';
import {makeTempDir} from './helpers/temp-dir.js';

let fake: FakeGitHub;
let store: MemoryStore;
let stateStore: MemoryStateStore;
let dir: string;

useFakeGitHub((started) => {
	fake = started;
});

beforeEach(() => {
	store = new MemoryStore();
	stateStore = new MemoryStateStore();
	dir = makeTempDir('stacktower-login-');
});

type Reply = {status: number; headers: Record<string, string | string[] | undefined>; body: string};

/** A raw request, so the test controls the method, the path and the Host header. */
function send(
	port: number,
	pathAndQuery: string,
	options: {method?: string; host?: string; address?: string} = {},
): Promise<Reply> {
	return new Promise((resolve, reject) => {
		const req = request(
			{
				host: options.address ?? '127.0.0.1',
				port,
				path: pathAndQuery,
				method: options.method ?? 'GET',
				headers: {Host: options.host ?? `127.0.0.1:${port}`},
				agent: false,
			},
			(res) => {
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => {
					body += chunk;
				});
				res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, body}));
			},
		);
		req.on('error', reject);
		req.end();
	});
}

/** The URL a login reports through onUrl, and the onUrl to give it. */
function urlWaiter() {
	let gotUrl: (url: string) => void = () => {};
	const url = new Promise<string>((resolve) => {
		gotUrl = resolve;
	});
	return {url, gotUrl};
}

/** Starts a login with no browser; resolves the authorize URL once the server listens. */
function start(overrides: Partial<LoginOptions> = {}) {
	const {url, gotUrl} = urlWaiter();
	const result = login({
		store,
		stateStore,
		sessionId: 'github',
		clientId: fake.clientId,
		clientSecret: fake.clientSecret,
		githubHost: fake.url,
		openBrowser: false,
		onUrl: gotUrl,
		...overrides,
	});
	// Attach a handler now; each test awaits `result` itself.
	result.catch(() => {});
	return {result, url};
}

/** What the browser would do with the authorize URL: ask GitHub, and get the callback URL back. */
async function callbackFor(authorizeUrl: string): Promise<URL> {
	const response = await fetch(authorizeUrl, {redirect: 'manual'});
	expect(response.status).toBe(302);
	return new URL(response.headers.get('location') ?? '');
}

function portOf(url: URL): number {
	return Number(url.port);
}

function pathOf(url: URL): string {
	return `${url.pathname}${url.search}`;
}

async function expectRefused(port: number, address = '127.0.0.1'): Promise<void> {
	const error = (await send(port, '/callback', {address}).then(
		() => new Error('the server answered'),
		(error: unknown) => error,
	)) as NodeJS.ErrnoException;
	expect(['ECONNREFUSED', 'EADDRNOTAVAIL', 'ENETUNREACH']).toContain(error.code);
}

async function portIsFree(port: number): Promise<void> {
	const server = createServer();
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolve);
	});
	expect((server.address() as AddressInfo).port).toBe(port);
	await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('login through the loopback callback', () => {
	test('succeeds end to end through $BROWSER and saves the fake user and token', async () => {
		const browser = installFakeBrowser(dir);
		const saved = {BROWSER: process.env.BROWSER, LOG: process.env.FAKE_BROWSER_LOG};
		process.env.BROWSER = browser.command;
		process.env.FAKE_BROWSER_LOG = browser.logFile;
		try {
			const sessions = path.join(dir, 'sessions');
			const files = new FileStore(sessions);
			const {result, url} = start({openBrowser: true, store: files});
			const authorizeUrl = new URL(await url);
			const outcome = await result;
			const visit = await waitForVisit(browser.logFile);

			expect(visit.argv).toEqual([authorizeUrl.href]);
			expect(visit.callback?.status).toBe(200);
			expect(visit.callback?.body).toContain('Logged in to GitHub as @octocat');

			expect(authorizeUrl.origin + authorizeUrl.pathname).toBe(`${fake.url}/login/oauth/authorize`);
			const query = authorizeUrl.searchParams;
			expect(query.get('client_id')).toBe(fake.clientId);
			expect(query.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
			expect(query.get('scope')).toBe('read:user user:email');
			expect(query.get('code_challenge_method')).toBe('S256');
			expect(query.get('code_challenge')).toMatch(/^[\w-]{43}$/);
			expect(query.get('state')).toMatch(/^[\w-]{43}$/);
			expect(query.has('login')).toBe(false);

			const [token] = [...fake.tokens.keys()];
			expect(outcome.userChanged).toBe(false);
			expect(outcome.user).toEqual({
				id: OCTOCAT.id,
				login: 'octocat',
				name: 'The Octocat',
				avatarUrl: OCTOCAT.avatar_url,
				email: '',
			});
			const session = await files.get('github');
			expect(session?.accessToken).toBe(token);
			expect(session?.user).toEqual(outcome.user);
			expect(session?.id).toBe('github');
			// The file itself, in the Go format.
			const file = path.join(sessions, 'github.json');
			expect(statSync(file).mode & 0o777).toBe(0o600);
			const written = JSON.parse(readFileSync(file, 'utf8'));
			expect(written).toMatchObject({
				id: 'github',
				access_token: token,
				user: {
					id: OCTOCAT.id,
					login: 'octocat',
					name: 'The Octocat',
					avatar_url: OCTOCAT.avatar_url,
				},
			});

			const exchange = fake.tokenRequests[0];
			expect(exchange?.params.redirect_uri).toBe(query.get('redirect_uri'));
			expect(exchange?.headers.accept).toBe('application/json');
			const userRequest = fake.userRequests[0];
			expect(userRequest?.accept).toBe('application/vnd.github+json');
			expect(userRequest?.['user-agent']).toBe('stacktower-sessions');

			await expectRefused(portOf(new URL(query.get('redirect_uri') ?? '')));
		} finally {
			for (const [key, value] of [
				['BROWSER', saved.BROWSER],
				['FAKE_BROWSER_LOG', saved.LOG],
			] as const) {
				if (value === undefined) delete process.env[key];
				else process.env[key] = value;
			}
		}
	});

	test('re-login keeps the id, passes login=, and says when GitHub returns another user', async () => {
		const previous: Session = {
			...newSession('gho_previous_token', {
				id: OCTOCAT.id,
				login: 'octocat',
				name: 'The Octocat',
				avatarUrl: '',
				email: '',
			}),
			id: 'work-laptop',
		};
		await store.set(previous);

		const same = start({sessionId: 'work-laptop', previous});
		const authorizeUrl = await same.url;
		expect(new URL(authorizeUrl).searchParams.get('login')).toBe('octocat');
		const callback = await callbackFor(authorizeUrl);
		expect((await send(portOf(callback), pathOf(callback))).status).toBe(200);
		const first = await same.result;
		expect(first).toMatchObject({userChanged: false, previousLogin: 'octocat'});
		expect(first.session.id).toBe('work-laptop');

		fake.user = MONALISA;
		const other = start({sessionId: 'work-laptop', previous: first.session});
		const again = await callbackFor(await other.url);
		expect((await send(portOf(again), pathOf(again))).status).toBe(200);
		const second = await other.result;
		expect(second).toMatchObject({userChanged: true, previousLogin: 'octocat'});
		const stored = await store.get('work-laptop');
		expect(stored?.user).toEqual({
			id: 1,
			login: 'monalisa',
			name: 'Mona Lisa',
			avatarUrl: MONALISA.avatar_url,
			email: 'mona@example.com',
		});
		expect(stored?.accessToken).not.toBe('gho_previous_token');
		expect((await store.list()).map((entry) => entry.id)).toEqual(['work-laptop']);
	});

	test('leaves no timer behind that would keep the process alive', async () => {
		// Every timer the flow starts must be cleared (or be unref'd) once it has ended, or a
		// command that just logged in would hang on before exiting.
		const live = new Set<NodeJS.Timeout>();
		const realSet = globalThis.setTimeout;
		const realClear = globalThis.clearTimeout;
		vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
			callback: (...args: unknown[]) => void,
			ms?: number,
			...args: unknown[]
		) => {
			const timer = realSet(() => {
				live.delete(timer);
				callback(...args);
			}, ms);
			live.add(timer);
			return timer;
		}) as typeof setTimeout);
		vi.spyOn(globalThis, 'clearTimeout').mockImplementation((timer) => {
			live.delete(timer as NodeJS.Timeout);
			realClear(timer);
		});
		try {
			const {result, url} = start();
			const callback = await callbackFor(await url);
			expect((await send(portOf(callback), pathOf(callback))).status).toBe(200);
			await result;
		} finally {
			vi.restoreAllMocks();
		}

		expect([...live].filter((timer) => timer.hasRef())).toEqual([]);
	});

	test('a wrong state gets 400, nothing is saved, and the right callback still succeeds', async () => {
		const {result, url} = start();
		const callback = await callbackFor(await url);
		const port = portOf(callback);

		for (const state of ['wrong', '', null]) {
			const tampered = new URL(callback);
			if (state === null) tampered.searchParams.delete('state');
			else tampered.searchParams.set('state', state);
			const reply = await send(port, pathOf(tampered));
			expect(reply.status).toBe(400);
			expect(reply.body).toContain('missing, unknown, used or expired state');
		}

		// A state that is valid in the store but belongs to another login: refused, and left valid.
		const foreign = await stateStore.generate();
		const stranger = new URL(callback);
		stranger.searchParams.set('state', foreign);
		expect((await send(port, pathOf(stranger))).status).toBe(400);

		// Two states, one of them right: refused without using up the right one.
		const doubled = new URL(callback);
		doubled.searchParams.append('state', 'wrong');
		expect((await send(port, pathOf(doubled))).status).toBe(400);

		expect(fake.tokenRequests).toHaveLength(0);
		expect(await store.list()).toEqual([]);

		expect((await send(port, pathOf(callback))).status).toBe(200);
		expect((await result).user.login).toBe('octocat');
		expect(await stateStore.validate(foreign)).toBe(true);
	});

	test('a replayed callback is refused and its code is never exchanged twice', async () => {
		fake.holdTokenRequests();
		const {result, url} = start();
		const callback = await callbackFor(await url);
		const port = portOf(callback);

		const first = send(port, pathOf(callback));
		await expect.poll(() => fake.tokenRequests.length, {timeout: 20_000}).toBe(1);
		const replay = await send(port, pathOf(callback));
		expect(replay.status).toBe(400);
		expect(replay.body).toContain('used or expired state');

		fake.release();
		expect((await first).status).toBe(200);
		await result;
		expect(fake.tokenRequests).toHaveLength(1);
		// After the flow the server is gone altogether.
		await expectRefused(port);
	});

	test('other paths get 404, other methods 405, another Host 400, and the flow goes on', async () => {
		const {result, url} = start();
		const callback = await callbackFor(await url);
		const port = portOf(callback);

		const foreign = await send(port, '/favicon.ico');
		expect(foreign.status).toBe(404);
		expect((await send(port, `/callback/${callback.search}`)).status).toBe(404);

		const post = await send(port, pathOf(callback), {method: 'POST'});
		expect(post.status).toBe(405);
		expect(post.headers.allow).toBe('GET');

		for (const host of [
			`localhost:${port}`,
			'evil.example',
			`127.0.0.1:${port + 1}`,
			'127.0.0.1',
		]) {
			const rebound = await send(port, pathOf(callback), {host});
			expect(rebound.status).toBe(400);
			expect(rebound.body).toContain(`only answers on 127.0.0.1:${port}`);
		}

		expect(fake.tokenRequests).toHaveLength(0);
		expect((await send(port, pathOf(callback))).status).toBe(200);
		await result;
	});

	test('only the exact raw target /callback is the callback: look-alike paths get 404', async () => {
		const {result, url} = start();
		const callback = await callbackFor(await url);
		const port = portOf(callback);
		for (const target of [
			`//evil.com/callback${callback.search}`,
			`/\\evil.com/callback${callback.search}`,
			`/./callback${callback.search}`,
			`/x/../callback${callback.search}`,
			`/callback/.${callback.search}`,
			`/%63allback${callback.search}`,
			`/CALLBACK${callback.search}`,
			`http://127.0.0.1:${port}/callback${callback.search}`,
		]) {
			const reply = await send(port, target);
			expect([target, reply.status]).toEqual([target, 404]);
		}

		expect(fake.tokenRequests).toHaveLength(0);
		// None of them used up the state: the real callback still works.
		expect((await send(port, pathOf(callback))).status).toBe(200);
		await result;
	});

	test.each([
		['a CR LF', 'gho_0123456789abcdef0123\r\nX-Evil: 1'],
		['a NUL', 'gho_0123456789abcdef0123\u0000'],
		['a non-ASCII letter', 'gho_0123456789abcdef0123é'],
		['a space', 'gho_0123456789abcdef0123 x'],
	])('an access token with %s is refused before use and never echoed', async (_name, token) => {
		fake.tokenAnswer = (_req, res) => {
			res.writeHead(200, {'Content-Type': 'application/json'});
			res.end(JSON.stringify({access_token: token, token_type: 'bearer', scope: ''}));
		};
		const {result, url} = start();
		const callback = await callbackFor(await url);
		const reply = await send(portOf(callback), pathOf(callback));
		const error = await rejection(result, LoginError);

		expect(error.code).toBe('INVALID_TOKEN_ANSWER');
		expect(error.message).toBe(
			"GitHub's answer holds no usable access token (empty, or with characters a request header cannot carry); nothing was saved",
		);
		expect(reply.status).toBe(502);
		for (const text of [error.message, reply.body]) expect(text).not.toContain('0123456789abcdef');
		expect(fake.userRequests).toHaveLength(0);
		expect(await store.list()).toEqual([]);
	});

	test('a /user answer over the byte bound (a 2 MiB name) is refused and nothing is saved', async () => {
		fake.user = {...OCTOCAT, name: 'x'.repeat(2 * 1024 * 1024)};
		const {result, url} = start();
		const callback = await callbackFor(await url);
		const reply = await send(portOf(callback), pathOf(callback));
		const error = await rejection(result, LoginError);
		expect(error.code).toBe('USER_FETCH_FAILED');
		expect(error.message).toBe(
			`reading the GitHub user failed: GitHub's /user endpoint (${fake.url}/api/v3/user) sent an answer larger than 256 KiB; it was not read`,
		);
		expect(reply.status).toBe(502);
		expect(await store.list()).toEqual([]);
	});

	test('a user the store could not read back is not saved over the previous session', async () => {
		const sessions = path.join(dir, 'sessions');
		const files = new FileStore(sessions);
		const previous: Session = {...newSession('gho_previous_token', null), id: 'github'};
		await files.set(previous);
		// 200,000 × "<" is within the byte bound, but the Go encoding writes each as \u003c: a
		// 1.2 MiB file, over the limit the FileStore reads.
		fake.user = {...OCTOCAT, name: '<'.repeat(200_000)};
		const {result, url} = start({store: files});
		const callback = await callbackFor(await url);
		const reply = await send(portOf(callback), pathOf(callback));
		const error = await rejection(result, LoginError);
		expect(error.code).toBe('STORE_FAILED');
		expect(error.message).toBe(
			"not saved: the session for @octocat would take 1.1 MiB, over the 1.0 MiB a session store reads back (GitHub's /user answer is unusually large)",
		);
		expect(reply.status).toBe(500);
		expect((await files.get('github'))?.accessToken).toBe('gho_previous_token');
	});

	test.runIf(process.platform === 'linux')(
		'the browser starts without the secrets in the environment, from $BROWSER or xdg-open',
		async () => {
			const secrets = Object.fromEntries(WITHHELD_FROM_BROWSER.map((name) => [name, 'secret']));
			for (const [name, env] of [
				['browser.mjs', {BROWSER: path.join(dir, 'browser.mjs')}],
				['xdg-open', {PATH: dir}],
			] as const) {
				const browser = installFakeBrowser(dir, name);
				await openInBrowser(`${fake.url}/nowhere`, {
					...secrets,
					...env,
					FAKE_BROWSER_LOG: browser.logFile,
					KEPT: 'yes',
				});
				const visit = await waitForVisit(browser.logFile);
				expect(visit.argv).toEqual([`${fake.url}/nowhere`]);
				expect(visit.env).toContain('KEPT');
				for (const secret of WITHHELD_FROM_BROWSER) expect(visit.env).not.toContain(secret);
				rmSync(browser.logFile);
			}
		},
	);

	test('error=access_denied ends the login cleanly, and HTML in the description is escaped', async () => {
		fake.denyWith = {
			error: 'access_denied',
			description: '<script>alert("pwned")</script> & <b>bold</b>',
		};
		const {result, url} = start();
		const callback = await callbackFor(await url);
		const reply = await send(portOf(callback), pathOf(callback));

		expect(reply.status).toBe(400);
		expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
		expect(reply.body).not.toContain('<script>');
		expect(reply.body).not.toContain('<b>');
		// The page says it as prose (a capital, a full stop); the terminal's message as a message.
		expect(reply.body).toContain(
			'<p>The login was denied on GitHub (access_denied: &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;). You can close this tab.</p>',
		);

		const error = await rejection(result, LoginError);
		expect(error.code).toBe('ACCESS_DENIED');
		expect(error.message).toMatch(/^the login was denied on GitHub \(access_denied: /);
		expect(error.message).toContain('access_denied');
		expect(error.message).toContain('<script>alert("pwned")</script>');
		expect(fake.tokenRequests).toHaveLength(0);
		expect(await store.list()).toEqual([]);
		await portIsFree(portOf(callback));
	});

	test.each([
		['bad_verification_code', 'BAD_VERIFICATION_CODE'],
		['incorrect_client_credentials', 'INCORRECT_CLIENT_CREDENTIALS'],
		['redirect_uri_mismatch', 'REDIRECT_URI_MISMATCH'],
		['unsupported_grant_type', 'TOKEN_EXCHANGE_FAILED'],
	])('a token endpoint error %s fails cleanly', async (error, code) => {
		fake.tokenError = {error, description: `described ${error}`};
		const {result, url} = start();
		const callback = await callbackFor(await url);
		const reply = await send(portOf(callback), pathOf(callback));
		expect(reply.status).toBe(502);
		expect(reply.body).toContain('Login failed');
		expect(reply.body).toContain(`described ${error}`);

		const failure = await rejection(result, LoginError);
		expect(failure.code).toBe(code);
		expect(failure.message).toContain(`described ${error}`);
		expect(await store.list()).toEqual([]);
	});

	test('the real checks of the fake: a wrong secret, and a PKCE verifier that does not match', async () => {
		const wrongSecret = start({clientSecret: 'not-the-secret'});
		const callback = await callbackFor(await wrongSecret.url);
		expect((await send(portOf(callback), pathOf(callback))).status).toBe(502);
		const error = await rejection(wrongSecret.result, LoginError);
		expect(error.code).toBe('INCORRECT_CLIENT_CREDENTIALS');
		expect(error.message).toContain('STACKTOWER_GITHUB_CLIENT_SECRET');
		expect(error.message).not.toContain('not-the-secret');

		// A fetch that swaps the verifier: the fake must catch it against the challenge.
		const swapped = start({
			fetch: (input, init) => {
				const body = new URLSearchParams(String(init?.body ?? ''));
				if (body.has('code_verifier')) body.set('code_verifier', 'x'.repeat(43));
				return fetch(input, body.has('code_verifier') ? {...init, body} : init);
			},
		});
		const second = await callbackFor(await swapped.url);
		expect((await send(portOf(second), pathOf(second))).status).toBe(502);
		expect((await rejection(swapped.result, LoginError)).code).toBe('BAD_VERIFICATION_CODE');
	});

	test('a GitHub that cannot be reached fails cleanly', async () => {
		const {result, url} = start();
		const callback = await callbackFor(await url);
		await fake.close();
		const reply = await send(portOf(callback), pathOf(callback));
		expect(reply.status).toBe(502);
		const error = await rejection(result, LoginError);
		expect(error.code).toBe('TOKEN_EXCHANGE_FAILED');
		expect(error.message).toContain('could not reach');
	});

	test.each([
		['sends headers and stalls', headersThenStall, 'did not finish its answer within 300ms'],
		['trickles its body forever', trickle(20), 'did not finish its answer within 300ms'],
		['sends a 1.2 GB body', hugeBody(1.2e9, false), 'sent an answer larger than 256 KiB'],
	])(
		'a token endpoint that %s fails the login on time, naming it',
		async (_name, behaviour, said) => {
			const answers: Answer[] = [];
			fake.tokenAnswer = (req, res) => answers.push(misbehave(behaviour, req, res));
			const {result, url} = start({requestTimeoutMs: 300});
			const callback = await callbackFor(await url);
			const reply = await send(portOf(callback), pathOf(callback));
			const error = await rejection(result, LoginError);

			expect(error.code).toBe('TOKEN_EXCHANGE_FAILED');
			expect(error.message).toContain(
				`exchanging the authorization code failed: GitHub's token endpoint (${fake.url}/login/oauth/access_token) ${said}`,
			);
			// What the login had received when the bound cut the answer: at most what was sent.
			const received = /\((\d+) bytes received\)$/.exec(error.message);
			if (received) expect(Number(received[1])).toBeLessThanOrEqual(answers[0]?.sent ?? 0);
			else expect(error.message).toMatch(/; it was not read$/);
			expect(error.message).not.toContain('browser');
			expect(reply.status).toBe(502);
			expect(reply.body).toContain('GitHub&#39;s token endpoint');
			expect(reply.body).toContain(said);
			await expect.poll(() => answers[0]?.closed, {timeout: 20_000}).toBe(true);
			expect(await store.list()).toEqual([]);
			await portIsFree(portOf(callback));
		},
	);

	test('a login deadline that falls while GitHub is answering does not blame the browser', async () => {
		fake.tokenAnswer = (req, res) => misbehave(headersThenStall, req, res);
		const {result, url} = start({timeoutMs: 1000, requestTimeoutMs: 60_000});
		const callback = await callbackFor(await url);
		void send(portOf(callback), pathOf(callback)).catch(() => {});
		const error = await rejection(result, LoginError);
		expect(error.code).toBe('TIMEOUT');
		expect(error.message).toBe(
			'the login timed out: the browser came back, but talking to GitHub and saving the session did not finish within 1s',
		);
		await portIsFree(portOf(callback));
	});

	test('a timeout fails cleanly and frees the port', async () => {
		const {result, url} = start({timeoutMs: 300});
		const port = portOf(new URL(new URL(await url).searchParams.get('redirect_uri') ?? ''));
		const error = await rejection(result, LoginError);
		expect(error.code).toBe('TIMEOUT');
		expect(error.message).toContain('timed out');
		await expectRefused(port);
		await portIsFree(port);
	});

	test('an abort signal cancels the login and frees the port', async () => {
		const controller = new AbortController();
		const {result, url} = start({signal: controller.signal});
		const authorizeUrl = await url;
		const callback = await callbackFor(authorizeUrl);
		controller.abort();
		const error = await rejection(result, LoginError);
		expect(error.code).toBe('CANCELLED');
		await portIsFree(portOf(callback));
		// The state was used up, so even a server on that port could not take the callback.
		expect(await stateStore.validate(callback.searchParams.get('state') ?? '')).toBe(false);
	});

	test('a fixed callback port is used, and a busy one fails cleanly', async () => {
		const blocker = createServer();
		await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
		const busy = (blocker.address() as AddressInfo).port;
		try {
			const error = await rejection(start({callbackPort: busy}).result, LoginError);
			expect(error.code).toBe('SERVER_FAILED');
			expect(error.message).toContain(
				`port ${busy} on 127.0.0.1 is in use: choose another --callback-port`,
			);
		} finally {
			await new Promise<void>((resolve) => blocker.close(() => resolve()));
		}

		const {result, url} = start({callbackPort: busy});
		const callback = await callbackFor(await url);
		expect(portOf(callback)).toBe(busy);
		expect((await send(busy, pathOf(callback))).status).toBe(200);
		await result;
	});

	test('the server answers on 127.0.0.1 only', async () => {
		const {result, url} = start();
		const callback = await callbackFor(await url);
		const port = portOf(callback);

		await expectRefused(port, '::1');
		const others = Object.values(networkInterfaces())
			.flat()
			.filter((info) => info && info.family === 'IPv4' && !info.internal)
			.map((info) => info?.address ?? '');
		for (const address of others) await expectRefused(port, address);

		expect((await send(port, pathOf(callback))).status).toBe(200);
		await result;
	});

	test('options of the wrong type are refused with a TypeError before anything listens', async () => {
		for (const [overrides, type, text] of [
			[{sessionId: '../escape'}, InvalidIdError, 'invalid session id "../escape"'],
			[{clientId: ''}, TypeError, 'Expected clientId to be a non-empty string, got string'],
			[{clientSecret: 42}, TypeError, 'Expected clientSecret to be a non-empty string, got number'],
			[{callbackPort: '8080'}, TypeError, 'Expected callbackPort to be an integer, got string'],
			[{timeoutMs: 0}, TypeError, 'Expected timeoutMs to be a number of milliseconds'],
			[{timeoutMs: 2 ** 31}, TypeError, 'from 1 to 2147483647, got 2147483648'],
			[{requestTimeoutMs: Number.NaN}, TypeError, 'Expected requestTimeoutMs'],
			[{githubHost: 'http://github.example.com'}, GitHubHostError, 'must use https://'],
		] as const) {
			const error = await start(overrides as unknown as Partial<LoginOptions>).result.then(
				() => new Error('expected the login to be refused'),
				(error: unknown) => error,
			);
			expect(error).toBeInstanceOf(type);
			expect((error as Error).message).toContain(text);
		}

		expect(await stateStore.validate('anything')).toBe(false);
		expect(fake.authorizeQueries).toHaveLength(0);
	});

	test('a callback port out of range is a listen failure, reported cleanly', async () => {
		const error = await rejection(start({callbackPort: 70_000}).result, LoginError);
		expect(error.code).toBe('SERVER_FAILED');
		expect(error.message).toBe('could not listen on 127.0.0.1:70000 (ERR_SOCKET_BAD_PORT)');
	});

	test('a $BROWSER that cannot start is reported, and the login goes on', async () => {
		const saved = process.env.BROWSER;
		process.env.BROWSER = path.join(dir, 'no-such-browser');
		const problems: LoginError[] = [];
		try {
			const {result, url} = start({
				openBrowser: true,
				onBrowserError: (error) => problems.push(error),
			});
			const callback = await callbackFor(await url);
			await expect.poll(() => problems.length, {timeout: 20_000}).toBe(1);
			expect(problems[0]?.code).toBe('BROWSER_FAILED');
			expect(problems[0]?.message).toContain('ENOENT');
			expect((await send(portOf(callback), pathOf(callback))).status).toBe(200);
			await result;
		} finally {
			if (saved === undefined) delete process.env.BROWSER;
			else process.env.BROWSER = saved;
		}
	});
});

describe('createStartLogin, for the inspector', () => {
	const startLoginOnFake = () =>
		createStartLogin(
			{
				flow: 'web',
				id: 'github',
				clientId: fake.clientId,
				clientSecret: fake.clientSecret,
				githubHost: fake.url,
				scopes: 'read:user',
				callbackPort: 0,
				timeoutMs: 60_000,
				ttlMs: 60_000,
				openBrowser: false,
			},
			store,
			stateStore,
		);

	test('logs in with the bound configuration and reports the outcome', async () => {
		const start = startLoginOnFake();
		const {url, gotUrl} = urlWaiter();
		const outcome = start({
			sessionId: 'github',
			previous: null,
			signal: new AbortController().signal,
			onUrl: gotUrl,
		});
		const callback = await callbackFor(await url);
		expect((await send(portOf(callback), pathOf(callback))).status).toBe(200);
		const result = await outcome;
		const session = await store.get('github');
		expect(result).toEqual({session, user: session?.user, userChanged: false});
		expect(session?.expiresAt.getTime()).toBe((session?.createdAt.getTime() ?? 0) + 60_000);
	});

	test('its signal cancels (Esc) and frees the port', async () => {
		const start = startLoginOnFake();
		const controller = new AbortController();
		const {url, gotUrl} = urlWaiter();
		const outcome = start({
			sessionId: 'github',
			previous: null,
			signal: controller.signal,
			onUrl: gotUrl,
		});
		outcome.catch(() => {});
		const callback = await callbackFor(await url);
		controller.abort();
		expect((await rejection(outcome, LoginError)).code).toBe('CANCELLED');
		await portIsFree(portOf(callback));
		expect(await store.list()).toEqual([]);
	});
});
