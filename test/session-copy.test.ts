// copySessions, the library's copy between two stores, on real stores: FileStores on temp
// directories and RedisStores on a real redis-server (one database per test).
import {lstatSync, readdirSync, readFileSync, statSync, symlinkSync} from 'node:fs';
import path from 'node:path';
import {createClient} from 'redis';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {encodeSession} from '../source/session/codec.js';
import {type CopyResult, copySessions, SameStoreError} from '../source/session/copy.js';
import {FileStore} from '../source/session/file-store/file-store.js';
import {MemoryStore} from '../source/session/memory-store.js';
import {RedisStore} from '../source/session/redis/index.js';
import type {Session} from '../source/session/session.js';
import {
	type RedisServer,
	redisServerAvailable,
	startRedisServer,
	userWritingOnly,
} from './helpers/redis-server.js';
import {makeSession, makeSessionDir, writeSession} from './helpers/session-dir.js';

const HOUR = 60 * 60 * 1000;
const PREFIX = 'stacktower:session:';

/** A session with every extra field the Go format lacks. */
function appSession(id: string, expiresInMs: number): Session {
	const now = Date.now();
	return makeSession(id, expiresInMs, {
		accessToken: `ghu_${id}ACCESS0123456789`,
		tokenExpiresAt: new Date(now + 8 * HOUR),
		refreshToken: `ghr_${id}REFRESH0123456789`,
		refreshTokenExpiresAt: new Date(now + 180 * 24 * HOUR),
		clientId: 'Iv23liRkeVtW225qGBef',
		githubHost: 'https://github.com',
	});
}

/** Every file of a directory with its bytes: what must survive a dry run. */
function snapshot(dir: string): Record<string, string> {
	const files: Record<string, string> = {};
	for (const name of readdirSync(dir).sort())
		files[name] = readFileSync(path.join(dir, name), 'utf8');
	return files;
}

async function collect(
	run: (onResult: (result: CopyResult) => void) => Promise<unknown>,
): Promise<Map<string, CopyResult>> {
	const results = new Map<string, CopyResult>();
	await run((result) => {
		results.set(result.id, result);
	});
	return results;
}

