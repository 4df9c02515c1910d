// The inspector on Redis follows keyspace events: a session another client writes, deletes or
// lets expire changes the view without a rescan (the tests make every rescan an hour away), on
// one node and on every master of a cluster; with events off it says so once, and polls.
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {encodeSession} from '../source/session/codec.js';
import {RedisStore} from '../source/session/redis/index.js';
import {HOUR, keys, openApp} from './helpers/ink.js';
import {
	type RawRedisClient,
	type RawRedisClusterClient,
	type RedisCluster,
	type RedisServer,
	redisCli,
	redisServerAvailable,
	startRedisServer,
	useRedisCluster,
	useRedisServer,
	waitFor,
	which,
} from './helpers/redis-server.js';
import {makeSession, makeUser} from './helpers/session-dir.js';

const available = redisServerAvailable() && which('redis-cli') !== undefined;

// No rescan in the time a test runs: whatever the view shows after its first listing came by an
// event. Only a failed listing or a dropped subscription lists again.
const EVENTS_ONLY = {pollMs: HOUR, safetyRescanMs: HOUR};

const line = (frame: string, id: string) =>
	frame.split('\n').find((l) => l.slice(2).startsWith(`${id} `)) ?? '';

/** The value another stacktower instance writes for session `id`, expiring in `ttlMs`. */
function sessionValue(id: string, ttlMs = HOUR): string {
	return encodeSession(makeSession(id, ttlMs));
}

/** Waits until the server on `port` has exactly `count` subscribed patterns (PUBSUB NUMPAT). */
function patterns(port: number, count: number): Promise<void> {
	return waitFor(
		async () => (await redisCli(['-p', String(port), 'PUBSUB', 'NUMPAT'])).trim() === String(count),
		`${count} pattern subscriptions on port ${port}`,
	);
}

describe.skipIf(!available)('the inspector on one Redis node', () => {
	let server: RedisServer;
	let raw: RawRedisClient;
	useRedisServer((started, client) => {
		server = started;
		raw = client;
	});
	const stores: RedisStore[] = [];
	afterAll(async () => {
		await Promise.all(stores.map((store) => store.close()));
	});

	/** A store on `prefix`, the server's events set to `flags`, and no subscription left over. */
	async function storeWith(prefix: string, flags: string): Promise<RedisStore> {
		await raw.configSet('notify-keyspace-events', flags);
		await patterns(server.port, 0);
		const store = await RedisStore.open(server.url, {prefix});
		stores.push(store);
		return store;
	}

	test('a session another client sets appears, keeping the selection; one it rewrites changes in place', async () => {
		const store = await storeWith('one:', 'KEA');
		await raw.set('one:m-first', sessionValue('m-first', 2 * HOUR), {PX: 2 * HOUR});
		await raw.set('one:z-second', sessionValue('z-second', 3 * HOUR), {PX: 3 * HOUR});
		const ui = openApp(store, {timing: EVENTS_ONLY});
		await ui.see('z-second');
		await ui.press(keys.down, (f) => line(f, 'z-second').startsWith('❯'));
		await patterns(server.port, 1);

		// Expires sooner, so it sorts above the selected row.
		await raw.set('one:a-new', sessionValue('a-new', HOUR / 2), {PX: HOUR / 2});
		await ui.until((f) => line(f, 'a-new').includes('@anew'));
		expect(line(ui.frame(), 'z-second').startsWith('❯')).toBe(true);
		expect(ui.frame()).toContain('3 active · 0 expired');

		// Another user logs in under the same id: the row follows.
		await raw.set(
			'one:a-new',
			encodeSession(makeSession('a-new', HOUR / 2, {user: makeUser('relogged')})),
			{PX: HOUR / 2},
		);
		await ui.until((f) => line(f, 'a-new').includes('@relogged'));
		expect(ui.frame()).toContain('3 active · 0 expired');
	});

	test('a session another client deletes, or that expires in Redis, goes from the view', async () => {
		const store = await storeWith('two:', 'KEA');
		await raw.set('two:keeper', sessionValue('keeper'), {PX: HOUR});
		await raw.set('two:doomed', sessionValue('doomed'), {PX: HOUR});
		const ui = openApp(store, {timing: EVENTS_ONLY});
		await ui.until((f) => line(f, 'keeper') !== '' && line(f, 'doomed') !== '');
		await patterns(server.port, 1);

		await raw.del('two:doomed');
		await ui.until((f) => line(f, 'doomed') === '');
		expect(line(ui.frame(), 'keeper')).not.toBe('');

		// A key Redis expires itself: it shows while it lasts, then goes on the `expired` event.
		await raw.set('two:brief', sessionValue('brief'), {PX: 1500});
		await ui.until((f) => line(f, 'brief') !== '');
		await ui.until((f) => line(f, 'brief') === '');
		expect(ui.frame()).toContain('1 active · 0 expired');
	});

	test('a session set after the first listing and before the subscription shows without a safety rescan', async () => {
		const store = await storeWith('gap:', 'KEA');
		await raw.set('gap:listed', sessionValue('listed'), {PX: HOUR});
		// Another client writes while the inspector is between its listing and its subscription:
		// no event can carry this one.
		const late = new Proxy(store, {
			get(target, property) {
				if (property === 'watch') {
					return async (options: Parameters<RedisStore['watch']>[0]) => {
						await raw.set('gap:unseen', sessionValue('unseen'), {PX: HOUR});
						return target.watch(options);
					};
				}

				const value: unknown = Reflect.get(target, property, target);
				return typeof value === 'function' ? value.bind(target) : value;
			},
		});
		const ui = openApp(late, {timing: EVENTS_ONLY});
		await ui.until((f) => line(f, 'listed') !== '');
		await ui.until((f) => line(f, 'unseen') !== '');
		expect(ui.frame()).toContain('2 active · 0 expired');
	});

	test('with keyspace events off the status line says why, once, and the view is polled', async () => {
		const store = await storeWith('off:', '');
		await raw.set('off:first', sessionValue('first'), {PX: HOUR});
		const ui = openApp(store, {width: 140, timing: {pollMs: 200}});
		await ui.see(
			`polling: Redis at 127.0.0.1:${server.port} has notify-keyspace-events "", without Kg$xe; --redis-events turns them on`,
		);
		expect(await raw.configGet('notify-keyspace-events')).toEqual({'notify-keyspace-events': ''});
		await raw.set('off:later', sessionValue('later'), {PX: HOUR});
		await ui.until((f) => line(f, 'later') !== '');
		// The message goes with the next key, and is not said again by the rescans.
		await ui.press(keys.down, (f) => !f.includes('polling:'));
		await raw.set('off:last', sessionValue('last'), {PX: HOUR});
		await ui.until((f) => line(f, 'last') !== '');
		expect(ui.frame()).not.toContain('polling:');
	});
});

