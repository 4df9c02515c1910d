// The inspector's `l` key drives the same flow as the `login` command. The inspector's
// StartLogin type (source/ui/types.ts) is matched structurally, so source/github never
// depends on the UI.
import type {Session, StateStore, Store} from '../session/index.js';
import {type LoginError, type LoginOutcome, login} from './login-flow.js';

/** What login() needs besides the stores and the session: see resolveLoginConfig. */
export type StartLoginConfig = {
	readonly clientId: string;
	readonly clientSecret: string;
	readonly githubHost?: string;
	readonly scopes?: string;
	readonly callbackPort?: number;
	readonly timeoutMs?: number;
	/** false for --no-browser; true opens $BROWSER or the platform's opener. */
	readonly openBrowser?: boolean | ((url: string) => Promise<void>);
	/** The browser could not be started (the URL is on screen anyway). */
	readonly onBrowserError?: (error: LoginError) => void;
};

export type StartLoginArgs = {
	sessionId: string;
	previous: Session | null;
	signal: AbortSignal;
	onUrl: (url: string) => void;
};

export type StartLogin = (
	args: StartLoginArgs,
) => Promise<Pick<LoginOutcome, 'session' | 'userChanged' | 'previousLogin'>>;

/** A StartLogin bound to a configuration and the stores; rejects with a LoginError. */
export function createStartLogin(
	config: StartLoginConfig,
	store: Store,
	stateStore: StateStore,
): StartLogin {
	return async ({sessionId, previous, signal, onUrl}) => {
		const outcome = await login({...config, store, stateStore, sessionId, previous, signal, onUrl});
		return {
			session: outcome.session,
			userChanged: outcome.userChanged,
			...(outcome.previousLogin === undefined ? {} : {previousLogin: outcome.previousLogin}),
		};
	};
}
