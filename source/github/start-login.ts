// The inspector's `l` key drives the same flows as the `login` command. StartLogin is defined
// here, once; the inspector takes it from here (source/ui/types.ts), so source/github never
// depends on the UI.
import type {Session, StateStore, Store} from '../session/index.js';
import {type DeviceCodePrompt, deviceLogin} from './device-flow.js';
import type {LoginError} from './errors.js';
import {login} from './login-flow.js';
import type {LoginOutcome} from './save-login.js';

/** What a login needs besides the stores and the session, checked by parseLoginOptions. */
type LoginConfigCommon = {
	/** The session id `login` logs in; the inspector logs in the selected row's. */
	readonly id: string;
	readonly clientId: string;
	/** An origin such as `https://github.com` or `https://ghe.example.com`, no trailing slash. */
	readonly githubHost: string;
	readonly scopes: string;
	/** How long the saved session lasts. */
	readonly ttlMs: number;
	readonly openBrowser: boolean;
};

/** The device flow (RFC 8628): no secret; the wait is bounded by the code's own lifetime. */
export type DeviceLoginConfig = LoginConfigCommon & {
	readonly flow: 'device';
	/** An explicit --timeout, which shortens the wait; undefined: as long as the code lives. */
	readonly timeoutMs: number | undefined;
};

/** The loopback web flow (RFC 8252) with an OAuth app whose secret is at hand. */
export type WebLoginConfig = LoginConfigCommon & {
	readonly flow: 'web';
	/** Only ever from STACKTOWER_GITHUB_CLIENT_SECRET, never a flag (it would show in `ps`). */
	readonly clientSecret: string;
	/** 0 means any free port. */
	readonly callbackPort: number;
	readonly timeoutMs: number;
};

export type LoginConfig = DeviceLoginConfig | WebLoginConfig;

export type StartLoginArgs = {
	sessionId: string;
	previous: Session | null;
	signal: AbortSignal;
	/** The loopback flow's authorize URL, to show. */
	onUrl: (url: string) => void;
	/** The device flow's code and URL, to show; without it the URL goes to onUrl. */
	onDeviceCode?: (prompt: DeviceCodePrompt) => void;
	/** The browser could not be started (the URL is on screen anyway). */
	onBrowserError?: (error: LoginError) => void;
};

/**
 * Logs one session id in and resolves when it is saved. Rejects with a LoginError, whose
 * message is fit to show, when it fails or after `signal` aborts (Esc in the inspector).
 */
export type StartLogin = (args: StartLoginArgs) => Promise<StartLoginOutcome>;

/** What the inspector needs of a LoginOutcome: the user is in the session. */
export type StartLoginOutcome = Omit<LoginOutcome, 'user'>;

/** A StartLogin bound to a checked login config and the stores. */
export function createStartLogin(
	config: LoginConfig,
	store: Store,
	stateStore: StateStore,
	open?: (url: string) => Promise<void>,
): (args: StartLoginArgs) => Promise<LoginOutcome> {
	const openBrowser = config.openBrowser ? (open ?? true) : false;
	return async ({sessionId, previous, signal, onUrl, onDeviceCode, onBrowserError}) => {
		const common = {
			store,
			sessionId,
			previous,
			signal,
			clientId: config.clientId,
			githubHost: config.githubHost,
			scopes: config.scopes,
			ttlMs: config.ttlMs,
			openBrowser,
			...(onBrowserError ? {onBrowserError} : {}),
		};
		if (config.flow === 'web') {
			return login({
				...common,
				stateStore,
				clientSecret: config.clientSecret,
				callbackPort: config.callbackPort,
				timeoutMs: config.timeoutMs,
				onUrl,
			});
		}

		return deviceLogin({
			...common,
			...(config.timeoutMs === undefined ? {} : {timeoutMs: config.timeoutMs}),
			onCode: onDeviceCode ?? ((prompt) => onUrl(prompt.verificationUri)),
		});
	};
}
