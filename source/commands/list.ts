// `list`: every session in the store, as a table like the inspector's screen (list-table.ts)
// or, with --json, as one JSON array. Tokens are masked unless --show-token; every stored field
// is escaped.
import {UNSAFE_CHARACTER} from '../format/escape.js';
import {keptPrefix, maskToken} from '../format/mask-token.js';
import {sortByNumber} from '../format/sort.js';
import type {EntryStatus} from '../format/status.js';
import type {Session} from '../session/session.js';
import type {ListableStore, ListEntry} from '../session/store.js';
import {isoString} from './iso-time.js';
import {renderTable, type TableOptions} from './list-table.js';
import {errorMessage, type Output} from './output.js';

export type ListCommandOptions = {
	readonly store: ListableStore;
	/** Where the sessions are, as shown to the user. */
	readonly location: string;
	readonly json: boolean;
	readonly showToken: boolean;
	/** What to say when there are no sessions (how to log in); asked only then. */
	readonly emptyHint: () => string;
	/** How the table is drawn: the terminal's width, colour, the cleanup command to suggest. */
	readonly table?: TableOptions;
	readonly output: Output;
	/** The clock; read once, so every row is judged at the same instant. */
	readonly now?: () => number;
};

/** One element of `list --json` (documents the shape; renderJson writes it directly). */
export type JsonEntry = {
	id: string;
	status: EntryStatus;
	user: {id: number; login: string; name: string; email: string; avatar_url: string} | null;
	created_at: string | null;
	expires_at: string | null;
	/** Negative once expired. */
	expires_in_ms: number | null;
	/** When the access token itself expires (a GitHub App's token); null when not known. */
	token_expires_at: string | null;
	refresh_token_expires_at: string | null;
	/** Masked (`ghr_••••••••`) unless --show-token; null when the session has none. */
	refresh_token: string | null;
	/** Masked (`gho_••••••••`) unless --show-token; '' when the session has none. */
	token: string | null;
	/** `expired` when the stored token_expires_at has passed; absent otherwise. */
	token_status?: 'expired';
	/** Unreadable entries: why it is not a session. */
	error?: string;
};

/** Soonest expiry first (expired ones, longest gone, at the top), unreadable last, then by id. */
function sortEntries(entries: ListEntry[]): ListEntry[] {
	return sortByNumber(entries, (entry) =>
		entry.kind === 'session' ? entry.session.expiresAt.getTime() : Number.POSITIVE_INFINITY,
	);
}

// JSON.stringify escapes C0 controls, but leaves DEL, the C1 controls (a lone U+009B is a CSI
// on some terminals), bidi overrides and invisible format characters raw; `list --json` printed
// to a terminal must be as safe as the table, so the characters the table escapes
// (UNSAFE_CHARACTER) become \u escapes too (JSON.parse reads them back unchanged).
const jsonUnsafe = UNSAFE_CHARACTER;
const jsonUnsafeAll = new RegExp(jsonUnsafe.source, 'gu');

/** A character as JSON `\uXXXX` escapes, a surrogate pair beyond U+FFFF (JSON.parse reads it back). */
const unicodeEscape = (c: string) => {
	let escaped = '';
	for (let i = 0; i < c.length; i++)
		escaped += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
	return escaped;
};

/** `json` with the characters JSON.stringify leaves raw that a terminal would act on escaped. */
export function terminalSafe(json: string): string {
	return json.replace(jsonUnsafeAll, unicodeEscape);
}

/** Whether any of the session's stored texts holds a character terminalSafe must escape. */
function needsEscapes(id: string, session: Session, showToken: boolean): boolean {
	const u = session.user;
	return (
		jsonUnsafe.test(id) ||
		(u !== null &&
			(jsonUnsafe.test(u.login) ||
				jsonUnsafe.test(u.name) ||
				jsonUnsafe.test(u.email) ||
				jsonUnsafe.test(u.avatarUrl))) ||
		(showToken &&
			(jsonUnsafe.test(session.accessToken) ||
				(session.refreshToken !== undefined && jsonUnsafe.test(session.refreshToken))))
	);
}

// The mask's bullets are the only non-ASCII characters in most listings, and one of them
// makes V8 build the whole output as a two-byte string: twice the memory, and slower to make
// and to write. As \u escapes they keep the text ASCII; JSON.parse reads the same bullets.
// Masks are a prefix and a fixed run of bullets: one per known prefix, so they are made once
// and looked up by the prefix (a string from a constant table, its hash already known).
const maskedCache = new Map<string | undefined, string>();

/** The masked token as a JSON string literal in ASCII, stored one byte per character. */
function maskedJson(token: string): string {
	const kept = keptPrefix(token);
	let json = maskedCache.get(kept);
	if (json === undefined) {
		const escaped = JSON.stringify(maskToken(token)).replace(/[^\x20-\x7e]/g, unicodeEscape);
		// replace() on a string that held a bullet returns a two-byte string, ASCII or not, and
		// one two-byte piece makes the whole chunk two-byte when it is flattened to be written,
		// which is slower to write (BENCHMARKS.md). latin1 copies it one-byte.
		json = Buffer.from(escaped, 'latin1').toString('latin1');
		maskedCache.set(kept, json);
	}

	return json;
}

/**
 * One entry as the JSON text of a JsonEntry. JSON.stringify of a small object per entry: V8
 * writes it straight into one flat string, faster at 100,000 sessions than building the text
 * by hand (a template literal makes a V8 cons string per part, which writing must flatten
 * again).
 */
