// Live changes to the sessions under a prefix, from Redis keyspace notifications: one PSUBSCRIBE
// connection per master (a cluster publishes a key's events only on the node that holds it),
// kept in step with the cluster's masters. Events are fire-and-forget (lost while a connection
// is down, `expired` fired when Redis gets round to it), so the watcher says when its view may
// have gaps (onResync) and the caller still rescans now and then.
import {StoreUnavailableError} from '../errors.js';
import type {StoreWatch, WatchOptions} from '../store.js';
import type {AnyRedisClient} from './client.js';
import type {Connection} from './connection.js';

/**
 * The notify-keyspace-events classes the watcher needs: K (keyspace channel), g (DEL, and the
 * `expire` of SET PX), $ (SET), x (expired), e (evicted). `A` stands for every class but K, E,
 * m, n and t… as Redis documents it.
 */
export const NEEDED_EVENT_FLAGS = 'Kg$xe';
const ALL_CLASSES = 'g$lshzxetd';

// How often the watcher checks the cluster's masters (after a failover a new master needs a
// subscription), and re-reads the slot map when a subscription is down.
const TOPOLOGY_CHECK_MS = 1000;

/** The flags `flags` lacks of NEEDED_EVENT_FLAGS (A counts as every class it stands for). */
export function missingEventFlags(flags: string): string {
	const has = (flag: string) =>
		flags.includes(flag) || (flags.includes('A') && ALL_CLASSES.includes(flag));
	return [...NEEDED_EVENT_FLAGS].filter((flag) => !has(flag)).join('');
}

/** Events that mean the key is gone; any other event on a key means it may have a new value. */
const REMOVED = new Set(['del', 'expired', 'evicted', 'rename_from']);
/** Events that change neither value nor presence (a TTL set beside SET PX). */
const IGNORED = new Set(['expire', 'persist']);

