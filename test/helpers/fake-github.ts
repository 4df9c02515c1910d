// A fake GitHub (Enterprise Server layout) on 127.0.0.1 for the login tests: a real HTTP
// server that behaves like github.com's OAuth web flow and device flow (RFC 8628), strict
// where GitHub is strict (a poll before the interval is over is told to slow down).
import {createHash, randomBytes} from 'node:crypto';
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterEach, beforeEach} from 'vitest';

export type FakeUser = {
	id: number;
	login: string;
	name: string | null;
	avatar_url: string;
	email: string | null;
};

export const OCTOCAT: FakeUser = {
	id: 583_231,
	login: 'octocat',
	name: 'The Octocat',
	avatar_url: 'https://avatars.githubusercontent.com/u/583231?v=4',
	email: null,
};

export const MONALISA: FakeUser = {
	id: 1,
	login: 'monalisa',
	name: 'Mona Lisa',
	avatar_url: 'https://avatars.githubusercontent.com/u/1?v=4',
	email: 'mona@example.com',
};

export type FakeGitHubOptions = {
	clientId?: string;
	clientSecret?: string;
	user?: FakeUser;
};

type Grant = {
	clientId: string;
	redirectUri: string;
	challenge: string;
	used: boolean;
	user: FakeUser;
};

export type TokenRequest = {
	headers: IncomingMessage['headers'];
	params: Record<string, string>;
	/** Date.now() when it arrived. */
	at: number;
};

/** How the person at the verification URL answers a device code. */
export type DeviceOutcome = 'approve' | 'deny' | 'expire';

/** A raw answer, for endpoints that misbehave. `stall` sends the headers and nothing more. */
export type RawAnswer = {status: number; contentType: string; body: string; stall?: boolean};

type DeviceGrant = {
	clientId: string;
	userCode: string;
	expiresAt: number;
	intervalMs: number;
	lastPollAt: number | undefined;
	pendingLeft: number;
	slowedDown: boolean;
	used: boolean;
	user: FakeUser;
};

export class FakeGitHub {
	readonly clientId: string;
	readonly clientSecret: string;
	/** The user the next authorization is for. */
	user: FakeUser;
	/** When set, authorize redirects back with this error instead of a code. */
	denyWith: {error: string; description: string} | undefined;
	/** When set, the token endpoint answers this GitHub-style error. */
	tokenError: {error: string; description: string} | undefined;
	/** When set, answers token requests in place of the fake (a stalled or hostile GitHub). */
	tokenAnswer: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
	/** Every token issued (to check it never leaks, and that the session holds it). */
	readonly tokens = new Map<string, FakeUser>();
	/** Every refresh token issued with a GitHub App token. */
	readonly refreshTokens = new Set<string>();

	// The device flow. GitHub's interval is 5 s and slow_down adds 5 s; the defaults here are
	// scaled down so that tests run in a moment, and the rules are GitHub's.
	/** Whether the app may use the device flow (GitHub answers device_flow_disabled if not). */
	deviceFlowEnabled = true;
	/** The `interval` of a new device code, in seconds. */
	deviceInterval: number | undefined = 0.1;
	/** What slow_down adds to the interval, in seconds; undefined leaves `interval` out of it. */
	slowDownStep: number | undefined = 0.1;
	/** The `expires_in` of a new device code, in seconds. */
	deviceExpiresIn = 900;
	/** Polls answered authorization_pending before the person acts. */
	pendingPolls = 2;
	/** Answer slow_down once, on the first poll, whatever its timing. */
	slowDownOnce = false;
	deviceOutcome: DeviceOutcome = 'approve';
	/** Tokens as a GitHub App issues them (ghu_ with expiry and a ghr_ refresh token), else gho_. */
	appTokens = true;
	/** Overrides for the device-code answer's fields (user_code, verification_uri, ...). */
	deviceCodeFields: Record<string, unknown> = {};
	/** When set, the device-code endpoint answers this instead. */
	deviceCodeAnswer: RawAnswer | undefined;
	/** When set, device polls are answered with this instead. */
	pollAnswer: RawAnswer | undefined;
	/** When set, the token answer of an approved device code is this JSON instead. */
	deviceTokenAnswer: Record<string, unknown> | undefined;
	readonly deviceCodeRequests: TokenRequest[] = [];
	readonly devicePolls: TokenRequest[] = [];
	/** Every device code issued, by its device_code. */
	readonly #deviceGrants = new Map<string, DeviceGrant>();
	readonly authorizeQueries: URLSearchParams[] = [];
	readonly tokenRequests: TokenRequest[] = [];
	readonly userRequests: IncomingMessage['headers'][] = [];
	readonly #grants = new Map<string, Grant>();
	/** What GitHub knows about each token it issued beyond its user (see issueToken). */
	readonly tokenInfo = new Map<string, TokenInfo>();
	/** Refresh tokens (`ghr_`) by token: one use each, tied to the client id that issued them. */
	readonly refreshGrants = new Map<string, RefreshGrant>();
	/** Every refresh grant request that reached the token endpoint. */
	readonly refreshRequests: TokenRequest[] = [];
	/** Every DELETE /applications/{client_id}/token, with what it carried. */
	readonly revokeRequests: {clientId: string; authorization: string; body: string}[] = [];
	/** The primary rate limit of /user; each answer counts one down, at 0 GitHub answers 403. */
	rateLimit = {limit: 5000, remaining: 5000, resetAt: new Date(Date.now() + 3_600_000)};
	/** When set, /user misbehaves this way instead of answering (a stalled or broken GitHub). */
	userFault: UserFault | undefined;
	/** When set, /user answers this user object for every valid token (odd logins and names). */
	userOverride: Record<string, unknown> | undefined;
	/** When set, a refresh grant answers without a new refresh_token (GitHub should not). */
	refreshWithoutRefreshToken = false;
	/** Called when a refresh answer has been written (a test may kill the client then). */
	onRefreshAnswered: (() => void) | undefined;
	readonly #server: Server;
	#hold: Promise<void> | undefined;
	#release: (() => void) | undefined;
	url = '';

