// Copying sessions from one store to another (files to Redis, Redis to files, or the same kind):
// every session is judged on its own, with one typed result each, so a run that stops half-way
// (killed, or a store gone) can simply be run again.
//
// The source is read without side effects: list/each and lookup(), never get(), which removes an
// expired session as it reads it. A session is written to the target with its own expires_at
// (RedisStore.set turns that into PX), never over a session there that expires later; it is
// read back and compared, and only then, with `move`, removed from the source.
//
// While one session is copied, its lock is held in both stores (when they have locks): a
// refresh reads, spends the one-use refresh token and writes under that lock, so copying in the
// middle of one would carry a spent refresh token to the target, and a move could then delete
// the renewed session from the source. A dry run takes no lock: it changes nothing anywhere.
import {encodeSession} from './codec.js';
import {CorruptError, ExpiredError, LockBusyError} from './errors.js';
import {generateId} from './ids.js';
import {isExpired, type Session} from './session.js';
import {isLockingStore, type ListableStore, type ListEntry, type SessionLock} from './store.js';

/** What became of one session of the source. */
export type CopyOutcome =
	| 'copied'
	| 'already-there'
	| 'kept-newer'
	| 'skipped-expired'
	| 'skipped-unreadable'
	| 'skipped-gone'
	| 'failed';

/** Every outcome, in the order a summary names them. */
export const copyOutcomes: readonly CopyOutcome[] = [
	'copied',
	'already-there',
	'kept-newer',
	'skipped-expired',
	'skipped-unreadable',
	'skipped-gone',
	'failed',
];

/** The step of a copy that failed. */
export type CopyStep = 'lock' | 'read' | 'write' | 'verify' | 'remove';

/** One session's result. In a dry run, what would be done: nothing was. */
export type CopyResult =
	| {
			/** Written to the target and read back equal (in a dry run: would be written). */
			readonly outcome: 'copied';
			readonly id: string;
			readonly session: Session;
			/** `move`: removed from the source after the target was verified. */
			readonly removedFromSource: boolean;
	  }
	| {
			/** The target holds a session of this id that expires at the same time. */
			readonly outcome: 'already-there';
			readonly id: string;
			readonly session: Session;
			/** Whether the target's session is this one in every field (only then may `move` remove it). */
			readonly identical: boolean;
			readonly removedFromSource: boolean;
	  }
	| {
			/** The target holds a session of this id that expires later: left as it is. */
			readonly outcome: 'kept-newer';
			readonly id: string;
			readonly session: Session;
			readonly targetExpiresAt: Date;
	  }
	| {
			readonly outcome: 'skipped-expired';
			readonly id: string;
			readonly session: Session;
	  }
	| {
			readonly outcome: 'skipped-unreadable';
			readonly id: string;
			/** Why it is not a session; never quotes the stored bytes. */
			readonly reason: string;
			readonly location: string;
	  }
	| {
			/** Listed, but removed from the source before its turn came (a delete or a cleanup). */
			readonly outcome: 'skipped-gone';
			readonly id: string;
			readonly session: Session;
	  }
	| {
			readonly outcome: 'failed';
			readonly id: string;
			readonly session: Session;
			/** Which store the failing step worked on. */
			readonly store: 'source' | 'target';
			readonly step: CopyStep;
			/** What went wrong, from the store's error (no token in it). */
			readonly error: unknown;
			/** True when the session is at the target all the same (only removing it from the source failed). */
			readonly atTarget: boolean;
	  };

export type CopyOptions = {
	/** Judge every session and report what would be done; write, lock and remove nothing. */
	readonly dryRun?: boolean;
	/** Remove from the source each session verified at the target. */
	readonly move?: boolean;
	/** The clock: which sessions count as expired. */
	readonly now?: () => number;
	/** How long to wait for a lock held by a refresh; default the stores' own (30 s). */
	readonly lockWaitMs?: number;
	readonly signal?: AbortSignal;
	/** Called when a session's lock is held by another process (a refresh) and the copy starts to wait for it. */
	readonly onLockWait?: (id: string, store: 'source' | 'target') => void;
	/** Called with each result as it is known, in the source's order; awaited. */
	readonly onResult?: (result: CopyResult) => void | Promise<void>;
};

