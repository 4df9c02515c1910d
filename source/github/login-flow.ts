// The OAuth web flow with a loopback callback (RFC 8252 §7.3), PKCE S256 (RFC 7636), and a
// single-use state from a StateStore checked before anything else the callback carries.
import {timingSafeEqual} from 'node:crypto';
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {
	DEFAULT_STATE_TTL_MS,
	isValidId,
	type Session,
	type StateStore,
	type Store,
} from '../session/index.js';
import {
	DEFAULT_LOGIN_TIMEOUT_MS,
	DEFAULT_LOGIN_TTL_MS,
	DEFAULT_SCOPES,
	formatTimeout,
	MAX_LOGIN_TIMEOUT_MS,
} from './defaults.js';
import {DEFAULT_GITHUB_HOST, GitHubHostError, githubEndpoints} from './endpoints.js';
import {LoginError, safeText} from './errors.js';
import {type HttpContext, REQUEST_TIMEOUT_MS} from './http.js';
import {openInBrowser} from './open-browser.js';
import {page} from './pages.js';
import {createPkce} from './pkce.js';
import {type LoginOutcome, saveLogin} from './save-login.js';
import {exchangeCode} from './token.js';
import {fetchUser} from './user.js';

export {
	DEFAULT_LOGIN_TIMEOUT_MS,
	DEFAULT_SCOPES,
	formatTimeout,
	MAX_LOGIN_TIMEOUT_MS,
} from './defaults.js';
export {LoginError, type LoginErrorCode} from './errors.js';
export type {LoginOutcome} from './save-login.js';

export const CALLBACK_PATH = '/callback';

export type LoginOptions = {
	store: Store;
	stateStore: StateStore;
	/** The id the new session is saved under; kept on re-login. */
	sessionId: string;
	/** The session being re-logged in: adds `login=` to the authorize URL and decides userChanged. */
	previous?: Session | null;
	clientId: string;
	clientSecret: string;
	/** Default https://github.com; see githubEndpoints for the rules. */
	githubHost?: string;
	/** Default 'read:user user:email'. */
	scopes?: string;
	/** Default 0: any free port. */
	callbackPort?: number;
	/** How long the saved session lasts; default 30 days, as the stacktower CLI. */
	ttlMs?: number;
	/** The whole flow, from listening to the saved session. Default 5 minutes, at most 1 hour. */
	timeoutMs?: number;
	/** Default true: the command in $BROWSER with the URL as its argument, else the `open` package. */
	openBrowser?: boolean | ((url: string) => Promise<void>);
	/** Cancels the login (Esc in the inspector). */
	signal?: AbortSignal;
	/** Called once the server listens, with the authorize URL (callers always show it). */
	onUrl?: (url: string) => void;
	/** The browser could not be started; the flow goes on (the URL has been shown). */
	onBrowserError?: (error: LoginError) => void;
	/** The bound on each request to GitHub, for its whole answer; default REQUEST_TIMEOUT_MS (10 s). */
	requestTimeoutMs?: number;
	fetch?: typeof fetch;
};

function checkOptions(options: LoginOptions) {
	const problem = (message: string) => new LoginError('INVALID_OPTIONS', message);
	if (!options || typeof options !== 'object') throw problem('Expected login options');
	if (!isValidId(options.sessionId)) {
		throw problem(`Expected a valid session id, got ${JSON.stringify(options.sessionId)}`);
	}

	if (typeof options.clientId !== 'string' || options.clientId.trim() === '') {
		throw problem('Missing the GitHub OAuth client id');
	}

	if (typeof options.clientSecret !== 'string' || options.clientSecret === '') {
		throw problem('Missing the GitHub OAuth client secret');
	}

	const port = options.callbackPort ?? 0;
	if (!Number.isInteger(port) || port < 0 || port > 65_535) {
		throw problem(`Expected the callback port to be an integer from 0 to 65535, got ${port}`);
	}

	const timeoutMs = options.timeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS;
	if (!Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_LOGIN_TIMEOUT_MS) {
		throw problem(
			`Expected the timeout to be more than 0 and at most ${formatTimeout(MAX_LOGIN_TIMEOUT_MS)}, got ${timeoutMs} ms`,
		);
	}

	const ttlMs = options.ttlMs ?? DEFAULT_LOGIN_TTL_MS;
	if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
		throw problem(`Expected the session lifetime to be a positive number, got ${ttlMs}`);
	}

	const requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
	if (!Number.isFinite(requestTimeoutMs) || requestTimeoutMs <= 0) {
		throw problem(`Expected the request timeout to be a positive number, got ${requestTimeoutMs}`);
	}

	let endpoints: ReturnType<typeof githubEndpoints>;
	try {
		endpoints = githubEndpoints(options.githubHost ?? DEFAULT_GITHUB_HOST);
	} catch (error) {
		if (error instanceof GitHubHostError) throw problem(error.message);
		throw error;
	}

	return {
		port,
		timeoutMs,
		ttlMs,
		requestTimeoutMs,
		endpoints,
		scopes: options.scopes ?? DEFAULT_SCOPES,
	};
}

