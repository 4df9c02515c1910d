// Sessions and OAuth states in Redis, so every instance of a multi-instance deployment sees
// the same ones (the Go package's advice). Sessions are stored as their Go-format JSON, so a Go
// RedisStore and this one can share a prefix.
//
// Client: node-redis v5 (`redis`), the official client maintained by Redis: first-class
// TypeScript, RESP2/RESP3, and the knobs a bounded failure needs: `disableOfflineQueue` (a call
// made while the connection is down rejects at once instead of waiting in an unbounded queue),
// `commandsQueueMaxLength`, `socket.connectTimeout` and a `reconnectStrategy` with capped backoff.
// Its per-command `timeout` only covers the wait to be written, not the reply, so every call here
// also runs under its own deadline: a server that accepts the connection but never answers
// (stopped, overloaded) still gives a StoreUnavailableError in bounded time.
//
// Needs Redis ≥ 6.2 (GETDEL).
import type {RedisClientType} from 'redis';
import {decodeStored, encodeSession} from './codec.js';
import {CorruptError, ExpiredError, LockBusyError, StoreUnavailableError} from './errors.js';
import {MAX_SESSION_FILE_BYTES} from './file-store/read.js';
import {assertValidId, generateState, isValidId} from './ids.js';
import {DEFAULT_LOCK_WAIT_MS, delay, LOCK_POLL_MS, LOCK_STALE_MS} from './lock-timing.js';
import {
	assertSession,
	assertTtl,
	DEFAULT_STATE_TTL_MS,
	isExpired,
	type Session,
} from './session.js';
import type {
	EachOptions,
	ListableStore,
	ListEntry,
	ListOptions,
	LockingStore,
	LockOptions,
	SessionLock,
	StateStore,
} from './store.js';

/**
 * Any node-redis v5 client (from `redis` or `@redis/client`, with or without modules, RESP2 or
 * RESP3), connected by the caller. The stores use only plain string commands on it.
 */
// biome-ignore lint/suspicious/noExplicitAny: the stores accept a client of any module/RESP flavour.
export type AnyRedisClient = RedisClientType<any, any, any, any, any>;

export type RedisStoreOptions = {
	/** Key prefix; each session is stored at `<prefix><id>`. Default `stacktower:session:` (states: `stacktower:state:`). */
	readonly prefix?: string;
	/** How long one command may take, reply included, before the call rejects. Default 2000 ms. */
	readonly commandTimeoutMs?: number;
	/** How long `open(url)` may take to connect before it rejects. Default 2000 ms. */
	readonly connectTimeoutMs?: number;
	/** The clock, for tests; defaults to Date.now. Redis itself expires keys on its own clock. */
	readonly now?: () => number;
	/** Aborts a pending `open(url)`: it rejects at once and leaves no socket behind. */
	readonly signal?: AbortSignal;
};

export const DEFAULT_SESSION_PREFIX = 'stacktower:session:';
/** Session locks live at `<this><session key>`: outside the default prefixes, so no listing scans them. */
export const LOCK_KEY_PREFIX = 'stacktower:lock:';
export const DEFAULT_STATE_PREFIX = 'stacktower:state:';
const DEFAULT_COMMAND_TIMEOUT_MS = 2000;
const DEFAULT_CONNECT_TIMEOUT_MS = 2000;
// SCAN's COUNT is a hint of how many keys to examine per call; one pipeline of reads fetches
// each batch.
const SCAN_COUNT = 1000;
// The FileStore's limit for a session file, and the same words for a value over it.
const TOO_LARGE = 'it is larger than 1 MiB';
const ID_MISMATCH = 'the id field does not match the key';
const NOT_A_STRING = 'the key holds a Redis value that is not a string';
// Longer than any state we generate (43 characters) with room for other generators, short
// enough that a hostile callback cannot make us send megabytes to Redis.
const MAX_STATE_LENGTH = 256;
// Deletes a key only while it still holds the value we judged expired: another instance may
// have refreshed the session between our read and the delete, and that session must survive;
// and a lock is released only by its holder, never after PX handed it to another.
const DELETE_IF_UNCHANGED =
	"if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/**
 * `redis://user:secret@host:6379/0` → `redis://user@host:6379/0`: safe to print or log, whether
 * the URL parses or not.
 */
