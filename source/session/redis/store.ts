// Sessions in Redis, so every instance of a multi-instance deployment sees the same ones (the
// Go package's advice). Sessions are stored as their Go-format JSON, so a Go RedisStore and this
// one can share a prefix.

import type {RedisClientType} from 'redis';
import {encodeSession} from '../codec.js';
import {CorruptError, ExpiredError, LockBusyError} from '../errors.js';
import {decodeNamed, MAX_SESSION_FILE_BYTES} from '../file-store/read.js';
import {assertValidId, generateState, isValidId} from '../ids.js';
import {DEFAULT_LOCK_WAIT_MS, delay, LOCK_POLL_MS, LOCK_STALE_MS} from '../lock-timing.js';
import {assertSession, isExpired, type Session} from '../session.js';
import {
	type EachOptions,
	type ListableStore,
	type ListEntry,
	type ListOptions,
	type LockingStore,
	type LockOptions,
	listFromEach,
	type SessionLock,
	type StoreWatch,
	toListEntry,
	type WatchOptions,
} from '../store.js';
import type {AnyRedisClient} from './client.js';
import {Connection, connectionTo, isWrongType, whereKey} from './connection.js';
import {watchSessions} from './events.js';
import {
	DEFAULT_SESSION_PREFIX,
	LOCK_KEY_PREFIX,
	type RedisStoreOptions,
	resolveOptions,
} from './options.js';
import {SeenKeys} from './seen-keys.js';

// SCAN's COUNT is a hint of how many keys to examine per call; one pipeline of reads fetches
// each batch.
const SCAN_COUNT = 1000;
// The FileStore's limit for a session file, and the same words for a value over it.
const TOO_LARGE = 'it is larger than 1 MiB';
const ID_MISMATCH = 'the id field does not match the key';
// Deletes a key only while it still holds the value we judged expired: another instance may
// have refreshed the session between our read and the delete, and that session must survive;
// and a lock is released only by its holder, never after PX handed it to another.
const DELETE_IF_UNCHANGED =
	"if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/**
 * Keys under the prefix and their values, index by index: a value is null when the key is gone
 * or not a string. Two arrays rather than a pair per key: a million pairs are garbage to collect.
 */
type ScanBatch = {readonly keys: readonly string[]; readonly values: ReadonlyArray<string | null>};

/** A cluster node's answer that the key's slot is served elsewhere now. */
function isMoved(error: unknown): boolean {
	return error instanceof Error && /^(MOVED|ASK) /.test(error.message);
}

/** SCAN's MATCH is a glob: the prefix's own `* ? [ ] \` must match literally. */
function globEscape(text: string): string {
	return text.replace(/[*?[\]\\]/g, '\\$&');
}

/**
 * The value of the key for session `id` (checked with isValidId) as that session, or why it is
 * not one: not a session, over the size limit, or a session with another id (as the FileStore
 * reports a file whose id field differs from its name).
 */
function decodeKeyed(value: string, key: string, id: string): Session | {reason: string} {
	if (Buffer.byteLength(value) > MAX_SESSION_FILE_BYTES) return {reason: TOO_LARGE};
	return decodeNamed(value, key, id, ID_MISMATCH);
}

/**
 * Sessions in Redis, one string key per session holding its Go-format JSON, with a TTL of the
 * time it has left: Redis removes expired sessions itself.
 */
export class RedisStore implements ListableStore, LockingStore {
	readonly #connection: Connection;
	readonly #prefix: string;
	readonly #now: () => number;
	readonly #keyspaceEvents: 'use' | 'enable';

	/**
	 * Connects to `url` (the store then owns the connection and `close()` closes it), or uses a
	 * connected client of the caller's (which `close()` leaves open). Rejects with a TypeError
	 * for a URL that is not redis:// or rediss://, and with a StoreUnavailableError naming the
	 * server when it cannot connect within `connectTimeoutMs`.
	 */
	static async open(
		urlOrClient: string | AnyRedisClient,
		options: RedisStoreOptions = {},
	): Promise<RedisStore> {
		const resolved = resolveOptions(options, DEFAULT_SESSION_PREFIX);
		return new RedisStore(await connectionTo(urlOrClient, resolved), options);
	}

