// Picks the store the command line names: a session directory (FileStore), or Redis. The
// Redis client is imported only when --redis is given, so the file commands never load it.
import {FileStore} from '../session/file-store.js';
import {MemoryStateStore} from '../session/memory-store.js';
import type {ListableStore, StateStore} from '../session/store.js';
import {displayPath} from './location.js';

export type OpenStoreOptions = {
	/** The session directory; undefined for the FileStore's default. Ignored when redisUrl is set. */
	readonly dir?: string | undefined;
	readonly redisUrl?: string | undefined;
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

/** Connects to Redis only on first use: listing or cleaning up never needs a state store. */
class LazyStateStore implements StateStore {
	#opened: Promise<StateStore> | undefined;
	readonly #open: () => Promise<StateStore>;

	constructor(open: () => Promise<StateStore>) {
		this.#open = open;
	}

	#store(): Promise<StateStore> {
		this.#opened ??= this.#open();
		return this.#opened;
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
		const opened = this.#opened;
		if (!opened) return;
		await (await opened).close();
	}
}

export async function openStore(options: OpenStoreOptions): Promise<OpenedStore> {
	if (options.redisUrl !== undefined) {
		const url = options.redisUrl;
		const {RedisStore, RedisStateStore, redactRedisUrl} = await import('../session/redis-store.js');
		const store = await RedisStore.open(url);
		const stateStore = new LazyStateStore(() => RedisStateStore.open(url));
		return {
			store,
			stateStore,
			location: redactRedisUrl(url),
			async close() {
				await Promise.allSettled([store.close(), stateStore.close()]);
			},
		};
	}

	const store = new FileStore(options.dir);
	const stateStore = new MemoryStateStore();
	return {
		store,
		stateStore,
		location: displayPath(store.path()),
		watchDir: store.path(),
		async close() {
			await Promise.allSettled([store.close(), stateStore.close()]);
		},
	};
}
