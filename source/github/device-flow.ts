// The device flow (RFC 8628) as GitHub implements it, which is how the stacktower CLI logs in:
// no client secret and no callback, so it works over SSH. Ask for a code, show it with its
// URL, poll the token endpoint until the person has entered it, then GET /user and save.
// https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#device-flow
import type {StateStore} from '../session/index.js';
import {isValidId} from '../session/index.js';
import {
	DEFAULT_LOGIN_TTL_MS,
	DEFAULT_SCOPES,
	DEVICE_CODE_LIFETIME_MS,
	formatTimeout,
	MAX_LOGIN_TIMEOUT_MS,
} from './defaults.js';
import {DEFAULT_GITHUB_HOST, GitHubHostError, githubEndpoints} from './endpoints.js';
import {LoginError, safeText} from './errors.js';
import type {LoginFlowOptions} from './flow-options.js';
import {type HttpContext, parseJson, REQUEST_TIMEOUT_MS} from './http.js';
import {loginRequest} from './login-request.js';
import {browserOpener, openInBackground} from './open-browser.js';
import {type LoginOutcome, saveLogin} from './save-login.js';
import {readTokenAnswer} from './token-answer.js';
import {fetchUser} from './user.js';

export const DEVICE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';
/** RFC 8628 §3.2: without an `interval`, poll every 5 seconds. */
export const DEFAULT_POLL_INTERVAL_MS = 5000;
/** RFC 8628 §3.5: `slow_down` without a new interval adds 5 seconds. */
export const SLOW_DOWN_STEP_MS = 5000;
/**
 * Each wait is the interval × 1.2: a local clock that runs fast would otherwise poll early
 * and be told to slow down (GitHub's own cli/oauth waits this much longer for that reason).
 */
export const POLL_MARGIN = 1.2;

/** What the person logging in needs: the code to enter and where. Both came from the network. */
export type DeviceCodePrompt = {
	/** Raw as GitHub sent it: escape it before a terminal. */
	readonly userCode: string;
	/** Raw as GitHub sent it (checked to be an http(s) URL): escape it before a terminal. */
	readonly verificationUri: string;
	/** When the code expires, or the wait ends first (an explicit --timeout). */
	readonly expiresAt: Date;
	/** Whether the URL will be opened in the browser. */
	readonly opening: boolean;
	/** When it will not be opened although a browser was asked for: why (fit to print). */
	readonly notOpenedBecause?: string;
};

export type DeviceLoginOptions = LoginFlowOptions & {
	/** Unused by this flow (it has no state parameter); accepted so both flows take one shape. */
	stateStore?: StateStore;
	/** Shortens the wait for the person, which is otherwise as long as the code lives. */
	timeoutMs?: number;
	/** Called once with the code and URL to show (callers always show them). */
	onCode?: (prompt: DeviceCodePrompt) => void;
};

type Answer = {status: number; json: unknown; isJson: boolean};

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkOptions(options: DeviceLoginOptions) {
	const problem = (message: string) => new LoginError('INVALID_OPTIONS', message);
	if (!options || typeof options !== 'object') throw problem('Expected login options');
	if (!isValidId(options.sessionId)) {
		throw problem(`Expected a valid session id, got ${JSON.stringify(options.sessionId)}`);
	}

	if (typeof options.clientId !== 'string' || options.clientId.trim() === '') {
		throw problem('Expected a GitHub App client id, got an empty one');
	}

	const ttlMs = options.ttlMs ?? DEFAULT_LOGIN_TTL_MS;
	if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
		throw problem(`Expected the session lifetime to be a positive number, got ${ttlMs}`);
	}

	const {timeoutMs} = options;
	if (
		timeoutMs !== undefined &&
		(!Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_LOGIN_TIMEOUT_MS)
	) {
		throw problem(
			`Expected the timeout to be more than 0 and at most ${formatTimeout(MAX_LOGIN_TIMEOUT_MS)}, got ${timeoutMs} ms`,
		);
	}

	const requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
	if (!Number.isFinite(requestTimeoutMs) || requestTimeoutMs <= 0) {
		throw problem(`Expected the request timeout to be a positive number, got ${requestTimeoutMs}`);
	}

	try {
		const endpoints = githubEndpoints(options.githubHost ?? DEFAULT_GITHUB_HOST);
		return {endpoints, ttlMs, timeoutMs, requestTimeoutMs};
	} catch (error) {
		if (error instanceof GitHubHostError) throw problem(error.message);
		throw error;
	}
}

