// The only way the inspector's reducer asks for I/O. `update` (state.ts) returns the next state
// and the Effects it wants; nothing else in the state starts anything. use-inspector runs each
// effect (run-effects.ts), and a task reports back with a result action carrying its `seq`, so
// the result of a task the state no longer awaits (cancelled, or superseded) is ignored.
import type {Session} from '../session/session.js';

/**
 * Delete one session, after revoking its token on GitHub when asked (the local session goes
 * even when revoking fails). Result: `deleted` or `taskFailed`.
 */
export type DeleteTask = {
	readonly kind: 'delete';
	readonly seq: number;
	readonly id: string;
	/** How the session is named on screen, `id (@login)`. */
	readonly label: string;
	/** The session as listed (undefined when unreadable): whose token, on which host. */
	readonly session: Session | undefined;
	/** Revoke its token on GitHub first (the user said yes to the second question). */
	readonly revoke: boolean;
};

/**
 * Ask GitHub whether each session's token works (GET /user, as `status`), a few at a time.
 * Results: `tokenChecked` per session as it comes, then `verified`. A `cancel` aborts the
 * requests in flight; their sessions get no result.
 */
export type VerifyTask = {
	readonly kind: 'verify';
	readonly seq: number;
	readonly sessions: readonly Session[];
	/** How the status line names them: one session's label, or `12 sessions`. */
	readonly label: string;
};

/**
 * Renew one session's token pair with its refresh token, under the session's lock (as
 * `refresh`). Result: `tokenRefreshed`.
 */
export type RefreshTask = {
	readonly kind: 'refresh';
	readonly seq: number;
	readonly session: Session;
	readonly label: string;
};

/** Remove every expired session. Results: `taskProgress`, then `cleaned` or `taskFailed`. */
export type CleanupTask = {readonly kind: 'cleanup'; readonly seq: number};

/**
 * Log one session in through GitHub, bounded by the login timeout. Results: `loginUrl`, then
 * `loginSucceeded` or `loginFailed`. Only a `cancel` effect with its seq (or quitting) aborts it.
 */
export type LoginTask = {
	readonly kind: 'login';
	readonly seq: number;
	readonly sessionId: string;
	/** The session it replaces, if any: the login says when the GitHub user changed. */
	readonly previous: Session | null;
};

/** Work that runs until it reports a result. */
export type Task = DeleteTask | CleanupTask | LoginTask | VerifyTask | RefreshTask;

export type Effect =
	| Task
	/** Abort the running task `seq` (Esc during a login or a verify); its late result is dropped. */
	| {readonly kind: 'cancel'; readonly seq: number}
	/** List the store again now, with progress on screen (`r`, and after every task). */
	| {readonly kind: 'reload'}
	/** Leave the inspector: every running task is aborted and the app unmounts. */
	| {readonly kind: 'quit'};

/** What the reducer returns: the next state, and the I/O it asks for, in order. */
export type Update<S> = {readonly state: S; readonly effects: readonly Effect[]};
