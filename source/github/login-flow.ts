// The OAuth web flow with a loopback callback (RFC 8252 §7.3) and PKCE S256 (RFC 7636), in
// named steps: the state is made, the server started (loopback/server.ts), the authorize URL
// shown and opened; each request is checked (loopback/callback.ts, the state before anything
// else), and an accepted callback completes the login (loopback/flow.ts).
import type {IncomingMessage, ServerResponse} from 'node:http';
import {
	assertValidId,
	DEFAULT_STATE_TTL_MS,
	type Session,
	type StateStore,
} from '../session/index.js';
import {
	DEFAULT_LOGIN_TIMEOUT_MS,
	DEFAULT_LOGIN_TTL_MS,
	DEFAULT_SCOPES,
	formatTimeout,
} from './defaults.js';
import {DEFAULT_GITHUB_HOST, type GitHubEndpoints, githubEndpoints} from './endpoints.js';
import {LoginError, safeText} from './errors.js';
import type {LoginFlowOptions} from './flow-options.js';
import {type HttpContext, REQUEST_TIMEOUT_MS} from './http.js';
import {authorizationCode, CALLBACK_PATH, checkCallback, loginEnded} from './loopback/callback.js';
import {completeLogin} from './loopback/flow.js';
import {answer, type CallbackServer, startCallbackServer} from './loopback/server.js';
import {browserOpener, openInBackground} from './open-browser.js';
import {sentence} from './pages.js';
import {createPkce, type Pkce} from './pkce.js';
import type {LoginOutcome} from './save-login.js';

export {
	DEFAULT_LOGIN_TIMEOUT_MS,
	DEFAULT_SCOPES,
	formatTimeout,
	MAX_LOGIN_TIMEOUT_MS,
} from './defaults.js';
export {LoginError, type LoginErrorCode} from './errors.js';
export {CALLBACK_PATH} from './loopback/callback.js';
export type {LoginOutcome} from './save-login.js';

export type LoginOptions = LoginFlowOptions & {
	stateStore: StateStore;
	clientSecret: string;
	/** Default 0: any free port. */
	callbackPort?: number;
	/** The whole flow, from listening to the saved session. Default 5 minutes. */
	timeoutMs?: number;
	/** Called once the server listens, with the authorize URL (callers always show it). */
	onUrl?: (url: string) => void;
};

/** The longest delay a Node timer holds; a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function describe(value: unknown): string {
	return value === null ? 'null' : typeof value;
}

function milliseconds(name: string, value: unknown, fallback: number): number {
	if (value === undefined) return fallback;
	if (typeof value !== 'number' || !(value > 0 && value <= MAX_TIMER_MS)) {
		throw new TypeError(
			`Expected ${name} to be a number of milliseconds from 1 to ${MAX_TIMER_MS}, got ${typeof value === 'number' ? value : describe(value)}`,
		);
	}

	return value;
}

/**
 * The checks a library caller needs: values of the right type. Ranges and formats a person
 * types (a port from 1 to 65535, at most an hour) are the command line's to check.
 */
function checkOptions(options: LoginOptions) {
	if (typeof options !== 'object' || options === null) {
		throw new TypeError(`Expected login options to be an object, got ${describe(options)}`);
	}

	assertValidId(options.sessionId);
	for (const name of ['clientId', 'clientSecret'] as const) {
		const value: unknown = options[name];
		if (typeof value !== 'string' || value.trim() === '') {
			throw new TypeError(`Expected ${name} to be a non-empty string, got ${describe(value)}`);
		}
	}

	const port: unknown = options.callbackPort ?? 0;
	if (typeof port !== 'number' || !Number.isInteger(port)) {
		throw new TypeError(`Expected callbackPort to be an integer, got ${describe(port)}`);
	}

	// Not a timer: a session may last a year, past the longest delay a timer holds.
	const ttlMs: unknown = options.ttlMs ?? DEFAULT_LOGIN_TTL_MS;
	if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
		throw new TypeError(
			`Expected ttlMs to be a positive number of milliseconds, got ${typeof ttlMs === 'number' ? ttlMs : describe(ttlMs)}`,
		);
	}

	return {
		port,
		ttlMs,
		timeoutMs: milliseconds('timeoutMs', options.timeoutMs, DEFAULT_LOGIN_TIMEOUT_MS),
		requestTimeoutMs: milliseconds(
			'requestTimeoutMs',
			options.requestTimeoutMs,
			REQUEST_TIMEOUT_MS,
		),
		// Throws GitHubHostError, a TypeError, for a host that is not a usable base URL.
		endpoints: githubEndpoints(options.githubHost ?? DEFAULT_GITHUB_HOST),
		scopes: options.scopes ?? DEFAULT_SCOPES,
	};
}