export type CopySummary = {
	/** How many sessions had each outcome. */
	readonly counts: Readonly<Record<CopyOutcome, number>>;
	/** `move`: how many were removed from the source. */
	readonly removedFromSource: number;
	/**
	 * The source could not be listed to the end (a store gone): the results stop there. Results
	 * before it stand; run the copy again to go on.
	 */
	readonly listError?: unknown;
	/** Every readable unexpired session is at the target (copied, already there, or newer there) and nothing failed. */
	readonly complete: boolean;
};

/** The two stores are one (the same directory or Redis under two names): a copy would do nothing, a move would delete. */
export class SameStoreError extends Error {
	readonly code = 'SAME_STORE';

	constructor() {
		super('the source and the target are the same store');
		this.name = 'SameStoreError';
	}
}

/** Whether two sessions are the same in every field, as stored. */
function sameSession(a: Session, b: Session): boolean {
	return encodeSession(a) === encodeSession(b);
}

/**
 * The entry under `id`, read without removing anything. A store without lookup() is asked with
 * get(), which can only remove a session that is expired, and reports one as such.
 */
async function lookUp(store: ListableStore, id: string): Promise<ListEntry | null> {
	if (store.lookup) return store.lookup(id);
	try {
		const session = await store.get(id);
		return session ? {kind: 'session', id, session, location: store.describe()} : null;
	} catch (error) {
		if (error instanceof ExpiredError) return null;
		if (error instanceof CorruptError) {
			return {kind: 'unreadable', id, reason: error.reason, location: store.describe()};
		}

		throw error;
	}
}

/**
 * Whether `source` and `target` are one store under two names: a lock taken in the source on
 * a fresh id is then held in the target too. Takes and releases one lock in each; stores
 * without locks are the same only when they are the same object.
 */
async function isSameStore(source: ListableStore, target: ListableStore): Promise<boolean> {
	if (source === target) return true;
	if (!isLockingStore(source) || !isLockingStore(target)) return false;
	const probe = `copy-probe-${generateId()}`;
	const held = await source.lock(probe, {waitMs: 0});
	try {
		const other = await target.lock(probe, {waitMs: 0});
		await other.release();
		return false;
	} catch (error) {
		if (error instanceof LockBusyError) return true;
		throw error;
	} finally {
		await held.release();
	}
}

class StepError extends Error {
	constructor(
		readonly store: 'source' | 'target',
		readonly step: CopyStep,
		readonly error: unknown,
	) {
		super('a step of a copy failed');
	}
}

/** Runs `run`, turning a failure into a StepError naming the store and the step. */
async function step<T>(
	store: 'source' | 'target',
	name: CopyStep,
	run: () => Promise<T>,
): Promise<T> {
	try {
		return await run();
	} catch (error) {
		throw new StepError(store, name, error);
	}
}

/**
 * Copies every readable, unexpired session of `source` to `target`; see the top of this file.
 * Resolves to the count of each outcome once the source has been read to its end; rejects only
 * with a SameStoreError (checked before anything is written) or when `signal` aborts.
 */