/**
 * The query of a request whose raw target is exactly `/callback` or `/callback?…`, else
 * undefined. Matched as text, not resolved as a URL: `//evil.com/callback`, `/./callback`
 * and `/x/../callback` all resolve to the callback path, and none of them is what GitHub sends.
 */
function callbackQuery(target: string): URLSearchParams | undefined {
	if (target === CALLBACK_PATH) return new URLSearchParams();
	if (!target.startsWith(`${CALLBACK_PATH}?`)) return undefined;
	return new URLSearchParams(target.slice(CALLBACK_PATH.length + 1));
}

/** Compares without leaking through timing how much of a guess was right. */
function sameText(a: string, b: string): boolean {
	const left = Buffer.from(a);
	const right = Buffer.from(b);
	return left.length === right.length && timingSafeEqual(left, right);
}

type Answer = {status: number; title: string; message: string; headers?: Record<string, string>};

/** Answers a request and resolves once the page is handed to the OS (or the socket is gone). */
function send(res: ServerResponse, answer: Answer): Promise<void> {
	return new Promise((resolve) => {
		if (res.headersSent || res.destroyed) {
			resolve();
			return;
		}

		const body = page(answer.title, answer.message);
		res.once('close', () => resolve());
		res.writeHead(answer.status, {
			'Content-Type': 'text/html; charset=utf-8',
			'Content-Length': Buffer.byteLength(body),
			'Cache-Control': 'no-store',
			'Referrer-Policy': 'no-referrer',
			'X-Content-Type-Options': 'nosniff',
			'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
			// No keep-alive: when the flow ends, no idle socket holds the port.
			Connection: 'close',
			...answer.headers,
		});
		res.end(body, () => resolve());
	});
}

const failureStatus: Partial<Record<LoginError['code'], number>> = {
	ACCESS_DENIED: 400,
	AUTHORIZATION_FAILED: 400,
	INVALID_CALLBACK: 400,
	STORE_FAILED: 500,
	TIMEOUT: 503,
	CANCELLED: 503,
};

/**
 * Logs in through the browser and saves a fresh session under `sessionId`. Resolves or
 * rejects (always with a LoginError) only after the callback server is closed and its port
 * is free again.
 */