function authorizeUrl(args: {
	endpoints: GitHubEndpoints;
	clientId: string;
	redirectUri: string;
	scopes: string;
	state: string;
	pkce: Pkce;
	previous: Session | null | undefined;
}): string {
	const url = new URL(args.endpoints.authorize);
	url.searchParams.set('client_id', args.clientId);
	url.searchParams.set('redirect_uri', args.redirectUri);
	url.searchParams.set('scope', args.scopes);
	url.searchParams.set('state', args.state);
	url.searchParams.set('code_challenge', args.pkce.challenge);
	url.searchParams.set('code_challenge_method', 'S256');
	if (args.previous?.user?.login) url.searchParams.set('login', args.previous.user.login);
	return url.href;
}

const failureStatus: Partial<Record<LoginError['code'], number>> = {
	ACCESS_DENIED: 400,
	AUTHORIZATION_FAILED: 400,
	INVALID_CALLBACK: 400,
	STORE_FAILED: 500,
	TIMEOUT: 503,
	CANCELLED: 503,
};

/** How long a login cut short (deadline, cancel) waits for a callback in progress to answer. */
const BUSY_GRACE_MS = 5000;

type Ending = {ok: true; outcome: LoginOutcome} | {ok: false; error: LoginError};

/** One login in progress: what it has seen so far, and the steps that move it on. */
class LoopbackLogin {
	/** Aborted by the deadline, by options.signal, or when the login ends, with a LoginError. */
	readonly #flow = new AbortController();
	readonly #options: LoginOptions;
	readonly #checked: ReturnType<typeof checkOptions>;
	readonly #state: string;
	readonly #pkce = createPkce();
	#server: CallbackServer | undefined;
	#redirectUri = '';
	/** The result has been decided; later callbacks are refused. */
	#ended = false;
	/** A callback used up the state (else finish uses it up). */
	#stateUsed = false;
	/** A callback with the valid state is being completed. */
	#busy = false;
	#deadline: NodeJS.Timeout | undefined;
	#grace: NodeJS.Timeout | undefined;
	#settle: (ending: Ending) => void = () => {};
	readonly result = new Promise<LoginOutcome>((resolve, reject) => {
		this.#settle = (ending) => (ending.ok ? resolve(ending.outcome) : reject(ending.error));
	});

	constructor(options: LoginOptions, checked: ReturnType<typeof checkOptions>, state: string) {
		this.#options = options;
		this.#checked = checked;
		this.#state = state;
	}

	/** Listens, shows and opens the authorize URL, and arms the deadline. */
	async start(): Promise<void> {
		try {
			this.#server = await startCallbackServer(this.#checked.port, (req, res) =>
				this.#handle(req, res),
			);
		} catch (error) {
			this.#spendState();
			throw error;
		}

		this.#redirectUri = `http://${this.#server.host}${CALLBACK_PATH}`;
		const url = authorizeUrl({
			...this.#checked,
			clientId: this.#options.clientId,
			redirectUri: this.#redirectUri,
			state: this.#state,
			pkce: this.#pkce,
			previous: this.#options.previous,
		});
		this.#flow.signal.addEventListener('abort', () => this.#onAbort());
		this.#deadline = setTimeout(() => this.#timeOut(), this.#checked.timeoutMs);
		const {signal} = this.#options;
		if (signal) {
			signal.addEventListener('abort', this.#cancel, {once: true});
			// It may have fired while the state was made or the port bound.
			if (signal.aborted) this.#cancel();
		}

		this.#showUrl(url);
		this.#openBrowser(url);
	}