	constructor(options: FakeGitHubOptions = {}) {
		this.clientId = options.clientId ?? 'Iv1.fakeclientid';
		this.clientSecret = options.clientSecret ?? 'fake-client-secret-0123456789';
		this.user = options.user ?? OCTOCAT;
		this.#server = createServer((req, res) => {
			this.#handle(req, res).catch((error: unknown) => {
				res.writeHead(500).end(String(error));
			});
		});
	}

	static async start(options?: FakeGitHubOptions): Promise<FakeGitHub> {
		const fake = new FakeGitHub(options);
		await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
		fake.url = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}`;
		return fake;
	}

	/** Token requests wait until release() is called. */
	holdTokenRequests(): void {
		this.#hold = new Promise((resolve) => {
			this.#release = resolve;
		});
	}

	release(): void {
		this.#release?.();
		this.#hold = undefined;
	}

	async close(): Promise<void> {
		this.release();
		this.#server.closeAllConnections();
		await new Promise<void>((resolve) => this.#server.close(() => resolve()));
	}

	async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', this.url);
		if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
			this.#authorize(url.searchParams, res);
			return;
		}

		if (req.method === 'POST' && url.pathname === '/login/device/code') {
			const params = await readParams(req);
			this.deviceCodeRequests.push({headers: req.headers, params, at: Date.now()});
			if (this.deviceCodeAnswer) {
				raw(res, this.deviceCodeAnswer);
				return;
			}

			this.#deviceCode(req, params, res);
			return;
		}

		if (req.method === 'GET' && url.pathname === '/login/device') {
			res.writeHead(200, {'Content-Type': 'text/html; charset=utf-8'});
			res.end('<!doctype html><title>Device activation</title><p>Enter the code</p>');
			return;
		}

		if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
			const params = await readParams(req);
			const request = {headers: req.headers, params, at: Date.now()};
			if (params.grant_type === DEVICE_GRANT) {
				this.devicePolls.push(request);
				if (this.pollAnswer) {
					raw(res, this.pollAnswer);
					return;
				}

				this.#devicePoll(req, params, res);
				return;
			}

			this.tokenRequests.push(request);
			await this.#hold;
			if (params.grant_type === 'refresh_token') {
				this.refreshRequests.push(request);
				this.#refresh(req, params, res);
				return;
			}

			if (this.tokenAnswer) this.tokenAnswer(req, res);
			else this.#token(req, params, res);
			return;
		}

		const revoke = /^\/api\/v3\/applications\/([^/]+)\/token$/.exec(url.pathname);
		if (req.method === 'DELETE' && revoke) {
			this.#revoke(req, decodeURIComponent(revoke[1] ?? ''), await readBody(req), res);
			return;
		}

		if (req.method === 'GET' && url.pathname === '/api/v3/user') {
			if (this.userFault) {
				this.userRequests.push(req.headers);
				answerFault(this.userFault, res);
				return;
			}

			this.#user(req, res);
			return;
		}

		json(res, 404, {message: 'Not Found'});
	}

	#authorize(query: URLSearchParams, res: ServerResponse): void {
		this.authorizeQueries.push(query);
		const redirectUri = query.get('redirect_uri') ?? '';
		if (query.get('client_id') !== this.clientId) {
			res.writeHead(404, {'Content-Type': 'text/plain'}).end('unknown client_id');
			return;
		}

		// GitHub ignores the port of a loopback redirect_uri (RFC 8252 §7.3).
		if (!/^http:\/\/127\.0\.0\.1:\d+\/callback$/.test(redirectUri)) {
			res.writeHead(400, {'Content-Type': 'text/plain'}).end('redirect_uri_mismatch');
			return;
		}

		const back = new URL(redirectUri);
		const state = query.get('state');
		if (this.denyWith) {
			back.searchParams.set('error', this.denyWith.error);
			back.searchParams.set('error_description', this.denyWith.description);
			back.searchParams.set('error_uri', 'https://docs.github.com/apps/troubleshooting');
		} else {
			if (query.get('code_challenge_method') !== 'S256' || !query.get('code_challenge')) {
				res.writeHead(400, {'Content-Type': 'text/plain'}).end('PKCE S256 required');
				return;
			}

			const code = randomBytes(10).toString('hex');
			this.#grants.set(code, {
				clientId: this.clientId,
				redirectUri,
				challenge: query.get('code_challenge') ?? '',
				used: false,
				user: this.user,
			});
			back.searchParams.set('code', code);
		}

		if (state !== null) back.searchParams.set('state', state);
		res.writeHead(302, {Location: back.href}).end();
	}

	#token(req: IncomingMessage, params: Record<string, string>, res: ServerResponse): void {
		if (!(req.headers.accept ?? '').includes('application/json')) {
			res.writeHead(200, {'Content-Type': 'application/x-www-form-urlencoded'});
			res.end('error=accept_header_missing');
			return;
		}

		// GitHub answers OAuth errors with HTTP 200 and an `error` field.
		const fail = (error: string, description: string) =>
			json(res, 200, {
				error,
				error_description: description,
				error_uri: 'https://docs.github.com/apps/oauth-apps',
			});
		if (this.tokenError) {
			fail(this.tokenError.error, this.tokenError.description);
			return;
		}

		if (params.client_id !== this.clientId || params.client_secret !== this.clientSecret) {
			fail(
				'incorrect_client_credentials',
				'The client_id and/or client_secret passed are incorrect.',
			);
			return;
		}

		const grant = this.#grants.get(params.code ?? '');
		if (!grant || grant.used) {
			fail('bad_verification_code', 'The code passed is incorrect or expired.');
			return;
		}

		grant.used = true;
		if (params.redirect_uri !== grant.redirectUri) {
			fail(
				'redirect_uri_mismatch',
				'The redirect_uri MUST match the registered callback URL for this application.',
			);
			return;
		}

		const challenge = createHash('sha256')
			.update(params.code_verifier ?? '')
			.digest('base64url');
		if (challenge !== grant.challenge) {
			fail('bad_verification_code', 'The code_verifier does not match the code_challenge.');
			return;
		}

		const token = `gho_${randomBytes(18).toString('hex')}`;
		this.tokens.set(token, grant.user);
		json(res, 200, {access_token: token, token_type: 'bearer', scope: 'read:user,user:email'});
	}

	#deviceCode(req: IncomingMessage, params: Record<string, string>, res: ServerResponse): void {
		if (!(req.headers.accept ?? '').includes('application/json')) {
			res.writeHead(200, {'Content-Type': 'application/x-www-form-urlencoded'});
			res.end('device_code=x&user_code=y');
			return;
		}

		// An unknown client id: GitHub answers 404 for the device-code endpoint.
		if (params.client_id !== this.clientId) {
			json(res, 404, {error: 'Not Found'});
			return;
		}

		if (!this.deviceFlowEnabled) {
			json(res, 400, {
				error: 'device_flow_disabled',
				error_description: 'Device Flow must be explicitly enabled for this App',
				error_uri: 'https://docs.github.com',
			});
			return;
		}

		const deviceCode = randomBytes(20).toString('hex');
		const letters = () =>
			Array.from(randomBytes(4), (b) => 'BCDFGHJKLMNPQRSTVWXZ'[b % 20]).join('');
		const userCode = `${letters()}-${letters()}`;
		const intervalS = this.deviceInterval ?? 5;
		this.#deviceGrants.set(deviceCode, {
			clientId: params.client_id,
			userCode,
			expiresAt: Date.now() + this.deviceExpiresIn * 1000,
			intervalMs: intervalS * 1000,
			lastPollAt: undefined,
			pendingLeft: this.pendingPolls,
			slowedDown: false,
			used: false,
			user: this.user,
		});
		json(res, 200, {
			device_code: deviceCode,
			user_code: userCode,
			verification_uri: `${this.url}/login/device`,
			expires_in: this.deviceExpiresIn,
			...(this.deviceInterval === undefined ? {} : {interval: this.deviceInterval}),
			...this.deviceCodeFields,
		});
	}

	#devicePoll(req: IncomingMessage, params: Record<string, string>, res: ServerResponse): void {
		const fail = (error: string, description: string, extra: Record<string, unknown> = {}) =>
			json(res, 200, {
				error,
				error_description: description,
				error_uri: 'https://docs.github.com/developers/apps/authorizing-oauth-apps',
				...extra,
			});
		if (!(req.headers.accept ?? '').includes('application/json')) {
			res.writeHead(200, {'Content-Type': 'application/x-www-form-urlencoded'});
			res.end('error=accept_header_missing');
			return;
		}

		const grant = this.#deviceGrants.get(params.device_code ?? '');
		if (params.client_id !== this.clientId) {
			fail('incorrect_client_credentials', 'The client_id is not valid.');
			return;
		}

		if (!this.deviceFlowEnabled) {
			fail('device_flow_disabled', 'Device Flow must be explicitly enabled for this App');
			return;
		}

		if (!grant || grant.used || grant.clientId !== params.client_id) {
			fail('incorrect_device_code', 'The device_code provided is not valid.');
			return;
		}

		const now = Date.now();
		if (now > grant.expiresAt || this.deviceOutcome === 'expire') {
			fail('expired_token', 'The device_code has expired.');
			return;
		}

		// GitHub: polling faster than the interval is answered slow_down, and the interval
		// grows by 5 seconds.
		const early = grant.lastPollAt !== undefined && now - grant.lastPollAt < grant.intervalMs;
		grant.lastPollAt = now;
		if (early || (this.slowDownOnce && !grant.slowedDown)) {
			grant.slowedDown = true;
			grant.intervalMs += (this.slowDownStep ?? 5) * 1000;
			fail(
				'slow_down',
				'Too many requests have been made in the same timeframe.',
				this.slowDownStep === undefined ? {} : {interval: grant.intervalMs / 1000},
			);
			return;
		}

		if (grant.pendingLeft > 0) {
			grant.pendingLeft--;
			fail('authorization_pending', 'The authorization request is still pending.');
			return;
		}

		if (this.deviceOutcome === 'deny') {
			fail('access_denied', 'The authorization request was denied.');
			return;
		}

		grant.used = true;
		if (this.deviceTokenAnswer) {
			json(res, 200, this.deviceTokenAnswer);
			return;
		}

		json(res, 200, this.#issue(grant.user));
	}

	/** A token answer as GitHub sends it, the token remembered for GET /user. */
	#issue(user: FakeUser): Record<string, unknown> {
		if (!this.appTokens) {
			const token = `gho_${randomBytes(18).toString('hex')}`;
			this.tokens.set(token, user);
			return {access_token: token, token_type: 'bearer', scope: 'read:user,user:email'};
		}

		// Issued as issueToken does, so that a refresh grant can spend the refresh token later.
		const pair = this.issueToken({user, expiresInMs: 28_800_000});
		return {
			access_token: pair.accessToken,
			expires_in: 28_800,
			refresh_token: pair.refreshToken,
			refresh_token_expires_in: 15_811_200,
			token_type: 'bearer',
			scope: '',
		};
	}

	#user(req: IncomingMessage, res: ServerResponse): void {
		this.userRequests.push(req.headers);
		const rate = this.rateLimit;
		const rateHeaders = {
			'x-ratelimit-limit': String(rate.limit),
			'x-ratelimit-remaining': String(Math.max(0, rate.remaining - 1)),
			'x-ratelimit-reset': String(Math.floor(rate.resetAt.getTime() / 1000)),
			'x-ratelimit-resource': 'core',
		};
		if (rate.remaining <= 0) {
			json(
				res,
				403,
				{
					message: 'API rate limit exceeded for user ID 583231.',
					documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
				},
				{...rateHeaders, 'x-ratelimit-remaining': '0'},
			);
			return;
		}

		rate.remaining--;
		const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
		const token = match?.[1] ?? '';
		const user = this.tokens.get(token);
		const info = this.tokenInfo.get(token);
		if (!user || (info?.expiresAt !== undefined && info.expiresAt.getTime() <= Date.now())) {
			json(
				res,
				401,
				{message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest'},
				rateHeaders,
			);
			return;
		}

		const headers: Record<string, string> = {...rateHeaders};
		// OAuth app tokens list their scopes; GitHub App tokens send an expiry instead.
		if (info?.scopes !== undefined) headers['x-oauth-scopes'] = info.scopes.join(', ');
		if (info?.expiresAt !== undefined) {
			headers['github-authentication-token-expiration'] = githubExpiration(info.expiresAt);
		}

		json(res, 200, this.userOverride ?? {...user, type: 'User', site_admin: false}, headers);
	}

	/**
	 * A token GitHub knows, as if a login had issued it: an OAuth app's (`gho_`, with scopes)
	 * or, with `expiresInMs`, a GitHub App's (`ghu_`, with a `ghr_` refresh token).
	 */
	issueToken(options: IssueOptions = {}): {accessToken: string; refreshToken?: string} {
		const user = options.user ?? this.user;
		const clientId = options.clientId ?? this.clientId;
		if (options.expiresInMs === undefined) {
			const accessToken = `gho_${randomBytes(18).toString('hex')}`;
			this.tokens.set(accessToken, user);
			this.tokenInfo.set(accessToken, {
				clientId,
				scopes: options.scopes ?? ['read:user', 'user:email'],
			});
			return {accessToken};
		}

		const accessToken = `ghu_${randomBytes(18).toString('hex')}`;
		this.tokens.set(accessToken, user);
		this.tokenInfo.set(accessToken, {
			clientId,
			expiresAt: new Date(Date.now() + options.expiresInMs),
		});
		const refreshToken = `ghr_${randomBytes(38).toString('hex')}`;
		this.refreshTokens.add(refreshToken);
		this.refreshGrants.set(refreshToken, {
			clientId,
			user,
			used: false,
			expiresAt: new Date(Date.now() + (options.refreshExpiresInMs ?? 15_811_200_000)),
		});
		return {accessToken, refreshToken};
	}

	/** Revokes a token as a user would on GitHub's settings page: /user answers 401 from now on. */
	revokeToken(token: string): void {
		this.tokens.delete(token);
		this.tokenInfo.delete(token);
	}

	// POST /login/oauth/access_token with grant_type=refresh_token, as GitHub answers it for a
	// GitHub App: a new ghu_/ghr_ pair, 8 hours and 6 months; the refresh token spent.
	// https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens
	#refresh(req: IncomingMessage, params: Record<string, string>, res: ServerResponse): void {
		const fail = (error: string, description: string) =>
			json(res, 200, {
				error,
				error_description: description,
				error_uri:
					'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors',
			});
		if (!(req.headers.accept ?? '').includes('application/json')) {
			res.writeHead(200, {'Content-Type': 'application/x-www-form-urlencoded'});
			res.end('error=accept_header_missing');
			return;
		}

		const grant = this.refreshGrants.get(params.refresh_token ?? '');
		if (
			params.client_secret !== undefined &&
			(params.client_id !== this.clientId || params.client_secret !== this.clientSecret)
		) {
			fail(
				'incorrect_client_credentials',
				'The client_id and/or client_secret passed are incorrect.',
			);
			return;
		}

		if (
			!grant ||
			grant.used ||
			grant.clientId !== params.client_id ||
			grant.expiresAt.getTime() <= Date.now()
		) {
			fail('bad_refresh_token', 'The refresh token passed is incorrect or expired.');
			return;
		}

		grant.used = true;
		const pair = this.issueToken({
			user: grant.user,
			clientId: grant.clientId,
			expiresInMs: 28_800_000,
		});
		const body: Record<string, unknown> = {
			access_token: pair.accessToken,
			expires_in: 28_800,
			refresh_token: pair.refreshToken,
			refresh_token_expires_in: 15_811_200,
			scope: '',
			token_type: 'bearer',
		};
		if (this.refreshWithoutRefreshToken) {
			delete body.refresh_token;
			delete body.refresh_token_expires_in;
		}

		json(res, 200, body);
		res.once('finish', () => this.onRefreshAnswered?.());
	}

	// DELETE /applications/{client_id}/token: Basic auth with the app's id and secret, the token
	// in a JSON body. 204 revoked, 404 unknown token or credentials, 422 a malformed request.
	// https://docs.github.com/en/rest/apps/oauth-applications#delete-an-app-token
	#revoke(req: IncomingMessage, clientId: string, body: string, res: ServerResponse): void {
		const authorization = req.headers.authorization ?? '';
		this.revokeRequests.push({clientId, authorization, body});
		const expected = `Basic ${Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64')}`;
		if (clientId !== this.clientId || authorization !== expected) {
			json(res, 404, {message: 'Not Found', documentation_url: 'https://docs.github.com/rest'});
			return;
		}

		let token: unknown;
		try {
			token = (JSON.parse(body) as {access_token?: unknown}).access_token;
		} catch {
			token = undefined;
		}

		if (typeof token !== 'string' || token === '') {
			json(res, 422, {
				message: 'Invalid request.',
				documentation_url: 'https://docs.github.com/rest',
			});
			return;
		}

		const info = this.tokenInfo.get(token);
		if (!this.tokens.has(token) || (info !== undefined && info.clientId !== clientId)) {
			json(res, 404, {message: 'Not Found', documentation_url: 'https://docs.github.com/rest'});
			return;
		}

		this.revokeToken(token);
		res.writeHead(204).end();
	}
}

