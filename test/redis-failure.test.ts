// The Redis stores when Redis goes away: killed mid-use, frozen, and back again. Every call
// must settle with an error naming the server; validate must never be true; once Redis is
// back the same store objects work again.
import {afterAll, beforeAll, describe, expect, test, vi} from 'vitest';
import {InvalidIdError, StoreUnavailableError} from '../source/session/errors.js';
import {RedisStateStore, RedisStore} from '../source/session/redis/index.js';
import {newSession} from '../source/session/session.js';
import {
	type RedisServer,
	redisServerAvailable,
	startRedisServer,
	waitFor,
} from './helpers/redis-server.js';
import {rejection} from './helpers/rejection.js';

const available = redisServerAvailable();

function session(id?: string) {
	const s = newSession('gho_secret-token', null, 60 * 60 * 1000);
	return id ? {...s, id} : s;
}

/** Waits until both stores answer again: each has its own connection, reconnecting on its own. */
async function worksAgain(store: RedisStore, states: RedisStateStore): Promise<void> {
	const answers = (call: () => Promise<unknown>) => () =>
		call().then(
			() => true,
			() => false,
		);
	await waitFor(
		answers(() => store.get('probe')),
		'the session store to reconnect',
	);
	await waitFor(
		answers(() => states.validate('probe')),
		'the state store to reconnect',
	);
}

describe.skipIf(!available)('Redis failure', () => {
	let server: RedisServer;
	let store: RedisStore;
	let states: RedisStateStore;

	beforeAll(async () => {
		server = await startRedisServer();
		store = await RedisStore.open(server.url, {commandTimeoutMs: 500});
		states = await RedisStateStore.open(server.url, {commandTimeoutMs: 500});
	});

	afterAll(async () => {
		await store?.close();
		await states?.close();
		await server?.stop();
	});

	test('killed mid-use: every call rejects naming the server, validate is never true; restarted: the same stores work', async () => {
		const stderr = vi.spyOn(process.stderr, 'write');
		const kept = session();
		await store.set(kept);
		const state = await states.generate();

		// Calls in flight when the server dies all settle: a value or a StoreUnavailableError.
		const inFlight = Promise.allSettled(
			Array.from({length: 200}, (_, i) => (i % 2 ? store.set(session()) : store.get(kept.id))),
		);
		const validating = Promise.allSettled(Array.from({length: 20}, () => states.validate(state)));
		await server.kill();
		for (const outcome of await inFlight) {
			if (outcome.status === 'rejected') {
				expect(outcome.reason).toBeInstanceOf(StoreUnavailableError);
			}
		}

		// At most one validation (the one Redis answered before dying) is true.
		const validated = await validating;
		expect(validated.filter((o) => o.status === 'fulfilled' && o.value).length).toBeLessThanOrEqual(
			1,
		);

		const where = `127.0.0.1:${server.port}`;
		const calls: Array<[string, () => Promise<unknown>]> = [
			['get', () => store.get(kept.id)],
			['set', () => store.set(session())],
			['delete', () => store.delete(kept.id)],
			['list', () => store.list()],
			['cleanup', () => store.cleanup()],
			['generate', () => states.generate()],
			['validate', () => states.validate(state)],
			['validate unknown', () => states.validate('some-other-state')],
		];
		for (const [name, call] of calls) {
			const error = await rejection(call());
			expect(error, name).toBeInstanceOf(StoreUnavailableError);
			expect(error.message, name).toContain(where);
			expect(error.message, name).toContain('redis-server');
		}

		// Bad input is still reported as such, before any command.
		await expect(store.get('../x')).rejects.toBeInstanceOf(InvalidIdError);
		// The client's reconnect errors never reach the terminal.
		const written = stderr.mock.calls.map((args) => String(args[0])).join('');
		expect(written).not.toMatch(/ECONNREFUSED|Socket closed|SocketClosedUnexpectedly/);
		stderr.mockRestore();

		await server.restart();
		await worksAgain(store, states);
		// No persistence: the restarted server is empty, and the old state stays invalid.
		expect(await store.get(kept.id)).toBeNull();
		expect(await states.validate(state)).toBe(false);
		const fresh = session('after-restart');
		await store.set(fresh);
		expect(await store.get('after-restart')).toEqual(fresh);
		const next = await states.generate();
		expect(await states.validate(next)).toBe(true);
	});

	test('a frozen server: calls reject after the command timeout; thawed, the stores work again', async () => {
		const kept = session();
		await store.set(kept);
		const state = await states.generate();
		server.pause();
		try {
			const get = await rejection(store.get(kept.id));
			expect(get).toBeInstanceOf(StoreUnavailableError);
			expect(get.message).toContain(`127.0.0.1:${server.port}`);
			expect(get.message).toContain('no reply within 500 ms');
			const validate = await rejection(states.validate(state));
			expect(validate).toBeInstanceOf(StoreUnavailableError);
			expect((await rejection(store.list())).message).toContain('no reply within');
		} finally {
			server.resume();
		}

		await worksAgain(store, states);
		expect(await store.get(kept.id)).toEqual(kept);
		// The GETDEL sent while frozen ran once Redis thawed: the state is gone (fail closed: the
		// caller was told it could not be checked, and it can never be used again).
		expect(await states.validate(state)).toBe(false);
	});
});
