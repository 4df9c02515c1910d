// The table's rows as pure data: one Row per ListEntry, its times read once and its display
// strings and sort keys derived once on first use, so sorting, filtering and scrolling 100,000
// rows never re-derive them. Nothing here depends on `now`: what does (countdowns,
// status) is computed per frame for the visible rows only. Sorting and filtering are pure
// functions of (rows, key) and (rows, query).

import {sortByNumber} from '../format/sort.js';
import {forScreen} from '../format/width.js';
import type {ListEntry} from '../session/store.js';

export type SortKey = 'expiry' | 'created' | 'user' | 'id';

/** The order `s` cycles through. */
export const SORT_KEYS: readonly SortKey[] = ['expiry', 'created', 'user', 'id'];

export const SORT_LABELS: Readonly<Record<SortKey, string>> = {
	expiry: 'expiry (soonest first)',
	created: 'created (newest first)',
	user: 'user',
	id: 'id',
};

/** What a row shows, escaped for the terminal. */
export type Display = {
	/** The id, escaped. */
	readonly shownId: string;
	/** The login, escaped; '' when the session has no user. */
	readonly login: string;
	/** The user's name, escaped; '' when none. */
	readonly name: string;
	/** Why the entry is unreadable, escaped; '' for sessions. */
	readonly reason: string;
};

/**
 * One ListEntry as the table needs it. Only the times are computed up front: what a row shows,
 * its filter text and its sort keys are computed on first use and kept, so loading 100,000
 * entries allocates little and only the visible rows are ever escaped. Nothing here
 * depends on `now`.
 */
export class Row {
	/** The id as stored: what store.delete and login are called with. */
	readonly id: string;
	readonly entry: ListEntry;
	/** Expiry in ms since the epoch; NaN for unreadable entries. */
	readonly expiresAt: number;
	/** Creation in ms since the epoch; NaN for unreadable entries. */
	readonly createdAt: number;
	readonly unreadable: boolean;
	#display: Display | undefined;
	#haystack: string | undefined;
	#userKey: string | undefined;

	constructor(entry: ListEntry) {
		this.id = entry.id;
		this.entry = entry;
		this.unreadable = entry.kind === 'unreadable';
		this.expiresAt = entry.kind === 'session' ? entry.session.expiresAt.getTime() : Number.NaN;
		this.createdAt = entry.kind === 'session' ? entry.session.createdAt.getTime() : Number.NaN;
	}

	get display(): Display {
		if (!this.#display) {
			const {entry} = this;
			const user = entry.kind === 'session' ? entry.session.user : null;
			this.#display = {
				shownId: forScreen(entry.id),
				login: forScreen(user?.login ?? ''),
				name: forScreen(user?.name ?? ''),
				reason: entry.kind === 'unreadable' ? forScreen(entry.reason) : '',
			};
		}

		return this.#display;
	}

	get shownId(): string {
		return this.display.shownId;
	}

	get login(): string {
		return this.display.login;
	}

	get name(): string {
		return this.display.name;
	}

	get reason(): string {
		return this.display.reason;
	}

	/** Lower-cased id, login and name, newline-separated, for the filter. */
	get haystack(): string {
		if (this.#haystack === undefined) {
			const {entry} = this;
			const user = entry.kind === 'session' ? entry.session.user : null;
			this.#haystack = user
				? `${entry.id}\n${user.login}\n${user.name}`.toLowerCase()
				: entry.id.toLowerCase();
		}

		return this.#haystack;
	}

	/** Lower-cased login for the user sort; '' when none. */
	get userKey(): string {
		if (this.#userKey === undefined) {
			const {entry} = this;
			this.#userKey =
				entry.kind === 'session' ? (entry.session.user?.login ?? '').toLowerCase() : '';
		}

		return this.#userKey;
	}
}

/** How a row is named in questions and messages: `id (@login)`. */
export function rowLabel(row: Row): string {
	if (row.unreadable) return `${row.shownId} (unreadable)`;
	return row.login ? `${row.shownId} (@${row.login})` : `${row.shownId} (no user)`;
}

export function toRow(entry: ListEntry): Row {
	return new Row(entry);
}

/** True when two entries would show and sort the same (a rescan hands back fresh copies). */
export function sameEntry(a: ListEntry, b: ListEntry): boolean {
	if (a === b) return true;
	if (a.id !== b.id || a.location !== b.location) return false;
	if (a.kind === 'unreadable' || b.kind === 'unreadable') {
		return a.kind === 'unreadable' && b.kind === 'unreadable' && a.reason === b.reason;
	}

	const x = a.session;
	const y = b.session;
	if (
		x.accessToken !== y.accessToken ||
		x.expiresAt.getTime() !== y.expiresAt.getTime() ||
		x.createdAt.getTime() !== y.createdAt.getTime()
	) {
		return false;
	}

	if (x.user === null || y.user === null) return x.user === y.user;
	return (
		x.user.id === y.user.id &&
		x.user.login === y.user.login &&
		x.user.name === y.user.name &&
		x.user.email === y.user.email &&
		x.user.avatarUrl === y.user.avatarUrl
	);
}

