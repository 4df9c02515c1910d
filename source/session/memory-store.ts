import {ExpiredError, LockBusyError} from './errors.js';
import {assertValidId, generateState} from './ids.js';
import {DEFAULT_LOCK_WAIT_MS, delay, LOCK_POLL_MS} from './lock-timing.js';
import {
	assertSession,
	assertTtl,
	cloneSession,
	DEFAULT_STATE_TTL_MS,
	isExpired,
	type Session,
} from './session.js';
import type {
	ListableStore,
	ListEntry,
	ListOptions,
	LockingStore,
	LockOptions,
	SessionLock,
	StateStore,
} from './store.js';

export type MemoryStoreOptions = {
	/** The clock, for tests; defaults to Date.now. */
	readonly now?: () => number;
};

function sessionEntry(session: Session): ListEntry {
	return {
		kind: 'session',
		id: session.id,
		session: cloneSession(session),
		location: `memory:${session.id}`,
	};
}

/** A Store in process memory, for tests and single-process servers. Copies in and out. */
export class MemoryStore implements ListableStore, LockingStore {
	readonly #sessions = new Map<string, Session>();
	readonly #locks = new Set<string>();
	readonly #now: () => number;

	constructor(options: MemoryStoreOptions = {}) {
		this.#now = options.now ?? Date.now;
	}

	async get(id: string): Promise<Session | null> {
		assertValidId(id);
		const session = this.#sessions.get(id);
		if (!session) return null;
		if (isExpired(session, this.#now())) {
			this.#sessions.delete(id);
			throw new ExpiredError(id);
		}

		return cloneSession(session);
	}

	async set(session: Session): Promise<void> {
		assertSession(session);
		this.#sessions.set(session.id, cloneSession(session));
	}

	async delete(id: string): Promise<void> {
		assertValidId(id);
		this.#sessions.delete(id);
	}

	/** Locks one session within this process (the store is nowhere else). */
	async lock(id: string, options: LockOptions = {}): Promise<SessionLock> {
		assertValidId(id);
		const started = performance.now();
		if (this.#locks.has(id)) options.onWait?.();
		while (this.#locks.has(id)) {
			if (performance.now() - started > (options.waitMs ?? DEFAULT_LOCK_WAIT_MS)) {
				throw new LockBusyError(`session ${JSON.stringify(id)}`, 'memory');
			}

			await delay(LOCK_POLL_MS, options.signal);
		}

		this.#locks.add(id);
		let released = false;
		return {
			release: async () => {
				if (!released) this.#locks.delete(id);
				released = true;
			},
		};
	}

	async cleanup(): Promise<number> {
		const now = this.#now();
		let removed = 0;
		for (const [id, session] of this.#sessions) {
			if (isExpired(session, now)) {
				this.#sessions.delete(id);
				removed++;
			}
		}

		return removed;
	}

	/** The session stored under `id`, expired or not, or null; removes nothing (see ListableStore). */
	async lookup(id: string): Promise<ListEntry | null> {
		assertValidId(id);
		const session = this.#sessions.get(id);
		return session ? sessionEntry(session) : null;
	}

	async list(options: ListOptions = {}): Promise<ListEntry[]> {
		options.signal?.throwIfAborted();
		const entries = [...this.#sessions.values()].map(sessionEntry);
		options.onProgress?.(entries.length, entries.length);
		return entries;
	}

	describe(): string {
		return 'memory';
	}

	async close(): Promise<void> {
		this.#sessions.clear();
	}
}

/**
 * OAuth states in process memory. Expired states are dropped lazily on validate and by
 * cleanup(), so no timer exists to keep the process alive.
 */
export class MemoryStateStore implements StateStore {
	readonly #states = new Map<string, number>();
	readonly #now: () => number;

	constructor(options: MemoryStoreOptions = {}) {
		this.#now = options.now ?? Date.now;
	}

	async generate(ttlMs: number = DEFAULT_STATE_TTL_MS): Promise<string> {
		assertTtl(ttlMs);
		const state = generateState();
		this.#states.set(state, this.#now() + ttlMs);
		return state;
	}

	async validate(state: string): Promise<boolean> {
		if (typeof state !== 'string' || state === '') return false;
		const expiresAt = this.#states.get(state);
		if (expiresAt === undefined) return false;
		// Delete before answering: the check and the removal happen in one synchronous step, so
		// of many concurrent validate calls exactly one sees the state.
		this.#states.delete(state);
		// Expired strictly after expiresAt, as sessions (Go's time.After) and Redis keys are.
		return this.#now() <= expiresAt;
	}

	async cleanup(): Promise<number> {
		const now = this.#now();
		let removed = 0;
		for (const [state, expiresAt] of this.#states) {
			if (now > expiresAt) {
				this.#states.delete(state);
				removed++;
			}
		}

		return removed;
	}

	async close(): Promise<void> {
		this.#states.clear();
	}
}
