// What both login flows (device-flow.ts, login-flow.ts) take; each flow's options add their own.
import type {Session, Store} from '../session/index.js';
import type {LoginError} from './errors.js';

export type LoginFlowOptions = {
	store: Store;
	/** The id the new session is saved under; kept on re-login. */
	sessionId: string;
	/** The session being re-logged in: decides userChanged (the web flow also adds `login=` to the authorize URL). */
	previous?: Session | null;
	clientId: string;
	/** Default https://github.com; see githubEndpoints for the rules. */
	githubHost?: string;
	/** Default 'read:user user:email' (a GitHub App ignores scopes: its permissions apply). */
	scopes?: string;
	/** How long the saved session lasts; default 30 days, as the stacktower CLI. */
	ttlMs?: number;
	/**
	 * Default true: the command in $BROWSER with the URL as its argument, else the platform's
	 * opener (the device flow opens only a URL on the host's origin).
	 */
	openBrowser?: boolean | ((url: string) => Promise<void>);
	/** Cancels the login (Ctrl-C, Esc): it stops at once. */
	signal?: AbortSignal;
	/** The browser could not be started; the flow goes on (the URL has been shown). */
	onBrowserError?: (error: LoginError) => void;
	/**
	 * The bound on each request to GitHub, for its whole answer; default REQUEST_TIMEOUT_MS
	 * (10 s), and the device flow's never past the end of the whole wait.
	 */
	requestTimeoutMs?: number;
	fetch?: typeof fetch;
};
