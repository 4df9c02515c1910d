// Picks the store the command line names: a session directory (FileStore), or Redis. The
// Redis client is imported only when --redis is given, so the file commands never load it.
import {resolve} from 'node:path';
import {FileStore} from '../session/file-store/file-store.js';
import {MemoryStateStore} from '../session/memory-store.js';
import {defaultSessionsDir} from '../session/paths.js';
import type {Session} from '../session/session.js';
import {
	isLockingStore,
	type ListableStore,
	type ListEntry,
	type ListOptions,
	type LockOptions,
	type SessionLock,
	type StateStore,
	type StoreWatch,
	type WatchOptions,
} from '../session/store.js';
import {displayPath} from './location.js';

export type OpenStoreOptions = {
	/** The session directory; undefined for the FileStore's default. Ignored when redisUrl is set. */
	readonly dir?: string | undefined;
	readonly redisUrl?: string | undefined;
	/**
	 * Open on first use, and again on the next call after a failure, instead of now: the
	 * inspector then shows an unreachable Redis or an unusable directory as an error screen
	 * that recovers once the store is back, where a plain command exits 1 at once.
	 */
	readonly lazy?: boolean;
	/**
	 * Create a missing session directory now (0700, checked), as a first login would; copy's
	 * target. By default looking creates nothing.
	 */
	readonly createDirectory?: boolean;
	/**
	 * Redis keyspace events for the inspector's live view: `use` them when the server has them on
	 * (the default), or `enable` them (--redis-events). Ignored for a directory.
	 */
	readonly keyspaceEvents?: 'use' | 'enable';
};

export type OpenedStore = {
	readonly store: ListableStore;
	/** OAuth states for a login: in memory for files (a state lives only as long as this process's login), Redis for Redis. */
	readonly stateStore: StateStore;
	/** Where the sessions are, fit to show: `~/...` or the Redis URL without its password. */
	readonly location: string;
	/** The directory to watch for changes by other processes (files only). */
	readonly watchDir?: string;
	close(): Promise<void>;
};

type Opener<T> = (signal: AbortSignal) => Promise<T>;

/**
 * Opens on first call, shares that while it lasts, and opens anew after a failed open. close()
 * aborts an open still under way, so quitting never waits for a connect to time out.
 */
function lazily<T extends {close(): Promise<void>}>(
	open: Opener<T>,
): {get(): Promise<T>; close(): Promise<void>} {
	const closing = new AbortController();
	let opened: Promise<T> | undefined;
	return {
		get() {
			opened ??= open(closing.signal).catch((error: unknown) => {
				opened = undefined;
				throw error;
			});
			return opened;
		},
		async close() {
			closing.abort();
			const store = await opened?.catch(() => undefined);
			await store?.close();
		},
	};
}

/** Connects to Redis only on first use: listing or cleaning up never needs a state store. */
class LazyStateStore implements StateStore {
	readonly #lazy: ReturnType<typeof lazily<StateStore>>;

	constructor(open: Opener<StateStore>) {
		this.#lazy = lazily(open);
	}

	#store(): Promise<StateStore> {
		return this.#lazy.get();
	}

	async generate(ttlMs?: number): Promise<string> {
		return (await this.#store()).generate(ttlMs);
	}

	async validate(state: string): Promise<boolean> {
		return (await this.#store()).validate(state);
	}

	async cleanup(): Promise<number> {
		return (await this.#store()).cleanup();
	}

	async close(): Promise<void> {
		await this.#lazy.close();
	}
}

/** A ListableStore opened on first use; see OpenStoreOptions.lazy. */
class LazyStore implements ListableStore {
	readonly #lazy: ReturnType<typeof lazily<ListableStore>>;
	readonly #location: string;

	constructor(open: Opener<ListableStore>, location: string) {
		this.#lazy = lazily(open);
		this.#location = location;
	}

	async get(id: string): Promise<Session | null> {
		return (await this.#lazy.get()).get(id);
	}

	async set(session: Session): Promise<void> {
		return (await this.#lazy.get()).set(session);
	}

	async delete(id: string): Promise<void> {
		return (await this.#lazy.get()).delete(id);
	}

	async cleanup(options?: ListOptions): Promise<number> {
		return (await this.#lazy.get()).cleanup(options);
	}

	async list(options?: ListOptions): Promise<ListEntry[]> {
		return (await this.#lazy.get()).list(options);
	}

	// The inspector applies a change reported by `watch` by looking up that one entry.
	async lookup(id: string): Promise<ListEntry | null> {
		const store = await this.#lazy.get();
		if (!store.lookup) throw new Error(`${this.#location} cannot look up one session`);
		return store.lookup(id);
	}

	/** The store, opened (the first time) by this call. */
	protected opened(): Promise<ListableStore> {
		return this.#lazy.get();
	}

	// The inspector's R renews a token under the session's lock, as `refresh` does.
	async lock(id: string, options?: LockOptions): Promise<SessionLock> {
		const store = await this.#lazy.get();
		if (!isLockingStore(store)) throw new Error(`${this.#location} cannot lock a session`);
		return store.lock(id, options);
	}

	describe(): string {
		return this.#location;
	}

	async close(): Promise<void> {
		await this.#lazy.close();
	}
}

/** A lazily opened store that reports its changes (RedisStore: keyspace events). */
class LazyWatchedStore extends LazyStore {
	async watch(options: WatchOptions): Promise<StoreWatch> {
		const store = await this.opened();
		if (!store.watch) throw new Error(`${this.describe()} cannot report changes`);
		return store.watch(options);
	}
}

export async function openStore(options: OpenStoreOptions): Promise<OpenedStore> {
	if (options.redisUrl !== undefined) {
		const url = options.redisUrl;
		const {RedisStore, RedisStateStore, redactRedisUrl} = await import('../session/redis/index.js');
		const location = redactRedisUrl(url);
		const keyspaceEvents = options.keyspaceEvents ?? 'use';
		const store = options.lazy
			? new LazyWatchedStore((signal) => RedisStore.open(url, {signal, keyspaceEvents}), location)
			: await RedisStore.open(url, {keyspaceEvents});
		const stateStore = new LazyStateStore((signal) => RedisStateStore.open(url, {signal}));
		return {
			store,
			stateStore,
			location,
			async close() {
				await Promise.allSettled([store.close(), stateStore.close()]);
			},
		};
	}

	const dir = resolve(options.dir ?? defaultSessionsDir());
	// Looking creates nothing: a missing directory lists as empty (with how to log in), and a
	// mistyped --dir does not leave a new directory behind. The first saved session creates it.
	const open = () => new FileStore(dir, {createDirectory: options.createDirectory ?? false});
	const store = options.lazy ? new LazyStore(async () => open(), dir) : open();
	const stateStore = new MemoryStateStore();
	return {
		store,
		stateStore,
		location: displayPath(dir),
		watchDir: dir,
		async close() {
			await Promise.allSettled([store.close(), stateStore.close()]);
		},
	};
}
