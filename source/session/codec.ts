// The on-disk format is the Go one: encoding/json field names, MarshalIndent with two spaces,
// times as RFC 3339. Both tools share one directory, so what we write Go must read and back.
import {CorruptError} from './errors.js';
import {isValidId} from './ids.js';
import type {GitHubUser, Session} from './session.js';

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
	if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
	return DAYS_IN_MONTH[month - 1] ?? 0;
}

/** The two-digit number at text[at], or -1 unless both characters are digits. */
function twoDigits(text: string, at: number): number {
	const tens = text.charCodeAt(at) - 48;
	const ones = text.charCodeAt(at + 1) - 48;
	return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

/** Go's zero time.Time, 0001-01-01T00:00:00Z, which Go writes for an unset created_at. */
export const GO_ZERO_TIME_MS = -62_135_596_800_000;

// Character codes the parser compares with.
const DASH = 45;
const COLON = 58;
const DOT = 46;
const PLUS = 43;

/**
 * Parses an RFC 3339 timestamp as Go's time.Time.UnmarshalJSON accepts it: `Z` or `±hh:mm`,
 * and any number of fractional digits (RFC 3339's `1*DIGIT`; Go reads them all). The result
 * has millisecond precision: further digits are truncated, which never moves a time across a
 * millisecond boundary. Returns undefined for anything Go would refuse, impossible dates
 * (Feb 30, 24:00, offset +24:00) included.
 *
 * Hand-written rather than a regular expression: list() decodes two times per file, and for
 * 100,000 files (issue 6) a character scan is several times faster. Character codes rather
 * than one-character strings: about twice as fast again before the JIT has optimised it.
 */
export function parseRfc3339(text: string): Date | undefined {
	if (typeof text !== 'string' || text.length < 20) return undefined;
	const t = text.charCodeAt(10);
	if (
		text.charCodeAt(4) !== DASH ||
		text.charCodeAt(7) !== DASH ||
		(t !== 84 && t !== 116) || // T or t
		text.charCodeAt(13) !== COLON ||
		text.charCodeAt(16) !== COLON
	) {
		return undefined;
	}

	const century = twoDigits(text, 0);
	const yy = twoDigits(text, 2);
	const month = twoDigits(text, 5);
	const day = twoDigits(text, 8);
	const hour = twoDigits(text, 11);
	const minute = twoDigits(text, 14);
	const second = twoDigits(text, 17);
	if (century < 0 || yy < 0) return undefined;
	const year = century * 100 + yy;
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
	if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
		return undefined;
	}

	let i = 19;
	let ms = 0;
	if (text.charCodeAt(i) === DOT) {
		const start = ++i;
		for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) {
			if (i < start + 3) ms = ms * 10 + (c - 48);
		}

		if (i === start) return undefined;
		for (let k = i; k < start + 3; k++) ms *= 10;
	}

	let offsetMinutes = 0;
	const rest = text.length - i;
	if (rest === 1) {
		const z = text.charCodeAt(i);
		if (z !== 90 && z !== 122) return undefined; // Z or z
	} else if (rest === 6) {
		const sign = text.charCodeAt(i);
		if ((sign !== PLUS && sign !== DASH) || text.charCodeAt(i + 3) !== COLON) return undefined;
		const offsetHours = twoDigits(text, i + 1);
		const offsetMins = twoDigits(text, i + 4);
		if (offsetHours < 0 || offsetHours > 23 || offsetMins < 0 || offsetMins > 59) return undefined;
		offsetMinutes = (sign === DASH ? -1 : 1) * (offsetHours * 60 + offsetMins);
	} else {
		return undefined;
	}

	let time: number;
	if (year >= 100) {
		time = Date.UTC(year, month - 1, day, hour, minute, second, ms);
	} else {
		// Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear takes the year as given.
		const date = new Date(0);
		date.setUTCFullYear(year, month - 1, day);
		date.setUTCHours(hour, minute, second, ms);
		time = date.getTime();
	}

	return new Date(time - offsetMinutes * 60_000);
}

/**
 * RFC 3339 in UTC as Go writes it: fractional seconds only when non-zero, trailing zeros cut.
 * A RangeError for an invalid Date or a year outside 0–9999, which Go's MarshalJSON refuses
 * too (a file with `+010000-…` would be unreadable by both tools).
 */
export function formatRfc3339(date: Date): string {
	const year = date.getUTCFullYear();
	if (Number.isNaN(year)) throw new RangeError('Expected a valid Date, got an invalid one');
	if (year < 0 || year > 9999) {
		throw new RangeError(`Expected a year within 0–9999 (as Go requires), got ${year}`);
	}

	// Built from the fields rather than by editing toISOString(): about twice as fast, and this
	// runs twice per session written (bench/redis-throughput.mjs).
	const ms = date.getUTCMilliseconds();
	let frac = '';
	if (ms !== 0) {
		frac =
			ms % 100 === 0
				? `.${ms / 100}`
				: ms % 10 === 0
					? `.${pad2(ms / 10)}`
					: `.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}`;
	}

	const y = year >= 1000 ? String(year) : String(year).padStart(4, '0');
	return `${y}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}T${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}${frac}Z`;
}

