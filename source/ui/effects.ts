// The only way the inspector's reducer asks for I/O. `update` (state.ts) returns the next state
// and the Effects it wants; nothing else in the state starts anything. use-inspector runs each
// effect (run-effects.ts), and a task reports back with a result action carrying its `seq`, so
// the result of a task the state no longer awaits (cancelled, or superseded) is ignored.
import type {Session} from '../session/session.js';

/** Delete one session. Result: `deleted` or `taskFailed`. */
export type DeleteTask = {
	readonly kind: 'delete';
	readonly seq: number;
	readonly id: string;
	/** How the session is named on screen, `id (@login)`. */
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
export type Task = DeleteTask | CleanupTask | LoginTask;

export type Effect =
	| Task
	/** Abort the running task `seq` (Esc during a login); its late result is dropped. */
	| {readonly kind: 'cancel'; readonly seq: number}
	/** List the store again now, with progress on screen (`r`, and after every task). */
	| {readonly kind: 'reload'}
	/** Leave the inspector: every running task is aborted and the app unmounts. */
	| {readonly kind: 'quit'};

/** What the reducer returns: the next state, and the I/O it asks for, in order. */
export type Update<S> = {readonly state: S; readonly effects: readonly Effect[]};