	/**
	 * Use `RedisStore.open`. Takes a connected client of the caller's (which stays the caller's), or
	 * the Connection that open() made.
	 */
	constructor(client: AnyRedisClient | Connection, options: RedisStoreOptions = {}) {
		const resolved = resolveOptions(options, DEFAULT_SESSION_PREFIX);
		this.#connection =
			client instanceof Connection
				? client
				: new Connection(client, false, resolved.commandTimeoutMs);
		this.#prefix = resolved.prefix;
		this.#now = resolved.now;
		this.#keyspaceEvents = resolved.keyspaceEvents;
	}

	/** The Redis key a session id is stored under. */
	key(id: string): string {
		assertValidId(id);
		return this.#prefix + id;
	}

	async get(id: string): Promise<Session | null> {
		const key = this.key(id);
		// GETRANGE reads at most one byte past the limit, where GET would fetch a value of any
		// size whole. It answers "" for a missing key: EXISTS, in the same round trip, tells.
		const [range, exists] = await this.#connection.run(
			(c) => Promise.all([c.getRange(key, 0, MAX_SESSION_FILE_BYTES), c.exists(key)]),
			{key},
		);
		const value = range ?? '';
		if (value === '' && exists === 0) return null;
		const session = decodeKeyed(value, key, id);
		if ('reason' in session) throw new CorruptError(whereKey(key), session.reason);

		// Redis expires the key on its own clock; a session that is expired by ours (clock skew,
		// or a key written without a TTL by another tool) is still never handed out.
		if (isExpired(session, this.#now())) {
			await this.#deleteIfUnchanged(key, value);
			throw new ExpiredError(id);
		}

		return session;
	}

	/**
	 * What is stored under `id`, as list() would show it: a session (an expired one included) or
	 * an unreadable entry with its reason; null when there is no key. Removes nothing, unlike
	 * get(), so a dry run or a copy can read without changing the store.
	 */
	async lookup(id: string): Promise<ListEntry | null> {
		const key = this.key(id);
		// TYPE in the same round trip tells a missing key and an empty string apart, and names
		// the type of a key that holds no string (GETRANGE then answers WRONGTYPE).
		const [range, type] = await this.#connection.run(
			(c) =>
				Promise.all([
					c.getRange(key, 0, MAX_SESSION_FILE_BYTES).catch((error: unknown) => {
						if (isWrongType(error)) return null;
						throw error;
					}),
					c.type(key),
				]),
			{key},
		);
		const kind = String(type);
		if (kind === 'none') return null;
		if (kind !== 'string') {
			return {
				kind: 'unreadable',
				id,
				reason: `the key holds a Redis ${kind}, not a string`,
				location: key,
			};
		}