export function redactRedisUrl(url: string): string {
	// Read from the text, not from a parse: a password with an unencoded `/`, `?`, `#` or `@`
	// makes the URL invalid (or moves the password into the host) and must be hidden all the
	// same. Everything before the last `@` is taken for credentials, at worst hiding too much.
	const scheme = /^[a-z][a-z\d+.-]*:(\/\/)?/i.exec(url);
	const lead = scheme?.[0] ?? '';
	const rest = url.slice(lead.length);
	const at = rest.lastIndexOf('@');
	if (at === -1) return url;
	const credentials = rest.slice(0, at);
	const colon = credentials.indexOf(':');
	// A user name alone is no secret, but only where `//` shows it is one.
	const user = colon === -1 ? (scheme?.[1] ? credentials : '') : credentials.slice(0, colon);
	return `${lead}${user === '' ? '' : `${user}@`}${rest.slice(at + 1)}`;
}

/** Throws a TypeError naming the (redacted) URL unless it is a usable redis:// or rediss:// URL. */
export function assertRedisUrl(url: unknown): asserts url is string {
	if (typeof url !== 'string') {
		throw new TypeError(`Expected a Redis URL string, got ${typeof url}`);
	}

	const example = 'redis://127.0.0.1:6379 (or rediss:// for TLS)';
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new TypeError(
			`Invalid Redis URL ${JSON.stringify(redactRedisUrl(url))}: expected a URL such as ${example}; in a password, percent-encode / ? # @ (as %2F %3F %23 %40)`,
		);
	}

	const shown = JSON.stringify(redactRedisUrl(url));
	if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
		throw new TypeError(`Invalid Redis URL ${shown}: expected a URL such as ${example}`);
	}

	if (parsed.hostname === '') {
		throw new TypeError(`Invalid Redis URL ${shown}: it names no host, as in ${example}`);
	}

	if (parsed.pathname !== '' && parsed.pathname !== '/' && !/^\/\d+$/.test(parsed.pathname)) {
		throw new TypeError(
			`Invalid Redis URL ${shown}: the path must be a database number, as in redis://127.0.0.1:6379/0`,
		);
	}
}

function assertTimeout(value: number, what: string): void {
	if (!Number.isFinite(value) || value <= 0) {
		throw new RangeError(`Expected ${what} to be a positive finite number, got ${String(value)}`);
	}
}

function assertPrefix(prefix: unknown): asserts prefix is string {
	if (typeof prefix !== 'string') {
		throw new TypeError(`Expected prefix to be a string, got ${typeof prefix}`);
	}
}

/** SCAN's MATCH is a glob: the prefix's own `* ? [ ] \` must match literally. */
function globEscape(text: string): string {
	return text.replace(/[*?[\]\\]/g, '\\$&');
}

function hostPort(host: string | undefined, port: number | string | undefined): string {
	const h = host ?? 'localhost';
	return `${h.includes(':') && !h.startsWith('[') ? `[${h}]` : h}:${port ?? 6379}`;
}

/** `host:port` (or the socket path) of a client, for messages. */
function serverOf(client: AnyRedisClient): string {
	const options = client.options ?? {};
	if (options.url) {
		try {
			const url = new URL(options.url);
			return hostPort(url.hostname || undefined, url.port || undefined);
		} catch {
			return redactRedisUrl(options.url);
		}
	}

	const socket = (options.socket ?? {}) as {host?: string; port?: number; path?: string};
	return socket.path ?? hostPort(socket.host, socket.port);
}

/**
 * The value of the key for session `id` (checked with isValidId) as that session, or why it is
 * not one: not a session, over the size limit, or a session with another id (as the FileStore
 * reports a file whose id field differs from its name).
 */