describe.skipIf(!available)('the inspector when Redis goes away with events on', () => {
	let server: RedisServer;
	let store: RedisStore;
	beforeAll(async () => {
		server = await startRedisServer({args: ['--notify-keyspace-events', 'KEA']});
		store = await RedisStore.open(server.url, {prefix: 'gone:'});
	});
	afterAll(async () => {
		await store?.close();
		await server?.stop();
	});

	test('killed: the error shows without waiting for a rescan; back: the view follows again', async () => {
		await store.set(makeSession('before', HOUR));
		// With events flowing the next rescan is an hour away; a failed listing is retried as
		// often as without events (the store may reconnect after its subscription does).
		const ui = openApp(store, {timing: {...EVENTS_ONLY, pollMs: 200}});
		await ui.until((f) => line(f, 'before') !== '');
		await patterns(server.port, 1);

		await server.kill();
		await ui.see(`Redis at 127.0.0.1:${server.port} is unavailable`);

		// No persistence: the restarted server is empty; the dropped subscription coming back
		// lists again, and events flow once more.
		await server.restart();
		await ui.until((f) => f.includes('0 active') && !f.includes('unavailable'));
		await patterns(server.port, 1);
		await redisCli([
			'-p',
			String(server.port),
			'SET',
			'gone:after',
			sessionValue('after'),
			'PX',
			String(HOUR),
		]);
		await ui.until((f) => line(f, 'after') !== '');
	});
});

describe.skipIf(!available)('the inspector on a Redis Cluster', () => {
	let cluster: RedisCluster;
	let raw: RawRedisClusterClient;
	useRedisCluster(
		(started, client) => {
			cluster = started;
			raw = client;
		},
		{args: ['--notify-keyspace-events', 'KEA']},
	);

	test('a change on each master reaches the view', async () => {
		const store = await RedisStore.open(cluster.url, {prefix: 'cl:'});
		// One session id on each master: the events of a key come only from the node that holds it.
		const byMaster = new Map<number, string>();
		for (let i = 0; byMaster.size < 3 && i < 100; i++) {
			const master = await cluster.masterOf(`cl:s${i}`);
			if (!byMaster.has(master.port)) byMaster.set(master.port, `s${i}`);
		}
		expect(byMaster.size).toBe(3);
		try {
			const ui = openApp(store, {timing: EVENTS_ONLY});
			await ui.see('no sessions');
			for (const port of byMaster.keys()) await patterns(port, 1);

			for (const id of byMaster.values()) await raw.set(`cl:${id}`, sessionValue(id), {PX: HOUR});
			await ui.until((f) => [...byMaster.values()].every((id) => line(f, id) !== ''));
			for (const id of byMaster.values()) await raw.del(`cl:${id}`);
			await ui.until((f) => [...byMaster.values()].every((id) => line(f, id) === ''));
		} finally {
			await store.close();
		}
	});
});