describe('copySessions between two session directories', () => {
	test('copies every readable session with its extras; skips expired and unreadable ones; counts each outcome', async () => {
		const sessions = [appSession('app', 2 * HOUR), makeSession('plain', 3 * HOUR, {user: null})];
		const from = makeSessionDir({
			fixtures: false,
			sessions: [...sessions, makeSession('old', -HOUR)],
			files: {'broken.json': '{"id": "broken", "access_token": "gho_LEAK'},
		});
		const to = path.join(makeSessionDir({fixtures: false}), 'new');
		const source = new FileStore(from);
		const target = new FileStore(to);
		const results = await collect(async (onResult) => {
			const summary = await copySessions(source, target, {onResult});
			expect(summary).toEqual({
				counts: {
					copied: 2,
					'already-there': 0,
					'kept-newer': 0,
					'skipped-expired': 1,
					'skipped-unreadable': 1,
					'skipped-gone': 0,
					failed: 0,
				},
				removedFromSource: 0,
				complete: true,
			});
		});
		expect(results.get('old')?.outcome).toBe('skipped-expired');
		expect(results.get('broken')).toMatchObject({
			outcome: 'skipped-unreadable',
			reason: 'not valid JSON',
		});
		// Byte for byte the same file: the extras (refresh token, client id…) travel too.
		for (const session of sessions) {
			expect(readFileSync(path.join(to, `${session.id}.json`), 'utf8')).toBe(
				encodeSession(session),
			);
		}

		expect(readdirSync(to).sort()).toEqual(['app.json', 'plain.json']);
		// A missing target directory is made 0700; nothing is left in the source but what was there.
		expect(statSync(to).mode & 0o777).toBe(0o700);
		expect(readdirSync(from).sort()).toEqual(['app.json', 'broken.json', 'old.json', 'plain.json']);

		// Run twice, the same result: everything is already there.
		const again = await copySessions(source, target);
		expect(again.counts).toMatchObject({copied: 0, 'already-there': 2, failed: 0});
		expect(again.complete).toBe(true);
	});

	test('never overwrites a session that expires later at the target; an equal one is already there; an older one is replaced', async () => {
		const newer = makeSession('newer', 5 * HOUR);
		const equal = makeSession('equal', 2 * HOUR);
		const older = makeSession('older', HOUR);
		const from = makeSessionDir({
			fixtures: false,
			sessions: [makeSession('newer', 2 * HOUR), equal, makeSession('older', 3 * HOUR)],
		});
		const to = makeSessionDir({fixtures: false, sessions: [newer, equal, older]});
		const results = await collect((onResult) =>
			copySessions(new FileStore(from), new FileStore(to), {onResult, move: true}),
		);
		expect(results.get('newer')).toMatchObject({
			outcome: 'kept-newer',
			targetExpiresAt: newer.expiresAt,
		});
		expect(results.get('equal')).toMatchObject({
			outcome: 'already-there',
			identical: true,
			removedFromSource: true,
		});
		expect(results.get('older')).toMatchObject({outcome: 'copied', removedFromSource: true});
		expect(readFileSync(path.join(to, 'newer.json'), 'utf8')).toBe(encodeSession(newer));
		expect(
			new Date(JSON.parse(readFileSync(path.join(to, 'older.json'), 'utf8')).expires_at).getTime(),
		).toBeGreaterThan(older.expiresAt.getTime());
		// The newer one at the target was not verified as this one: it stays in the source.
		expect(readdirSync(from)).toEqual(['newer.json']);
	});

	test('an equal expiry with other tokens is already there, but a move keeps it in the source', async () => {
		const ours = makeSession('same-time', 2 * HOUR);
		const theirs = {...ours, accessToken: 'gho_otherTOKEN0123456789'};
		const from = makeSessionDir({fixtures: false, sessions: [ours]});
		const to = makeSessionDir({fixtures: false, sessions: [theirs]});
		const results = await collect((onResult) =>
			copySessions(new FileStore(from), new FileStore(to), {onResult, move: true}),
		);
		expect(results.get('same-time')).toMatchObject({
			outcome: 'already-there',
			identical: false,
			removedFromSource: false,
		});
		expect(readdirSync(from)).toEqual(['same-time.json']);
		expect(readFileSync(path.join(to, 'same-time.json'), 'utf8')).toBe(encodeSession(theirs));
	});

	test('a dry run says what it would do and changes nothing at either end', async () => {
		const from = makeSessionDir({
			fixtures: true,
			sessions: [makeSession('kept', HOUR), makeSession('stays-newer', HOUR)],
		});
		const to = makeSessionDir({fixtures: false, sessions: [makeSession('stays-newer', 9 * HOUR)]});
		const missing = path.join(to, 'not-yet');
		const before = {from: snapshot(from), to: snapshot(to)};
		const results = await collect((onResult) =>
			copySessions(new FileStore(from), new FileStore(to), {onResult, dryRun: true, move: true}),
		);
		expect(results.get('kept')?.outcome).toBe('copied');
		expect(results.get('stays-newer')?.outcome).toBe('kept-newer');
		expect(results.get('expired-2020')?.outcome).toBe('skipped-expired');
		expect({from: snapshot(from), to: snapshot(to)}).toEqual(before);

		// Into a directory that does not exist yet: not made by a dry run.
		const summary = await copySessions(
			new FileStore(from),
			new FileStore(missing, {createDirectory: false}),
			{dryRun: true},
		);
		expect(summary.counts.copied).toBeGreaterThan(0);
		expect(() => lstatSync(missing)).toThrow();
		expect(snapshot(from)).toEqual(before.from);
	});

	test('the same directory under two names is refused before anything is written or removed', async () => {
		const dir = makeSessionDir({fixtures: false, sessions: [makeSession('github', HOUR)]});
		const parent = makeSessionDir({fixtures: false});
		symlinkSync(path.dirname(dir), path.join(parent, 'link'));
		const other = path.join(parent, 'link', path.basename(dir));
		await expect(
			copySessions(new FileStore(dir), new FileStore(other), {move: true}),
		).rejects.toBeInstanceOf(SameStoreError);
		expect(readdirSync(dir)).toEqual(['github.json']);
		const memory = new MemoryStore();
		await expect(copySessions(memory, memory, {dryRun: true})).rejects.toBeInstanceOf(
			SameStoreError,
		);
	});

	test('waits for a session whose lock a refresh holds, and copies it once released', async () => {
		const from = makeSessionDir({fixtures: false, sessions: [makeSession('github', HOUR)]});
		const to = makeSessionDir({fixtures: false});
		const source = new FileStore(from);
		const held = await source.lock('github');
		// The refresh finishes: a renewed session written, then its lock released.
		const renewed = {...makeSession('github', HOUR), accessToken: 'gho_renewedTOKEN0123456789'};
		let seen: CopyResult | undefined;
		const waits: string[] = [];
		let waiting: () => void = () => undefined;
		const waited = new Promise<void>((resolve) => {
			waiting = resolve;
		});
		const copying = copySessions(source, new FileStore(to), {
			move: true,
			onResult: (result) => {
				seen = result;
			},
			onLockWait: (id, store) => {
				waits.push(`${store}:${id}`);
				waiting();
			},
		});
		// The copy waits on the lock file: nothing at the target while it is held.
		await waited;
		expect(waits).toEqual(['source:github']);
		expect(readdirSync(to)).toEqual([]);
		writeSession(from, renewed);
		await held.release();
		const summary = await copying;
		expect(summary.counts.copied).toBe(1);
		expect(seen).toMatchObject({outcome: 'copied', removedFromSource: true});
		// The renewed session, read under the lock, is the one copied; the source's is gone.
		expect(readFileSync(path.join(to, 'github.json'), 'utf8')).toBe(encodeSession(renewed));
		expect(readdirSync(from)).toEqual([]);
	});

	test('a lock held longer than the wait fails that session only, and the source keeps it', async () => {
		const from = makeSessionDir({
			fixtures: false,
			sessions: [makeSession('busy', HOUR), makeSession('free', HOUR)],
		});
		const to = makeSessionDir({fixtures: false});
		const source = new FileStore(from);
		const held = await source.lock('busy');
		try {
			const results = await collect((onResult) =>
				copySessions(source, new FileStore(to), {onResult, move: true, lockWaitMs: 100}),
			);
			expect(results.get('busy')).toMatchObject({
				outcome: 'failed',
				store: 'source',
				step: 'lock',
				atTarget: false,
			});
			expect(results.get('free')).toMatchObject({outcome: 'copied', removedFromSource: true});
		} finally {
			await held.release();
		}

		expect(readdirSync(from)).toEqual(['busy.json']);
		expect(readdirSync(to)).toEqual(['free.json']);
	});

	test('a target holding something that is not a session under an id is left alone, and that copy fails', async () => {
		const from = makeSessionDir({fixtures: false, sessions: [makeSession('taken', HOUR)]});
		const to = makeSessionDir({fixtures: false, files: {'taken.json': 'not a session'}});
		const results = await collect((onResult) =>
			copySessions(new FileStore(from), new FileStore(to), {onResult, move: true}),
		);
		expect(results.get('taken')).toMatchObject({outcome: 'failed', store: 'target', step: 'read'});
		expect(readFileSync(path.join(to, 'taken.json'), 'utf8')).toBe('not a session');
		expect(readdirSync(from)).toEqual(['taken.json']);
	});
});