export async function copySessions(
	source: ListableStore,
	target: ListableStore,
	options: CopyOptions = {},
): Promise<CopySummary> {
	const dryRun = options.dryRun ?? false;
	const move = (options.move ?? false) && !dryRun;
	const clock = options.now ?? Date.now;
	const lockOptions = {
		...(options.lockWaitMs === undefined ? {} : {waitMs: options.lockWaitMs}),
		...(options.signal ? {signal: options.signal} : {}),
	};
	// A dry run takes no probe lock: with the same store it only reports everything as there.
	if (source === target || (!dryRun && (await isSameStore(source, target)))) {
		throw new SameStoreError();
	}

	const counts: Record<CopyOutcome, number> = {
		copied: 0,
		'already-there': 0,
		'kept-newer': 0,
		'skipped-expired': 0,
		'skipped-unreadable': 0,
		'skipped-gone': 0,
		failed: 0,
	};
	let removedFromSource = 0;

	/** Locks `id` in a store that has locks; the caller releases. */
	const lockIn = async (
		store: ListableStore,
		which: 'source' | 'target',
		id: string,
	): Promise<SessionLock | undefined> => {
		if (!isLockingStore(store)) return undefined;
		const onWait = options.onLockWait;
		return step(which, 'lock', () =>
			store.lock(id, onWait ? {...lockOptions, onWait: () => onWait(id, which)} : lockOptions),
		);
	};

	/** Judges one session (and, unless a dry run, copies it) with its locks held. */
	const copyOne = async (listed: Session, id: string): Promise<CopyResult> => {
		// Read again under the lock: a refresh may have renewed it since the listing.
		let session = listed;
		if (!dryRun) {
			const current = await step('source', 'read', () => lookUp(source, id));
			if (current === null) return {outcome: 'skipped-gone', id, session};

			if (current.kind === 'unreadable') {
				return {
					outcome: 'skipped-unreadable',
					id,
					reason: current.reason,
					location: current.location,
				};
			}

			session = current.session;
			if (isExpired(session, clock())) return {outcome: 'skipped-expired', id, session};
		}

		const there = await step('target', 'read', () => lookUp(target, id));
		if (there?.kind === 'unreadable') {
			// Something that is not a session holds the id at the target: never overwritten unseen.
			throw new StepError(
				'target',
				'read',
				new Error(
					`it holds an entry under this id that is not a session (${there.reason}); remove it there, or copy again after`,
				),
			);
		}

		const removeFromSource = async (): Promise<boolean> => {
			if (!move) return false;
			await step('source', 'remove', () => source.delete(id));
			removedFromSource++;
			return true;
		};

		if (there?.kind === 'session') {
			const theirs = there.session.expiresAt.getTime();
			const ours = session.expiresAt.getTime();
			if (theirs > ours) {
				return {outcome: 'kept-newer', id, session, targetExpiresAt: there.session.expiresAt};
			}

			if (theirs === ours) {
				const identical = sameSession(session, there.session);
				// Only an identical one stands for the source's: a same-time session with other tokens does not.
				const removed = identical ? await removeFromSource() : false;
				return {outcome: 'already-there', id, session, identical, removedFromSource: removed};
			}
		}

		if (dryRun) return {outcome: 'copied', id, session, removedFromSource: false};
		await step('target', 'write', () => target.set(session));
		const written = await step('target', 'verify', () => lookUp(target, id));
		if (written?.kind !== 'session' || !sameSession(session, written.session)) {
			throw new StepError(
				'target',
				'verify',
				new Error(
					written === null
						? 'it was written but is not there when read back'
						: 'it was written but reads back different (another writer?)',
				),
			);
		}

		return {outcome: 'copied', id, session, removedFromSource: await removeFromSource()};
	};

	const handle = async (entry: ListEntry): Promise<CopyResult> => {
		if (entry.kind === 'unreadable') {
			return {
				outcome: 'skipped-unreadable',
				id: entry.id,
				reason: entry.reason,
				location: entry.location,
			};
		}

		const {id, session} = entry;
		if (isExpired(session, clock())) return {outcome: 'skipped-expired', id, session};
		const locks: SessionLock[] = [];
		try {
			if (!dryRun) {
				// Source first, then target: one order everywhere, so two copies never hold one each.
				for (const [store, which] of [
					[source, 'source'],
					[target, 'target'],
				] as const) {
					const lock = await lockIn(store, which, id);
					if (lock) locks.push(lock);
				}
			}

			return await copyOne(session, id);
		} catch (error) {
			if (!(error instanceof StepError)) throw error;
			return {
				outcome: 'failed',
				id,
				session,
				store: error.store,
				step: error.step,
				error: error.error,
				atTarget: error.step === 'remove',
			};
		} finally {
			// A lock that cannot be released lapses by itself (a minute), so it is not a failure of the copy.
			await Promise.allSettled(locks.reverse().map((lock) => lock.release()));
		}
	};

	// One session at a time, in the source's order: each() hands over a batch at once and awaits
	// what onEntry returns, so a chain keeps them in turn.
	let chain: Promise<void> = Promise.resolve();
	const onEntry = (entry: ListEntry): Promise<void> => {
		chain = chain.then(async () => {
			options.signal?.throwIfAborted();
			const result = await handle(entry);
			counts[result.outcome]++;
			await options.onResult?.(result);
		});
		return chain;
	};

	let listError: unknown;
	try {
		if (source.each) {
			await source.each({onEntry, ...(options.signal ? {signal: options.signal} : {})});
		} else {
			for (const entry of await source.list(options.signal ? {signal: options.signal} : {})) {
				await onEntry(entry);
			}
		}

		await chain;
	} catch (error) {
		if (options.signal?.aborted) throw error;
		// What was handed over before the failure still finishes, in order.
		await chain.catch(() => undefined);
		listError = error;
	}

	return {
		counts,
		removedFromSource,
		...(listError === undefined ? {} : {listError}),
		complete: listError === undefined && counts.failed === 0,
	};
}