function decodeKeyed(value: string, key: string, id: string): Session | {reason: string} {
	if (Buffer.byteLength(value) > MAX_SESSION_FILE_BYTES) return {reason: TOO_LARGE};
	try {
		const session = decodeStored(value, key, id);
		return session.id === id ? session : {reason: ID_MISMATCH};
	} catch (error) {
		if (error instanceof CorruptError) return {reason: error.reason};
		throw error;
	}
}

function isWrongType(error: unknown): boolean {
	return error instanceof Error && error.message.startsWith('WRONGTYPE');
}

/** How error messages name a key. */
function whereKey(key: string): string {
	return `Redis key ${JSON.stringify(key)}`;
}

class CommandDeadlineError extends Error {
	constructor(readonly write: boolean) {
		super('no reply in time');
	}
}
type PendingCall = {
	readonly deadline: number;
	readonly write: boolean;
	readonly reject: (error: unknown) => void;
};
class ConnectDeadlineError extends Error {}
class OpenAbortedError extends Error {}

type RedisModule = typeof import('redis');
let redisModule: Promise<RedisModule> | undefined;
// Loaded on first use, so importing the library (or the CLI's file commands) never pays for
// node-redis and its modules.
function loadRedis(): Promise<RedisModule> {
	redisModule ??= import('redis').then((mod) => {
		// node-redis is CommonJS: Node gives its exports as named ones, esbuild's bundle (the
		// CLI) only as `default`.
		if (typeof mod.createClient === 'function') return mod;
		return (mod as {default?: RedisModule}).default ?? mod;
	});
	return redisModule;
}

/**
 * One Redis connection as the stores use it: every command under a deadline, every failure a
 * StoreUnavailableError that names the server and says what to do.
 */
