// Types shared between the inspector and the code that drives it (cli.tsx, source/github).
// Type-only: importing this module loads neither React nor Ink.
import type {Session} from '../session/session.js';

/** What a finished login reports. */
export type LoginOutcome = {
	/** The session now saved under the requested id. */
	session: Session;
	/** True when GitHub returned a different user than the session had before. */
	userChanged: boolean;
	/** The login the session had before, when there was one. */
	previousLogin?: string;
};

/**
 * Starts the OAuth login for one session id and resolves when it is saved. Rejects with
 * a message fit to show when it fails; rejects after `signal` aborts (Esc in the inspector).
 */
export type StartLogin = (args: {
	sessionId: string;
	previous: Session | null;
	signal: AbortSignal;
	onUrl: (url: string) => void;
}) => Promise<{session: Session; userChanged: boolean; previousLogin?: string}>;
