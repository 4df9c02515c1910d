import type {Session} from './session.js';

/** Go: session.Store. Every backend implements this; `sessiontest` checks it. */
export interface Store {
	/** The session, or null when absent. Never an expired session: that is an ExpiredError. */
	get(id: string): Promise<Session | null>;
	/** Stores the session under `session.id`, replacing any session with that id. */
	set(session: Session): Promise<void>;
	/** Removes the session; no error when it is absent. */
	delete(id: string): Promise<void>;
	/** Removes expired sessions and resolves to how many it removed. */
	cleanup(): Promise<number>;
	/** Releases timers, connections and handles. */
	close(): Promise<void>;
}

/** Options for LockingStore.lock. */
export type LockOptions = {
	/** How long to wait for another holder; then a LockBusyError. Default 30 s. */
	readonly waitMs?: number;
	readonly signal?: AbortSignal;
	/** Called once when the lock is held by another and this call starts to wait (to say so). */
	readonly onWait?: () => void;
};

/** A held lock; release() is idempotent and never releases a lock taken over since. */
export type SessionLock = {release(): Promise<void>};

/**
 * Not in Go. A store whose sessions can be locked one id at a time across processes: a
 * refresh reads, spends a one-use refresh token and writes, and two processes doing so at once
 * would spend the same token. A lock left by a crashed holder expires (FileStore: its process
 * is gone or it is a minute old; RedisStore: PX), so it never blocks for good.
 */
export interface LockingStore {
	lock(id: string, options?: LockOptions): Promise<SessionLock>;
}

/** True when `store` implements LockingStore. */
export function isLockingStore(store: object): store is LockingStore {
	return typeof (store as Partial<LockingStore>).lock === 'function';
}

/** Go: session.StateStore. OAuth state tokens: short-lived and single use. */
export interface StateStore {
	/** A fresh state token, valid for `ttlMs` (default DEFAULT_STATE_TTL_MS). */
	generate(ttlMs?: number): Promise<string>;
	/** True exactly once for a generated, unexpired state, else false; rejects only when the store cannot check (RedisStateStore). */
	validate(state: string): Promise<boolean>;
	/** Removes expired states; resolves to how many (0 where the backend expires them itself). */
	cleanup(): Promise<number>;
	close(): Promise<void>;
}

/** One entry of a store's listing: a session, or something stored under a session's name that is not one. */
export type ListEntry =
	| {
			readonly kind: 'session';
			readonly id: string;
			readonly session: Session;
			/** Where it lives: a file path or a Redis key. */
			readonly location: string;
	  }
	| {
			readonly kind: 'unreadable';
			/** The id the entry was stored under (file name without `.json`, or the key's suffix). */
			readonly id: string;
			/** Why it is not a session; safe to show, never quotes the stored bytes. */
			readonly reason: string;
			readonly location: string;
	  };

/** The entry a listing shows for what was read under `id`: the session, or why it is not one. */
export function toListEntry(
	id: string,
	location: string,
	read: Session | {readonly reason: string},
): ListEntry {
	return 'reason' in read
		? {kind: 'unreadable', id, reason: read.reason, location}
		: {kind: 'session', id, session: read, location};
}

export type ListOptions = {
	/** Called now and then while listing a large store: entries done so far, and the total when known. */
	readonly onProgress?: (done: number, total: number | undefined) => void;
	readonly signal?: AbortSignal;
};

/** ListOptions for a listing handed over entry by entry instead of as one array. */
export type EachOptions = ListOptions & {
	/**
	 * Called with every entry, in the store's order. Promises it returns are awaited before the
	 * next batch (back-pressure: a full pipe).
	 */
	readonly onEntry: (entry: ListEntry) => void | Promise<void>;
};

/** list() of a store that has each(): the entries it hands over, in one array. */
export async function listFromEach(
	store: {each(options: EachOptions): Promise<void>},
	options: ListOptions,
): Promise<ListEntry[]> {
	const entries: ListEntry[] = [];
	await store.each({...options, onEntry: (entry) => void entries.push(entry)});
	return entries;
}

/** A change to one entry of a watched store. */
export type StoreChange =
	| {readonly type: 'set'; readonly id: string}
	| {readonly type: 'removed'; readonly id: string};

export type WatchOptions = {
	/** Called for each change as the store reports it: re-read a `set` entry, drop a `removed` one. */
	readonly onChange: (change: StoreChange) => void;
	/** Called when changes may have been missed (a connection dropped, and again once back): list again. */
	readonly onResync?: () => void;
	/** Ends the watch, as close() does. */
	readonly signal?: AbortSignal;
};

/** A running watch: `events` when changes are reported, else `polling` and why. */
export type StoreWatch = {
	readonly status:
		| {readonly mode: 'events'; readonly nodes: number}
		| {readonly mode: 'polling'; readonly reason: string};
	close(): Promise<void>;
};

/** A Store that can also enumerate what it holds, as the inspector needs. */
export interface ListableStore extends Store {
	/** Every entry, expired and unreadable ones included; deletes nothing. */
	list(options?: ListOptions): Promise<ListEntry[]>;
	/**
	 * The entry stored under `id` as list() shows it (a session, expired ones included, or an
	 * unreadable entry), or null when there is none; removes nothing, unlike get(), which
	 * removes an expired session. FileStore and MemoryStore have it.
	 */
	lookup?(id: string): Promise<ListEntry | null>;
	/** As list(), entry by entry (FileStore, RedisStore): for callers that write entries out as they come. */
	each?(options: EachOptions): Promise<void>;
	/** As Store.cleanup; a large store reports its progress through `options.onProgress`. */
	cleanup(options?: ListOptions): Promise<number>;
	/**
	 * Reports changes as they happen (RedisStore: keyspace events), so a view need not rescan
	 * for each; resolves with whether it does, or polls and why.
	 */
	watch?(options: WatchOptions): Promise<StoreWatch>;
	/** A human-readable location: the directory, or the Redis URL and prefix. */
	describe(): string;
}

/** True when `store` has the ListableStore methods (list and describe) besides the Store ones. */
export function isListableStore(store: Store): store is ListableStore {
	const candidate = store as Partial<ListableStore>;
	return typeof candidate.list === 'function' && typeof candidate.describe === 'function';
}