function globEscape(text: string): string {
	return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** Settles as `promise`, or rejects with `what` after `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			promise,
			new Promise<never>((_, reject) => {
				timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
			}),
		]);
	} finally {
		clearTimeout(timer);
	}
}

function addressOf(client: AnyRedisClient): string {
	const socket = (client.options?.socket ?? {}) as {host?: string; port?: number};
	return `${socket.host ?? 'localhost'}:${socket.port ?? 6379}`;
}

/** A client like `base` (credentials, TLS, timeouts) to another node of its cluster. */
function clientTo(base: AnyRedisClient, host: string, port: number): AnyRedisClient {
	const socket = {...(base.options?.socket ?? {}), host, port, reconnectStrategy: false as const};
	const client = base.duplicate({socket} as never) as AnyRedisClient;
	client.on('error', () => undefined);
	return client;
}

/** A refused CONFIG (managed Redis renames or disables it) reads as this. */
function configRefusal(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message.replace(/\s+/g, ' ').slice(0, 200);
}

type Node = {readonly host: string; readonly port: number};

export type WatchSetup = {
	readonly connection: Connection;
	readonly prefix: string;
	/** Turn keyspace events on (merging the needed flags into each node's value) when they are off. */
	readonly enable: boolean;
};

/**
 * Watches the keys under `prefix`. Resolves once subscribed (status `events`), or with status
 * `polling` and the reason when keyspace events are off and not to be turned on, when CONFIG is
 * refused, or when a node cannot be reached; never rejects for those. Every connect and command
 * is bounded by the connection's command timeout; close() destroys the subscriptions at once.
 */
export async function watchSessions(setup: WatchSetup, options: WatchOptions): Promise<StoreWatch> {
	const {connection, prefix, enable} = setup;
	const boundMs = connection.commandTimeoutMs;
	const subscribers = new Map<string, AnyRedisClient>();
	let closed = false;
	let timer: NodeJS.Timeout | undefined;

	const close = async () => {
		closed = true;
		clearInterval(timer);
		options.signal?.removeEventListener('abort', onAbort);
		for (const client of subscribers.values()) client.destroy();
		subscribers.clear();
	};
	const onAbort = () => void close();
	options.signal?.addEventListener('abort', onAbort, {once: true});

	const polling = async (reason: string): Promise<StoreWatch> => {
		await close();
		return {status: {mode: 'polling', reason}, close};
	};

	const channelPrefix = (client: AnyRedisClient) =>
		`__keyspace@${Number(client.options?.database ?? 0)}__:`;
	const onMessage = (channelStart: string) => (event: string, channel: string) => {
		if (closed || IGNORED.has(event)) return;
		const id = channel.slice(channelStart.length + prefix.length);
		options.onChange(REMOVED.has(event) ? {type: 'removed', id} : {type: 'set', id});
	};

	/** Subscribes on the master `master` (a node client of the store's own). */
	const subscribe = async (master: AnyRedisClient): Promise<void> => {
		const address = addressOf(master);
		if (subscribers.has(address)) return;
		const subscriber = master.duplicate() as AnyRedisClient;
		subscriber.on('error', () => undefined);
		subscribers.set(address, subscriber);
		let readyBefore = false;
		let up = false;
		// node-redis resubscribes by itself after a reconnect; what was published meanwhile is lost.
		subscriber.on('ready', () => {
			if (readyBefore && !closed) options.onResync?.();
			readyBefore = true;
			up = true;
		});
		// Said at the drop too, not only once back: a caller that lists now finds the server down
		// at once, instead of showing a view that silently stopped following.
		subscriber.on('reconnecting', () => {
			if (!up || closed) return;
			up = false;
			options.onResync?.();
		});
		try {
			await within(subscriber.connect(), boundMs, `subscribing at ${address}`);
			const start = channelPrefix(master);
			await within(
				subscriber.pSubscribe(`${start}${globEscape(prefix)}*`, onMessage(start)),
				boundMs,
				`subscribing at ${address}`,
			);
		} catch (error) {
			subscriber.destroy();
			subscribers.delete(address);
			throw error;
		}
	};

	try {
		const masters = await connection.masters();
		// Every node, replicas included: a replica promoted by a failover must publish too.
		const nodes: Node[] = connection.isCluster
			? await nodesOf(masters[0], boundMs)
			: masters.map((client) => {
					const [host = 'localhost', port = '6379'] = addressOf(client).split(/:(?=\d+$)/);
					return {host, port: Number(port)};
				});
		const settings = await Promise.all(
			nodes.map(async (node) => {
				const client =
					connection.isCluster && masters[0]
						? clientTo(masters[0], node.host, node.port)
						: undefined;
				const target = client ?? masters[0];
				if (!target) throw new StoreUnavailableError('no Redis node to watch');
				try {
					if (client)
						await within(client.connect(), boundMs, `connecting to ${node.host}:${node.port}`);
					const reply = (await within(
						target.configGet('notify-keyspace-events'),
						boundMs,
						`CONFIG GET at ${node.host}:${node.port}`,
					)) as Record<string, string>;
					const flags = reply['notify-keyspace-events'] ?? '';
					const missing = missingEventFlags(flags);
					if (missing !== '' && enable) {
						await within(
							target.configSet('notify-keyspace-events', flags + missing),
							boundMs,
							`CONFIG SET at ${node.host}:${node.port}`,
						);
						return {node, flags, missing: ''};
					}

					return {node, flags, missing};
				} finally {
					client?.destroy();
				}
			}),
		).catch((error: unknown) => ({error}));
		if ('error' in settings) {
			return polling(
				`keyspace events cannot be checked (${configRefusal(settings.error)}); rescanning instead`,
			);
		}

		const off = settings.find((setting) => setting.missing !== '');
		if (off) {
			return polling(
				`Redis at ${off.node.host}:${off.node.port} has notify-keyspace-events ${JSON.stringify(off.flags)}, without ${off.missing}; --redis-events turns them on`,
			);
		}

		await Promise.all(masters.map(subscribe));
	} catch (error) {
		return polling(`keyspace events are unavailable (${configRefusal(error)}); rescanning instead`);
	}

	if (connection.isCluster) {
		// A failover makes a replica a master: subscribe there, drop the gone master, and say the
		// view may have missed changes meanwhile.
		timer = setInterval(() => {
			if (closed) return;
			const down = [...subscribers.values()].some((client) => !client.isReady);
			if (down) connection.refreshTopology();
			void connection
				.masters()
				.then(async (masters) => {
					if (closed) return;
					const now = new Set(masters.map(addressOf));
					let changed = false;
					for (const [address, client] of subscribers) {
						if (now.has(address)) continue;
						client.destroy();
						subscribers.delete(address);
						changed = true;
					}

					for (const master of masters) {
						if (subscribers.has(addressOf(master))) continue;
						await subscribe(master);
						changed = true;
					}

					if (changed && !closed) options.onResync?.();
				})
				.catch(() => undefined);
		}, TOPOLOGY_CHECK_MS);
		timer.unref();
	}

	return {status: {mode: 'events', nodes: subscribers.size}, close};
}

/**
 * Every node of the cluster (masters and replicas), by CLUSTER NODES on `client`: CLUSTER SLOTS
 * leaves out a replica still syncing. Nodes flagged failed or without an address are skipped:
 * they cannot be configured now, and a failed node is no master.
 */
async function nodesOf(client: AnyRedisClient | undefined, boundMs: number): Promise<Node[]> {
	if (!client) return [];
	const text = String(await within(client.clusterNodes(), boundMs, 'CLUSTER NODES'));
	const nodes: Node[] = [];
	for (const line of text.split('\n')) {
		const [, address = '', flags = ''] = line.trim().split(' ');
		if (/(^|,)(fail|noaddr|handshake)(,|$)/.test(flags)) continue;
		const match = /^(.*):(\d+)@/.exec(address);
		if (match?.[1] && match[2]) nodes.push({host: match[1], port: Number(match[2])});
	}

	return nodes;
}