export async function login(options: LoginOptions): Promise<LoginOutcome> {
	const {port, timeoutMs, ttlMs, requestTimeoutMs, endpoints, scopes} = checkOptions(options);
	const {store, stateStore, sessionId, previous} = options;
	if (options.signal?.aborted) throw new LoginError('CANCELLED', 'The login was cancelled');

	let state: string;
	try {
		// DEFAULT_STATE_TTL_MS (10 min) covers the default 5-minute wait; a longer --timeout
		// gets a state that lives as long, or its callback would be refused as expired.
		state = await stateStore.generate(Math.max(DEFAULT_STATE_TTL_MS, timeoutMs));
	} catch (error) {
		throw new LoginError(
			'STORE_FAILED',
			`Could not create an OAuth state: ${safeText((error as Error).message)}`,
			{cause: error},
		);
	}

	const pkce = createPkce();
	// Aborted by the deadline or by options.signal, with the LoginError to report as reason.
	const flow = new AbortController();
	const aborted = () =>
		flow.signal.reason instanceof LoginError
			? flow.signal.reason
			: new LoginError('CANCELLED', 'The login was cancelled');

	let ended = false;
	let stateUsed = false;
	/** A callback with the valid state is being processed. */
	let busy = false;
	let expectedHost = '';
	let redirectUri = '';
	let finishWith: (
		result: {ok: true; outcome: LoginOutcome} | {ok: false; error: LoginError},
	) => void = () => {};
	const result = new Promise<LoginOutcome>((resolve, reject) => {
		finishWith = (outcome) => (outcome.ok ? resolve(outcome.outcome) : reject(outcome.error));
	});

	const http: HttpContext = {
		fetch: options.fetch,
		signal: flow.signal,
		timeoutMs: requestTimeoutMs,
	};

	async function complete(code: string): Promise<LoginOutcome> {
		const accessToken = await exchangeCode(http, {
			tokenUrl: endpoints.token,
			clientId: options.clientId,
			clientSecret: options.clientSecret,
			code,
			redirectUri,
			codeVerifier: pkce.verifier,
		});
		const user = await fetchUser(http, endpoints.user, accessToken);
		if (flow.signal.aborted) throw aborted();
		return saveLogin({
			store,
			sessionId,
			previous,
			grant: {accessToken},
			user,
			ttlMs,
			clientId: options.clientId,
			githubHost: endpoints.origin,
		});
	}

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		if (req.method !== 'GET') {
			await send(res, {
				status: 405,
				title: 'Method not allowed',
				message: 'This server only answers the GitHub login callback (GET).',
				headers: {Allow: 'GET'},
			});
			return;
		}

		const query = callbackQuery(req.url ?? '');
		if (!query) {
			await send(res, {
				status: 404,
				title: 'Not found',
				message: 'This server only answers the GitHub login callback.',
			});
			return;
		}

		// A page on another origin that resolves its own name to 127.0.0.1 (DNS rebinding)
		// reaches us with its own Host header.
		if (req.headers.host !== expectedHost) {
			await send(res, {
				status: 400,
				title: 'Wrong host',
				message: `The login callback only answers on ${expectedHost}.`,
			});
			return;
		}

		const ended400: Answer = {
			status: 400,
			title: 'Login has ended',
			message: 'This login has already ended. Start a new login from stacktower-sessions.',
		};
		if (ended) {
			await send(res, ended400);
			return;
		}

		// The state first: nothing else in a callback is looked at before it has been checked
		// (and consumed, so a replayed callback can never be exchanged again). It must be this
		// login's own state, too: a StateStore in Redis may hold other logins' states, and a
		// stranger's callback must neither pass with one nor use one up.
		const states = query.getAll('state');
		let valid = false;
		if (states.length === 1 && states[0] && sameText(states[0], state)) {
			try {
				valid = await stateStore.validate(states[0]);
			} catch (error) {
				const failure = new LoginError(
					'STORE_FAILED',
					`Could not check the OAuth state: ${safeText((error as Error).message)}`,
					{cause: error},
				);
				await send(res, {status: 500, title: 'Login failed', message: failure.message});
				void finish({ok: false, error: failure});
				return;
			}
		}

		if (!valid) {
			await send(res, {
				status: 400,
				title: 'Invalid login link',
				message:
					'This login callback has a missing, unknown, used or expired state, so it was ignored. Start the login again from stacktower-sessions if it does not finish.',
			});
			return;
		}

		stateUsed = true;
		if (ended) {
			await send(res, ended400);
			return;
		}

		busy = true;
		let outcome: LoginOutcome;
		try {
			const error = query.get('error');
			if (error !== null) {
				const description = safeText(query.get('error_description') ?? '');
				const said = `${safeText(error, 80)}${description ? `: ${description}` : ''}`;
				throw error === 'access_denied'
					? new LoginError('ACCESS_DENIED', `The login was denied on GitHub (${said})`)
					: new LoginError('AUTHORIZATION_FAILED', `GitHub did not authorize the login (${said})`);
			}

			const code = query.get('code');
			if (!code) {
				throw new LoginError('INVALID_CALLBACK', 'The callback from GitHub carried no code');
			}

			outcome = await complete(code);
		} catch (caught) {
			// Only our own messages are shown: another library's can quote a header (the token).
			const error =
				caught instanceof LoginError
					? caught
					: new LoginError('TOKEN_EXCHANGE_FAILED', 'The login failed with an unexpected error', {
							cause: caught,
						});
			await send(res, {
				status: failureStatus[error.code] ?? 502,
				title: 'Login failed',
				message: `${error.message} You can close this tab.`,
			});
			await finish({ok: false, error});
			return;
		}

		// Saved; only now does the browser hear that it worked.
		await send(res, {
			status: 200,
			title: 'Logged in',
			message: `Logged in to GitHub as @${outcome.user.login}. You can close this tab and return to the terminal.`,
		});
		await finish({ok: true, outcome});
	}

	const server = createServer((req, res) => {
		// Only our own messages are shown: another library's can quote a header (the token).
		handle(req, res).catch(async () => {
			await send(res, {status: 500, title: 'Login failed', message: 'Internal error.'});
		});
	});
	server.keepAliveTimeout = 1000;

	let timer: NodeJS.Timeout | undefined;
	let fallback: NodeJS.Timeout | undefined;
	const onCancel = () => {
		flow.abort(new LoginError('CANCELLED', 'The login was cancelled'));
	};

	flow.signal.addEventListener('abort', () => {
		// finish() aborts too, to stop anything still running: nothing left to end then.
		if (ended) return;
		if (!busy) {
			void finish({ok: false, error: aborted()});
			return;
		}

		// The callback in progress notices through its fetches' signal and answers the
		// browser; should it hang (a store that never answers), end anyway.
		fallback = setTimeout(() => void finish({ok: false, error: aborted()}), 5000);
	});

	async function finish(
		outcome: {ok: true; outcome: LoginOutcome} | {ok: false; error: LoginError},
	): Promise<void> {
		if (ended) return;
		ended = true;
		clearTimeout(timer);
		clearTimeout(fallback);
		options.signal?.removeEventListener('abort', onCancel);
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			// Pages are flushed before finish is called; whatever is left is idle or a
			// straggler, and must not hold the port.
			server.closeAllConnections();
		});
		// An unused state would stay valid until it expires: use it up. Not awaited: a state
		// store that hangs (Redis gone) must not keep the login from ending.
		if (!stateUsed) void stateStore.validate(state).catch(() => false);
		if (!flow.signal.aborted) flow.abort(new LoginError('CANCELLED', 'The login has ended'));
		finishWith(outcome);
	}

	try {
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen({host: '127.0.0.1', port, exclusive: true}, () => {
				server.off('error', reject);
				resolve();
			});
		});
	} catch (error) {
		void stateStore.validate(state).catch(() => false);
		const code = (error as NodeJS.ErrnoException).code;
		throw new LoginError(
			'SERVER_FAILED',
			code === 'EADDRINUSE'
				? `Port ${port} on 127.0.0.1 is in use; choose another --callback-port, or 0 for any free port`
				: `Could not listen on 127.0.0.1:${port} (${safeText(code ?? (error as Error).message)})`,
			{cause: error},
		);
	}

	server.on('error', () => {});
	const actualPort = (server.address() as AddressInfo).port;
	expectedHost = `127.0.0.1:${actualPort}`;
	redirectUri = `http://${expectedHost}${CALLBACK_PATH}`;

	const authorize = new URL(endpoints.authorize);
	authorize.searchParams.set('client_id', options.clientId);
	authorize.searchParams.set('redirect_uri', redirectUri);
	authorize.searchParams.set('scope', scopes);
	authorize.searchParams.set('state', state);
	authorize.searchParams.set('code_challenge', pkce.challenge);
	authorize.searchParams.set('code_challenge_method', 'S256');
	if (previous?.user?.login) authorize.searchParams.set('login', previous.user.login);
	const authorizeUrl = authorize.href;

	timer = setTimeout(() => {
		// Once a valid callback is in, the browser has done its part: do not blame it.
		const waitingFor = busy
			? 'the browser came back, but talking to GitHub and saving the session did not finish'
			: 'no answer from the browser';
		flow.abort(
			new LoginError(
				'TIMEOUT',
				`The login timed out: ${waitingFor} within ${formatTimeout(timeoutMs)}`,
			),
		);
	}, timeoutMs);
	if (options.signal) {
		options.signal.addEventListener('abort', onCancel, {once: true});
		// It may have fired while we were generating the state or binding the port.
		if (options.signal.aborted) onCancel();
	}

	if (!ended) {
		try {
			options.onUrl?.(authorizeUrl);
		} catch (error) {
			void finish({
				ok: false,
				error: new LoginError(
					'INVALID_OPTIONS',
					`onUrl failed: ${safeText((error as Error).message)}`,
				),
			});
		}
	}

	const opener =
		options.openBrowser === false
			? undefined
			: typeof options.openBrowser === 'function'
				? options.openBrowser
				: (url: string) => openInBrowser(url);
	if (opener && !ended) {
		Promise.resolve()
			.then(() => opener(authorizeUrl))
			.catch((error: unknown) => {
				const failure =
					error instanceof LoginError && error.code === 'BROWSER_FAILED'
						? error
						: new LoginError(
								'BROWSER_FAILED',
								`Could not open a browser: ${safeText((error as Error)?.message)}`,
								{cause: error},
							);
				if (!ended) options.onBrowserError?.(failure);
			});
	}

	return result;
}
