// `delete --revoke`: revoking a session's token on GitHub before deleting it. Checked for every
// id before anything is deleted: revoking needs the secret of the app that issued the token,
// and a session that cannot be revoked makes the whole command a usage error (exit 2).
import {escapeControl} from '../format/escape.js';
import type {requestGitHub} from '../github/http.js';
import {manualRevokeUrl, RevokeError, revokeToken} from '../github/revoke.js';
import {hostOf} from '../github/session-status.js';
import type {Session} from '../session/session.js';
import type {ListEntry} from '../session/store.js';

export type RevokeConfig = {
	/** The configured OAuth app (--client-id or STACKTOWER_GITHUB_CLIENT_ID). */
	readonly clientId: string | undefined;
	/** STACKTOWER_GITHUB_CLIENT_SECRET. */
	readonly clientSecret: string | undefined;
	/** The configured --github-host origin, for sessions that record none. */
	readonly githubHost: string;
	readonly request?: typeof requestGitHub;
};

/** What to revoke for each id: its session (whose token is revoked), or nothing to revoke. */
export type RevokePlan = ReadonlyMap<string, Session | undefined>;

/** Where to revoke by hand, as the end of a sentence. */
export function byHand(session: Session | undefined, config: RevokeConfig): string {
	const host = session ? hostOf(session, config.githubHost) : config.githubHost;
	let url: string;
	try {
		url = manualRevokeUrl(host, session?.clientId, session?.accessToken);
	} catch {
		url = manualRevokeUrl(config.githubHost, session?.clientId, session?.accessToken);
	}

	return `revoke it by hand at ${url}`;
}

/**
 * Checks each session's token can be revoked with the configured app: its client_id recorded
 * and equal to the app's, whose secret is set. `found` is what delete read for the ids (expired
 * sessions included: their tokens may still work). The plan, or every problem found (each
 * naming where to revoke by hand).
 */
export function planRevocations(
	found: ReadonlyMap<string, ListEntry>,
	ids: readonly string[],
	config: RevokeConfig,
): {ok: true; plan: RevokePlan} | {ok: false; problems: string[]} {
	const plan = new Map<string, Session | undefined>();
	const problems: string[] = [];
	for (const id of ids) {
		const entry = found.get(id);
		// Missing ids are delete's own report; unreadable ones have no token to revoke.
		const session = entry?.kind === 'session' ? entry.session : undefined;
		if (session === undefined || session.accessToken === '') {
			plan.set(id, undefined);
			continue;
		}

		const shown = escapeControl(id);
		if (!config.clientSecret) {
			problems.push(
				`--revoke needs the secret of the app that issued ${shown}'s token in STACKTOWER_GITHUB_CLIENT_SECRET; ${byHand(session, config)}, or delete without --revoke`,
			);
		} else if (session.clientId === undefined) {
			problems.push(
				`${shown} does not record which app issued its token, so it cannot be revoked with the configured one; ${byHand(session, config)}, or delete without --revoke`,
			);
		} else if (session.clientId !== config.clientId) {
			problems.push(
				`${shown}'s token was issued to client ${escapeControl(session.clientId)}, not to the configured ${escapeControl(config.clientId ?? '(none)')}; ${byHand(session, config)}, or delete without --revoke`,
			);
		} else {
			plan.set(id, session);
		}
	}

	return problems.length > 0 ? {ok: false, problems} : {ok: true, plan};
}

/** Revokes one planned session's token; the outcome as a line, and whether it failed. */
export async function revokeOne(
	session: Session | undefined,
	config: RevokeConfig,
): Promise<{ok: boolean; note: string}> {
	if (session === undefined) return {ok: true, note: 'no token to revoke'};
	try {
		const outcome = await revokeToken({
			githubHost: hostOf(session, config.githubHost),
			clientId: session.clientId ?? '',
			clientSecret: config.clientSecret ?? '',
			accessToken: session.accessToken,
			...(config.request ? {request: config.request} : {}),
		});
		return {
			ok: true,
			note: outcome === 'revoked' ? 'token revoked on GitHub' : 'token was already invalid',
		};
	} catch (error) {
		if (!(error instanceof RevokeError)) throw error;
		return {
			ok: false,
			note: `revoking the token failed: ${escapeControl(error.message)}; ${byHand(session, config)}`,
		};
	}
}
