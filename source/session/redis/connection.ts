// One Redis connection as the stores use it. node-redis's per-command `timeout` only covers the
// wait to be written, not the reply, so every call here runs under its own deadline: a server
// that accepts the connection but never answers (stopped, overloaded) still gives a
// StoreUnavailableError in bounded time, and close() never waits on it.
import type {RedisClientType} from 'redis';
import {CorruptError, StoreUnavailableError} from '../errors.js';
import {type AnyRedisClient, type AnyRedisCluster, loadRedis, type RedisModule} from './client.js';
import type {ResolvedOptions} from './options.js';
import {assertRedisUrl, redactRedisUrl, serverOf, serverOfUrl} from './url.js';

export function isWrongType(error: unknown): boolean {
	return error instanceof Error && error.message.startsWith('WRONGTYPE');
}

/** How error messages name a key. */
export function whereKey(key: string): string {
	return `Redis key ${JSON.stringify(key)}`;
}

const NOT_A_STRING = 'the key holds a Redis value that is not a string';

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
// At most one topology refresh per this period: every failing call asks for one while a
// cluster fails over, and one CLUSTER SLOTS each half second is enough to notice the promotion.
const REDISCOVER_EVERY_MS = 500;
/** node-redis's slot map of a cluster client: typed public, but not documented. */
type ClusterSlots = {rediscover?: (startWith: AnyRedisClient) => Promise<void>};
class OpenAbortedError extends Error {}

/** Every key hashes to one of these slots; a cluster serves them all or is incomplete. */
const HASH_SLOTS = 16_384;

