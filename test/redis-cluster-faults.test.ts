import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {StoreUnavailableError} from '../source/session/errors.js';
import {RedisStateStore, RedisStore} from '../source/session/redis/index.js';
import {
	type RawRedisClusterClient,
	type RedisCluster,
	redisCli,
	redisClusterAvailable,
	startRedisCluster,
	startRedisServer,
	useRedisCluster,
	waitFor,
} from './helpers/redis-server.js';
import {makeSession} from './helpers/session-dir.js';

const available = redisClusterAvailable();
const COMMAND_TIMEOUT_MS = 500;
// A call settles by its deadline plus the watchdog's tick and the event loop's slack.
const BOUND_MS = COMMAND_TIMEOUT_MS + 1000;

const session = (id: string) => makeSession(id, 60 * 60 * 1000, {user: null});

/** How `promise` settled, and how long it took. */
async function settle<T>(promise: Promise<T>): Promise<{value?: T; error?: unknown; ms: number}> {
	const started = performance.now();
	try {
		const value = await promise;
		return {value, ms: performance.now() - started};
	} catch (error) {
		return {error, ms: performance.now() - started};
	}
}

describe.skipIf(!available)('Redis Cluster failover', () => {
	let cluster: RedisCluster;

	beforeAll(async () => {
		cluster = await startRedisCluster();
	}, 120_000);

	afterAll(async () => {
		await cluster?.stop();
	});

	test('a master killed: calls fail within the bound naming Redis; once its replica is promoted the same stores work', async () => {
		// The node the URL names is the one killed: the stores must find the cluster without it.
		const victim = await cluster.masterOf('fo:s-0');
		const store = await RedisStore.open(victim.url, {
			prefix: 'fo:',
			commandTimeoutMs: COMMAND_TIMEOUT_MS,
		});
		const states = await RedisStateStore.open(victim.url, {commandTimeoutMs: COMMAND_TIMEOUT_MS});
		try {
			const ids = Array.from({length: 60}, (_, i) => `s-${i}`);
			for (const id of ids) await store.set(session(id));
			const onVictim = ids.find((id) => id !== 's-0') ?? 's-0';
			await cluster.replicated();
			await victim.kill();

			// While the cluster notices and fails over, every call settles within its bound, and a
			// failure says which Redis and why.
			let failures = 0;
			const deadline = Date.now() + 30_000;
			for (;;) {
				const calls = await Promise.all([
					settle(store.get('s-0')),
					settle(store.list()),
					settle(store.set(session(onVictim))),
					settle(states.generate()),
				]);
				for (const call of calls) {
					expect(call.ms).toBeLessThan(BOUND_MS);
					if (call.error !== undefined) {
						failures++;
						expect(call.error).toBeInstanceOf(StoreUnavailableError);
						expect(String((call.error as Error).message)).toMatch(
							/^Redis at 127\.0\.0\.1:\d+ is unavailable \(.+\); check that every master of the Redis Cluster reached through 127\.0\.0\.1:\d+ is running/,
						);
					}
				}

				if (
					await cluster.healed(1).then(
						() => true,
						() => false,
					)
				) {
					break;
				}

				if (Date.now() > deadline) throw new Error('the cluster did not fail over in 30 s');
			}

			expect(failures).toBeGreaterThan(0);
			// Healed: the same store objects work again, without being re-opened, within a bound.
			await waitFor(
				() =>
					store.get('s-0').then(
						(value) => value?.id === 's-0',
						() => false,
					),
				'the store to read s-0 from the promoted replica',
				10_000,
			);
			// Each other call may meet the old slot map once more (the store re-reads it after a
			// failed call), so each is waited for too, within the same bound.
			let listed: string[] = [];
			await waitFor(
				() =>
					store.list().then(
						(entries) => {
							listed = entries.map((entry) => entry.id).sort();
							return true;
						},
						() => false,
					),
				'the store to list the whole cluster again',
				10_000,
			);
			expect(listed).toEqual([...ids].sort());
			await waitFor(
				() =>
					store.set(session('after')).then(
						() => true,
						() => false,
					),
				'the store to write again',
				10_000,
			);
			expect(await store.get('after')).toMatchObject({id: 'after'});
			let state = '';
			await waitFor(
				() =>
					states.generate().then(
						(value) => {
							state = value;
							return true;
						},
						() => false,
					),
				'the state store to write again',
				10_000,
			);
			expect(await states.validate(state)).toBe(true);
		} finally {
			await store.close();
			await states.close();
		}
	}, 90_000);
});

