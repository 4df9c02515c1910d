// RedisStore.watch: changes under the prefix reported from keyspace events, on a real
// redis-server and on a real cluster (every master, every node configured, failover followed).
// Nothing here rescans: a change seen is a change an event reported.
import {createClient} from 'redis';
import {describe, expect, test} from 'vitest';
import {encodeSession} from '../source/session/codec.js';
import {RedisStore} from '../source/session/redis/index.js';
import type {StoreChange, StoreWatch} from '../source/session/store.js';
import {
	type RawRedisClusterClient,
	type RedisCluster,
	redisCli,
	redisClusterAvailable,
	startRedisServer,
	useRedisCluster,
	waitFor,
} from './helpers/redis-server.js';
import {makeSession} from './helpers/session-dir.js';

const available = redisClusterAvailable();

const session = (id: string) => makeSession(id, 60 * 60 * 1000, {user: null});

/** Watches `store`, keeping every change reported. */
async function watching(store: RedisStore) {
	const changes: StoreChange[] = [];
	let resyncs = 0;
	const watch: StoreWatch = await store.watch({
		onChange: (change) => changes.push(change),
		onResync: () => resyncs++,
	});
	/** Waits for the `times`th change of that type to `id`. */
	const saw = (type: StoreChange['type'], id: string, times = 1) =>
		waitFor(
			() => changes.filter((change) => change.type === type && change.id === id).length >= times,
			`a ${type} change of ${id}`,
			10_000,
		);
	return {watch, changes, saw, resyncs: () => resyncs};
}

async function flagsOf(port: number): Promise<string> {
	const reply = await redisCli(['-p', String(port), 'CONFIG', 'GET', 'notify-keyspace-events']);
	return reply.trim().split('\n')[1]?.trim() ?? '';
}

describe.skipIf(!available)('keyspace events on one node', () => {
	test('already on: SET, DEL and an expiry by another client are reported, other prefixes are not', async () => {
		const server = await startRedisServer({args: ['--notify-keyspace-events', 'KA']});
		const store = await RedisStore.open(server.url, {prefix: 'ev:'});
		const other = createClient({url: server.url});
		await other.connect();
		const {watch, changes, saw} = await watching(store);
		try {
			expect(watch.status).toEqual({mode: 'events', nodes: 1});
			await other.set('ev:one', encodeSession(session('one')));
			await saw('set', 'one');
			await other.del('ev:one');
			await saw('removed', 'one');
			await other.set('ev:short', encodeSession(session('short')), {PX: 30});
			await saw('removed', 'short');
			await other.set('elsewhere:x', '1');
			await other.set('ev:last', '1');
			await saw('set', 'last');
			expect(changes.map((change) => change.id)).not.toContain('x');
			// The store's own writes are events too: another inspector sees them.
			await store.delete('last');
			await saw('removed', 'last');
			expect(await store.lookup('short')).toBeNull();
		} finally {
			await watch.close();
			other.destroy();
			await store.close();
			await server.stop();
		}
	});

	test('off: the watch polls and says how to turn events on; the server setting is left alone', async () => {
		const server = await startRedisServer({args: ['--notify-keyspace-events', 'Elm']});
		const store = await RedisStore.open(server.url);
		try {
			const before = await flagsOf(server.port);
			const watch = await store.watch({onChange: () => undefined});
			expect(watch.status).toEqual({
				mode: 'polling',
				reason: `Redis at 127.0.0.1:${server.port} has notify-keyspace-events ${JSON.stringify(before)}, without Kg$xe; --redis-events turns them on`,
			});
			expect(await flagsOf(server.port)).toBe(before);
			await watch.close();
		} finally {
			await store.close();
			await server.stop();
		}
	});

	test('enable: the needed flags are merged into the current value, existing ones kept', async () => {
		const server = await startRedisServer({args: ['--notify-keyspace-events', 'Elm']});
		const store = await RedisStore.open(server.url, {prefix: 'en:', keyspaceEvents: 'enable'});
		const {watch, saw} = await watching(store);
		try {
			expect(watch.status.mode).toBe('events');
			const flags = await flagsOf(server.port);
			for (const flag of 'ElmKg$xe') expect(flags).toContain(flag);
			await redisCli(['-p', String(server.port), 'SET', 'en:new', 'x']);
			await saw('set', 'new');
		} finally {
			await watch.close();
			await store.close();
			await server.stop();
		}
	});

	test('CONFIG refused (as managed Redis does): the watch polls and says why', async () => {
		const server = await startRedisServer({args: ['--rename-command', 'CONFIG', '']});
		const store = await RedisStore.open(server.url, {keyspaceEvents: 'enable'});
		try {
			const watch = await store.watch({onChange: () => undefined});
			expect(watch.status.mode).toBe('polling');
			expect(watch.status).toMatchObject({
				reason: expect.stringMatching(
					/^keyspace events cannot be checked \(.*unknown command.*CONFIG.*\); rescanning instead$/i,
				),
			});
			await watch.close();
		} finally {
			await store.close();
			await server.stop();
		}
	});
});

describe.skipIf(!available)('keyspace events on a cluster', () => {
	let cluster: RedisCluster;
	let raw: RawRedisClusterClient;
	useRedisCluster(
		(started, client) => {
			cluster = started;
			raw = client;
		},
		{args: ['--notify-keyspace-events', 'El']},
	);

	test('enable on every node, replicas included; changes on every master reported; a failover followed', async () => {
		const store = await RedisStore.open(cluster.url, {
			prefix: 'cev:',
			keyspaceEvents: 'enable',
			commandTimeoutMs: 500,
		});
		const {watch, saw, resyncs} = await watching(store);
		try {
			expect(watch.status).toEqual({mode: 'events', nodes: 3});
			for (const node of cluster.nodes) {
				const flags = await flagsOf(node.port);
				for (const flag of 'ElKg$xe') expect(flags).toContain(flag);
			}

			// Keys on each of the three masters.
			const ids = Array.from({length: 12}, (_, i) => `k-${i}`);
			for (const id of ids) await raw.set(`cev:${id}`, encodeSession(session(id)));
			for (const id of ids) await saw('set', id);
			const masters = new Set<number>();
			for (const id of ids) masters.add((await cluster.masterOf(`cev:${id}`)).port);
			expect(masters.size).toBe(3);
			await raw.del('cev:k-1');
			await saw('removed', 'k-1');

			// A master killed: once its replica has taken over, changes there are reported again.
			const victim = await cluster.masterOf('cev:k-0');
			await cluster.replicated();
			await victim.kill();
			await cluster.healed();
			await waitFor(() => resyncs() > 0, 'the watch to say it may have missed changes', 15_000);
			const promoted = await cluster.masterOf('cev:k-0');
			expect(promoted.port).not.toBe(victim.port);
			// The resync above comes as the victim's subscription drops; the new master's comes after.
			await waitFor(
				async () =>
					(await redisCli(['-p', String(promoted.port), 'PUBSUB', 'NUMPAT'])).trim() === '1',
				'the watch to subscribe at the promoted master',
				15_000,
			);
			// By redis-cli: the raw client would queue for the dead master without end.
			await redisCli(['-p', String(promoted.port), 'SET', 'cev:k-0', 'again']);
			await saw('set', 'k-0', 2);
		} finally {
			await watch.close();
			await store.close();
		}
	}, 90_000);
});