/** POSTs a form to one of the device flow's endpoints and reads the answer as JSON if it is. */
async function postForm(
	http: HttpContext,
	name: string,
	url: string,
	params: Record<string, string>,
	step: string,
): Promise<Answer> {
	const response = await loginRequest(
		{
			name,
			url,
			method: 'POST',
			headers: {Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded'},
			body: new URLSearchParams(params).toString(),
		},
		http,
		'TOKEN_EXCHANGE_FAILED',
		step,
	);
	const json = parseJson(response);
	return {status: response.status, json, isJson: json !== undefined};
}

/** Waits `ms`, or rejects at once when the signal aborts. */
function sleep(ms: number, signal: AbortSignal, aborted: () => LoginError): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal.aborted) {
			reject(aborted());
			return;
		}

		const onAbort = () => {
			clearTimeout(timer);
			reject(aborted());
		};

		const timer = setTimeout(() => {
			signal.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal.addEventListener('abort', onAbort, {once: true});
	});
}

const loopbackHost = /^(?:localhost|\[::1\]|127(?:\.\d{1,3}){3})$/;

/**
 * Why `uri` must not be opened in a browser, or undefined when it may: it must be on the
 * GitHub host's origin, over https:// (plain http:// only on loopback, for tests). A URL
 * elsewhere is shown but not opened: the person decides whether to trust it.
 */
export function refuseToOpen(uri: string, githubHost: string): string | undefined {
	let url: URL;
	try {
		url = new URL(uri);
	} catch {
		return 'it is not a URL';
	}

	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopbackHost.test(url.hostname))) {
		return 'it does not start with https://';
	}

	if (url.origin !== new URL(githubHost).origin || url.username !== '' || url.password !== '') {
		return `it is not on ${githubHost}`;
	}

	return undefined;
}

