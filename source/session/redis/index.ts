// Sessions and OAuth states in Redis (needs Redis ≥ 6.2, for GETDEL). One job a file: url.ts
// (check and redact), options.ts, client.ts (node-redis, loaded on first use), connection.ts
// (every call bounded, close() never waits on a stalled server), store.ts, state-store.ts.
export type {AnyRedisClient} from './client.js';
export type {Connection} from './connection.js';
export {
	DEFAULT_SESSION_PREFIX,
	DEFAULT_STATE_PREFIX,
	LOCK_KEY_PREFIX,
	type RedisStoreOptions,
} from './options.js';
export {RedisStateStore} from './state-store.js';
export {RedisStore} from './store.js';
export {assertRedisUrl, redactRedisUrl} from './url.js';