describe.skipIf(!redisServerAvailable())('copySessions with Redis', () => {
	let server: RedisServer;
	let nextDb = 1;
	const closing: Array<() => Promise<unknown> | unknown> = [];

	beforeAll(async () => {
		server = await startRedisServer();
	});

	afterAll(async () => {
		for (const close of closing) await close();
		await server?.stop();
	});

	async function redis(url = `${server.url}/${nextDb++}`) {
		const raw = createClient({url});
		raw.on('error', () => {});
		await raw.connect();
		const store = await RedisStore.open(url);
		closing.push(
			() => raw.destroy(),
			() => store.close(),
		);
		return {url, raw, store};
	}

	test('file to Redis: each key lasts as long as its session has left; extras kept; twice is the same', async () => {
		const sessions = [appSession('app', 2 * HOUR), makeSession('plain', 30 * HOUR)];
		const from = makeSessionDir({
			fixtures: false,
			sessions: [...sessions, makeSession('old', -HOUR)],
			files: {'broken.json': '{'},
		});
		const {raw, store} = await redis();
		const summary = await copySessions(new FileStore(from), store);
		expect(summary.counts).toMatchObject({
			copied: 2,
			'skipped-expired': 1,
			'skipped-unreadable': 1,
			failed: 0,
		});
		expect((await raw.keys('*')).sort()).toEqual([`${PREFIX}app`, `${PREFIX}plain`]);
		for (const session of sessions) {
			expect(await raw.get(`${PREFIX}${session.id}`)).toBe(encodeSession(session));
			const left = session.expiresAt.getTime() - Date.now();
			const ttl = await raw.pTTL(`${PREFIX}${session.id}`);
			// Redis reads its clock once per turn of its event loop, so it may lag ours a little.
			expect(ttl).toBeLessThanOrEqual(left + 1000);
			expect(ttl).toBeGreaterThan(left - 60_000);
		}

		const again = await copySessions(new FileStore(from), store);
		expect(again.counts).toMatchObject({copied: 0, 'already-there': 2});
		// No lock keys are left behind.
		expect((await raw.keys('stacktower:lock:*')).length).toBe(0);
	});

	test('Redis to file: expired-by-our-clock keys and keys of another type are listed, never removed', async () => {
		const {raw, store} = await redis();
		await store.set(appSession('app', HOUR));
		await raw.set(`${PREFIX}stale`, encodeSession(makeSession('stale', -HOUR)));
		await raw.hSet(`${PREFIX}hash`, 'a', 'b');
		const to = path.join(makeSessionDir({fixtures: false}), 'sessions');
		const results = await collect((onResult) =>
			copySessions(store, new FileStore(to), {onResult, move: true}),
		);
		expect(results.get('app')).toMatchObject({outcome: 'copied', removedFromSource: true});
		expect(results.get('stale')?.outcome).toBe('skipped-expired');
		expect(results.get('hash')).toMatchObject({
			outcome: 'skipped-unreadable',
			reason: 'the key holds a Redis hash, not a string',
		});
		expect((await raw.keys('*')).sort()).toEqual([`${PREFIX}hash`, `${PREFIX}stale`]);
		expect(readdirSync(to)).toEqual(['app.json']);
	});

	test('a move removes from the source only what was written and read back: a refused write keeps its source', async () => {
		// A Redis user that may read every session but write only those whose id starts with ok-.
		const {url, raw} = await redis();
		const limitedUrl = await userWritingOnly(raw, url, {
			read: `${PREFIX}*`,
			write: `${PREFIX}ok-*`,
		});
		closing.push(() => raw.sendCommand(['ACL', 'DELUSER', 'copier']).catch(() => undefined));
		const limited = await RedisStore.open(limitedUrl);
		closing.push(() => limited.close());
		const from = makeSessionDir({
			fixtures: false,
			sessions: [
				makeSession('ok-1', HOUR),
				makeSession('refused', HOUR),
				makeSession('ok-2', HOUR),
			],
		});
		const results = await collect((onResult) =>
			copySessions(new FileStore(from), limited, {onResult, move: true}),
		);
		expect(results.get('refused')).toMatchObject({
			outcome: 'failed',
			store: 'target',
			step: 'write',
			atTarget: false,
		});
		expect(String((results.get('refused') as {error: unknown}).error)).toMatch(
			/NOPERM|permission/i,
		);
		expect(results.get('ok-1')).toMatchObject({outcome: 'copied', removedFromSource: true});
		expect(results.get('ok-2')).toMatchObject({outcome: 'copied', removedFromSource: true});
		expect(readdirSync(from)).toEqual(['refused.json']);
		expect((await raw.keys(`${PREFIX}*`)).sort()).toEqual([`${PREFIX}ok-1`, `${PREFIX}ok-2`]);
	});

	test('the same Redis under two names is refused before anything is removed', async () => {
		const {url, raw, store} = await redis();
		await store.set(makeSession('github', HOUR));
		const other = await RedisStore.open(url.replace('127.0.0.1', 'localhost'));
		closing.push(() => other.close());
		await expect(copySessions(store, other, {move: true})).rejects.toBeInstanceOf(SameStoreError);
		expect(await raw.keys('*')).toEqual([`${PREFIX}github`]);
	});
});