function seconds(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

const noDeviceFlow = (clientId: string, host: string, said: string) =>
	new LoginError(
		'DEVICE_FLOW_UNAVAILABLE',
		`${host} offers no device flow for the app ${JSON.stringify(safeText(clientId, 80))} (${said}): check --client-id, enable the device flow in the app's settings, or log in with --web and an OAuth app`,
	);

/** The errors the token endpoint ends a device login with, each with what to do. */
function pollFailure(error: string, description: string, clientId: string, host: string) {
	const app = JSON.stringify(safeText(clientId, 80));
	const said = description ? `: ${description}` : '';
	switch (error) {
		case 'expired_token':
		case 'token_expired': {
			return new LoginError(
				'EXPIRED_TOKEN',
				'the one-time code expired before it was entered: log in again for a new one',
			);
		}

		case 'access_denied': {
			return new LoginError('ACCESS_DENIED', 'the login was denied on GitHub');
		}

		case 'device_flow_disabled': {
			return new LoginError(
				'DEVICE_FLOW_REFUSED',
				`the app ${app} has the device flow turned off (device_flow_disabled): enable "Device Flow" in its settings on ${host}, or log in with --web and an OAuth app`,
			);
		}

		case 'unauthorized_client': {
			return new LoginError(
				'DEVICE_FLOW_REFUSED',
				`the app ${app} may not use the device flow (unauthorized_client${said}): enable "Device Flow" in its settings on ${host}, or log in with --web and an OAuth app`,
			);
		}

		case 'incorrect_client_credentials': {
			return new LoginError(
				'DEVICE_FLOW_REFUSED',
				`${host} does not know the app ${app} (incorrect_client_credentials): check --client-id or STACKTOWER_GITHUB_APP_CLIENT_ID`,
			);
		}

		case 'unsupported_grant_type': {
			return new LoginError(
				'DEVICE_FLOW_REFUSED',
				`${host} does not accept the device flow (unsupported_grant_type): log in with --web and an OAuth app`,
			);
		}

		default: {
			return new LoginError(
				'TOKEN_EXCHANGE_FAILED',
				`GitHub ended the login (${safeText(error, 80)}${said})`,
			);
		}
	}
}

/**
 * Logs in by the device flow and saves a fresh session under `sessionId`. Rejects with a
 * LoginError; nothing is saved unless it resolves.
 */
export async function deviceLogin(options: DeviceLoginOptions): Promise<LoginOutcome> {
	const {endpoints, ttlMs, timeoutMs, requestTimeoutMs} = checkOptions(options);
	const host = endpoints.origin;
	const started = Date.now();
	// Aborted by the caller's signal (CANCELLED) or the end of the wait (TIMEOUT, as reason).
	const flow = new AbortController();
	const aborted = () =>
		flow.signal.reason instanceof LoginError
			? flow.signal.reason
			: new LoginError('CANCELLED', 'the login was cancelled');
	const onCancel = () => flow.abort(new LoginError('CANCELLED', 'the login was cancelled'));
	if (options.signal?.aborted) throw new LoginError('CANCELLED', 'the login was cancelled');
	options.signal?.addEventListener('abort', onCancel, {once: true});

	// Until the code is known the wait is bounded by --timeout, else by GitHub's usual lifetime.
	let deadline = started + (timeoutMs ?? DEVICE_CODE_LIFETIME_MS);
	let waitLimit = timeoutMs ?? DEVICE_CODE_LIFETIME_MS;
	let codeShown = false;
	const left = () => deadline - Date.now();
	// Each request's own bound, a little past the deadline: when the whole wait ends first,
	// the login reports that (a TIMEOUT), not one request's bound.
	const http = (): HttpContext => ({
		fetch: options.fetch ?? globalThis.fetch,
		signal: flow.signal,
		timeoutMs: Math.min(requestTimeoutMs, Math.max(0, left()) + 1000),
	});
	let timer: NodeJS.Timeout | undefined;
	const armDeadline = () => {
		clearTimeout(timer);
		timer = setTimeout(
			() =>
				flow.abort(
					new LoginError(
						'TIMEOUT',
						codeShown
							? `the login timed out: the code was not entered within ${formatTimeout(waitLimit)}`
							: `the login timed out: GitHub gave no device code within ${formatTimeout(waitLimit)}`,
					),
				),
			Math.max(0, left()),
		);
	};

	armDeadline();
	try {
		const codeAnswer = await postForm(
			http(),
			"GitHub's device code endpoint",
			endpoints.deviceCode,
			{client_id: options.clientId, scope: options.scopes ?? DEFAULT_SCOPES},
			'asking GitHub for a device code failed',
		);
		const body = codeAnswer.json;
		if (isObject(body) && typeof body.error === 'string' && codeAnswer.isJson) {
			const failure = pollFailure(
				body.error,
				typeof body.error_description === 'string' ? safeText(body.error_description) : '',
				options.clientId,
				host,
			);
			throw failure.code === 'TOKEN_EXCHANGE_FAILED'
				? noDeviceFlow(options.clientId, host, `${safeText(body.error, 80)}`)
				: failure;
		}

		if (codeAnswer.status !== 200 || !codeAnswer.isJson) {
			throw noDeviceFlow(
				options.clientId,
				host,
				`HTTP ${codeAnswer.status}${codeAnswer.isJson ? '' : ', not JSON'}`,
			);
		}

		if (
			!isObject(body) ||
			typeof body.device_code !== 'string' ||
			body.device_code === '' ||
			typeof body.user_code !== 'string' ||
			body.user_code === '' ||
			body.user_code.length > 100 ||
			typeof body.verification_uri !== 'string' ||
			!/^https?:\/\//i.test(body.verification_uri) ||
			body.verification_uri.length > 2000
		) {
			throw noDeviceFlow(options.clientId, host, 'the answer has no code and verification_uri');
		}

		const deviceCode = body.device_code;
		const codeLifetimeMs = Math.min(
			(seconds(body.expires_in) ?? DEVICE_CODE_LIFETIME_MS / 1000) * 1000,
			MAX_LOGIN_TIMEOUT_MS,
		);
		waitLimit = timeoutMs === undefined ? codeLifetimeMs : Math.min(timeoutMs, codeLifetimeMs);
		deadline = Math.min(deadline, Date.now() + codeLifetimeMs);
		armDeadline();
		let intervalMs = (seconds(body.interval) ?? DEFAULT_POLL_INTERVAL_MS / 1000) * 1000;

		const opener = browserOpener(options.openBrowser);
		const refusal = opener ? refuseToOpen(body.verification_uri, host) : undefined;
		const verificationUri = body.verification_uri;
		codeShown = true;
		options.onCode?.({
			userCode: body.user_code,
			verificationUri,
			expiresAt: new Date(deadline),
			opening: opener !== undefined && refusal === undefined,
			...(refusal === undefined ? {} : {notOpenedBecause: refusal}),
		});
		if (opener && refusal === undefined) {
			openInBackground(opener, verificationUri, () => flow.signal.aborted, options.onBrowserError);
		}

		for (;;) {
			await sleep(Math.min(intervalMs * POLL_MARGIN, Math.max(0, left())), flow.signal, aborted);
			const answer = await postForm(
				http(),
				"GitHub's token endpoint",
				endpoints.token,
				{client_id: options.clientId, device_code: deviceCode, grant_type: DEVICE_GRANT_TYPE},
				'waiting for the code failed',
			);
			const json = answer.json;
			const receivedAt = Date.now();
			if (!answer.isJson || !isObject(json)) {
				throw new LoginError(
					'TOKEN_EXCHANGE_FAILED',
					`waiting for the code failed: ${host} answered HTTP ${answer.status} with something that is not GitHub's JSON`,
				);
			}

			if (typeof json.error === 'string') {
				if (json.error === 'authorization_pending') continue;
				if (json.error === 'slow_down') {
					intervalMs =
						(seconds(json.interval) ?? intervalMs / 1000 + SLOW_DOWN_STEP_MS / 1000) * 1000;
					continue;
				}

				throw pollFailure(
					json.error,
					typeof json.error_description === 'string' ? safeText(json.error_description) : '',
					options.clientId,
					host,
				);
			}

			if (answer.status !== 200) {
				throw new LoginError(
					'TOKEN_EXCHANGE_FAILED',
					`waiting for the code failed: ${host} answered HTTP ${answer.status}`,
				);
			}

			const grant = readTokenAnswer(json, receivedAt);
			const user = await fetchUser(http(), endpoints.user, grant.accessToken);
			if (flow.signal.aborted) throw aborted();
			return await saveLogin({
				store: options.store,
				sessionId: options.sessionId,
				previous: options.previous,
				grant,
				user,
				ttlMs,
				clientId: options.clientId,
				githubHost: host,
			});
		}
	} catch (error) {
		if (flow.signal.aborted && !(error instanceof LoginError && error.code === 'STORE_FAILED')) {
			throw aborted();
		}

		throw error;
	} finally {
		clearTimeout(timer);
		options.signal?.removeEventListener('abort', onCancel);
		if (!flow.signal.aborted) flow.abort(new LoginError('CANCELLED', 'the login has ended'));
	}
}