function pad2(n: number): string {
	return n < 10 ? `0${n}` : String(n);
}

type Wire = {
	id: string;
	access_token: string;
	user: {id: number; login: string; name: string; avatar_url: string; email: string} | null;
	expires_at: string;
	created_at: string;
	// Extras beside Go's fields, after them, each only when known (Go ignores them on read).
	token_expires_at?: string;
	refresh_token?: string;
	refresh_token_expires_at?: string;
	client_id?: string;
	github_host?: string;
};

/** The Go-format JSON object for a session (field order as Go's struct, then the extras). */
export function toWire(session: Session): Wire {
	const u = session.user;
	const wire: Wire = {
		id: session.id,
		access_token: session.accessToken,
		user: u
			? {id: u.id, login: u.login, name: u.name, avatar_url: u.avatarUrl, email: u.email}
			: null,
		expires_at: formatRfc3339(session.expiresAt),
		created_at: formatRfc3339(session.createdAt),
	};
	if (session.tokenExpiresAt !== undefined) {
		wire.token_expires_at = formatRfc3339(session.tokenExpiresAt);
	}

	if (session.refreshToken !== undefined) wire.refresh_token = session.refreshToken;
	if (session.refreshTokenExpiresAt !== undefined) {
		wire.refresh_token_expires_at = formatRfc3339(session.refreshTokenExpiresAt);
	}

	if (session.clientId !== undefined) wire.client_id = session.clientId;
	if (session.githubHost !== undefined) wire.github_host = session.githubHost;
	return wire;
}

/** The extras as `,\n  "key": value` lines for encodeSession's fast path; '' for none. */
function extraLines(session: Session): string {
	let lines = '';
	if (session.tokenExpiresAt !== undefined) {
		lines += `,\n  "token_expires_at": "${formatRfc3339(session.tokenExpiresAt)}"`;
	}

	if (session.refreshToken !== undefined) {
		lines += `,\n  "refresh_token": ${goString(session.refreshToken)}`;
	}

	if (session.refreshTokenExpiresAt !== undefined) {
		lines += `,\n  "refresh_token_expires_at": "${formatRfc3339(session.refreshTokenExpiresAt)}"`;
	}

	if (session.clientId !== undefined) lines += `,\n  "client_id": ${goString(session.clientId)}`;
	if (session.githubHost !== undefined) {
		lines += `,\n  "github_host": ${goString(session.githubHost)}`;
	}

	return lines;
}

// Go's encoder escapes these for HTML safety by default; doing the same keeps files byte-equal.
const goEscapes: Record<string, string> = {
	'<': '\\u003c',
	'>': '\\u003e',
	'&': '\\u0026',
	'\u2028': '\\u2028',
	'\u2029': '\\u2029',
};

const goEscaped = /[<>&\u2028\u2029]/;

