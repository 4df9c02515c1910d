import {describe, expect, test} from 'vitest';
import {encodeSession} from '../source/session/codec.js';
import {CorruptError} from '../source/session/errors.js';
import {RedisStateStore, RedisStore} from '../source/session/redis/index.js';
import {
	type RawRedisClusterClient,
	type RedisCluster,
	redisClusterAvailable,
	useRedisCluster,
} from './helpers/redis-server.js';
import {makeSession} from './helpers/session-dir.js';

const available = redisClusterAvailable();

const session = (id: string) => makeSession(id, 60 * 60 * 1000, {user: null});

describe.skipIf(!available)('Redis Cluster', () => {
	let cluster: RedisCluster;
	let raw: RawRedisClusterClient;
	useRedisCluster((started, client) => {
		cluster = started;
		raw = client;
	});

	test('any node URL: every session on every master is listed once, read per node', async () => {
		// The last node is a replica: the URL of any node finds the whole cluster.
		const url = cluster.nodes.at(-1)?.url ?? cluster.url;
		const store = await RedisStore.open(url, {prefix: 'c1:'});
		try {
			const ids = Array.from({length: 600}, (_, i) => `s-${i}`);
			for (const id of ids) await store.set(session(id));
			await raw.set('c1:wrong-id', encodeSession(session('other')));
			await raw.hSet('c1:a-hash', 'field', 'value');
			await raw.set('c1:huge', `{"id": "huge", "x": "${'x'.repeat(2 * 1024 * 1024)}"}`);
			const entries = await store.list();
			const listed = entries.map((entry) => entry.id).sort();
			expect(listed).toEqual([...ids, 'wrong-id', 'a-hash', 'huge'].sort());
			const byId = new Map(entries.map((entry) => [entry.id, entry]));
			expect(byId.get('s-1')).toMatchObject({kind: 'session'});
			expect(byId.get('wrong-id')).toMatchObject({
				kind: 'unreadable',
				reason: 'the id field does not match the key',
			});
			expect(byId.get('a-hash')).toMatchObject({kind: 'unreadable'});
			expect(byId.get('huge')).toMatchObject({
				kind: 'unreadable',
				reason: 'it is larger than 1 MiB',
			});
			// The keys really are spread: each master holds some.
			let mastersWithKeys = 0;
			for (const master of raw.masters) {
				const client = await raw.nodeClient(master);
				if ((await client.scan('0', {MATCH: 'c1:*', COUNT: 1000})).keys.length > 0) {
					mastersWithKeys++;
				}
			}

			expect(mastersWithKeys).toBe(3);
			expect(await store.get('s-7')).toMatchObject({id: 's-7'});
			await expect(store.get('huge')).rejects.toBeInstanceOf(CorruptError);
			await store.delete('s-7');
			expect(await store.get('s-7')).toBeNull();
			expect(store.describe()).toBe(`${url} c1:*`);
		} finally {
			await store.close();
		}
	});

	test('a key moved to another master mid-resharding is listed with its value', async () => {
		const store = await RedisStore.open(cluster.url, {prefix: 'c2:'});
		const key = 'c2:moving';
		const slot = String(await raw.sendCommand(key, true, ['CLUSTER', 'KEYSLOT', key]));
		const masters = raw.masters;
		await store.set(session('moving'));
		const owner = raw.slots[Number(slot)]?.master;
		if (!owner) throw new Error(`no master serves slot ${slot}`);
		const from = masters.indexOf(owner);
		const [sourceNode, targetNode] = [masters[from], masters[(from + 1) % masters.length]];
		if (!sourceNode || !targetNode) throw new Error(`slot ${slot}'s master is not a master`);
		const source = await raw.nodeClient(sourceNode);
		const target = await raw.nodeClient(targetNode);
		try {
			// The slot's one key moved as `redis-cli --cluster reshard` moves it, the slot half-way.
			await target.sendCommand(['CLUSTER', 'SETSLOT', slot, 'IMPORTING', sourceNode.id]);
			await source.sendCommand(['CLUSTER', 'SETSLOT', slot, 'MIGRATING', targetNode.id]);
			await source.sendCommand([
				'MIGRATE',
				targetNode.host,
				String(targetNode.port),
				key,
				'0',
				'5000',
			]);
			// The target's SCAN lists the key, but a plain read there is MOVED: the slot is not its own yet.
			await expect(target.get(key)).rejects.toThrow(/^MOVED /);
			const entries = await store.list();
			expect(entries.filter((entry) => entry.id === 'moving')).toMatchObject([
				{kind: 'session', session: {id: 'moving'}},
			]);
		} finally {
			// The move finished (as the reshard would), so the cluster is stable for the tests after.
			for (const client of [target, source]) {
				await client.sendCommand(['CLUSTER', 'SETSLOT', slot, 'NODE', targetNode.id]);
			}

			await store.close();
		}
	});

	test('a state validates once, on its own slot', async () => {
		const states = await RedisStateStore.open(cluster.url);
		try {
			const generated = await Promise.all(Array.from({length: 20}, () => states.generate()));
			for (const state of generated) {
				const results = await Promise.all([states.validate(state), states.validate(state)]);
				expect(results.filter(Boolean)).toHaveLength(1);
			}
		} finally {
			await states.close();
		}
	});
});
