// OAuth states in Redis: single use across every instance of a deployment.
import {CorruptError, StoreUnavailableError} from '../errors.js';
import {generateState} from '../ids.js';
import {assertTtl, DEFAULT_STATE_TTL_MS} from '../session.js';
import type {StateStore} from '../store.js';
import type {AnyRedisClient} from './client.js';
import {Connection, connectionTo} from './connection.js';
import {DEFAULT_STATE_PREFIX, type RedisStoreOptions, resolveOptions} from './options.js';

// Longer than any state we generate (43 characters) with room for other generators, short
// enough that a hostile callback cannot make us send megabytes to Redis.
const MAX_STATE_LENGTH = 256;

/**
 * OAuth states in Redis: `generate` is `SET <prefix><state> 1 NX PX <ttl>`, `validate` is
 * `GETDEL`, so a state is consumed atomically: of many instances validating one state at once,
 * exactly one gets true. When Redis cannot answer, `validate` rejects with a
 * StoreUnavailableError: it fails closed, never resolving true, and the caller learns why.
 */
export class RedisStateStore implements StateStore {
	readonly #connection: Connection;
	readonly #prefix: string;

	/** As RedisStore.open; the default prefix is `stacktower:state:`. */
	static async open(
		urlOrClient: string | AnyRedisClient,
		options: Omit<RedisStoreOptions, 'now'> = {},
	): Promise<RedisStateStore> {
		const resolved = resolveOptions(options, DEFAULT_STATE_PREFIX);
		return new RedisStateStore(await connectionTo(urlOrClient, resolved), options);
	}

	/**
	 * Use `RedisStateStore.open`. Takes a connected client of the caller's (which stays the caller's), or
	 * the Connection that open() made.
	 */
	constructor(client: AnyRedisClient | Connection, options: Omit<RedisStoreOptions, 'now'> = {}) {
		const resolved = resolveOptions(options, DEFAULT_STATE_PREFIX);
		this.#connection =
			client instanceof Connection
				? client
				: new Connection(client, false, resolved.commandTimeoutMs);
		this.#prefix = resolved.prefix;
	}

	async generate(ttlMs: number = DEFAULT_STATE_TTL_MS): Promise<string> {
		assertTtl(ttlMs);
		const px = Math.max(1, Math.ceil(ttlMs));
		// 256 random bits never collide in practice; NX makes sure one never overwrites another.
		for (let attempt = 0; attempt < 3; attempt++) {
			const state = generateState();
			const reply = await this.#connection.run(
				(c) =>
					c.set(this.#prefix + state, '1', {expiration: {type: 'PX', value: px}, condition: 'NX'}),
				{write: true},
			);
			if (reply !== null) return state;
		}

		throw new StoreUnavailableError(
			`Redis at ${this.#connection.server} refused three fresh states in a row; check what writes under ${this.#prefix}`,
		);
	}

	/**
	 * True exactly once for a state generate() made that has not expired; false for any other
	 * string. Rejects with a StoreUnavailableError when Redis cannot answer (fails closed: never
	 * true unchecked), and says a timed-out GETDEL may have consumed the state.
	 */
	async validate(state: string): Promise<boolean> {
		// Checked without a round trip: nothing we generate looks like these.
		if (typeof state !== 'string' || state === '' || state.length > MAX_STATE_LENGTH) {
			return false;
		}

		const key = this.#prefix + state;
		try {
			return (await this.#connection.run((c) => c.getDel(key), {key, write: true})) !== null;
		} catch (error) {
			// A hash or list under the state prefix is not a state we made.
			if (error instanceof CorruptError) return false;
			throw error;
		}
	}

	/** Redis expires states itself: nothing to remove. */
	async cleanup(): Promise<number> {
		return 0;
	}

	async close(): Promise<void> {
		await this.#connection.close();
	}
}
