// Session locks (LockingStore): one holder at a time, across processes for files and Redis; a
// lock left by a crashed holder does not block for good.
import {type ChildProcessWithoutNullStreams, spawn, spawnSync} from 'node:child_process';
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {hostname} from 'node:os';
import path from 'node:path';
import {beforeEach, describe, expect, onTestFinished, test} from 'vitest';
import {LockBusyError} from '../source/session/errors.js';
import {FileStore} from '../source/session/file-store/file-store.js';
import {LOCK_STALE_MS} from '../source/session/lock-timing.js';
import {MemoryStore} from '../source/session/memory-store.js';
import {LOCK_KEY_PREFIX, RedisStore} from '../source/session/redis/index.js';
import type {LockingStore} from '../source/session/store.js';
import {
	type RawRedisClient,
	type RedisServer,
	redisServerAvailable,
	useRedisServer,
} from './helpers/redis-server.js';
import {makeSession} from './helpers/session-dir.js';
import {makeTempDir} from './helpers/temp-dir.js';
import {waitFor} from './helpers/wait.js';
import {childScript} from './session-children/build.js';

let dir: string;

beforeEach(() => {
	dir = makeTempDir('stacktower-lock-');
});

/** Takes the lock a second time and reports whether it waited and when it got it. */
async function secondTaker(store: LockingStore, id: string) {
	let waited = false;
	let got = false;
	const taken = store.lock(id, {onWait: () => (waited = true)}).then((lock) => {
		got = true;
		return lock;
	});
	return {taken, waited: () => waited, got: () => got};
}

async function exercise(store: LockingStore & {close(): Promise<void>}, other: LockingStore) {
	const first = await store.lock('github');
	const second = await secondTaker(other, 'github');
	await waitFor(second.waited, 'the second to wait');
	expect(second.got()).toBe(false);
	// Another id is not held up.
	await (await other.lock('other')).release();
	await first.release();
	const lock = await second.taken;
	await expect(store.lock('github', {waitMs: 100})).rejects.toBeInstanceOf(LockBusyError);
	await lock.release();
	await (await store.lock('github')).release();
}

describe('FileStore.lock', () => {
	test('one holder at a time; the lock file sits beside the session and goes on release', async () => {
		const store = new FileStore(dir);
		await store.set(makeSession('github', 3_600_000));
		const lock = await store.lock('github');
		expect(existsSync(path.join(dir, 'github.json.lock'))).toBe(true);
		// Not a session: listing and cleanup leave it alone.
		expect((await store.list()).map((entry) => entry.id)).toEqual(['github']);
		await lock.release();
		expect(readdirSync(dir)).toEqual(['github.json']);
		await exercise(store, new FileStore(dir));
	});

	test('a lock whose process is gone is broken at once', async () => {
		const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
		const deadPid = Number(child.stdout.toString());
		writeFileSync(
			path.join(dir, 'github.json.lock'),
			JSON.stringify({pid: deadPid, host: hostname(), nonce: 'x', at: Date.now()}),
		);
		const lock = await new FileStore(dir).lock('github', {waitMs: 1000});
		await lock.release();
	});

	test('a lock older than the stale limit is broken even if its process lives (another host)', async () => {
		const file = path.join(dir, 'github.json.lock');
		const holder = {pid: process.pid, host: 'elsewhere', nonce: 'x', at: Date.now()};
		writeFileSync(file, JSON.stringify(holder));
		await expect(new FileStore(dir).lock('github', {waitMs: 200})).rejects.toThrow(
			/another process holds the lock on session "github"/,
		);
		writeFileSync(file, JSON.stringify({...holder, at: Date.now() - LOCK_STALE_MS - 1000}));
		await (await new FileStore(dir).lock('github', {waitMs: 1000})).release();
	});

	test('an empty lock file (its maker died before writing) is broken after a short wait', async () => {
		writeFileSync(path.join(dir, 'github.json.lock'), '');
		await (await new FileStore(dir).lock('github', {waitMs: 10_000})).release();
	});

	test('release never removes a lock another holder took after ours was broken', async () => {
		const store = new FileStore(dir);
		const lock = await store.lock('github');
		const file = path.join(dir, 'github.json.lock');
		const theirs = JSON.stringify({
			pid: process.pid,
			host: hostname(),
			nonce: 'theirs',
			at: Date.now(),
		});
		writeFileSync(file, theirs);
		await lock.release();
		expect(readFileSync(file, 'utf8')).toBe(theirs);
	});

	/** A child process holding the lock on `github`, started and holding it. */
	async function holder(): Promise<ChildProcessWithoutNullStreams> {
		const child = spawn(process.execPath, [await childScript('lock-holder'), dir, 'github']);
		onTestFinished(() => {
			child.kill('SIGKILL');
		});
		let out = '';
		child.stdout.on('data', (chunk: Buffer) => {
			out += chunk.toString();
		});
		await waitFor(() => out.includes('locked'), 'the child to lock');
		return child;
	}

	test('across processes: a child holding the lock keeps this process waiting until it releases', async () => {
		const child = await holder();
		const second = await secondTaker(new FileStore(dir), 'github');
		await waitFor(second.waited, 'this process to wait');
		expect(second.got()).toBe(false);
		child.stdin.write('go\n');
		await (await second.taken).release();
	});

	test('a holder killed with SIGKILL: its lock is broken as soon as it is gone', async () => {
		const child = await holder();
		const second = await secondTaker(new FileStore(dir), 'github');
		await waitFor(second.waited, 'this process to wait');
		child.kill('SIGKILL');
		await (await second.taken).release();
	});
});

describe('MemoryStore.lock', () => {
	test('one holder at a time within the process', async () => {
		const store = new MemoryStore();
		await exercise(store, store);
	});
});

describe.skipIf(!redisServerAvailable())('RedisStore.lock', () => {
	let server: RedisServer;
	let raw: RawRedisClient;
	useRedisServer((started, client) => {
		server = started;
		raw = client;
	});

	test('SET NX PX outside the session prefix; one holder at a time across connections', async () => {
		const store = await RedisStore.open(server.url, {prefix: 'locktest:session:'});
		const other = await RedisStore.open(server.url, {prefix: 'locktest:session:'});
		try {
			const lock = await store.lock('github');
			const key = `${LOCK_KEY_PREFIX}locktest:session:github`;
			const ttl = await raw.pTTL(key);
			expect(ttl).toBeGreaterThan(0);
			expect(ttl).toBeLessThanOrEqual(LOCK_STALE_MS);
			expect(await store.list()).toEqual([]);
			await lock.release();
			expect(await raw.exists(key)).toBe(0);
			await exercise(store, other);
		} finally {
			await store.close();
			await other.close();
		}
	});

	test("a crashed holder's lock lapses by its PX; release leaves a lock taken since", async () => {
		const store = await RedisStore.open(server.url, {prefix: 'locktest2:session:'});
		try {
			const key = `${LOCK_KEY_PREFIX}locktest2:session:github`;
			await raw.set(key, 'crashed', {expiration: {type: 'PX', value: 300}});
			await (await store.lock('github', {waitMs: 5000})).release();
			const lock = await store.lock('github');
			await raw.set(key, 'theirs');
			await lock.release();
			expect(await raw.get(key)).toBe('theirs');
		} finally {
			await raw.del(`${LOCK_KEY_PREFIX}locktest2:session:github`);
			await store.close();
		}
	});
});
