import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {StoreUnavailableError} from '../source/session/errors.js';
import {RedisStateStore, RedisStore} from '../source/session/redis/index.js';
import {newSession} from '../source/session/session.js';
import {runCli} from './helpers/cli.js';
import {killAllPtys, spawnCli} from './helpers/pty.js';
import {
	type RawRedisClient,
	type RedisServer,
	redisServerAvailable,
	useRedisServer,
	waitFor,
} from './helpers/redis-server.js';
import {rejection} from './helpers/rejection.js';
import {
	answerHandshakeThenStall,
	answerNothing,
	answerPingOnly,
	type StalledRedis,
	startStalledRedis,
} from './helpers/stalled-redis.js';

const COMMAND_MS = 300;

/** Resolves with what `promise` settles to, or 'pending' if it has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> {
	return Promise.race([
		promise,
		new Promise<'pending'>((resolve) => {
			setTimeout(() => resolve('pending'), ms);
		}),
	]);
}

describe('a peer that accepts and then stalls', () => {
	let peer: StalledRedis;

	beforeAll(async () => {
		peer = await startStalledRedis(answerHandshakeThenStall);
	});

	afterAll(async () => {
		killAllPtys();
		await peer?.close();
	});

	test('every call rejects within its bound; a write says it may have been applied; close() destroys the socket at once', async () => {
		const store = await RedisStore.open(peer.url, {commandTimeoutMs: COMMAND_MS});
		const states = await RedisStateStore.open(peer.url, {commandTimeoutMs: COMMAND_MS});
		expect(peer.openConnections()).toBe(2);
		const session = newSession('gho_secret-token', null, 60_000);
		for (const [name, call, write] of [
			['get', () => store.get('alice'), false],
			['list', () => store.list(), false],
			['cleanup', () => store.cleanup(), false],
			['set', () => store.set(session), true],
			['delete', () => store.delete('alice'), true],
			['generate', () => states.generate(), true],
			['validate', () => states.validate('some-state'), true],
		] as const) {
			// Bounded by the command timeout plus one sweep of the watchdog: never by the peer.
			const error = await rejection(
				within(rejection(call()), COMMAND_MS * 3).then((e) => {
					if (e === 'pending') throw new Error(`${name} did not settle within its bound`);
					throw e;
				}),
			);
			expect(error, name).toBeInstanceOf(StoreUnavailableError);
			expect(error.message, name).toContain(`no reply within ${COMMAND_MS} ms`);
			expect(error.message.includes('may have been applied'), name).toBe(write);
		}

		// A call still waiting when close() is called: close() does not wait for it.
		const waiting = rejection(store.get('bob'));
		expect(await within(store.close(), COMMAND_MS / 2)).not.toBe('pending');
		expect((await waiting).message).toContain('closed');
		expect(await within(states.close(), COMMAND_MS / 2)).not.toBe('pending');
		await waitFor(() => peer.openConnections() === 0, 'the sockets to be closed');
	});

	test('an open under way is aborted at once by its signal, leaving no socket', async () => {
		const silent = await startStalledRedis(answerNothing);
		try {
			const controller = new AbortController();
			const opening = rejection(
				RedisStore.open(silent.url, {connectTimeoutMs: 60_000, signal: controller.signal}),
			);
			await waitFor(() => silent.openConnections() === 1, 'the connection');
			controller.abort();
			const error = await within(opening, 1000);
			expect(error).not.toBe('pending');
			expect((error as Error).message).toContain('closed while connecting');
			await waitFor(() => silent.openConnections() === 0, 'the socket to be closed');
		} finally {
			await silent.close();
		}
	});

	test('a peer that answers PING only, or nothing: open rejects after the connect timeout, leaving no socket', async () => {
		for (const answer of [answerPingOnly, answerNothing]) {
			const other = await startStalledRedis(answer);
			try {
				const error = await rejection(RedisStore.open(other.url, {connectTimeoutMs: COMMAND_MS}));
				expect(error).toBeInstanceOf(StoreUnavailableError);
				expect(error.message).toContain('connecting timed out');
				await waitFor(() => other.openConnections() === 0, 'the socket to be closed');
			} finally {
				await other.close();
			}
		}
	});

	test('the CLI prints the bound it hit and exits', async () => {
		for (const args of [['list'], ['delete', 'alice'], ['cleanup']]) {
			// Well beyond the 2 s bound, well short of forever: runCli fails the test past it.
			const result = await runCli([...args, '--redis', peer.url], {timeoutMs: 15_000});
			expect(result.code, args[0]).toBe(1);
			expect(result.stderr, args[0]).toContain('no reply within 2000 ms');
		}
	});

	test('the inspector quits on q at once while a listing waits on the peer', async () => {
		const p = await spawnCli({args: ['--redis', peer.url]});
		// The first listing waits up to 2 s for its reply: quit before that.
		const scans = () => peer.received.filter(([name]) => name === 'SCAN').length;
		const before = scans();
		await p.ready(peer.url);
		await waitFor(() => scans() > before, 'the listing to ask');
		p.press('q');
		const exit = await within(p.exit, 1500);
		expect(exit).not.toBe('pending');
		expect((exit as {exitCode: number}).exitCode).toBe(0);
	});
});

describe.skipIf(!redisServerAvailable())('a real redis-server under CLIENT PAUSE', () => {
	let server: RedisServer;
	let raw: RawRedisClient;
	useRedisServer((started, client) => {
		server = started;
		raw = client;
	});

	test('a DEL that timed out is said to have maybe been applied, and was applied once the pause ends', async () => {
		const store = await RedisStore.open(server.url, {commandTimeoutMs: COMMAND_MS});
		try {
			const session = newSession('gho_secret-token', null, 60_000);
			await store.set(session);
			// Writes wait (CLIENT PAUSE WRITE); another client's reads still answer.
			await raw.sendCommand(['CLIENT', 'PAUSE', String(COMMAND_MS * 4), 'WRITE']);
			const error = await rejection(store.delete(session.id));
			expect(error).toBeInstanceOf(StoreUnavailableError);
			expect(error.message).toContain('may have been applied');
			expect(await raw.exists(store.key(session.id))).toBe(1);
			// What the server had received ran when the pause ended: the message was right.
			await waitFor(async () => (await raw.exists(store.key(session.id))) === 0, 'the DEL to run');
		} finally {
			await store.close();
		}
	});

	test('close() with a reply due ends at once and leaves no connection on the server', async () => {
		const store = await RedisStore.open(server.url, {commandTimeoutMs: 60_000});
		const clients = async () => (await raw.clientList()).filter((c) => c.name !== 'raw').length;
		const before = await clients();
		// Every client waits, ours included, until the pause ends on its own.
		await raw.sendCommand(['CLIENT', 'PAUSE', '2000', 'ALL']);
		const pending = rejection(store.get('alice'));
		expect(await within(store.close(), 500)).not.toBe('pending');
		expect((await pending).message).toContain('closed');
		await waitFor(async () => (await clients()) === before - 1, 'the connection to go');
	});
});