export function jsonEntry(entry: ListEntry, now: number, showToken: boolean): string {
	if (entry.kind === 'unreadable') {
		return terminalSafe(
			JSON.stringify({
				id: entry.id,
				status: 'unreadable',
				user: null,
				created_at: null,
				expires_at: null,
				expires_in_ms: null,
				token_expires_at: null,
				refresh_token_expires_at: null,
				refresh_token: null,
				token: null,
				error: entry.reason,
			}),
		);
	}

	const {session} = entry;
	const u = session.user;
	const expiresAt = session.expiresAt.getTime();
	const refresh = session.refreshToken;
	const json = JSON.stringify({
		id: entry.id,
		status: now > expiresAt ? 'expired' : 'active',
		// u.id is a safe integer: the codec refuses anything else.
		user: u
			? {id: u.id, login: u.login, name: u.name, email: u.email, avatar_url: u.avatarUrl}
			: null,
		created_at: isoString(session.createdAt.getTime()),
		expires_at: isoString(expiresAt),
		expires_in_ms: expiresAt - now,
		token_expires_at: session.tokenExpiresAt ? isoString(session.tokenExpiresAt.getTime()) : null,
		// Only what the file says; whether GitHub still takes the token is `status`'s question.
		...(session.tokenExpiresAt !== undefined && now > session.tokenExpiresAt.getTime()
			? {token_status: 'expired'}
			: {}),
		refresh_token_expires_at: session.refreshTokenExpiresAt
			? isoString(session.refreshTokenExpiresAt.getTime())
			: null,
		// The two tokens last, so that masked ones can take the place of these 0s below.
		refresh_token: showToken ? (refresh ?? null) : refresh === undefined ? null : 0,
		token: showToken ? session.accessToken : 0,
	});
	// Testing the few stored texts is cheaper than scanning every line.
	const safe = needsEscapes(entry.id, session, showToken) ? terminalSafe(json) : json;
	if (showToken) return safe;
	if (refresh === undefined) return `${safe.slice(0, -2)}${maskedJson(session.accessToken)}}`;
	return `${safe.slice(0, -MASKED_TAIL.length)}${maskedJson(refresh)},"token":${maskedJson(session.accessToken)}}`;
}

/** How a masked entry with a refresh token ends before the masks are put in. */
const MASKED_TAIL = '0,"token":0}';

// Written in pieces of about this many characters, a Linux pipe's capacity: a write into
// `| jq` that fits returns at once, and the reader works on it on another core while the next
// files are read, where a 1 MiB write waits for the reader to drain it (measured in
// BENCHMARKS.md).
const CHUNK_CHARS = 1 << 16;

/**
 * A JSON array written one element per line (easy to grep, cheap to make) as entries arrive:
 * `add` each entry, then `end`. `add` returns a promise when the output is full and should be
 * waited for.
 */
export function jsonArrayWriter(
	now: number,
	showToken: boolean,
	write: (text: string) => unknown,
	drain?: () => Promise<void>,
) {
	let chunk = '[\n';
	let empty = true;
	return {
		add(entry: ListEntry): Promise<void> | undefined {
			if (!empty) chunk += ',\n';
			empty = false;
			chunk += jsonEntry(entry, now, showToken);
			if (chunk.length < CHUNK_CHARS) return undefined;
			// A pipe that is full queues what it cannot take yet (write returns false): without
			// waiting for it to drain, every chunk piles up in memory: the whole listing, at
			// 100,000 sessions over twice the memory.
			const flowing = write(chunk);
			chunk = '';
			return flowing === false && drain ? drain() : undefined;
		},
		end(): void {
			write(empty ? '[]\n' : `${chunk}\n]\n`);
		},
	};
}

/** Writes the entries as one JSON array, one element per line. */
export async function writeJson(
	entries: readonly ListEntry[],
	now: number,
	showToken: boolean,
	write: (text: string) => unknown,
	drain?: () => Promise<void>,
): Promise<void> {
	const writer = jsonArrayWriter(now, showToken, write, drain);
	for (const entry of entries) {
		// Awaited only when the output is full: otherwise this runs through in one go.
		const full = writer.add(entry);
		if (full) await full;
	}

	writer.end();
}

export async function listCommand(options: ListCommandOptions): Promise<number> {
	const {output, location, store} = options;
	const clock = options.now ?? Date.now;
	try {
		if (options.json && store.each) {
			// Streamed in the store's order: nothing is kept, so the work and the memory stay
			// per batch however large the store. Programs reading JSON sort as they
			// need (jq 'sort_by(.expires_at)').
			const writer = jsonArrayWriter(clock(), options.showToken, output.out, output.drain);
			await store.each({onEntry: (entry) => writer.add(entry)});
			writer.end();
			return 0;
		}

		const entries = await store.list();
		const now = clock();
		if (options.json) {
			await writeJson(entries, now, options.showToken, output.out, output.drain);
		} else if (entries.length === 0) {
			output.out(`no sessions in ${location}\n${options.emptyHint()}\n`);
		} else {
			output.out(renderTable(sortEntries(entries), now, location, options.table));
		}
	} catch (error) {
		output.err(
			`stacktower-sessions: cannot list the sessions in ${location}: ${errorMessage(error)}\n`,
		);
		return 1;
	}

	return 0;
}