class Connection {
	readonly client: RedisClientType;
	readonly server: string;
	readonly url: string;
	readonly #owned: boolean;
	readonly #commandTimeoutMs: number;
	#closed = false;
	#lastError: unknown;
	// Calls whose reply node-redis still awaits, timed out ones included: while there are any,
	// close() destroys the socket instead of waiting for them.
	#inFlight = 0;
	readonly #pending = new Set<PendingCall>();
	#watchdog: NodeJS.Timeout | undefined;
	readonly #onError = (error: unknown) => {
		// Kept for the next message; without a listener node-redis would crash the process on a
		// lost connection, and printing each reconnect failure would flood stderr.
		this.#lastError = error;
	};

	constructor(client: AnyRedisClient, owned: boolean, commandTimeoutMs: number, url?: string) {
		this.client = client as unknown as RedisClientType;
		this.#owned = owned;
		this.#commandTimeoutMs = commandTimeoutMs;
		this.server = serverOf(client);
		this.url = url ? redactRedisUrl(url) : `redis://${this.server}`;
		client.on('error', this.#onError);
	}

	/** Connects a client of our own to `url`, rejecting within `connectTimeoutMs` when it cannot. */
	static async open(
		url: string,
		commandTimeoutMs: number,
		connectTimeoutMs: number,
		signal?: AbortSignal,
	) {
		assertRedisUrl(url);
		signal?.throwIfAborted();
		const {createClient} = await loadRedis();
		let everReady = false;
		const client = createClient({
			url,
			// A call made while the connection is down fails now, rather than waiting unboundedly.
			disableOfflineQueue: true,
			commandsQueueMaxLength: 100_000,
			// Redis Enterprise push notifications: plain Redis needs no extra handshake.
			maintNotifications: 'disabled',
			socket: {
				connectTimeout: connectTimeoutMs,
				// The first connect fails at once, so open() can report it; once it has worked, keep
				// reconnecting forever with a backoff capped at 1 s, so the store works again as soon
				// as Redis is back, without a restart.
				reconnectStrategy: (retries, cause) =>
					everReady ? Math.min(100 + retries * 100, 1000) : cause,
			},
		});
		const connection = new Connection(client, true, commandTimeoutMs, url);
		let timer: NodeJS.Timeout | undefined;
		let onAbort: () => void = () => undefined;
		try {
			await Promise.race([
				// A PING too: a server that wants a password the URL lacks accepts the connection,
				// and only its first command says NOAUTH. Better to say so at open().
				client.connect().then(() => client.ping()),
				new Promise<never>((_, reject) => {
					timer = setTimeout(
						() => reject(new ConnectDeadlineError()),
						// connectTimeout covers the TCP (and TLS) connect; this also covers a server that
						// accepts but never completes the handshake.
						connectTimeoutMs + 100,
					);
					onAbort = () => reject(new OpenAbortedError());
					signal?.addEventListener('abort', onAbort, {once: true});
				}),
			]);
			everReady = true;
			return connection;
		} catch (error) {
			if (client.isOpen) client.destroy();
			throw await connection.unavailable(error, 'connect');
		} finally {
			clearTimeout(timer);
			signal?.removeEventListener('abort', onAbort);
		}
	}

	/**
	 * Runs one command under the deadline; maps every failure to a StoreUnavailableError.
	 * `key`: the key a command reads, for a CorruptError when it holds a hash, list…;
	 * `write`: a timed-out write is reported as one that may have been applied, since a stalled
	 * server can still run what it already received.
	 */
	run<T>(
		command: (client: RedisClientType) => Promise<T>,
		{key, write = false}: {key?: string; write?: boolean} = {},
	): Promise<T> {
		if (this.#closed) {
			return Promise.reject(new StoreUnavailableError(`the Redis store at ${this.url} is closed`));
		}

		let reply: Promise<T>;
		try {
			reply = command(this.client);
		} catch (error) {
			reply = Promise.reject(error);
		}

		this.#inFlight++;
		return new Promise<T>((resolve, reject) => {
			const call: PendingCall = {
				deadline: performance.now() + this.#commandTimeoutMs,
				write,
				reject,
			};
			this.#pending.add(call);
			this.#watch();
			reply.then(
				(value) => {
					this.#inFlight--;
					this.#pending.delete(call);
					resolve(value);
				},
				(error: unknown) => {
					this.#inFlight--;
					this.#pending.delete(call);
					this.#failure(error, key).then(reject, reject);
				},
			);
		});
	}

	/** `key`: the key a command read, for a CorruptError when it holds a hash, list… */
	async #failure(error: unknown, key?: string): Promise<Error> {
		if (key !== undefined && isWrongType(error)) {
			return new CorruptError(whereKey(key), NOT_A_STRING);
		}

		return this.unavailable(error);
	}

	// One sweeping timer for all calls rather than a setTimeout and a Promise.race per command,
	// which cost about twice as much per call (bench/redis-throughput.mjs runs at tens of thousands
	// of calls a second). A call rejects between its deadline and one tick later.
	#watch(): void {
		if (this.#watchdog) return;
		const tick = Math.max(10, Math.min(250, this.#commandTimeoutMs / 4));
		this.#watchdog = setInterval(() => {
			const now = performance.now();
			// Calls are added in deadline order (one timeout for all, a monotonic clock), so the
			// sweep stops at the first live one.
			for (const call of this.#pending) {
				if (call.deadline > now) break;
				this.#pending.delete(call);
				this.unavailable(new CommandDeadlineError(call.write)).then(call.reject, call.reject);
			}

			if (this.#pending.size === 0) {
				clearInterval(this.#watchdog);
				this.#watchdog = undefined;
			}
		}, tick);
		// The socket keeps the process alive while a reply is due; the watchdog alone never does.
		this.#watchdog.unref();
	}

	async unavailable(
		error: unknown,
		phase: 'connect' | 'command' = 'command',
	): Promise<StoreUnavailableError> {
		if (error instanceof StoreUnavailableError) return error;
		const redis = await loadRedis();
		const reason = this.#reason(redis, error);
		const cause = error instanceof redis.ReconnectStrategyError ? error.socketError : error;
		// An error reply (WRONGPASS, NOAUTH, a database out of range) means the server is there.
		const advice =
			cause instanceof redis.ErrorReply
				? 'check the URL (user, password, database) and the server'
				: `check that redis-server is running at ${this.server} and reachable from here`;
		const what =
			phase === 'connect'
				? `cannot connect to Redis at ${this.server}`
				: `Redis at ${this.server} is unavailable`;
		return new StoreUnavailableError(`${what} (${reason}); ${advice}`, {cause: error});
	}

	#reason(redis: RedisModule, error: unknown): string {
		let cause = error;
		if (cause instanceof redis.ReconnectStrategyError) cause = cause.socketError;
		if (cause instanceof redis.ClientOfflineError) {
			const last =
				this.#lastError && !(this.#lastError instanceof redis.ClientOfflineError)
					? `: ${this.#reason(redis, this.#lastError)}`
					: '';
			return `the connection is down and being re-established${last}`;
		}

		if (cause instanceof CommandDeadlineError && cause.write) {
			return `no reply within ${this.#commandTimeoutMs} ms; the write may have been applied, since a stalled server can still run what it received`;
		}

		if (cause instanceof CommandDeadlineError || cause instanceof redis.TimeoutError) {
			return `no reply within ${this.#commandTimeoutMs} ms`;
		}

		if (cause instanceof OpenAbortedError) return 'the store was closed while connecting';
		if (cause instanceof redis.DisconnectsClientError) {
			return 'the store was closed before it answered';
		}

		if (cause instanceof ConnectDeadlineError || cause instanceof redis.ConnectionTimeoutError) {
			return 'connecting timed out';
		}

		if (cause instanceof redis.SocketClosedUnexpectedlyError) {
			return 'the connection closed unexpectedly';
		}

		if (cause instanceof redis.ClientClosedError) return 'the client is closed';
		if (cause instanceof redis.ErrorReply) return `it replied ${JSON.stringify(cause.message)}`;
		const code = (cause as {code?: unknown} | undefined)?.code;
		if (code === 'ECONNREFUSED') return 'connection refused';
		if (code === 'ECONNRESET' || code === 'EPIPE') return 'the connection was reset';
		if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
		if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'the host is unreachable';
		if (typeof code === 'string') return code;
		return cause instanceof Error ? cause.message : String(cause);
	}

	/**
	 * Ends at once. With no reply due, node-redis closes the socket gracefully (nothing is left
	 * to wait for); with replies due (a stalled server), the socket is destroyed and those calls
	 * reject. Not close() then: in node-redis 5 it waits for every reply, unbounded, and
	 * destroy() after it throws.
	 */
	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		if (!this.#owned) {
			this.client.off('error', this.#onError);
			return;
		}

		if (!this.client.isOpen) return;
		if (this.#inFlight === 0 && this.client.isReady) {
			await this.client.close();
		} else {
			this.client.destroy();
		}
	}
}

