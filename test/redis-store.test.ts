// RedisStore and RedisStateStore against a real redis-server started for this file.
import {readFileSync} from 'node:fs';
import {createServer, type Server} from 'node:net';
import {createClient} from 'redis';
import {describe, expect, test} from 'vitest';
import {encodeSession} from '../source/session/codec.js';
import {
	CorruptError,
	ExpiredError,
	InvalidIdError,
	StoreUnavailableError,
} from '../source/session/errors.js';
import {
	assertRedisUrl,
	RedisStateStore,
	RedisStore,
	redactRedisUrl,
} from '../source/session/redis/index.js';
import {newSession, type Session} from '../source/session/session.js';
import type {ListEntry} from '../source/session/store.js';
import {BAD_IDS} from '../source/sessiontest/conformance.js';
import {
	freePort,
	type RawRedisClient,
	type RedisServer,
	redisServerAvailable,
	startRedisServer,
	useRedisServer,
	waitFor,
} from './helpers/redis-server.js';

const available = redisServerAvailable();
const fixtures = new URL('fixtures/go-written/', import.meta.url);

const octocat = {
	id: 583231,
	login: 'octocat',
	name: 'The Octocat',
	avatarUrl: 'https://avatars.githubusercontent.com/u/583231',
	email: 'octocat@github.com',
};

let prefixCount = 0;
/** A fresh key prefix per test, so tests never see each other's keys. */
function prefix(kind = 'session'): string {
	prefixCount++;
	return `test:${prefixCount}:${kind}:`;
}

function sessionWith(overrides: Partial<Session> = {}): Session {
	return {...newSession('gho_secret-token', octocat, 60 * 60 * 1000), ...overrides};
}