function infoField(info: string, name: string): string | undefined {
	return new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

/**
 * Throws a StoreUnavailableError unless CLUSTER INFO (of the node the URL names) shows a
 * cluster at work: a node started with cluster-enabled but never joined serves no slots, and a
 * cluster that is down answers every command with CLUSTERDOWN, so saying why at open() is
 * clearer than failing each call.
 */
function assertClusterUp(info: string, server: string): void {
	const assigned = Number(infoField(info, 'cluster_slots_assigned') ?? 0);
	if (assigned === 0) {
		throw new StoreUnavailableError(
			`Redis at ${server} is a cluster node (cluster-enabled yes) that belongs to no cluster: no hash slot is assigned to it or any node it knows; give the URL of a node of a working cluster, or create the cluster (redis-cli --cluster create)`,
		);
	}

	const state = infoField(info, 'cluster_state');
	if (state !== 'ok') {
		const served = infoField(info, 'cluster_slots_ok') ?? '?';
		throw new StoreUnavailableError(
			`the Redis Cluster of ${server} is down (cluster_state:${state}; ${served} of ${HASH_SLOTS} hash slots served, ${assigned} assigned); check that every master is running and every slot is assigned (redis-cli --cluster check ${server})`,
		);
	}
}

/**
 * Slot ranges no master serves in node-redis's map of the cluster (`16001-16383`), and how
 * many slots they hold.
 */
function unservedSlots(slots: ReadonlyArray<unknown>): {count: number; ranges: string[]} {
	const ranges: string[] = [];
	let count = 0;
	let from = -1;
	for (let slot = 0; slot <= HASH_SLOTS; slot++) {
		const missing = slot < HASH_SLOTS && slots[slot] === undefined;
		if (missing) {
			count++;
			if (from === -1) from = slot;
		} else if (from !== -1) {
			ranges.push(from === slot - 1 ? String(from) : `${from}-${slot - 1}`);
			from = -1;
		}
	}

	return {count, ranges};
}

/**
 * One Redis connection as the stores use it: every command under a deadline, every failure a
 * StoreUnavailableError that names the server and says what to do.
 */
export class Connection {
	readonly client: RedisClientType;
	readonly server: string;
	readonly url: string;
	readonly #owned: boolean;
	readonly #cluster: AnyRedisCluster | undefined;
	/** How long one command may take, reply included. */
	readonly commandTimeoutMs: number;
	#closed = false;
	#lastError: unknown;
	// Calls whose reply node-redis still awaits, timed out ones included: while there are any,
	// close() destroys the socket instead of waiting for them.
	#inFlight = 0;
	readonly #pending = new Set<PendingCall>();
	#watchdog: NodeJS.Timeout | undefined;
	#lastRediscover = -Infinity;
	#rediscoverFrom = 0;
	readonly #onError = (error: unknown) => {
		// Kept for the next message; without a listener node-redis would crash the process on a
		// lost connection, and printing each reconnect failure would flood stderr.
		this.#lastError = error;
	};

	/**
	 * A connection on `client`; `owned`: close() closes the client (open() made it), else leaves
	 * it to the caller. `cluster`: the client is a cluster client (commands routed by key).
	 */
	constructor(
		client: AnyRedisClient | AnyRedisCluster,
		owned: boolean,
		commandTimeoutMs: number,
		url?: string,
		cluster = false,
	) {
		this.client = client as unknown as RedisClientType;
		this.#cluster = cluster ? (client as AnyRedisCluster) : undefined;
		this.#owned = owned;
		this.commandTimeoutMs = commandTimeoutMs;
		this.server = url ? serverOfUrl(url) : serverOf(client as AnyRedisClient);
		this.url = url ? redactRedisUrl(url) : `redis://${this.server}`;
		client.on('error', this.#onError);
	}

	/** Connects a client of our own to `url`, rejecting within `connectTimeoutMs` when it cannot. */
	static async open(
		url: string,
		{commandTimeoutMs, connectTimeoutMs, signal}: ResolvedOptions,
	): Promise<Connection> {
		assertRedisUrl(url);
		signal?.throwIfAborted();
		const {createClient, createCluster} = await loadRedis();
		let everReady = false;
		const clientOptions = {
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
				reconnectStrategy: (retries: number, cause: Error) =>
					everReady ? Math.min(100 + retries * 100, 1000) : cause,
			},
		} as const;
		const client = createClient({url, ...clientOptions});
		const connection = new Connection(client, true, commandTimeoutMs, url);
		let cluster: ReturnType<typeof createCluster> | undefined;
		let timer: NodeJS.Timeout | undefined;
		let onAbort: () => void = () => undefined;
		// Connects to the node the URL names; a node of a Redis Cluster (INFO cluster says so) is
		// then left for a cluster client that finds every other node from it.
		const connect = async (): Promise<Connection> => {
			await client.connect();
			// A PING too: a server that wants a password the URL lacks accepts the connection,
			// and only its first command says NOAUTH. Better to say so at open().
			await client.ping();
			const info = await client.info('cluster');
			if (!/^cluster_enabled:1/m.test(info)) return connection;
			assertClusterUp(await client.clusterInfo(), connection.server);
			const parsed = new URL(url);
			cluster = createCluster({
				// The root node is asked for the slot map at connect and when a refresh from a known
				// node fails; this client is only for that, so an idle timeout bounds it (see
				// #rediscover).
				rootNodes: [{url, socket: {socketTimeout: commandTimeoutMs}}],
				// The other nodes are found by address: they get the URL's credentials and TLS here.
				defaults: {
					...clientOptions,
					...(parsed.username ? {username: decodeURIComponent(parsed.username)} : {}),
					...(parsed.password ? {password: decodeURIComponent(parsed.password)} : {}),
					...(parsed.protocol === 'rediss:' ? {socket: {...clientOptions.socket, tls: true}} : {}),
				},
			});
			client.destroy();
			const clustered = new Connection(
				cluster as unknown as AnyRedisCluster,
				true,
				commandTimeoutMs,
				url,
				true,
			);
			await cluster.connect();
			return clustered;
		};

		try {
			return await Promise.race([
				connect(),
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
			]).then((opened) => {
				everReady = true;
				return opened;
			});
		} catch (error) {
			if (client.isOpen) client.destroy();
			if (cluster?.isOpen) cluster.destroy();
			throw await connection.unavailable(error, 'connect');
		} finally {
			clearTimeout(timer);
			signal?.removeEventListener('abort', onAbort);
		}
	}

	/** Whether this is a Redis Cluster: SCAN then goes to every master, never to one node. */
	get isCluster(): boolean {
		return this.#cluster !== undefined;
	}

	/** The one node's client, or a client per master of the cluster as node-redis last mapped it. */
	masters(): Promise<RedisClientType[]> {
		const cluster = this.#cluster;
		if (!cluster) return Promise.resolve([this.client]);
		return this.run(() =>
			Promise.all(cluster.masters.map((master) => cluster.nodeClient(master))),
		) as Promise<RedisClientType[]>;
	}

	/** Re-reads a cluster's slot map soon (at most every REDISCOVER_EVERY_MS); nothing for one node. */
	refreshTopology(): void {
		this.#rediscover();
	}

	/**
	 * The clients to SCAN: the one node, or every master of a cluster (keys live on masters;
	 * a replica holds copies). Node clients are the cluster client's own, bounded as it is.
	 */
	scanTargets(): Promise<RedisClientType[]> {
		const cluster = this.#cluster;
		if (!cluster) return Promise.resolve([this.client]);
		// A slot no master serves holds keys no SCAN can reach: a list without them would look
		// complete and be wrong, so it is an error that says which slots.
		const unserved = unservedSlots(cluster.slots);
		if (unserved.count > 0) {
			this.#rediscover();
			const shown =
				unserved.ranges.slice(0, 5).join(', ') + (unserved.ranges.length > 5 ? ', …' : '');
			return Promise.reject(
				new StoreUnavailableError(
					`the Redis Cluster reached through ${this.server} has no master for ${unserved.count} of ${HASH_SLOTS} hash slots (${shown}): the sessions stored there cannot be listed; assign the slots (redis-cli --cluster fix ${this.server}) or bring their master back`,
				),
			);
		}

		return this.masters();
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
				deadline: performance.now() + this.commandTimeoutMs,
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

		this.#rediscover();
		return this.unavailable(error);
	}

	/**
	 * After a failed call on a cluster, asks node-redis to read the slot map again, from a node
	 * that answers. node-redis does so by itself only on a MOVED reply, which a killed master
	 * never sends: without this, the slots of a master that failed over stay routed to the dead
	 * node, and every call on them fails until the process restarts.
	 */
	#rediscover(): void {
		const cluster = this.#cluster;
		if (!cluster || this.#closed) return;
		const now = performance.now();
		if (now - this.#lastRediscover < REDISCOVER_EVERY_MS) return;
		this.#lastRediscover = now;
		const slots = (cluster as unknown as {_slots?: ClusterSlots})._slots;
		const ready = [...cluster.nodeByAddress.values()]
			.map((node) => node.client)
			.filter((client) => client?.isReady);
		if (typeof slots?.rediscover !== 'function' || ready.length === 0) return;
		// A stopped node still looks ready (its socket is open): each refresh asks the next one, so
		// one that never answers is not asked every time.
		this.#rediscoverFrom = (this.#rediscoverFrom + 1) % ready.length;
		const from = ready[this.#rediscoverFrom] as AnyRedisClient;
		// node-redis reads the map on a client of its own, made from these options, and lets no
		// other refresh start until that one ends: without a bound, a node that accepts the
		// connection and never answers holds every later refresh back, and the slots of a master
		// that failed over stay routed to it. The socket timeout ends that client's wait.
		const options = (from as unknown as {options?: {socket?: object}}).options;
		const bounded = {
			options: {
				...options,
				socket: {...options?.socket, socketTimeout: this.commandTimeoutMs},
			},
		};
		// Fire and forget: the call that failed has its answer; a failed refresh is asked again by
		// the next failing call.
		slots.rediscover(bounded as unknown as AnyRedisClient).catch(() => undefined);
	}

	// One sweeping timer for all calls rather than a setTimeout and a Promise.race per command,
	// which cost about twice as much per call (bench/redis-throughput.mjs runs at tens of thousands
	// of calls a second). A call rejects between its deadline and one tick later.
	#watch(): void {
		if (this.#watchdog) return;
		const tick = Math.max(10, Math.min(250, this.commandTimeoutMs / 4));
		this.#watchdog = setInterval(() => {
			const now = performance.now();
			// Calls are added in deadline order (one timeout for all, a monotonic clock), so the
			// sweep stops at the first live one.
			for (const call of this.#pending) {
				if (call.deadline > now) break;
				this.#pending.delete(call);
				this.#rediscover();
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
		// An error reply (WRONGPASS, NOAUTH, a database out of range) means the server is there;
		// CLUSTERDOWN, or a node not answering, means a cluster is missing a master.
		const clusterDown =
			cause instanceof redis.ErrorReply && cause.message.startsWith('CLUSTERDOWN');
		const advice =
			this.#cluster && (clusterDown || !(cause instanceof redis.ErrorReply))
				? `check that every master of the Redis Cluster reached through ${this.server} is running; while one fails over, calls fail until its replica has taken over`
				: cause instanceof redis.ErrorReply
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
			return `no reply within ${this.commandTimeoutMs} ms; the write may have been applied, since a stalled server can still run what it received`;
		}

		if (cause instanceof CommandDeadlineError || cause instanceof redis.TimeoutError) {
			return `no reply within ${this.commandTimeoutMs} ms`;
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
		// A cluster client has no isReady: its nodes each have their own.
		if (this.#inFlight === 0 && (this.#cluster !== undefined || this.client.isReady)) {
			await this.client.close();
		} else {
			this.client.destroy();
		}
	}
}

/** The connection for a store: its own to `url` (Connection.open), or borrowed on a caller's client. */
export async function connectionTo(
	urlOrClient: string | AnyRedisClient,
	options: ResolvedOptions,
): Promise<Connection> {
	if (typeof urlOrClient === 'string') return Connection.open(urlOrClient, options);
	return new Connection(urlOrClient, false, options.commandTimeoutMs);
}
