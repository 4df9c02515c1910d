// The sessiontest conformance checks, run against RedisStore and RedisStateStore on a real
// redis-server. Each check gets its own key prefix, so each starts from an empty store.
import {afterAll, beforeAll, describe, it} from 'vitest';
import {RedisStateStore, RedisStore} from '../source/session/redis/index.js';
import {
	describeStateStoreConformance,
	describeStoreConformance,
} from '../source/sessiontest/index.js';
import {type RedisServer, redisServerAvailable, startRedisServer} from './helpers/redis-server.js';

const available = redisServerAvailable();
let count = 0;

describe.skipIf(!available)('Redis', () => {
	let server: RedisServer;

	beforeAll(async () => {
		server = await startRedisServer();
	});

	afterAll(async () => {
		await server?.stop();
	});

	describeStoreConformance(
		'RedisStore',
		() => RedisStore.open(server.url, {prefix: `conformance:${++count}:session:`}),
		{describe, it},
		{expiresByItself: true, listable: true},
	);

	describeStateStoreConformance(
		'RedisStateStore',
		() => RedisStateStore.open(server.url, {prefix: `conformance:${++count}:state:`}),
		{describe, it},
		{expiresByItself: true},
	);
});