type ConnectionOptions = Required<
	Pick<RedisStoreOptions, 'commandTimeoutMs' | 'connectTimeoutMs'>
> &
	Pick<RedisStoreOptions, 'signal'>;

function resolveOptions(options: RedisStoreOptions, defaultPrefix: string) {
	const prefix = options.prefix ?? defaultPrefix;
	assertPrefix(prefix);
	const commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
	const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
	assertTimeout(commandTimeoutMs, 'commandTimeoutMs');
	assertTimeout(connectTimeoutMs, 'connectTimeoutMs');
	return {
		prefix,
		commandTimeoutMs,
		connectTimeoutMs,
		now: options.now ?? Date.now,
		signal: options.signal,
	};
}

// Connections that open() made, handed to the constructor through the client it returns, so the
// public constructor keeps taking a plain client.
const opened = new WeakMap<AnyRedisClient, Connection>();

async function connect(
	urlOrClient: string | AnyRedisClient,
	{commandTimeoutMs, connectTimeoutMs, signal}: ConnectionOptions,
): Promise<AnyRedisClient> {
	if (typeof urlOrClient !== 'string') return urlOrClient;
	const connection = await Connection.open(urlOrClient, commandTimeoutMs, connectTimeoutMs, signal);
	opened.set(connection.client, connection);
	return connection.client;
}

function connectionFor(client: AnyRedisClient, commandTimeoutMs: number): Connection {
	const connection = opened.get(client);
	opened.delete(client);
	return connection ?? new Connection(client, false, commandTimeoutMs);
}

/**
 * Sessions in Redis, one string key per session holding its Go-format JSON, with a TTL of the
 * time it has left: Redis removes expired sessions itself.
 */