export type TokenInfo = {
	clientId: string;
	/** X-OAuth-Scopes (OAuth app tokens only). */
	scopes?: string[];
	/** GitHub App tokens expire; /user then answers 401. */
	expiresAt?: Date;
};

export type RefreshGrant = {clientId: string; user: FakeUser; used: boolean; expiresAt: Date};

export type IssueOptions = {
	user?: FakeUser;
	clientId?: string;
	scopes?: string[];
	/** Makes a GitHub App token with a refresh token. */
	expiresInMs?: number;
	refreshExpiresInMs?: number;
};

/** Ways a GitHub can fail that a client must bound: each tested. */
export type UserFault = 'stall' | 'trickle' | 'html' | 'server-error' | 'huge';

function answerFault(fault: UserFault, res: ServerResponse): void {
	switch (fault) {
		case 'stall': {
			// Headers, then nothing: a client without a deadline for the body waits forever.
			res.writeHead(200, {'Content-Type': 'application/json'});
			res.flushHeaders();
			return;
		}

		case 'trickle': {
			res.writeHead(200, {'Content-Type': 'application/json'});
			const timer = setInterval(() => res.write(' '), 200);
			res.once('close', () => clearInterval(timer));
			return;
		}

		case 'html': {
			res.writeHead(200, {'Content-Type': 'text/html'});
			res.end('<!DOCTYPE html><html><body>Sign in to GitHub</body></html>');
			return;
		}

		case 'server-error': {
			json(res, 500, {message: 'Server Error'});
			return;
		}

		case 'huge': {
			res.writeHead(200, {'Content-Type': 'application/json'});
			const chunk = Buffer.alloc(64 * 1024, 0x20);
			let sent = 0;
			const pump = () => {
				while (sent < 64 && !res.destroyed) {
					sent++;
					if (!res.write(chunk)) {
						res.once('drain', pump);
						return;
					}
				}

				res.end();
			};

			pump();
		}
	}
}

