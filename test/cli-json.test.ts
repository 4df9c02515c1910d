// `list --json` writes its JSON by hand for speed; these properties hold it to what
// JSON.stringify and toISOString would give, for any stored text and any time.
import {serialize} from 'node:v8';
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {isoString} from '../source/commands/iso-time.js';
import {type JsonEntry, jsonEntry, listCommand, writeJson} from '../source/commands/list.js';
import {FileStore} from '../source/session/file-store/file-store.js';
import {MemoryStore} from '../source/session/memory-store.js';
import type {Session} from '../source/session/session.js';
import type {ListableStore, ListEntry} from '../source/session/store.js';
import {makeSession, makeSessionDir} from './helpers/session-dir.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');

// Raw control characters a terminal would act on: C0 but newline, DEL, C1, bidi controls.
const rawControl =
	// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for raw control characters
	/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

function entry(session: Session): ListEntry {
	return {kind: 'session', id: session.id, session, location: `/tmp/${session.id}.json`};
}

function session(text: string, token: string, expiresAt: number, createdAt: number): Session {
	return {
		id: 'abc',
		accessToken: token,
		user: {id: 42, login: text, name: `${text}!`, avatarUrl: text, email: text},
		createdAt: new Date(createdAt),
		expiresAt: new Date(expiresAt),
	};
}

describe('isoString', () => {
	test('is toISOString for any time a Date can hold', () => {
		fc.assert(
			fc.property(fc.integer({min: -8.64e15, max: 8.64e15}), (ms) => {
				expect(isoString(ms)).toBe(new Date(ms).toISOString());
			}),
			{numRuns: 5000},
		);
		// Years 1970–9999, which take the fast path (the range above holds few of them).
		fc.assert(
			fc.property(fc.integer({min: 0, max: 253_402_300_799_999}), (ms) => {
				expect(isoString(ms)).toBe(new Date(ms).toISOString());
			}),
			{numRuns: 5000},
		);
		for (const ms of [0, 951_782_400_000, 4_107_542_400_000, 253_402_300_799_999, -1]) {
			expect(isoString(ms)).toBe(new Date(ms).toISOString());
		}
	});
});

// JSON's own escapes, C0 and C1 controls, DEL, bidi overrides, line separators, a lone surrogate.
const needsEscaping = [
	'"',
	'\\',
	'\u0000',
	'\u001b',
	'\u007f',
	'\u0085',
	'\u009b',
	'\u200e',
	'\u202e',
	'\u2028',
	'\u2066',
	'\ud800',
];
const storedCharacter = fc.oneof(
	fc.constantFrom(...needsEscaping),
	fc.string({unit: 'binary', minLength: 1, maxLength: 1}),
);

describe('jsonEntry', () => {
	test('reads back as the stored text, with no raw control character in it', () => {
		fc.assert(
			fc.property(
				// Any text, with the characters that need escaping (for JSON or for a terminal)
				// common enough to meet in every run.
				fc.string({unit: storedCharacter, maxLength: 40}),
				fc.integer({min: 0, max: 4e12}),
				fc.integer({min: 0, max: 4e12}),
				(text, expiresAt, createdAt) => {
					const line = jsonEntry(entry(session(text, 'gho_x', expiresAt, createdAt)), NOW, false);
					expect(line).not.toMatch(rawControl);
					const parsed = JSON.parse(line) as JsonEntry;
					expect(parsed.user).toEqual({
						id: 42,
						login: text,
						name: `${text}!`,
						email: text,
						avatar_url: text,
					});
					expect(parsed.created_at).toBe(new Date(createdAt).toISOString());
					expect(parsed.expires_at).toBe(new Date(expiresAt).toISOString());
					expect(parsed.expires_in_ms).toBe(expiresAt - NOW);
					expect(parsed.status).toBe(NOW > expiresAt ? 'expired' : 'active');

					const whole = jsonEntry(entry(session('x', text, expiresAt, createdAt)), NOW, true);
					expect(whole).not.toMatch(rawControl);
					expect((JSON.parse(whole) as JsonEntry).token).toBe(text);
				},
			),
			{numRuns: 2000},
		);
	});

	test('masks the token, keeping a known prefix, unless asked for the whole token', () => {
		const s = session('octocat', 'gho_SECRETsecret123', NOW + 1000, NOW - 1000);
		const masked = jsonEntry(entry(s), NOW, false);
		expect(masked).not.toContain('SECRET');
		// The bullets are written as \u escapes: the output stays ASCII.
		expect(masked).toMatch(/^[\x20-\x7e]*$/);
		expect((JSON.parse(masked) as JsonEntry).token).toBe('gho_••••••••');
		expect((JSON.parse(jsonEntry(entry(s), NOW, true)) as JsonEntry).token).toBe(
			'gho_SECRETsecret123',
		);
		const empty = session('octocat', '', NOW + 1000, NOW - 1000);
		expect((JSON.parse(jsonEntry(entry(empty), NOW, false)) as JsonEntry).token).toBe('');
	});

	test('a GitHub App session: token expiries, and the refresh token masked like the token', () => {
		const s = {
			...session('octocat', 'ghu_SECRETaccess123', NOW + 1000, NOW - 1000),
			tokenExpiresAt: new Date(NOW + 8 * 3_600_000),
			refreshToken: 'ghr_SECRETrefresh456',
			refreshTokenExpiresAt: new Date(NOW + 180 * 86_400_000),
		};
		const masked = jsonEntry(entry(s), NOW, false);
		expect(masked).not.toContain('SECRET');
		expect(masked).toMatch(/^[\x20-\x7e]*$/);
		expect(JSON.parse(masked)).toMatchObject({
			token_expires_at: new Date(NOW + 8 * 3_600_000).toISOString(),
			refresh_token_expires_at: new Date(NOW + 180 * 86_400_000).toISOString(),
			refresh_token: 'ghr_••••••••',
			token: 'ghu_••••••••',
		});
		expect(JSON.parse(jsonEntry(entry(s), NOW, true))).toMatchObject({
			refresh_token: 'ghr_SECRETrefresh456',
			token: 'ghu_SECRETaccess123',
		});
		const plain = JSON.parse(jsonEntry(entry(session('x', 'gho_y', NOW, NOW)), NOW, false));
		expect(plain).toMatchObject({
			token_expires_at: null,
			refresh_token_expires_at: null,
			refresh_token: null,
			token: 'gho_••••••••',
		});
	});

	test('an unreadable entry has its reason and nulls', () => {
		const line = jsonEntry(
			{kind: 'unreadable', id: 'bad\u001B[2J', reason: 'not valid JSON', location: '/x'},
			NOW,
			false,
		);
		expect(line).not.toMatch(rawControl);
		expect(JSON.parse(line)).toEqual({
			id: 'bad\u001B[2J',
			status: 'unreadable',
			user: null,
			created_at: null,
			expires_at: null,
			expires_in_ms: null,
			token_expires_at: null,
			refresh_token_expires_at: null,
			refresh_token: null,
			token: null,
			error: 'not valid JSON',
		});
	});
});