	readonly #cancel = () => {
		this.#flow.abort(new LoginError('CANCELLED', 'the login was cancelled'));
	};

	#timeOut(): void {
		// Once a valid callback is in, the browser has done its part: do not blame it.
		const waitingFor = this.#busy
			? 'the browser came back, but talking to GitHub and saving the session did not finish'
			: 'no answer from the browser';
		this.#flow.abort(
			new LoginError(
				'TIMEOUT',
				`the login timed out: ${waitingFor} within ${formatTimeout(this.#checked.timeoutMs)}`,
			),
		);
	}

	#aborted(): LoginError {
		const reason: unknown = this.#flow.signal.reason;
		return reason instanceof LoginError
			? reason
			: new LoginError('CANCELLED', 'the login was cancelled');
	}

	#onAbort(): void {
		// finish() aborts too, to stop anything still running: nothing left to end then.
		if (this.#ended) return;
		if (!this.#busy) {
			void this.#finish({ok: false, error: this.#aborted()});
			return;
		}

		// The callback in progress notices through its requests' signal and answers the
		// browser; should it hang (a store that never answers), end anyway.
		this.#grace = setTimeout(
			() => void this.#finish({ok: false, error: this.#aborted()}),
			BUSY_GRACE_MS,
		);
	}

	#showUrl(url: string): void {
		if (this.#ended) return;
		try {
			this.#options.onUrl?.(url);
		} catch (error) {
			void this.#finish({
				ok: false,
				error: new LoginError(
					'INVALID_OPTIONS',
					`onUrl failed: ${safeText((error as Error).message)}`,
				),
			});
		}
	}

	#openBrowser(url: string): void {
		const opener = browserOpener(this.#options.openBrowser);
		if (!opener || this.#ended) return;
		openInBackground(opener, url, () => this.#ended, this.#options.onBrowserError);
	}

	/** One request to the callback server. */
	async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const check = await checkCallback(req, {
			host: this.#server?.host ?? '',
			state: this.#state,
			stateStore: this.#options.stateStore,
			ended: () => this.#ended,
		});
		if (check.kind === 'refused') {
			await answer(res, check.page);
			return;
		}

		if (check.kind === 'failed') {
			await answer(res, check.page);
			void this.#finish({ok: false, error: check.error});
			return;
		}

		this.#stateUsed = true;
		if (this.#ended) {
			await answer(res, loginEnded);
			return;
		}

		this.#busy = true;
		let outcome: LoginOutcome;
		try {
			outcome = await completeLogin(authorizationCode(check.query), {
				http: this.#http(),
				endpoints: this.#checked.endpoints,
				clientId: this.#options.clientId,
				clientSecret: this.#options.clientSecret,
				redirectUri: this.#redirectUri,
				codeVerifier: this.#pkce.verifier,
				store: this.#options.store,
				sessionId: this.#options.sessionId,
				previous: this.#options.previous,
				ttlMs: this.#checked.ttlMs,
			});
		} catch (caught) {
			// Only our own messages are shown: another library's can quote a header (the token).
			const error =
				caught instanceof LoginError
					? caught
					: new LoginError('TOKEN_EXCHANGE_FAILED', 'the login failed with an unexpected error', {
							cause: caught,
						});
			await answer(res, {
				status: failureStatus[error.code] ?? 502,
				title: 'Login failed',
				message: `${sentence(error.message)} You can close this tab.`,
			});
			await this.#finish({ok: false, error});
			return;
		}

		// Saved; only now does the browser hear that it worked.
		await answer(res, {
			status: 200,
			title: 'Logged in',
			message: `Logged in to GitHub as @${outcome.user.login}. You can close this tab and return to the terminal.`,
		});
		await this.#finish({ok: true, outcome});
	}

	#http(): HttpContext {
		return {
			fetch: this.#options.fetch,
			signal: this.#flow.signal,
			timeoutMs: this.#checked.requestTimeoutMs,
		};
	}

	/** An unused state would stay valid until it expires: use it up. */
	#spendState(): void {
		// Not awaited: a state store that hangs (Redis gone) must not keep the login from ending.
		void this.#options.stateStore.validate(this.#state).catch(() => false);
	}

	/** Decides the result once: stops the timers, frees the port, then settles. */
	async #finish(ending: Ending): Promise<void> {
		if (this.#ended) return;
		this.#ended = true;
		clearTimeout(this.#deadline);
		clearTimeout(this.#grace);
		this.#options.signal?.removeEventListener('abort', this.#cancel);
		await this.#server?.close();
		if (!this.#stateUsed) this.#spendState();
		if (!this.#flow.signal.aborted) {
			this.#flow.abort(new LoginError('CANCELLED', 'the login has ended'));
		}

		this.#settle(ending);
	}
}

/**
 * Logs in through the browser and saves a fresh session under `sessionId`. Throws a
 * TypeError for options of the wrong type; otherwise resolves, or rejects with a LoginError,
 * only after the callback server is closed and its port is free again.
 */
export async function login(options: LoginOptions): Promise<LoginOutcome> {
	const checked = checkOptions(options);
	if (options.signal?.aborted) throw new LoginError('CANCELLED', 'the login was cancelled');

	let state: string;
	try {
		// DEFAULT_STATE_TTL_MS (10 min) covers the default 5-minute wait; a longer timeout
		// gets a state that lives as long, or its callback would be refused as expired.
		state = await options.stateStore.generate(Math.max(DEFAULT_STATE_TTL_MS, checked.timeoutMs));
	} catch (error) {
		throw new LoginError(
			'STORE_FAILED',
			`could not create an OAuth state: ${safeText((error as Error).message)}`,
			{cause: error},
		);
	}

	const run = new LoopbackLogin(options, checked, state);
	await run.start();
	return run.result;
}
