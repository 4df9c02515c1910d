// `status [ID...]`: asks GitHub whether each session's token still works (GET /user), like
// `gh auth status`. A table, or with --json one array; exit 1 when a token is revoked, a check
// failed, or GitHub's rate limit stopped the checks. With --refresh, a session whose stored token
// has expired and that holds a refresh token is first renewed as `refresh` does, then checked.
import {formatAbsolute, formatCountdown, formatRelative} from '../format/duration.js';
import {escapeControl} from '../format/escape.js';
import {plural} from '../format/text.js';
import {checkSessions, type SessionStatus} from '../github/session-status.js';
import type {CheckTokenOptions} from '../github/token-status.js';
import type {Session} from '../session/session.js';
import type {ListableStore} from '../session/store.js';
import {isoString} from './iso-time.js';
import {terminalSafe} from './list.js';
import type {Output} from './output.js';
import {type RefreshOneOptions, refreshOne} from './refresh.js';
import {selectSessions} from './select-sessions.js';

export type StatusCommandOptions = {
	readonly store: ListableStore;
	readonly location: string;
	/** Valid ids without duplicates; empty for every active session. */
	readonly ids: readonly string[];
	readonly json: boolean;
	/** The configured `--github-host` origin, for sessions that record none. */
	readonly githubHost: string;
	readonly output: Output;
	readonly now?: () => number;
	readonly signal?: AbortSignal;
	/** The transport (tests). */
	readonly request?: CheckTokenOptions['request'];
	/** --refresh: the app to renew expired tokens with; undefined without it. */
	readonly refresh?: Pick<RefreshOneOptions, 'defaultClientId' | 'oauthApp'>;
};

/** One element of `status --json`. */
export type StatusJson = {
	id: string;
	status: SessionStatus['status'];
	login: string | null;
	scopes: string[];
	token_expires_at: string | null;
	error: string | null;
};

function toJson(status: SessionStatus): StatusJson {
	return {
		id: status.id,
		status: status.status,
		login: status.login === '' ? null : status.login,
		scopes: [...(status.scopes ?? [])],
		token_expires_at: status.tokenExpiresAt ? isoString(status.tokenExpiresAt.getTime()) : null,
		error: status.error ?? null,
	};
}

function tokenExpiry(status: SessionStatus, now: number): string {
	const at = status.tokenExpiresAt;
	if (!at) return '-';
	return at.getTime() < now
		? `expired ${formatRelative(at, now)}`
		: `in ${formatCountdown(at, now)}`;
}

function note(status: SessionStatus): string {
	if (status.storedLogin !== undefined) {
		return `GitHub account is @${escapeControl(status.login)}, the session says @${escapeControl(status.storedLogin)}`;
	}

	if (status.status === 'revoked') return 'revoked or expired on GitHub: log in again';
	if (status.status === 'no_token') return 'the session holds no token';
	return status.error === undefined ? '' : escapeControl(status.error);
}

function renderTable(statuses: readonly SessionStatus[], now: number): string {
	const header = ['ID', 'STATUS', 'LOGIN', 'SCOPES', 'TOKEN EXPIRES', 'NOTE'];
	const rows = statuses.map((status) => [
		escapeControl(status.id),
		status.status,
		status.login === '' ? '-' : `@${escapeControl(status.login)}`,
		status.scopes === undefined ? '-' : status.scopes.join(',') || '(none)',
		tokenExpiry(status, now),
		note(status),
	]);
	const widths = header.map((title, i) =>
		Math.min(44, Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length))),
	);
	const line = (cells: readonly string[]) =>
		cells
			.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
			.join('  ')
			.trimEnd();
	return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

export async function statusCommand(options: StatusCommandOptions): Promise<number> {
	const {output, location} = options;
	const now = options.now ?? Date.now;
	const selection = await selectSessions(options.store, options.ids, location, output, now());
	if (selection === undefined) return 1;

	let {sessions} = selection;
	let code = selection.code;
	if (options.refresh) {
		const renewed = await refreshExpired(sessions, {...options, ...options.refresh}, now);
		sessions = renewed.sessions;
		if (!renewed.ok) code = 1;
	}

	if (sessions.length === 0) {
		if (options.json) output.out('[]\n');
		if (options.ids.length === 0)
			output.err(`no active sessions in ${location}: nothing to check\n`);
		return code;
	}

	const {statuses, rateLimitStop} = await checkSessions(sessions, {
		githubHost: options.githubHost,
		...(options.signal === undefined ? {} : {signal: options.signal}),
		...(options.request === undefined ? {} : {request: options.request}),
	});
	const at = now();
	if (options.json) {
		// One element per line, as list --json writes them; each line escaped for a terminal.
		const lines = statuses.map((status) => terminalSafe(JSON.stringify(toJson(status))));
		output.out(`[\n${lines.join(',\n')}\n]\n`);
	} else {
		output.out(renderTable(statuses, at));
	}

	for (const status of statuses) {
		if (status.storedLogin !== undefined) {
			output.err(
				`warning: ${escapeControl(status.id)} belongs to @${escapeControl(status.login)} on GitHub now, not @${escapeControl(status.storedLogin)} as stored\n`,
			);
		}
	}

	if (statuses.some((status) => status.status === 'revoked' || status.status === 'error')) {
		code = 1;
	}

	if (rateLimitStop) {
		const skipped = statuses.filter((status) => status.status === 'not_checked').length;
		const reset = rateLimitStop.resetAt
			? `; it resets at ${formatAbsolute(rateLimitStop.resetAt)} (${formatRelative(rateLimitStop.resetAt, at)})`
			: '';
		output.err(
			`stacktower-sessions: GitHub's rate limit is used up, so the checks stopped (${plural(skipped, 'session')} not checked)${reset}\n`,
		);
		code = 1;
	}

	return code;
}

/**
 * Renews, one at a time, each session whose stored token has expired and that holds a refresh
 * token; the others pass as they are. Its lines go to stderr: stdout stays the table or JSON.
 */
async function refreshExpired(
	sessions: readonly Session[],
	options: RefreshOneOptions,
	now: () => number,
): Promise<{sessions: Session[]; ok: boolean}> {
	const result: Session[] = [];
	let ok = true;
	for (const session of sessions) {
		const expired =
			session.tokenExpiresAt !== undefined && session.tokenExpiresAt.getTime() <= now();
		if (!expired || !session.refreshToken) {
			result.push(session);
			continue;
		}

		const outcome = await refreshOne(options, session, now);
		options.output.err(outcome.ok ? `${outcome.line}\n` : `stacktower-sessions: ${outcome.line}\n`);
		if (!outcome.ok) ok = false;
		result.push(outcome.session ?? session);
	}

	return {sessions: result, ok};
}