describe.skipIf(!available)('a node of no cluster', () => {
	test('a node started with cluster-enabled but never joined: open() says so, within its bound', async () => {
		const lone = await startRedisServer({
			args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'],
		});
		try {
			const opened = await settle(
				RedisStore.open(lone.url, {connectTimeoutMs: COMMAND_TIMEOUT_MS}),
			);
			expect(opened.ms).toBeLessThan(BOUND_MS);
			expect(opened.error).toBeInstanceOf(StoreUnavailableError);
			expect((opened.error as Error).message).toBe(
				`Redis at 127.0.0.1:${lone.port} is a cluster node (cluster-enabled yes) that belongs to no cluster: no hash slot is assigned to it or any node it knows; give the URL of a node of a working cluster, or create the cluster (redis-cli --cluster create)`,
			);
		} finally {
			await lone.stop();
		}
	});

	test('a standalone node (cluster_enabled:0) is used as the one node it is', async () => {
		const single = await startRedisServer();
		const store = await RedisStore.open(single.url, {prefix: 'lone:'});
		try {
			await store.set(session('only'));
			expect((await store.list()).map((entry) => entry.id)).toEqual(['only']);
		} finally {
			await store.close();
			await single.stop();
		}
	});
});

describe.skipIf(!available)('a cluster with a slot no master serves', () => {
	const unassigned = [16_001, 16_383] as const;

	test('full coverage required (the default): the cluster is down, and open() says why', async () => {
		const cluster = await startRedisCluster({unassigned});
		try {
			const opened = await settle(
				RedisStore.open(cluster.url, {connectTimeoutMs: COMMAND_TIMEOUT_MS}),
			);
			expect(opened.ms).toBeLessThan(BOUND_MS);
			expect(opened.error).toBeInstanceOf(StoreUnavailableError);
			expect((opened.error as Error).message).toContain(
				`the Redis Cluster of 127.0.0.1:${cluster.nodes[0]?.port} is down (cluster_state:fail; 16001 of 16384 hash slots served, 16001 assigned)`,
			);
		} finally {
			await cluster.stop();
		}
	}, 60_000);

	test('full coverage not required: single keys work, a listing is refused naming the slots', async () => {
		const cluster = await startRedisCluster({
			unassigned,
			args: ['--cluster-require-full-coverage', 'no'],
		});
		// A master says ok only a moment after it has joined.
		await cluster.healed();
		const store = await RedisStore.open(cluster.url, {
			prefix: 'part:',
			commandTimeoutMs: COMMAND_TIMEOUT_MS,
		});
		try {
			await store.set(session('here'));
			expect(await store.get('here')).toMatchObject({id: 'here'});
			const listed = await settle(store.list());
			expect(listed.ms).toBeLessThan(BOUND_MS);
			expect(listed.error).toBeInstanceOf(StoreUnavailableError);
			expect((listed.error as Error).message).toBe(
				`the Redis Cluster reached through 127.0.0.1:${cluster.nodes[0]?.port} has no master for 383 of 16384 hash slots (16001-16383): the sessions stored there cannot be listed; assign the slots (redis-cli --cluster fix 127.0.0.1:${cluster.nodes[0]?.port}) or bring their master back`,
			);
			await expect(store.cleanup()).rejects.toBeInstanceOf(StoreUnavailableError);
			// Once the slots have a master again, the same store lists.
			await redisCli([
				'-p',
				String(cluster.nodes[2]?.port),
				'CLUSTER',
				'ADDSLOTSRANGE',
				String(unassigned[0]),
				String(unassigned[1]),
			]);
			await waitFor(
				() =>
					store.list().then(
						(entries) => entries.length === 1,
						() => false,
					),
				'the store to list once every slot is served',
				10_000,
			);
		} finally {
			await store.close();
			await cluster.stop();
		}
	}, 60_000);
});