export class RedisStore implements ListableStore, LockingStore {
	readonly #connection: Connection;
	readonly #prefix: string;
	readonly #now: () => number;

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
		return new RedisStore(await connect(urlOrClient, resolved), resolved);
	}

	/** Use `RedisStore.open`; a client passed here must be connected and stays the caller's. */
	constructor(client: AnyRedisClient, options: RedisStoreOptions = {}) {
		const resolved = resolveOptions(options, DEFAULT_SESSION_PREFIX);
		this.#connection = connectionFor(client, resolved.commandTimeoutMs);
		this.#prefix = resolved.prefix;
		this.#now = resolved.now;
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

	async delete(id: string): Promise<void> {
		const key = this.key(id);
		await this.#connection.run((c) => c.del(key), {write: true});
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

	/**
	 * Redis removes expired keys itself, so this usually resolves to 0. It removes (and counts)
	 * sessions that are present but expired by our clock: written without a TTL by another tool,
	 * or seen across clock skew. Values that are not sessions are left alone, as FileStore does.
	 */
	async cleanup(): Promise<number> {
		let removed = 0;
		for await (const batch of this.#scan()) {
			const now = this.#now();
			for (const [key, value] of batch) {
				if (value === null) continue;
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
		const entries: ListEntry[] = [];
		await this.each({...options, onEntry: (entry) => void entries.push(entry)});
		return entries;
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
			const pending: Promise<void>[] = [];
			const handOver = (entry: ListEntry) => {
				done++;
				const settled = onEntry(entry);
				if (settled) pending.push(settled);
			};
			for (const [key, value] of batch) {
				const id = key.slice(this.#prefix.length);
				if (value === null) {
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

		const session = decodeKeyed(value, key, id);
		if ('reason' in session) return {kind: 'unreadable', id, reason: session.reason, location: key};
		return {kind: 'session', id, session, location: key};
	}

	/** Key/value batches under the prefix; a value is null when the key is gone or not a string. */
	async *#scan(signal?: AbortSignal): AsyncGenerator<Array<[string, string | null]>> {
		const match = `${globEscape(this.#prefix)}*`;
		// SCAN may return a key more than once; each is handled once.
		const seen = new Set<string>();
		let cursor = '0';
		do {
			signal?.throwIfAborted();
			const reply = await this.#connection.run((c) =>
				c.scan(cursor, {MATCH: match, COUNT: SCAN_COUNT}),
			);
			cursor = String(reply.cursor);
			const keys = reply.keys.map(String).filter((key) => !seen.has(key));
			for (const key of keys) seen.add(key);
			if (keys.length === 0) continue;
			signal?.throwIfAborted();
			// One GETRANGE per key, pipelined (node-redis writes the commands of one tick together):
			// the round trips of one MGET, without fetching a huge value whole. Never a multi-key
			// command, which a cluster refuses across slots.
			const values = await this.#connection.run((c) =>
				Promise.all(
					keys.map((key) =>
						c.getRange(key, 0, MAX_SESSION_FILE_BYTES).then(
							(value) => (value === '' ? null : (value as string | null)),
							(error: unknown) => {
								if (isWrongType(error)) return null;
								throw error;
							},
						),
					),
				),
			);
			yield keys.map((key, i) => [key, values[i] ?? null]);
		} while (cursor !== '0');
	}

	/** A null value is a key gone since the scan, an empty string, or a hash, list…; TYPE tells them apart. */
	async #typesOfMissing(batch: Array<[string, string | null]>): Promise<Map<string, string>> {
		const missing = batch.filter(([, value]) => value === null).map(([key]) => key);
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
		return new RedisStateStore(await connect(urlOrClient, resolved), resolved);
	}

	/** Use `RedisStateStore.open`; a client passed here must be connected and stays the caller's. */
	constructor(client: AnyRedisClient, options: Omit<RedisStoreOptions, 'now'> = {}) {
		const resolved = resolveOptions(options, DEFAULT_STATE_PREFIX);
		this.#connection = connectionFor(client, resolved.commandTimeoutMs);
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
