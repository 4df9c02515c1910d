// The last step of every login, whichever flow got the token: the session built from the
// grant and the GitHub user, saved under the requested id, and what changed.
import {
	encodeSession,
	type GitHubUser,
	MAX_SESSION_FILE_BYTES,
	newSession,
	type Session,
	type Store,
} from '../session/index.js';
import {LoginError, safeText} from './errors.js';
import type {TokenGrant} from './token-answer.js';

/** What a finished login reports. */
export type LoginOutcome = {
	/** The session now saved under the requested id. */
	readonly session: Session;
	readonly user: GitHubUser;
	/** GitHub returned a different account than the session had before. */
	readonly userChanged: boolean;
	/** The login the session had before, when it had a user. */
	readonly previousLogin?: string;
};

export type SaveLoginArgs = {
	readonly store: Store;
	/** The id to save under: a re-login keeps the session's id. */
	readonly sessionId: string;
	/** The session being replaced, to tell whether the account changed. */
	readonly previous: Session | null | undefined;
	readonly grant: TokenGrant;
	readonly user: GitHubUser;
	readonly ttlMs: number;
	/** Who issued the token, recorded so that checking, refreshing and revoking find it. */
	readonly clientId: string;
	readonly githubHost: string;
};

function mib(bytes: number): string {
	return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/**
 * Refuses a session no store would read back: a file over MAX_SESSION_FILE_BYTES is reported
 * unreadable (and Redis keeps the same limit), so saving it would only replace a good session
 * with a broken one.
 */
function assertStorable(session: Session): void {
	const bytes = Buffer.byteLength(encodeSession(session));
	if (bytes > MAX_SESSION_FILE_BYTES) {
		throw new LoginError(
			'STORE_FAILED',
			`not saved: the session for @${safeText(session.user?.login, 80)} would take ${mib(bytes)}, over the ${mib(MAX_SESSION_FILE_BYTES)} a session store reads back (GitHub's /user answer is unusually large)`,
		);
	}
}

/** Saves the new session; rejects with a STORE_FAILED LoginError when it cannot be saved. */
export async function saveLogin(args: SaveLoginArgs): Promise<LoginOutcome> {
	const {grant} = args;
	const session: Session = {
		...newSession(grant.accessToken, args.user, args.ttlMs),
		id: args.sessionId,
		...(grant.tokenExpiresAt ? {tokenExpiresAt: grant.tokenExpiresAt} : {}),
		...(grant.refreshToken ? {refreshToken: grant.refreshToken} : {}),
		...(grant.refreshTokenExpiresAt ? {refreshTokenExpiresAt: grant.refreshTokenExpiresAt} : {}),
		clientId: args.clientId,
		githubHost: args.githubHost,
	};
	assertStorable(session);
	try {
		await args.store.set(session);
	} catch (error) {
		throw new LoginError(
			'STORE_FAILED',
			`could not save the session ${JSON.stringify(args.sessionId)}: ${safeText((error as Error).message)}`,
			{cause: error},
		);
	}

	const before = args.previous?.user ?? null;
	return {
		session,
		user: args.user,
		userChanged: before !== null && before.id !== args.user.id,
		...(before ? {previousLogin: before.login} : {}),
	};
}