/**
 * Rows for a fresh listing, reusing the previous Row object for every entry that did not change,
 * so memoised row components skip re-rendering and an unchanged rescan can be recognised.
 */
export function buildRows(entries: readonly ListEntry[], previous: readonly Row[] = []): Row[] {
	if (previous.length === 0) return entries.map(toRow);
	const rows: Row[] = new Array(entries.length);
	// A directory lists in the same order each time: compare position by position, and build
	// the id index only from the first entry that is not where it was.
	let i = 0;
	for (; i < entries.length; i++) {
		const entry = entries[i] as ListEntry;
		const old = previous[i];
		if (!old || old.id !== entry.id) break;
		rows[i] = sameEntry(old.entry, entry) ? old : toRow(entry);
	}

	if (i < entries.length) {
		const byId = new Map<string, Row>();
		for (const row of previous) byId.set(row.id, row);
		for (; i < entries.length; i++) {
			const entry = entries[i] as ListEntry;
			const old = byId.get(entry.id);
			rows[i] = old && sameEntry(old.entry, entry) ? old : toRow(entry);
		}
	}

	return rows;
}

function compareStrings(a: string, b: string): number {
	// Code-unit order, not localeCompare: deterministic, and quick enough for 100,000 rows.
	return a < b ? -1 : a > b ? 1 : 0;
}

function compareIds(a: Row, b: Row): number {
	return compareStrings(a.id, b.id);
}

/** Negative when `a` goes before `b`. */
export type Compare = (a: Row, b: Row) => number;

// Unreadable rows carry no times, so they go last (then by id). Expiry ascending: the
// long-expired first, then what expires soonest; it depends on the expiry time only, never on
// now, so a tick never re-sorts. Created: the newest first.
const numericKeys: Readonly<Record<'expiry' | 'created', (row: Row) => number>> = {
	expiry: (row) => (row.unreadable ? Number.POSITIVE_INFINITY : row.expiresAt),
	created: (row) => (row.unreadable ? Number.POSITIVE_INFINITY : -row.createdAt),
};

// The order sortByNumber sorts in: ascending by the key, NaN as +Infinity, ties by id.
function byNumber(key: (row: Row) => number): Compare {
	return (a, b) => {
		const x = key(a);
		const y = key(b);
		const p = Number.isNaN(x) ? Number.POSITIVE_INFINITY : x;
		const q = Number.isNaN(y) ? Number.POSITIVE_INFINITY : y;
		return p < q ? -1 : p > q ? 1 : compareIds(a, b);
	};
}

// Unreadable rows carry no user, so they go last (then by id).
function unreadableLast(compare: Compare): Compare {
	return (a, b) => {
		if (a.unreadable !== b.unreadable) return a.unreadable ? 1 : -1;
		if (a.unreadable) return compareIds(a, b);
		return compare(a, b) || compareIds(a, b);
	};
}

/**
 * Each sort key's order, total (ties broken by id): what sortRows sorts by, and what a batch of
 * changes is placed by (array-patch.ts), so both always agree.
 */
export const ROW_ORDER: Readonly<Record<SortKey, Compare>> = {
	expiry: byNumber(numericKeys.expiry),
	created: byNumber(numericKeys.created),
	// Sessions without a user after those with one.
	user: unreadableLast((a, b) => {
		const ak = a.userKey;
		const bk = b.userKey;
		if ((ak === '') !== (bk === '')) return ak === '' ? 1 : -1;
		return compareStrings(ak, bk);
	}),
	id: compareIds,
};

/**
 * A sorted copy in ROW_ORDER; ties are broken by id, so the order is total and stable across
 * rescans. By a number through sortByNumber's typed arrays: the same order, twice as fast at
 * 100,000 rows as the comparator.
 */
export function sortRows(rows: readonly Row[], sort: SortKey): Row[] {
	return sort === 'expiry' || sort === 'created'
		? sortByNumber(rows, numericKeys[sort])
		: [...rows].sort(ROW_ORDER[sort]);
}

/** Normalises what the user typed into the filter. */
export function normalizeQuery(query: string): string {
	return query.trim().toLowerCase();
}

/** Whether a row passes the filter `query`; null when every row does (an empty query). */
export function rowFilter(query: string): ((row: Row) => boolean) | null {
	const needle = normalizeQuery(query);
	return needle === '' ? null : (row) => row.haystack.includes(needle);
}

/**
 * The rows whose id, login or name contains the query, case-insensitively, in their order.
 * An empty query returns the same array.
 */
export function filterRows(rows: readonly Row[], query: string): readonly Row[] {
	const matches = rowFilter(query);
	return matches === null ? rows : rows.filter(matches);
}

export function nextSort(sort: SortKey): SortKey {
	const index = SORT_KEYS.indexOf(sort);
	return SORT_KEYS[(index + 1) % SORT_KEYS.length] ?? 'expiry';
}
