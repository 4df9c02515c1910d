// `list`: every session in the store, as a table like the inspector's screen or, with --json,
// as one JSON array. Tokens are masked unless --show-token; every stored field is escaped.
import {formatCountdown, formatRelative} from '../format/duration.js';
import {escapeControl} from '../format/escape.js';
import {maskToken} from '../format/mask-token.js';
import type {EntryStatus} from '../format/status.js';
import type {ListableStore, ListEntry} from '../session/store.js';
import {errorMessage, type Output, plural} from './output.js';

export type ListCommandOptions = {
	readonly store: ListableStore;
	/** Where the sessions are, as shown to the user. */
	readonly location: string;
	readonly json: boolean;
	readonly showToken: boolean;
	/** What to say when there are no sessions: how to log in. */
	readonly emptyHint: string;
	readonly output: Output;
	/** The clock; read once, so every row is judged at the same instant. */
	readonly now?: () => number;
};

/** One element of `list --json`. */
export type JsonEntry = {
	id: string;
	status: EntryStatus;
	user: {id: number; login: string; name: string; email: string; avatar_url: string} | null;
	created_at: string | null;
	expires_at: string | null;
	/** Negative once expired. */
	expires_in_ms: number | null;
	/** Masked (`gho_••••••••`) unless --show-token; '' when the session has none. */
	token: string | null;
	/** Where it is stored: the file's path or the Redis key. */
	location: string;
	/** Unreadable entries: why it is not a session. */
	error?: string;
};

/** Soonest expiry first (expired ones, longest gone, at the top), unreadable last, then by id. */
function compareEntries(a: ListEntry, b: ListEntry): number {
	if (a.kind !== b.kind) return a.kind === 'unreadable' ? 1 : -1;
	if (a.kind === 'session' && b.kind === 'session') {
		const delta = a.session.expiresAt.getTime() - b.session.expiresAt.getTime();
		if (delta !== 0) return delta;
	}

	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function toJsonEntry(entry: ListEntry, now: number, showToken: boolean): JsonEntry {
	if (entry.kind === 'unreadable') {
		return {
			id: entry.id,
			status: 'unreadable',
			user: null,
			created_at: null,
			expires_at: null,
			expires_in_ms: null,
			token: null,
			location: entry.location,
			error: entry.reason,
		};
	}

	const {session} = entry;
	const u = session.user;
	const expiresAt = session.expiresAt.getTime();
	return {
		id: entry.id,
		status: now > expiresAt ? 'expired' : 'active',
		user: u
			? {id: u.id, login: u.login, name: u.name, email: u.email, avatar_url: u.avatarUrl}
			: null,
		created_at: session.createdAt.toISOString(),
		expires_at: session.expiresAt.toISOString(),
		expires_in_ms: expiresAt - now,
		token: showToken ? session.accessToken : maskToken(session.accessToken),
		location: entry.location,
	};
}

// JSON.stringify escapes C0 controls, but leaves DEL, the C1 controls (a lone U+009B is a CSI
// on some terminals) and bidi overrides raw; `list --json` printed to a terminal must be as safe
// as the table, so they become \u escapes too (JSON.parse reads them back unchanged).
const jsonUnsafe = /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function renderJson(entries: readonly ListEntry[], now: number, showToken: boolean): string {
	if (entries.length === 0) return '[]\n';
	// One element per line: easy to grep, and as cheap as a single JSON.stringify.
	const lines = new Array<string>(entries.length);
	for (let i = 0; i < entries.length; i++) {
		lines[i] = JSON.stringify(toJsonEntry(entries[i] as ListEntry, now, showToken));
	}

	const text = `[\n${lines.join(',\n')}\n]\n`;
	return text.replace(jsonUnsafe, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// Wide enough for generated ids (43 characters) and most names; a longer value pushes its own
// row out rather than widening every row.
const MAX_ID_WIDTH = 44;
const MAX_USER_WIDTH = 40;

function userText(entry: ListEntry): string {
	if (entry.kind === 'unreadable') return '-';
	const u = entry.session.user;
	if (!u) return '(no user)';
	const login = u.login ? `@${escapeControl(u.login)}` : `(user ${u.id})`;
	return u.name ? `${login}  ${escapeControl(u.name)}` : login;
}

/** The table: a summary line, a header, one row per entry, and a hint when there is something to clean up. */
export function renderTable(entries: readonly ListEntry[], now: number, location: string): string {
	let active = 0;
	let expired = 0;
	let unreadable = 0;
	const rows: string[][] = [];
	for (const entry of entries) {
		const id = escapeControl(entry.id);
		if (entry.kind === 'unreadable') {
			unreadable++;
			rows.push([id, '-', '-', '-', `unreadable: ${escapeControl(entry.reason)}`]);
			continue;
		}

		const {session} = entry;
		const isExpired = now > session.expiresAt.getTime();
		if (isExpired) expired++;
		else active++;
		rows.push([
			id,
			userText(entry),
			formatRelative(session.createdAt, now),
			formatCountdown(session.expiresAt, now),
			isExpired ? 'expired' : 'active',
		]);
	}

	const header = ['ID', 'USER', 'CREATED', 'EXPIRES IN', 'STATUS'];
	const caps = [MAX_ID_WIDTH, MAX_USER_WIDTH, 12, 18, Number.POSITIVE_INFINITY];
	const widths = header.map((title) => title.length);
	for (const row of rows) {
		for (let i = 0; i < row.length; i++) {
			const length = (row[i] ?? '').length;
			if (length > (widths[i] ?? 0)) widths[i] = Math.min(length, caps[i] ?? 0);
		}
	}

	const line = (cells: readonly string[]) =>
		cells
			.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
			.join('  ')
			.trimEnd();

	const summary = [`${active} active`, `${expired} expired`];
	if (unreadable > 0) summary.push(`${unreadable} unreadable`);
	const parts = [
		`${plural(entries.length, 'session')} in ${location}: ${summary.join(' · ')}`,
		'',
		line(header),
	];
	for (const row of rows) parts.push(line(row));
	if (expired > 0) {
		parts.push(
			'',
			`remove the expired ${expired === 1 ? 'one' : 'ones'} with: stacktower-sessions cleanup`,
		);
	}

	return `${parts.join('\n')}\n`;
}

export async function listCommand(options: ListCommandOptions): Promise<number> {
	const {output, location} = options;
	let entries: ListEntry[];
	try {
		entries = await options.store.list();
	} catch (error) {
		output.err(
			`stacktower-sessions: cannot list the sessions in ${location}: ${errorMessage(error)}\n`,
		);
		return 1;
	}

	const now = (options.now ?? Date.now)();
	entries.sort(compareEntries);
	if (options.json) {
		output.out(renderJson(entries, now, options.showToken));
	} else if (entries.length === 0) {
		output.out(`no sessions in ${location}\n${options.emptyHint}\n`);
	} else {
		output.out(renderTable(entries, now, location));
	}

	return 0;
}
