// One request to the callback server, checked in this order: method, exact path, Host, then
// the state, before anything else the callback carries is looked at. Only a callback that
// carries this login's own state, which the StateStore then uses up, gets any further.
import {timingSafeEqual} from 'node:crypto';
import type {IncomingMessage} from 'node:http';
import type {StateStore} from '../../session/index.js';
import {CALLBACK_PATH} from '../defaults.js';
import {LoginError, safeText} from '../errors.js';
import {sentence} from '../pages.js';
import type {Page} from './server.js';

export {CALLBACK_PATH} from '../defaults.js';

/** What to do with one request to the callback server. */
export type CallbackCheck =
	/** Not this login's callback: answer `page`; the login goes on. */
	| {readonly kind: 'refused'; readonly page: Page}
	/** The state could not be checked: answer `page`, and the login ends with `error`. */
	| {readonly kind: 'failed'; readonly page: Page; readonly error: LoginError}
	/** This login's callback; its state is now used up. */
	| {readonly kind: 'accepted'; readonly query: URLSearchParams};

export type CallbackExpectations = {
	/** `127.0.0.1:PORT`, the only Host the callback answers. */
	readonly host: string;
	/** This login's state. */
	readonly state: string;
	readonly stateStore: StateStore;
	/** True once the login has ended: later callbacks are refused. */
	readonly ended: () => boolean;
};

export const loginEnded: Page = {
	status: 400,
	title: 'Login has ended',
	message: 'This login has already ended. Start a new login from stacktower-sessions.',
};

/**
 * The query of a request whose raw target is exactly `/callback` or `/callback?…`, else
 * undefined. Matched as text, not resolved as a URL: `//evil.com/callback`, `/./callback`
 * and `/x/../callback` all resolve to the callback path, and none of them is what GitHub sends.
 */
export function callbackQuery(target: string): URLSearchParams | undefined {
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

/** Checks one request against what this login's callback must be; see CallbackCheck. */
export async function checkCallback(
	req: IncomingMessage,
	expected: CallbackExpectations,
): Promise<CallbackCheck> {
	if (req.method !== 'GET') {
		return {
			kind: 'refused',
			page: {
				status: 405,
				title: 'Method not allowed',
				message: 'This server only answers the GitHub login callback (GET).',
				headers: {Allow: 'GET'},
			},
		};
	}

	const query = callbackQuery(req.url ?? '');
	if (!query) {
		return {
			kind: 'refused',
			page: {
				status: 404,
				title: 'Not found',
				message: 'This server only answers the GitHub login callback.',
			},
		};
	}

	// A page on another origin that resolves its own name to 127.0.0.1 (DNS rebinding)
	// reaches us with its own Host header.
	if (req.headers.host !== expected.host) {
		return {
			kind: 'refused',
			page: {
				status: 400,
				title: 'Wrong host',
				message: `The login callback only answers on ${expected.host}.`,
			},
		};
	}

	if (expected.ended()) return {kind: 'refused', page: loginEnded};

	// The state first, and consumed, so that a replayed callback can never be exchanged again.
	// It must be this login's own state, too: a StateStore in Redis may hold other logins'
	// states, and a stranger's callback must neither pass with one nor use one up.
	const states = query.getAll('state');
	let valid = false;
	if (states.length === 1 && states[0] && sameText(states[0], expected.state)) {
		try {
			valid = await expected.stateStore.validate(states[0]);
		} catch (error) {
			const failure = new LoginError(
				'STORE_FAILED',
				`could not check the OAuth state: ${safeText((error as Error).message)}`,
				{cause: error},
			);
			return {
				kind: 'failed',
				page: {status: 500, title: 'Login failed', message: sentence(failure.message)},
				error: failure,
			};
		}
	}

	if (!valid) {
		return {
			kind: 'refused',
			page: {
				status: 400,
				title: 'Invalid login link',
				message:
					'This login callback has a missing, unknown, used or expired state, so it was ignored. Start the login again from stacktower-sessions if it does not finish.',
			},
		};
	}

	return {kind: 'accepted', query};
}

/**
 * The authorization code in an accepted callback. Throws ACCESS_DENIED or
 * AUTHORIZATION_FAILED when GitHub sent an `error` instead, INVALID_CALLBACK when neither.
 */
export function authorizationCode(query: URLSearchParams): string {
	const error = query.get('error');
	if (error !== null) {
		const description = safeText(query.get('error_description') ?? '');
		const said = `${safeText(error, 80)}${description ? `: ${description}` : ''}`;
		throw error === 'access_denied'
			? new LoginError('ACCESS_DENIED', `the login was denied on GitHub (${said})`)
			: new LoginError('AUTHORIZATION_FAILED', `GitHub did not authorize the login (${said})`);
	}

	const code = query.get('code');
	if (!code) throw new LoginError('INVALID_CALLBACK', 'the callback from GitHub carried no code');
	return code;
}
