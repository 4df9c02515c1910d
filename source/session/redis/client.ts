// The node-redis client: the type the stores accept, and the module, loaded on first use.
//
// Client: node-redis v5 (`redis`), the official client maintained by Redis: first-class
// TypeScript, RESP2/RESP3, and the knobs a bounded failure needs: `disableOfflineQueue` (a call
// made while the connection is down rejects at once instead of waiting in an unbounded queue),
// `commandsQueueMaxLength`, `socket.connectTimeout` and a `reconnectStrategy` with capped backoff.
import type {RedisClientType, RedisClusterType} from 'redis';

/**
 * Any node-redis v5 client (from `redis` or `@redis/client`, with or without modules, RESP2 or
 * RESP3), connected by the caller. The stores use only plain string commands on it.
 */
// biome-ignore lint/suspicious/noExplicitAny: the stores accept a client of any module/RESP flavour.
export type AnyRedisClient = RedisClientType<any, any, any, any, any>;

/** A node-redis v5 cluster client, as open() makes for a URL that names a cluster node. */
// biome-ignore lint/suspicious/noExplicitAny: as AnyRedisClient.
export type AnyRedisCluster = RedisClusterType<any, any, any, any, any>;

export type RedisModule = typeof import('redis');
let redisModule: Promise<RedisModule> | undefined;
// Loaded on first use, so importing the library (or the CLI's file commands) never pays for
// node-redis and its modules.
export function loadRedis(): Promise<RedisModule> {
	redisModule ??= import('redis').then((mod) => {
		// node-redis is CommonJS: Node gives its exports as named ones, esbuild's bundle (the
		// CLI) only as `default`.
		if (typeof mod.createClient === 'function') return mod;
		return (mod as {default?: RedisModule}).default ?? mod;
	});
	return redisModule;
}