describe.skipIf(!available)('keys of another type on a cluster', () => {
	let cluster: RedisCluster;
	let raw: RawRedisClusterClient;
	useRedisCluster((started, client) => {
		cluster = started;
		raw = client;
	});

	test('a hash, a list, a set, a sorted set and a stream under the prefix: listed unreadable, each named by its type (TYPE, not a read)', async () => {
		const store = await RedisStore.open(cluster.url, {prefix: 'types:'});
		try {
			await store.set(session('good'));
			// Big enough that fetching one whole would show in time and memory.
			const many = Array.from({length: 50_000}, (_, i) => `member-${i}`);
			await raw.hSet(
				'types:a-hash',
				Object.fromEntries(many.slice(0, 1000).map((m) => [m, 'x'.repeat(1000)])),
			);
			await raw.rPush('types:a-list', many);
			await raw.sAdd('types:a-set', many);
			await raw.zAdd(
				'types:a-zset',
				many.slice(0, 1000).map((value, score) => ({score, value})),
			);
			await raw.xAdd('types:a-stream', '*', {field: 'value'});
			const byId = new Map((await store.list()).map((entry) => [entry.id, entry]));
			expect(byId.get('good')).toMatchObject({kind: 'session'});
			for (const [id, type] of [
				['a-hash', 'hash'],
				['a-list', 'list'],
				['a-set', 'set'],
				['a-zset', 'zset'],
				['a-stream', 'stream'],
			] as const) {
				expect(byId.get(id)).toEqual({
					kind: 'unreadable',
					id,
					reason: `the key holds a Redis ${type}, not a string`,
					location: `types:${id}`,
				});
				await expect(store.get(id)).rejects.toThrow(
					`Redis key "types:${id}" is not a valid session: the key holds a Redis value that is not a string`,
				);
			}
		} finally {
			await store.close();
		}
	});
});

describe.skipIf(!available)('a cluster master that stalls', () => {
	test('a master stopped (SIGSTOP): calls fail within the bound; once its replica is promoted the store works while it stays stopped', async () => {
		const cluster = await startRedisCluster();
		// `{06S}` hashes to slot 0: its master is the first node of the client's slot map, the one
		// it re-reads the map from after a failed call; and the URL (the fallback) names it too.
		const victim = await cluster.masterOf('{06S}');
		const store = await RedisStore.open(victim.url, {
			prefix: 'st:',
			commandTimeoutMs: COMMAND_TIMEOUT_MS,
		});
		try {
			let onVictim = '';
			for (let i = 0; onVictim === ''; i++) {
				if ((await cluster.masterOf(`st:s-${i}`)).port === victim.port) onVictim = `s-${i}`;
			}
			await store.set(session(onVictim));
			await cluster.replicated();
			victim.pause();
			let failures = 0;
			await waitFor(
				async () => {
					const call = await settle(store.get(onVictim));
					expect(call.ms).toBeLessThan(BOUND_MS);
					if (call.error === undefined) return call.value?.id === onVictim;
					failures++;
					expect(call.error).toBeInstanceOf(StoreUnavailableError);
					return false;
				},
				'the store to read from the promoted replica while the old master is stopped',
				30_000,
			);
			expect(failures).toBeGreaterThan(0);
		} finally {
			victim.resume();
			await store.close();
			await cluster.stop();
		}
	}, 90_000);
});