		return this.#entry(key, id, (range as string | null) ?? '');
	}

	async set(session: Session): Promise<void> {
		// Checked and encoded before any command, so a session that cannot be written fails
		// without I/O.
		assertSession(session);
		const key = this.#prefix + session.id;
		const value = encodeSession(session);
		const msLeft = session.expiresAt.getTime() - this.#now();
		if (msLeft <= 0) {
			// Never a key without a TTL, and PX must be positive: an expired session is removed.
			await this.#connection.run((c) => c.del(key), {write: true});
			return;
		}

		await this.#connection.run(
			(c) => c.set(key, value, {expiration: {type: 'PX', value: Math.ceil(msLeft)}}),
			{write: true},
		);
	}

	/**
	 * Locks one session against other processes: `SET stacktower:lock:<key> <nonce> NX PX 60000`,
	 * released only by its holder (compare and delete). Outside the prefix, so listing never
	 * sees it; PX lets a crashed holder's lock lapse.
	 */
	async lock(id: string, options: LockOptions = {}): Promise<SessionLock> {
		const key = `${LOCK_KEY_PREFIX}${this.key(id)}`;
		const nonce = generateState();
		const waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
		const started = performance.now();
		let waiting = false;
		for (;;) {
			options.signal?.throwIfAborted();
			const taken = await this.#connection.run(
				(c) =>
					c.set(key, nonce, {
						expiration: {type: 'PX', value: LOCK_STALE_MS},
						condition: 'NX',
					}),
				{key, write: true},
			);
			if (taken !== null) break;
			if (performance.now() - started > waitMs)
				throw new LockBusyError(`session ${JSON.stringify(id)}`, key);
			if (!waiting) {
				waiting = true;
				options.onWait?.();
			}

			await delay(LOCK_POLL_MS, options.signal);
		}

		let released = false;
		return {
			release: async () => {
				if (released) return;
				released = true;
				await this.#deleteIfUnchanged(key, nonce);
			},
		};
	}

	async delete(id: string): Promise<void> {
		const key = this.key(id);
		await this.#connection.run((c) => c.del(key), {write: true});
	}

	/**
	 * Redis removes expired keys itself, so this usually resolves to 0. It removes (and counts)
	 * sessions that are present but expired by our clock: written without a TTL by another tool,
	 * or seen across clock skew. Values that are not sessions are left alone, as FileStore does.
	 */
	async cleanup(): Promise<number> {
		let removed = 0;
		for await (const {keys, values} of this.#scan()) {
			const now = this.#now();
			for (let i = 0; i < keys.length; i++) {
				const key = keys[i] as string;
				const value = values[i];
				if (value === null || value === undefined) continue;
				const session = decodeKeyed(value, key, key.slice(this.#prefix.length));
				if ('reason' in session) continue;
				if (isExpired(session, now)) removed += await this.#deleteIfUnchanged(key, value);
			}
		}

		return removed;
	}

	/**
	 * Every key under the prefix, by SCAN (never KEYS, which blocks the server) with values
	 * read by pipelined GETRANGEs per batch (a value over 1 MiB is unreadable, never fetched
	 * whole). A key that vanishes between the scan and the fetch is skipped;
	 * a value that is not a session is listed unreadable. Deletes nothing.
	 */
	async list(options: ListOptions = {}): Promise<ListEntry[]> {
		return listFromEach(this, options);
	}

	/**
	 * As list(), but hands each entry to `options.onEntry` as its SCAN batch arrives, awaiting
	 * the promises it returns before the next batch: `list --json` holds one batch at a time,
	 * not the store, and starts writing after the first.
	 */
	async each(options: EachOptions): Promise<void> {
		const {onEntry} = options;
		let done = 0;
		for await (const batch of this.#scan(options.signal)) {
			const types = await this.#typesOfMissing(batch);
			const {keys, values} = batch;
			const pending: Promise<void>[] = [];
			const handOver = (entry: ListEntry) => {
				done++;
				const settled = onEntry(entry);
				if (settled) pending.push(settled);
			};
			for (let i = 0; i < keys.length; i++) {
				const key = keys[i] as string;
				const value = values[i];
				const id = key.slice(this.#prefix.length);
				if (value === null || value === undefined) {
					const type = types.get(key);
					// `none`: the key expired or was deleted after the scan saw it.
					if (type === undefined || type === 'none') continue;
					if (type === 'string') {
						handOver(this.#entry(key, id, ''));
						continue;
					}

					handOver({
						kind: 'unreadable',
						id,
						reason: `the key holds a Redis ${type}, not a string`,
						location: key,
					});
					continue;
				}

				handOver(this.#entry(key, id, value));
			}

			if (pending.length > 0) await Promise.all(pending);
			options.onProgress?.(done, undefined);
		}
	}

	/**
	 * Reports each change under the prefix from Redis keyspace events (events.ts): on every
	 * master of a cluster, following failovers. With `keyspaceEvents: 'enable'` it turns them
	 * on where they are off; otherwise, or when CONFIG is refused, the status says it polls.
	 */
	watch(options: WatchOptions): Promise<StoreWatch> {
		return watchSessions(
			{
				connection: this.#connection,
				prefix: this.#prefix,
				enable: this.#keyspaceEvents === 'enable',
			},
			options,
		);
	}

	/** The URL without its password, and the key pattern: `redis://127.0.0.1:6379 stacktower:session:*`. */
	describe(): string {
		return `${this.#connection.url} ${this.#prefix}*`;
	}

	/** Closes the connection if the store opened it; a caller's client stays open. */
	async close(): Promise<void> {
		await this.#connection.close();
	}

	#entry(key: string, id: string, value: string): ListEntry {
		if (!isValidId(id)) {
			return {
				kind: 'unreadable',
				id,
				reason: 'the key does not end in a valid session id',
				location: key,
			};
		}

		return toListEntry(id, key, decodeKeyed(value, key, id));
	}

	/**
	 * Batches of keys under the prefix with their values.
	 * Every master is scanned at once, each one batch ahead: its next SCAN and reads are in flight
	 * while the caller works on a batch, so the servers' scanning and our decoding overlap
	 * instead of taking turns. Batches come in the order they arrive.
	 */
	async *#scan(signal?: AbortSignal): AsyncGenerator<ScanBatch> {
		const match = `${globEscape(this.#prefix)}*`;
		// SCAN may return a key more than once; each is handled once.
		const seen = new SeenKeys({skip: this.#prefix.length});
		// Every master of a cluster (keys live there; SCAN on one node sees only its own).
		const nodes = await this.#connection.scanTargets();
		type Step = ScanBatch & {node: number; cursor: string};
		const step = async (node: number, cursor: string): Promise<Step> => {
			signal?.throwIfAborted();
			const client = nodes[node] as RedisClientType;
			const reply = await this.#connection.run(() =>
				client.scan(cursor, {MATCH: match, COUNT: SCAN_COUNT}),
			);
			const keys = seen.fresh(reply.keys);

			const next = String(reply.cursor);
			if (keys.length === 0) return {keys, values: [], node, cursor: next};
			signal?.throwIfAborted();
			return {keys, values: await this.#readOn(client, keys), node, cursor: next};
		};

		const inFlight = new Map<number, Promise<Step>>();
		const start = (node: number, cursor: string) => {
			const next = step(node, cursor);
			// A caller that stops early (an error, an abort) leaves these unawaited: their failure
			// is not news then. Awaited, they still throw.
			next.catch(() => {});
			inFlight.set(node, next);
		};
		for (let node = 0; node < nodes.length; node++) start(node, '0');
		while (inFlight.size > 0) {
			const done = await Promise.race(inFlight.values());
			inFlight.delete(done.node);
			if (done.cursor !== '0') start(done.node, done.cursor);
			if (done.keys.length > 0) yield done;
		}
	}

	/**
	 * One GETRANGE per key, pipelined (node-redis writes the commands of one tick together): the
	 * round trips of one MGET, without fetching a huge value whole. Never a multi-key command,
	 * which a cluster refuses across slots. Sent to the node that listed the keys: the cluster
	 * client's routing of each was a quarter of the CPU time of `list --json` (BENCHMARKS.md). A
	 * key moved on since (resharding) is read through the cluster client, which follows the move.
	 */
	#readOn(node: RedisClientType, keys: string[]): Promise<Array<string | null>> {
		return this.#connection.run(async (c) => {
			const reads = keys.map((key) => node.getRange(key, 0, MAX_SESSION_FILE_BYTES));
			let values: Array<string | null>;
			try {
				values = await Promise.all(reads);
			} catch {
				// Rare (a key of another type, a slot that moved): only then a handler per key, on
				// the same replies; only a moved key is read again.
				const unlessWrongType = (error: unknown) => {
					if (isWrongType(error)) return null;
					throw error;
				};
				values = await Promise.all(
					reads.map((read, i) =>
						read.catch((error: unknown) =>
							node !== c && isMoved(error)
								? c.getRange(keys[i] as string, 0, MAX_SESSION_FILE_BYTES).catch(unlessWrongType)
								: unlessWrongType(error),
						),
					),
				);
			}

			// An empty string is told apart from a gone key by TYPE later, as a missing value.
			for (let i = 0; i < values.length; i++) if (values[i] === '') values[i] = null;
			return values;
		});
	}

	/** A null value is a key gone since the scan, an empty string, or a hash, list…; TYPE tells them apart. */
	async #typesOfMissing({keys, values}: ScanBatch): Promise<Map<string, string>> {
		const missing = keys.filter((_, i) => values[i] === null);
		const types = await Promise.all(missing.map((key) => this.#connection.run((c) => c.type(key))));
		return new Map(missing.map((key, i) => [key, String(types[i])]));
	}

	async #deleteIfUnchanged(key: string, value: string): Promise<number> {
		const removed = await this.#connection.run(
			(c) => c.eval(DELETE_IF_UNCHANGED, {keys: [key], arguments: [value]}),
			{write: true},
		);
		return Number(removed);
	}
}