describe('writeJson', () => {
	test('writes one array however the output is split into writes', () => {
		const entries = Array.from({length: 5000}, (_, i) =>
			entry({...session(`user${i}`, `gho_${i}`, NOW + i, NOW - i), id: `id${i}`}),
		);
		const writes: string[] = [];
		writeJson(entries, NOW, false, (text) => writes.push(text));
		const parsed = JSON.parse(writes.join('')) as JsonEntry[];
		expect(parsed).toHaveLength(5000);
		expect(parsed[4999]?.id).toBe('id4999');

		const none: string[] = [];
		writeJson([], NOW, false, (text) => none.push(text));
		expect(none.join('')).toBe('[]\n');
	});

	test('writes ASCII sessions as one-byte strings, masked tokens and all', () => {
		// A two-byte string takes twice the memory and longer to write. V8's
		// serialiser tags a string by how it is stored: '"' one byte per character, 'c' two.
		const storage = (text: string) => String.fromCharCode(serialize(text)[2] ?? 0);
		expect([storage('gho_'), storage('gho_•')]).toEqual(['"', 'c']);
		const tokens = ['gho_abc', 'github_pat_abc', 'no-known-prefix', ''];
		const entries = Array.from({length: 2000}, (_, i) =>
			entry({...session(`user${i}`, tokens[i % 4] ?? '', NOW + i, NOW - i), id: `id${i}`}),
		);
		const writes: string[] = [];
		writeJson(entries, NOW, false, (text) => writes.push(text));
		expect(writes.length).toBeGreaterThan(1);
		expect(writes.map(storage)).toEqual(writes.map(() => '"'));
		expect((JSON.parse(writes.join('')) as JsonEntry[]).map((e) => e.token).slice(0, 4)).toEqual([
			'gho_••••••••',
			'github_pat_••••••••',
			'••••••••',
			'',
		]);
	});
});

describe('listCommand --json', () => {
	/** Runs `list --json` on the store into a sink that is full after every write. */
	async function listJson(store: ListableStore) {
		const writes: string[] = [];
		let drains = 0;
		const code = await listCommand({
			store,
			location: 'test',
			json: true,
			showToken: false,
			emptyHint: () => '',
			now: () => NOW,
			output: {
				out: (text) => {
					writes.push(text);
					return false;
				},
				drain: async () => {
					drains++;
				},
				err: (text) => {
					throw new Error(`unexpected error output: ${text}`);
				},
			},
		});
		expect(code).toBe(0);
		const parsed = JSON.parse(writes.join('')) as JsonEntry[];
		return {parsed: parsed.sort((a, b) => (a.id < b.id ? -1 : 1)), writes: writes.length, drains};
	}

	test('streams a FileStore entry by entry, the same JSON as a listed store, waiting when full', async () => {
		const sessions = Array.from({length: 4000}, (_, i) =>
			makeSession(`s${String(i).padStart(4, '0')}`, (i % 3) - 1 === 0 ? -1000 : 3_600_000),
		);
		const file = new FileStore(makeSessionDir({fixtures: false, sessions}));
		const memory = new MemoryStore();
		for (const session of sessions) await memory.set(session);
		expect(file.each).toBeTypeOf('function');
		expect((memory as ListableStore).each).toBeUndefined();

		const streamed = await listJson(file);
		const listed = await listJson(memory);
		expect(streamed.parsed).toHaveLength(4000);
		expect(streamed.parsed).toEqual(listed.parsed);
		// Over 1 MiB of JSON: several writes, and a wait for each full one.
		expect(streamed.writes).toBeGreaterThan(1);
		expect(streamed.drains).toBe(streamed.writes - 1);
	});
});
