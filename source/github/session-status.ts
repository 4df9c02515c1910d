// Checks many sessions' tokens against GitHub: a few at a time, each on the host that issued
// it, and no more requests once GitHub says the rate limit is used up.
import type {Session} from '../session/session.js';
import {GitHubHostError, githubEndpoints} from './endpoints.js';
import {type CheckTokenOptions, checkToken, type RateLimit} from './token-status.js';

/** GitHub asks integrators not to flood it; four at once keeps `status` quick for a few dozen. */
export const STATUS_CONCURRENCY = 4;

export type SessionStatusKind = 'valid' | 'revoked' | 'error' | 'no_token' | 'not_checked';

export type SessionStatus = {
	readonly id: string;
	readonly status: SessionStatusKind;
	/** The login GitHub reports now (valid), else the stored one; '' when neither is known. */
	readonly login: string;
	/** Set when GitHub's account differs from the stored one: what the file says. */
	readonly storedLogin: string | undefined;
	readonly scopes: readonly string[] | undefined;
	/** GitHub's header when sent, else the stored token_expires_at. */
	readonly tokenExpiresAt: Date | undefined;
	/** Why `error` or `not_checked`; safe to print. */
	readonly error: string | undefined;
	/** The origin asked (or that would have been asked). */
	readonly githubHost: string;
};

export type CheckSessionsResult = {
	readonly statuses: SessionStatus[];
	/** Set when the checks stopped at GitHub's rate limit: when it resets, if GitHub said. */
	readonly rateLimitStop: {readonly resetAt: Date | undefined} | undefined;
};

export type CheckSessionsOptions = {
	/** The configured `--github-host`, for sessions that do not record their own. */
	readonly githubHost: string;
	readonly concurrency?: number;
	readonly signal?: AbortSignal;
	/** Called as each result comes in (the inspector's progress). */
	readonly onStatus?: (status: SessionStatus, done: number) => void;
	readonly timeoutMs?: number;
	readonly request?: CheckTokenOptions['request'];
};

/** The origin a session's token may be sent to: its own github_host, else the configured one. */
export function hostOf(session: Session, configured: string): string {
	return session.githubHost ?? configured;
}

function base(session: Session, githubHost: string) {
	return {
		id: session.id,
		login: session.user?.login ?? '',
		storedLogin: undefined,
		scopes: undefined,
		tokenExpiresAt: session.tokenExpiresAt,
		error: undefined,
		githubHost,
	};
}

/** Checks one session; never throws except on cancel. */
export async function checkSession(
	session: Session,
	options: Omit<CheckSessionsOptions, 'concurrency' | 'onStatus'>,
): Promise<SessionStatus & {rateLimit?: RateLimit; rateLimited?: boolean}> {
	const wanted = hostOf(session, options.githubHost);
	if (session.accessToken === '') return {...base(session, wanted), status: 'no_token'};
	let origin: string;
	try {
		origin = githubEndpoints(wanted).origin;
	} catch (error) {
		if (!(error instanceof GitHubHostError)) throw error;
		// Never guess another host for a token: a stored host that is not one fails this check.
		return {
			...base(session, wanted),
			status: 'error',
			error: 'the session records a github_host that is not a usable GitHub URL',
		};
	}

	const result = await checkToken({
		githubHost: origin,
		accessToken: session.accessToken,
		...(options.timeoutMs === undefined ? {} : {timeoutMs: options.timeoutMs}),
		...(options.signal === undefined ? {} : {signal: options.signal}),
		...(options.request === undefined ? {} : {request: options.request}),
	});
	const stored = base(session, origin);
	switch (result.status) {
		case 'valid': {
			const user = session.user;
			const changed = user !== null && (user.id !== result.userId || user.login !== result.login);
			return {
				...stored,
				status: 'valid',
				login: result.login,
				storedLogin: changed ? user.login : undefined,
				scopes: result.scopes,
				tokenExpiresAt: result.tokenExpiresAt ?? session.tokenExpiresAt,
				...(result.rateLimit ? {rateLimit: result.rateLimit} : {}),
			};
		}

		case 'revoked': {
			return {
				...stored,
				status: 'revoked',
				...(result.rateLimit ? {rateLimit: result.rateLimit} : {}),
			};
		}

		case 'error': {
			return {
				...stored,
				status: 'error',
				error: result.error,
				...(result.rateLimit ? {rateLimit: result.rateLimit} : {}),
				rateLimited: result.rateLimited,
			};
		}
	}
}

/**
 * Checks every session, at most `concurrency` requests at once, results in the sessions'
 * order. Once an answer says the rate limit is used up (remaining 0), no further request
 * starts: the rest are `not_checked`, and the result says when the limit resets.
 */
export async function checkSessions(
	sessions: readonly Session[],
	options: CheckSessionsOptions,
): Promise<CheckSessionsResult> {
	const statuses: SessionStatus[] = new Array(sessions.length);
	let stop: {resetAt: Date | undefined} | undefined;
	let next = 0;
	let done = 0;
	// A pool of workers taking the next index: a dozen lines, where a library would still need
	// the stop-on-rate-limit rule added around it.
	const worker = async () => {
		while (next < sessions.length) {
			const index = next++;
			const session = sessions[index] as Session;
			let status: SessionStatus;
			if (stop) {
				status = {
					...base(session, hostOf(session, options.githubHost)),
					status: 'not_checked',
					error: 'not checked: the GitHub rate limit is used up',
				};
			} else {
				const {rateLimit, rateLimited, ...result} = await checkSession(session, options);
				status = result;
				if (rateLimited || rateLimit?.remaining === 0) {
					stop ??= {resetAt: rateLimit?.resetAt};
				}
			}

			statuses[index] = status;
			done++;
			options.onStatus?.(status, done);
		}
	};

	const workers = Math.max(1, Math.min(options.concurrency ?? STATUS_CONCURRENCY, sessions.length));
	await Promise.all(Array.from({length: workers}, worker));
	return {statuses, rateLimitStop: stop};
}