/** GitHub's format for the token expiration header: `2023-05-01 12:00:00 UTC`. */
function githubExpiration(date: Date): string {
	return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

function raw(res: ServerResponse, answer: RawAnswer): void {
	res.writeHead(answer.status, {'Content-Type': answer.contentType});
	if (answer.stall) {
		res.flushHeaders();
		return;
	}

	res.end(answer.body);
}

async function readParams(req: IncomingMessage): Promise<Record<string, string>> {
	const type = req.headers['content-type'] ?? '';
	const body = await readBody(req);
	return type.includes('application/json')
		? (JSON.parse(body) as Record<string, string>)
		: Object.fromEntries(new URLSearchParams(body));
}

function json(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	res.writeHead(status, {'Content-Type': 'application/json; charset=utf-8', ...headers});
	res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

/**
 * A fresh fake GitHub for each test of the file or describe it is called in: started in
 * beforeEach (`use` then gets it), closed in afterEach. A test may close it first, to play a
 * GitHub nobody answers.
 */
export function useFakeGitHub(use: (fake: FakeGitHub) => void): void {
	let fake: FakeGitHub | undefined;
	beforeEach(async () => {
		fake = await FakeGitHub.start();
		use(fake);
	});

	afterEach(async () => {
		await fake?.close();
		fake = undefined;
	});
}