describe.skipIf(!available)('Redis stores', () => {
	let server: RedisServer;
	let raw: RawRedisClient;
	useRedisServer((started, client) => {
		server = started;
		raw = client;
	});

	describe('RedisStore', () => {
		test('round trip keeps every field, a null user and millisecond times', async () => {
			const store = await RedisStore.open(server.url, {prefix: prefix()});
			try {
				const withUser = sessionWith();
				const noUser = sessionWith({
					id: 'no-user',
					user: null,
					accessToken: '',
					createdAt: new Date('2026-01-02T03:04:05.678Z'),
					expiresAt: new Date('2098-06-01T08:00:00.987Z'),
				});
				await store.set(withUser);
				await store.set(noUser);
				expect(await store.get(withUser.id)).toEqual(withUser);
				expect(await store.get('no-user')).toEqual(noUser);
			} finally {
				await store.close();
			}
		});

		test('stores the Go-format JSON in one key with a TTL of the time left', async () => {
			const p = prefix();
			const store = await RedisStore.open(server.url, {prefix: p});
			try {
				const session = sessionWith();
				await store.set(session);
				const value = await raw.get(`${p}${session.id}`);
				expect(value).toBe(encodeSession(session));
				expect(JSON.parse(value ?? '')).toHaveProperty('access_token', 'gho_secret-token');
				const pttl = await raw.pTTL(`${p}${session.id}`);
				expect(pttl).toBeGreaterThan(0);
				expect(pttl).toBeLessThanOrEqual(60 * 60 * 1000);
			} finally {
				await store.close();
			}
		});

		test('every key the stores write has a TTL', async () => {
			const p = prefix();
			const sp = prefix('state');
			const store = await RedisStore.open(server.url, {prefix: p});
			const states = await RedisStateStore.open(server.url, {prefix: sp});
			try {
				for (let i = 0; i < 20; i++) {
					await store.set(sessionWith({expiresAt: new Date(Date.now() + 1000 * (i + 1) ** 3)}));
				}

				// Go's own far-future sessions, and one rewritten in place.
				const far = sessionWith({id: 'far', expiresAt: new Date('9999-12-31T23:59:59Z')});
				await store.set(far);
				await store.set(far);
				await states.generate();
				await states.generate(1000);
				const keys = [...(await raw.keys(`${p}*`)), ...(await raw.keys(`${sp}*`))];
				expect(keys).toHaveLength(21 + 2);
				for (const key of keys) {
					expect(await raw.pTTL(key), key).toBeGreaterThan(0);
				}
			} finally {
				await store.close();
				await states.close();
			}
		});

		test('an already expired session is deleted, not stored', async () => {
			const p = prefix();
			const store = await RedisStore.open(server.url, {prefix: p});
			try {
				const session = sessionWith();
				await store.set(session);
				await store.set({...session, expiresAt: new Date(Date.now() - 1000)});
				expect(await raw.exists(`${p}${session.id}`)).toBe(0);
				await store.set({...session, id: 'never', expiresAt: new Date(Date.now() - 1)});
				expect(await raw.exists(`${p}never`)).toBe(0);
				expect(await store.get(session.id)).toBeNull();
			} finally {
				await store.close();
			}
		});

		test('absent is null; delete is idempotent', async () => {
			const store = await RedisStore.open(server.url, {prefix: prefix()});
			try {
				expect(await store.get('nobody')).toBeNull();
				const session = sessionWith();
				await store.set(session);
				await store.delete(session.id);
				await store.delete(session.id);
				await store.delete('never-existed');
				expect(await store.get(session.id)).toBeNull();
			} finally {
				await store.close();
			}
		});

		test('returned sessions are copies', async () => {
			const store = await RedisStore.open(server.url, {prefix: prefix()});
			try {
				const session = sessionWith();
				await store.set(session);
				const first = await store.get(session.id);
				first?.expiresAt.setTime(0);
				expect(await store.get(session.id)).toEqual(session);
			} finally {
				await store.close();
			}
		});

		test('a present but expired session (no TTL, or clock skew) is never returned, and is removed', async () => {
			const p = prefix();
			const store = await RedisStore.open(server.url, {prefix: p});
			try {
				// Written by another tool without a TTL.
				const old = sessionWith({id: 'old', expiresAt: new Date(Date.now() - 60_000)});
				await raw.set(`${p}old`, encodeSession(old));
				await expect(store.get('old')).rejects.toBeInstanceOf(ExpiredError);
				expect(await raw.exists(`${p}old`)).toBe(0);

				// Our clock ahead of Redis's: the key is alive in Redis, expired for us.
				const skewed = await RedisStore.open(server.url, {
					prefix: p,
					now: () => Date.now() + 2 * 60 * 60 * 1000,
				});
				const session = sessionWith();
				await store.set(session);
				await expect(skewed.get(session.id)).rejects.toMatchObject({code: 'EXPIRED'});
				expect(await raw.exists(`${p}${session.id}`)).toBe(0);
				await skewed.close();
			} finally {
				await store.close();
			}
		});

		test('cleanup removes only present-but-expired sessions, counts them, and leaves the rest', async () => {
			const p = prefix();
			const store = await RedisStore.open(server.url, {prefix: p});
			try {
				const live = sessionWith();
				await store.set(live);
				for (const id of ['old-1', 'old-2', 'old-3']) {
					await raw.set(`${p}${id}`, encodeSession(sessionWith({id, expiresAt: new Date(1000)})));
				}

				await raw.set(`${p}garbage`, 'not json');
				expect(await store.cleanup()).toBe(3);
				expect(await store.cleanup()).toBe(0);
				expect((await raw.keys(`${p}*`)).sort()).toEqual([`${p}${live.id}`, `${p}garbage`].sort());
				expect(await store.get(live.id)).toEqual(live);
			} finally {
				await store.close();
			}
		});

		test('cleanup never removes a session refreshed since it was read', async () => {
			const p = prefix();
			// The store's clock says everything is expired, as under heavy skew; a session that
			// another instance rewrites between the read and the delete must survive.
			const client = createClient({url: server.url});
			client.on('error', () => {});
			await client.connect();
			const hooked = new RedisStore(client, {prefix: p, now: () => Date.now() + 1e12});
			try {
				const session = sessionWith({id: 'refreshed'});
				await raw.set(`${p}refreshed`, encodeSession(session));
				const refreshed = {...session, expiresAt: new Date(Date.now() + 7_200_000)};
				hookReply(client, 'getRange', async () => {
					await raw.set(`${p}refreshed`, encodeSession(refreshed), {PX: 7_200_000});
				});
				expect(await hooked.cleanup()).toBe(0);
				expect(await raw.get(`${p}refreshed`)).toBe(encodeSession(refreshed));
				await hooked.close();
				expect(client.isOpen).toBe(true);
			} finally {
				client.destroy();
			}
		});

		test('reads sessions written by Go', async () => {
			const p = prefix();
			const store = await RedisStore.open(server.url, {prefix: p});
			try {
				for (const name of ['active-berlin', 'github', 'local-session', 'no-user-session']) {
					const text = readFileSync(new URL(`${name}.json`, fixtures), 'utf8');
					await raw.set(`${p}${name}`, text, {PX: 60_000});
				}

				const berlin = await store.get('active-berlin');
				expect(berlin?.user).toEqual({
					id: 9919,
					login: 'hubot',
					name: 'Name of hubot',
					avatarUrl: 'https://avatars.githubusercontent.com/u/9919',
					email: 'hubot@example.com',
				});
				expect(berlin?.expiresAt.toISOString()).toBe('2098-06-01T08:00:00.987Z');
				const noUser = await store.get('no-user-session');
				expect(noUser?.user).toBeNull();
				const entries = await store.list();
				expect(entries.map((e) => [e.kind, e.id]).sort()).toEqual(
					[
						['session', 'active-berlin'],
						['session', 'github'],
						['session', 'local-session'],
						['session', 'no-user-session'],
					].sort(),
				);
			} finally {
				await store.close();
			}
		});

		test('bad ids are rejected by every method', async () => {
			const store = await RedisStore.open(server.url, {prefix: prefix()});
			try {
				// `*` too: a glob character must never reach a key pattern.
				for (const id of [...BAD_IDS, '*'] as string[]) {
					await expect(store.get(id)).rejects.toBeInstanceOf(InvalidIdError);
					await expect(store.delete(id)).rejects.toBeInstanceOf(InvalidIdError);
					await expect(store.set(sessionWith({id}))).rejects.toBeInstanceOf(InvalidIdError);
				}
			} finally {
				await store.close();
			}
		});

		test('a key under the prefix that is not a session: listed unreadable, get is a CorruptError', async () => {
			const p = prefix();
			const store = await RedisStore.open(server.url, {prefix: p});
			try {
				const good = sessionWith();
				await store.set(good);
				const badDate = encodeSession(sessionWith({id: 'bad-date'})).replace(
					/"expires_at": "[^"]+"/,
					'"expires_at": "2026-02-30T10:00:00Z"',
				);
				await raw.set(`${p}garbage`, 'gho_leaked-token garbage');
				await raw.set(`${p}array`, '[1, 2, 3]');
				await raw.set(`${p}bad-date`, badDate);
				await raw.set(`${p}empty`, '');
				await raw.hSet(`${p}hash`, 'field', 'value');
				await raw.set(`${p}bad/id`, encodeSession(sessionWith()));

				const entries = await store.list();
				const byId = new Map(entries.map((e) => [e.id, e]));
				expect(entries).toHaveLength(7);
				expect(byId.get(good.id)).toMatchObject({kind: 'session', location: `${p}${good.id}`});
				expect(byId.get('garbage')).toMatchObject({
					kind: 'unreadable',
					reason: 'not valid JSON',
					location: `${p}garbage`,
				});
				expect(byId.get('array')).toMatchObject({kind: 'unreadable', reason: 'not a JSON object'});
				expect(byId.get('bad-date')).toMatchObject({
					kind: 'unreadable',
					reason: 'expires_at is not an RFC 3339 time',
				});
				expect(byId.get('empty')).toMatchObject({kind: 'unreadable'});
				expect(byId.get('hash')).toMatchObject({
					kind: 'unreadable',
					reason: 'the key holds a Redis hash, not a string',
				});
				expect(byId.get('bad/id')).toMatchObject({kind: 'unreadable'});
				for (const entry of entries) {
					if (entry.kind === 'unreadable') expect(entry.reason).not.toContain('gho_');
				}

				for (const id of ['garbage', 'array', 'bad-date', 'empty', 'hash']) {
					const error = await store.get(id).catch((e: unknown) => e);
					expect(error, id).toBeInstanceOf(CorruptError);
					expect(String((error as Error).message)).toContain(`${p}${id}`);
					expect(String((error as Error).message)).not.toContain('gho_');
				}

				// Unreadable values are left alone by cleanup and list.
				expect(await store.cleanup()).toBe(0);
				expect(await raw.exists([`${p}garbage`, `${p}array`, `${p}bad-date`, `${p}hash`])).toBe(4);
			} finally {
				await store.close();
			}
		});

		test('a value over 1 MiB is unreadable and never fetched whole', async () => {
			const p = prefix();
			const store = await RedisStore.open(server.url, {prefix: p});
			try {
				const good = sessionWith();
				await store.set(good);
				const huge = encodeSession(sessionWith({id: 'huge'})).replace(
					'"id"',
					`"padding": "${'x'.repeat(8 * 1024 * 1024)}", "id"`,
				);
				await raw.set(`${p}huge`, huge);
				const sent = async () =>
					Number(/total_net_output_bytes:(\d+)/.exec(await raw.info('stats'))?.[1]);
				const before = await sent();
				const entries = await store.list();
				expect(entries.find((e) => e.id === 'huge')).toMatchObject({
					kind: 'unreadable',
					reason: 'it is larger than 1 MiB',
				});
				expect(entries.find((e) => e.id === good.id)).toMatchObject({kind: 'session'});
				const error = await store.get('huge').catch((e: unknown) => e);
				expect(error).toBeInstanceOf(CorruptError);
				expect((error as Error).message).toContain('larger than 1 MiB');
				expect(await store.cleanup()).toBe(0);
				// Three reads of at most 1 MiB + 1 byte each (list, get, cleanup), not 3 × 8 MiB.
				expect((await sent()) - before).toBeLessThan(4 * 1024 * 1024);
			} finally {
				await store.close();
			}
		});

		test('a key whose session has another id is unreadable, as the FileStore reports a file', async () => {
			const p = prefix();
			const store = await RedisStore.open(server.url, {prefix: p});
			try {
				await raw.set(`${p}alice`, encodeSession(sessionWith({id: 'bob'})), {PX: 600_000});
				expect(await store.list()).toEqual([
					{
						kind: 'unreadable',
						id: 'alice',
						reason: 'the id field does not match the key',
						location: `${p}alice`,
					},
				]);
				const error = await store.get('alice').catch((e: unknown) => e);
				expect(error).toBeInstanceOf(CorruptError);
				expect((error as Error).message).toContain('the id field does not match the key');
				expect(await store.get('bob')).toBeNull();
			} finally {
				await store.close();
			}
		});

		test('list uses batches, reports progress and skips keys that vanish between scan and fetch', async () => {
			const p = prefix();
			const client = createClient({url: server.url});
			client.on('error', () => {});
			await client.connect();
			const store = new RedisStore(client, {prefix: p});
			try {
				const multi = raw.multi();
				const total = 2500;
				const ids: string[] = [];
				for (let i = 0; i < total; i++) {
					const session = sessionWith({id: `s-${i}`});
					ids.push(session.id);
					multi.set(`${p}${session.id}`, encodeSession(session), {PX: 600_000});
				}

				await multi.exec();
				// Between each SCAN and its reads, another instance deletes two of the batch's keys.
				const deleted = new Set<string>();
				let batches = 0;
				hookReply(client, 'scan', async (reply) => {
					const keys = (reply as {keys: string[]}).keys.map(String);
					if (keys.length === 0) return;
					batches++;
					const gone = keys.slice(0, 2);
					for (const key of gone) deleted.add(key.slice(p.length));
					await raw.del(gone);
				});
				const progress: number[] = [];
				const entries = await store.list({onProgress: (done) => progress.push(done)});
				expect(batches).toBeGreaterThan(1);
				expect(deleted.size).toBe(batches * 2);
				expect(entries.every((e) => e.kind === 'session')).toBe(true);
				expect(entries.map((e) => e.id).sort()).toEqual(
					ids.filter((id) => !deleted.has(id)).sort(),
				);
				expect(progress.length).toBe(batches);
				expect(progress.at(-1)).toBe(entries.length);
			} finally {
				client.destroy();
			}
		});

		test('each hands over what list returns, batch by batch, and waits for a promise before the next', async () => {
			const p = prefix();
			const store = await RedisStore.open(server.url, {prefix: p});
			try {
				const multi = raw.multi();
				for (let i = 0; i < 2500; i++) {
					const session = sessionWith({id: `s-${i}`});
					multi.set(`${p}${session.id}`, encodeSession(session), {PX: 600_000});
				}

				await multi.exec();
				await raw.hSet(`${p}hash`, 'field', 'value');
				await raw.set(`${p}garbage`, 'not json');
				const byId = (entries: ListEntry[]) =>
					[...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
				const listed = await store.list();
				expect(listed).toHaveLength(2502);

				const handed: ListEntry[] = [];
				let release: (() => void) | undefined;
				const progress: number[] = [];
				const done = store.each({
					onEntry: (entry) => {
						handed.push(entry);
						// Hold the first batch back, as a full pipe would.
						if (handed.length > 1) return undefined;
						return new Promise<void>((resolve) => {
							release = resolve;
						});
					},
					onProgress: (count) => progress.push(count),
				});
				await waitFor(() => release !== undefined, 'the first batch');
				expect(progress).toEqual([]);
				const firstBatch = handed.length;
				// A whole listing on the same server meanwhile: each could have scanned on, had it
				// not waited.
				expect(await store.list()).toHaveLength(2502);
				expect(handed).toHaveLength(firstBatch);
				expect(firstBatch).toBeLessThan(2502);
				release?.();
				await done;
				expect(byId(handed)).toEqual(byId(listed));
				expect(progress.at(-1)).toBe(2502);
				expect(handed.find((entry) => entry.id === 'hash')).toMatchObject({kind: 'unreadable'});
				expect(handed.find((entry) => entry.id === 'garbage')).toMatchObject({
					kind: 'unreadable',
					reason: 'not valid JSON',
				});
			} finally {
				await store.close();
			}
		});

		test('list honours an abort signal', async () => {
			const p = prefix();
			const store = await RedisStore.open(server.url, {prefix: p});
			try {
				await store.set(sessionWith());
				const controller = new AbortController();
				controller.abort();
				await expect(store.list({signal: controller.signal})).rejects.toThrow();
			} finally {
				await store.close();
			}
		});

		test('a prefix with glob characters matches only itself', async () => {
			const store = await RedisStore.open(server.url, {prefix: 'glob*[x]?:'});
			try {
				await raw.set('globby[x]!:trap', encodeSession(sessionWith({id: 'trap'})), {PX: 60_000});
				const session = sessionWith();
				await store.set(session);
				expect((await store.list()).map((e) => e.id)).toEqual([session.id]);
			} finally {
				await store.close();
			}
		});

		test('describe names the URL without a password, and the key pattern', async () => {
			const store = await RedisStore.open(server.url);
			try {
				expect(store.describe()).toBe(`redis://127.0.0.1:${server.port} stacktower:session:*`);
			} finally {
				await store.close();
			}
		});

		test("close leaves a caller's client open, and closes its own", async () => {
			const client = createClient({url: server.url});
			client.on('error', () => {});
			await client.connect();
			const borrowed = await RedisStore.open(client, {prefix: prefix()});
			await borrowed.set(sessionWith());
			await borrowed.close();
			expect(client.isReady).toBe(true);
			await expect(borrowed.get('x')).rejects.toBeInstanceOf(StoreUnavailableError);
			client.destroy();
		});
	});

	describe('RedisStateStore', () => {
		test('a state validates once, and only once', async () => {
			const p = prefix('state');
			const states = await RedisStateStore.open(server.url, {prefix: p});
			try {
				const state = await states.generate();
				expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
				expect(await raw.pTTL(`${p}${state}`)).toBeGreaterThan(0);
				expect(await raw.pTTL(`${p}${state}`)).toBeLessThanOrEqual(10 * 60 * 1000);
				expect(await states.validate(state)).toBe(true);
				expect(await states.validate(state)).toBe(false);
				expect(await raw.exists(`${p}${state}`)).toBe(0);
				expect(await states.cleanup()).toBe(0);
			} finally {
				await states.close();
			}
		});

		test('unknown, empty, malformed and expired states are false, never a throw', async () => {
			const p = prefix('state');
			const states = await RedisStateStore.open(server.url, {prefix: p});
			try {
				expect(await states.validate('never-generated')).toBe(false);
				expect(await states.validate('')).toBe(false);
				expect(await states.validate('x'.repeat(10_000))).toBe(false);
				expect(await states.validate(undefined as unknown as string)).toBe(false);
				expect(await states.validate(42 as unknown as string)).toBe(false);
				expect(await states.validate('*')).toBe(false);
				await raw.hSet(`${p}hash`, 'a', 'b');
				expect(await states.validate('hash')).toBe(false);

				const short = await states.generate(1);
				await waitFor(async () => (await raw.exists(`${p}${short}`)) === 0, 'the state to expire');
				expect(await states.validate(short)).toBe(false);
				await expect(states.generate(0)).rejects.toBeInstanceOf(RangeError);
				await expect(states.generate(Number.NaN)).rejects.toBeInstanceOf(RangeError);
			} finally {
				await states.close();
			}
		});

		test('20 clients on separate connections race on one state: exactly one wins', async () => {
			const p = prefix('state');
			const stores = await Promise.all(
				Array.from({length: 20}, () => RedisStateStore.open(server.url, {prefix: p})),
			);
			try {
				for (let round = 0; round < 5; round++) {
					const state = await at(stores, round).generate();
					const results = await Promise.all(stores.map((s) => s.validate(state)));
					expect(results.filter(Boolean)).toHaveLength(1);
				}

				// And 100 concurrent validations on one connection, as the conformance checks ask.
				const state = await at(stores, 0).generate();
				const results = await Promise.all(
					Array.from({length: 100}, () => at(stores, 1).validate(state)),
				);
				expect(results.filter(Boolean)).toHaveLength(1);
			} finally {
				await Promise.all(stores.map((s) => s.close()));
			}
		});
	});

	describe('opening', () => {
		test('a server with a password: the right one works and is never shown; a wrong one is a clear error', async () => {
			const locked = await startRedisServer({args: ['--requirepass', 'hunter2-secret']});
			try {
				const store = await RedisStore.open(`redis://:hunter2-secret@127.0.0.1:${locked.port}/2`);
				try {
					await store.set(sessionWith({id: 'locked'}));
					expect((await store.get('locked'))?.id).toBe('locked');
					expect(store.describe()).toBe(`redis://127.0.0.1:${locked.port}/2 stacktower:session:*`);
				} finally {
					await store.close();
				}

				for (const url of [
					`redis://:wrong-password@127.0.0.1:${locked.port}`,
					`redis://127.0.0.1:${locked.port}`,
				]) {
					const error = await RedisStore.open(url).catch((e: unknown) => e);
					expect(error, url).toBeInstanceOf(StoreUnavailableError);
					const {message} = error as Error;
					expect(message).toContain(`127.0.0.1:${locked.port}`);
					expect(message).toMatch(/WRONGPASS|NOAUTH/);
					expect(message).toContain('check the URL (user, password, database)');
					expect(message).not.toContain('wrong-password');
					expect(message).not.toContain('hunter2');
				}
			} finally {
				await locked.stop();
			}
		});

		test('a bad URL is a TypeError that never shows the password', async () => {
			for (const url of [
				'http://127.0.0.1:6379',
				'not a url',
				'redis://',
				'redis://127.0.0.1:6379/not-a-db',
				'redis://user:hunter2@[::1',
				'redis://:hunter2@127.0.0.1:99999',
			]) {
				const error = await RedisStore.open(url).catch((e: unknown) => e);
				expect(error, url).toBeInstanceOf(TypeError);
				expect((error as Error).message, url).toMatch(/redis:\/\//);
				expect((error as Error).message, url).not.toContain('hunter2');
			}

			expect(() => assertRedisUrl('rediss://cache.example.com:6380/2')).not.toThrow();
			expect(redactRedisUrl('redis://me:hunter2@example.com:6379/1')).toBe(
				'redis://me@example.com:6379/1',
			);
			expect(redactRedisUrl('redis://:hunter2@example.com')).toBe('redis://example.com');
			// Passwords that make the URL invalid, or move part of it into the host, are hidden too.
			for (const [url, shown] of [
				['redis://me:hun/ter2@example.com:6379', 'redis://me@example.com:6379'],
				['redis://:hun/ter2@example.com', 'redis://example.com'],
				['redis://me:hun@ter2@example.com/1', 'redis://me@example.com/1'],
				['redis://me:hun#ter2@example.com', 'redis://me@example.com'],
				['redis://me:hun?ter2@example.com', 'redis://me@example.com'],
				['me:hunter2@example.com', 'me:example.com'],
			]) {
				expect(redactRedisUrl(url as string), url).toBe(shown);
				// `me:hun@ter2@` parses (the first @ is taken into the password): nothing to open.
				if (url?.includes('hun@')) continue;
				const error = await RedisStore.open(url as string).catch((e: unknown) => e);
				expect(error, url).toBeInstanceOf(TypeError);
				expect((error as Error).message, url).not.toContain('ter2');
			}
		});

		test('an unreachable server rejects promptly, naming host:port', async () => {
			const port = await freePort();
			for (const open of [
				() => RedisStore.open(`redis://127.0.0.1:${port}`),
				() => RedisStateStore.open(`redis://127.0.0.1:${port}`),
			]) {
				const error = await open().catch((e: unknown) => e);
				expect(error).toBeInstanceOf(StoreUnavailableError);
				expect((error as Error).message).toContain(`127.0.0.1:${port}`);
				expect((error as Error).message).toContain('connection refused');
				expect((error as Error).message).toContain('redis-server');
			}
		});

		test('a server that accepts but never answers: open rejects after the connect timeout', async () => {
			const sockets = new Set<import('node:net').Socket>();
			const silent: Server = createServer((socket) => {
				sockets.add(socket);
				socket.on('error', () => {});
			});
			await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
			const {port} = silent.address() as {port: number};
			try {
				const error = await RedisStore.open(`redis://127.0.0.1:${port}`, {
					connectTimeoutMs: 300,
				}).catch((e: unknown) => e);
				expect(error).toBeInstanceOf(StoreUnavailableError);
				expect((error as Error).message).toContain(`127.0.0.1:${port}`);
				expect((error as Error).message).toContain('timed out');
			} finally {
				for (const socket of sockets) socket.destroy();
				silent.close();
			}
		});
	});
});

/** Runs `after` on each reply of the client's `method` before the store sees it: a real client, with a hook between commands. */
function hookReply(
	client: ReturnType<typeof createClient>,
	method: 'scan' | 'getRange',
	after: (reply: unknown) => Promise<void>,
): void {
	const original = (client[method] as (...args: unknown[]) => Promise<unknown>).bind(client);
	Object.defineProperty(client, method, {
		value: async (...args: unknown[]) => {
			const reply = await original(...args);
			await after(reply);
			return reply;
		},
	});
}

function at<T>(items: readonly T[], index: number): T {
	const item = items[index];
	if (item === undefined) throw new Error(`no item ${index}`);
	return item;
}
