// The details of one session as screen lines, each at most the terminal's width: pure, so the
// reducer knows how far the details scroll and the view draws the lines it counted. A long value
// continues on the next lines after its label (up to MAX_VALUE_LINES, cut in the middle beyond),
// so nothing is left to the terminal to wrap.
import stringWidth from 'string-width';
import {formatAbsolute, formatCountdown, formatLocal, formatRelative} from '../format/duration.js';
import {maskToken} from '../format/mask-token.js';
import {entryStatus} from '../format/status.js';
import {shortenMiddle} from '../format/text.js';
import {forScreen} from '../format/width.js';
import type {Row} from './rows.js';
import {type TokenCheck, tokenExpiry, tokenMark} from './token-checks.js';

/** How a line is drawn. */
export type Tone = 'plain' | 'title' | 'dim' | 'unreadable' | 'warning';

export type DetailLine = {
	/** The field's name on its first line, '' on the lines that continue it. */
	readonly label: string;
	readonly text: string;
	readonly tone: Tone;
};

/** The label column. */
export const LABEL_WIDTH = 12;
// A hostile file's megabyte of name must not push the other fields away.
const MAX_VALUE_LINES = 3;

/** `text` in pieces of at most `width` columns. */
export function chunks(text: string, width: number): string[] {
	const pieces: string[] = [];
	let piece = '';
	let used = 0;
	for (const char of text) {
		const w = stringWidth(char);
		if (used + w > width && piece !== '') {
			pieces.push(piece);
			piece = '';
			used = 0;
		}
		piece += char;
		used += w;
	}
	if (piece !== '' || pieces.length === 0) pieces.push(piece);
	return pieces;
}

// What GitHub said of the token, and how long ago (the clock moves it on).
function githubLine(check: TokenCheck, now: number): {text: string; tone: Tone} {
	if (check.phase === 'checking') return {text: 'checking…', tone: 'dim'};
	const ago = `checked ${formatRelative(check.at, now)}`;
	switch (check.status) {
		case 'valid':
			return {text: `valid, the token works as @${forScreen(check.login)} (${ago})`, tone: 'plain'};
		case 'revoked':
			return {text: `revoked or expired on GitHub (${ago}); l logs in again`, tone: 'warning'};
		case 'no_token':
			return {text: `no token to check (${ago})`, tone: 'dim'};
		case 'rate_limited':
			return {text: `not checked: GitHub's rate limit was used up (${ago})`, tone: 'warning'};
		case 'error':
			return {text: `the check failed: ${forScreen(check.error ?? '?')} (${ago})`, tone: 'warning'};
	}
}

/**
 * Every line of the details of `row` at `width` columns; times in UTC or local time. `check`:
 * GitHub's last answer about its token, if any.
 */
export function detailLines(
	row: Row | undefined,
	now: number,
	width: number,
	utc: boolean,
	check?: TokenCheck,
): DetailLine[] {
	// The padding, then the label.
	const valueWidth = Math.max(4, width - 1 - LABEL_WIDTH);
	const lines: DetailLine[] = [];
	const field = (label: string, value: string, tone: Tone = 'plain') => {
		const pieces = chunks(shortenMiddle(value, MAX_VALUE_LINES * valueWidth), valueWidth);
		pieces.slice(0, MAX_VALUE_LINES).forEach((text, i) => {
			lines.push({label: i === 0 ? label : '', text, tone});
		});
	};
	const title = (text: string) => {
		lines.push({label: '', text: chunks(text, Math.max(1, width - 1))[0] ?? '', tone: 'title'});
	};

	if (!row) {
		title('this session is gone: another process removed it');
		return lines;
	}

	const {entry} = row;
	title(`session ${row.shownId}`);
	if (entry.kind === 'unreadable') {
		field('status', 'unreadable', 'unreadable');
		field('reason', row.reason);
		field('file', forScreen(entry.location));
		return lines;
	}

	const {session} = entry;
	const {user} = session;
	const expired = entryStatus(entry, now) === 'expired';
	const left = formatCountdown(session.expiresAt, now);
	const time = utc ? formatAbsolute : formatLocal;
	// A dead token is said first: the session's own time left does not make it work.
	const mark = tokenMark(row, check, now);
	const dead = mark?.tone === 'expired' || mark?.tone === 'bad';
	if (expired) field('status', left, 'dim');
	else if (dead) field('status', `${mark.text}; the session expires in ${left}`, 'warning');
	else field('status', `active, expires in ${left}`);
	field('file', forScreen(entry.location));
	if (user) {
		field('user', `@${row.login} (GitHub id ${user.id}, github:${user.id})`);
		field('name', row.name || '—');
		field('email', forScreen(user.email) || '—');
		field('avatar', forScreen(user.avatarUrl) || '—');
	} else {
		field('user', 'none');
	}
	const dies = tokenExpiry(session, check);
	const tokenTime =
		dies === undefined ? '' : ` (expires ${time(dies)}, ${formatCountdown(dies, now)})`;
	field('token', `${maskToken(session.accessToken) || 'none'}${tokenTime}`);
	if (session.refreshToken !== undefined) {
		const renewBy = session.refreshTokenExpiresAt;
		const refreshExpiry = renewBy
			? ` (expires ${time(renewBy)}, ${formatCountdown(renewBy, now)})`
			: '';
		field('refresh', `${maskToken(session.refreshToken) || 'none'}${refreshExpiry}`);
	}
	// Only once asked: unasked, the details keep to what the file holds (and fit where they did).
	if (check !== undefined) {
		const said = githubLine(check, now);
		field('github', said.text, said.tone);
	}
	if (check?.phase === 'done' && check.storedLogin !== undefined) {
		field(
			'warning',
			`GitHub says this token is @${forScreen(check.login)}'s, the session says @${forScreen(check.storedLogin)}`,
			'warning',
		);
	}
	if (check?.phase === 'done' && check.scopes !== undefined) {
		field('scopes', check.scopes.map(forScreen).join(', ') || '(none)');
	}
	if (session.githubHost !== undefined || session.clientId !== undefined) {
		field(
			'issuer',
			`${forScreen(session.githubHost ?? '?')} · app ${forScreen(session.clientId ?? '?')}`,
		);
	}
	field('created', `${time(session.createdAt)} (${formatRelative(session.createdAt, now)})`);
	field('expires', `${time(session.expiresAt)} (${expired ? left : `in ${left}`})`);
	return lines;
}