// Printable ASCII but `" \ < > &`: nothing JSON or Go would escape, so the literal is the
// string in quotes.
const plainString = /^[ !#-%'-;=?-[\]-~]*$/;

/** A JSON string literal as Go writes it. */
function goString(value: string): string {
	if (plainString.test(value)) return `"${value}"`;
	const json = JSON.stringify(value);
	return goEscaped.test(json) ? json.replace(/[<>&\u2028\u2029]/g, (c) => goEscapes[c] ?? c) : json;
}

/** Serialises as Go's json.MarshalIndent(s, "", "  ") does. */
export function encodeSession(session: Session): string {
	const u = session.user;
	// Written out by hand: about twice as fast as JSON.stringify(toWire(session), null, 2), and
	// the same bytes. Anything unusual (a field missing or of another type, which
	// JSON.stringify would drop or write differently) takes the general path.
	if (
		typeof session.id !== 'string' ||
		typeof session.accessToken !== 'string' ||
		(session.refreshToken !== undefined && typeof session.refreshToken !== 'string') ||
		(session.clientId !== undefined && typeof session.clientId !== 'string') ||
		(session.githubHost !== undefined && typeof session.githubHost !== 'string') ||
		(u !== null &&
			(typeof u !== 'object' ||
				!Number.isSafeInteger(u.id) ||
				typeof u.login !== 'string' ||
				typeof u.name !== 'string' ||
				typeof u.avatarUrl !== 'string' ||
				typeof u.email !== 'string'))
	) {
		return JSON.stringify(toWire(session), null, 2).replace(
			/[<>&\u2028\u2029]/g,
			(c) => goEscapes[c] ?? c,
		);
	}

	const user = u
		? `{\n    "id": ${u.id},\n    "login": ${goString(u.login)},\n    "name": ${goString(u.name)},\n    "avatar_url": ${goString(u.avatarUrl)},\n    "email": ${goString(u.email)}\n  }`
		: 'null';
	return `{\n  "id": ${goString(session.id)},\n  "access_token": ${goString(session.accessToken)},\n  "user": ${user},\n  "expires_at": "${formatRfc3339(session.expiresAt)}",\n  "created_at": "${formatRfc3339(session.createdAt)}"${extraLines(session)}\n}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// The decoders take the field's value rather than the object and a key: a read by a constant
// name is a fast property load, a read by a key passed in is not (list() decodes every file).

function optionalString(v: unknown, key: string, where: string): string {
	if (typeof v === 'string') return v;
	if (v === undefined || v === null) return '';
	throw new CorruptError(where, `user.${key} is not a string`);
}

function decodeUser(value: unknown, where: string): GitHubUser | null {
	if (value === undefined || value === null) return null;
	if (!isObject(value)) throw new CorruptError(where, 'user is not an object or null');
	const id = value.id ?? 0;
	// Go's int64: an integer; JSON numbers beyond 2^53 would lose precision, so refuse them.
	if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
		throw new CorruptError(where, 'user.id is not an integer');
	}

	return {
		id,
		login: optionalString(value.login, 'login', where),
		name: optionalString(value.name, 'name', where),
		avatarUrl: optionalString(value.avatar_url, 'avatar_url', where),
		email: optionalString(value.email, 'email', where),
	};
}

function decodeTime(v: unknown, key: string, where: string, required: boolean): Date {
	if (v === undefined || v === null) {
		if (required) throw new CorruptError(where, `${key} is missing`);
		return new Date(GO_ZERO_TIME_MS);
	}

	if (typeof v !== 'string') throw new CorruptError(where, `${key} is not a string`);
	const date = parseRfc3339(v);
	if (!date || Number.isNaN(date.getTime())) {
		throw new CorruptError(where, `${key} is not an RFC 3339 time`);
	}

	return date;
}

/**
 * Reads a session from Go-format JSON. Unknown fields are ignored, as Go does; anything that
 * is not a session is a CorruptError whose reason never quotes the input.
 * `where` names the source (a path or key) in the error message.
 */
export function decodeSession(text: string, where = 'session'): Session {
	return decodeStored(text, where, undefined);
}

/**
 * decodeSession for a store that knows the id it keeps the session under and has checked it
 * with isValidId (a FileStore's file name): an id field equal to `validId` is not matched
 * against the id pattern again (issue 6: a regular expression less per file listed, -4 ms
 * of `list --json` at 10,000). Any other id field is checked as decodeSession checks it.
 */
export function decodeStored(text: string, where: string, validId: string | undefined): Session {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		// JSON.parse's own message can quote the input ("Unexpected token 'g', "gho_…"), so drop it.
		throw new CorruptError(where, text.trim() === '' ? 'the file is empty' : 'not valid JSON');
	}

	return decodeParsed(parsed, where, validId);
}

/** As decodeStored, for an already parsed value. */
export function decodeParsed(parsed: unknown, where = 'session', validId?: string): Session {
	if (!isObject(parsed)) throw new CorruptError(where, 'not a JSON object');
	const {id} = parsed;
	if (id === undefined || id === null) throw new CorruptError(where, 'id is missing');
	if (typeof id !== 'string') throw new CorruptError(where, 'id is not a string');
	if (id !== validId && !isValidId(id)) {
		throw new CorruptError(where, 'id is not a valid session id');
	}

	const token = parsed.access_token ?? '';
	if (typeof token !== 'string') throw new CorruptError(where, 'access_token is not a string');
	const session: {-readonly [K in keyof Session]: Session[K]} = {
		id,
		accessToken: token,
		user: decodeUser(parsed.user, where),
		expiresAt: decodeTime(parsed.expires_at, 'expires_at', where, true),
		createdAt: decodeTime(parsed.created_at, 'created_at', where, false),
	};
	// The extras: absent (or null) leaves the property out, so a Go-written session decodes to
	// exactly the five fields it has.
	const {
		token_expires_at: tokenExpiresAt,
		refresh_token: refreshToken,
		refresh_token_expires_at: refreshTokenExpiresAt,
		client_id: clientId,
		github_host: githubHost,
	} = parsed;
	if (tokenExpiresAt != null) {
		session.tokenExpiresAt = decodeTime(tokenExpiresAt, 'token_expires_at', where, true);
	}

	if (refreshToken != null)
		session.refreshToken = extraString(refreshToken, 'refresh_token', where);
	if (refreshTokenExpiresAt != null) {
		session.refreshTokenExpiresAt = decodeTime(
			refreshTokenExpiresAt,
			'refresh_token_expires_at',
			where,
			true,
		);
	}

	if (clientId != null) session.clientId = extraString(clientId, 'client_id', where);
	if (githubHost != null) session.githubHost = extraString(githubHost, 'github_host', where);
	return session;
}

function extraString(v: unknown, key: string, where: string): string {
	if (typeof v === 'string') return v;
	throw new CorruptError(where, `${key} is not a string`);
}
