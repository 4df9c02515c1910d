import {existsSync, type FSWatcher, watch} from 'node:fs';
import {useCallback, useEffect, useRef} from 'react';
import {messageOf} from '../format/text.js';
import type {ListableStore, ListEntry, StoreChange, StoreWatch} from '../session/store.js';
import type {FirstListing} from './first-listing.js';
import type {Action} from './state.js';

export type Timing = {
	/** Rescan period while the directory is watched (watching can miss events, e.g. on NFS). */
	readonly rescanMs?: number;
	/** Rescan period without a watcher. */
	readonly pollMs?: number;
	/**
	 * Quiet time after a change event before acting on it: an editor's save is several file
	 * events, and a burst of Redis events is applied as one change to the view.
	 */
	readonly debounceMs?: number;
	/** Rescan period while the store reports its changes (default SAFETY_RESCAN_MS). */
	readonly safetyRescanMs?: number;
};

/**
 * How often a store that reports its changes (Redis keyspace events) is listed anyway. Events
 * are fire-and-forget: one published while a subscription was down, or an `expired` that Redis
 * fires late, shows by the next rescan; at a million sessions a rescan is a full SCAN, so rare.
 */
export const SAFETY_RESCAN_MS = 60_000;

// A burst of changes is looked up this many keys at a time: one round trip each, never
// thousands queued on the connection at once.
const LOOKUPS_AT_ONCE = 64;

export type Options = Timing & {
	readonly store: ListableStore;
	readonly watchDir?: string;
	readonly dispatch: (action: Action) => void;
	/** The listing started before the first frame: the first scan adopts it. */
	readonly first?: FirstListing;
};

// Each progress update redraws the whole screen, which at 100,000 sessions competes with the
// loading for the one thread: four updates a second keep the count moving and cost far less
// than twenty (bench/: about 0.1 s of a 1.7 s load).
const PROGRESS_EVERY_MS = 250;

type Scanner = {request(visible: boolean): void; close(): void};

/** Runs `work` on every item, `size` at a time. */
async function inGroups<T>(
	items: readonly T[],
	size: number,
	work: (item: T) => Promise<void>,
): Promise<void> {
	for (let i = 0; i < items.length; i += size) {
		await Promise.all(items.slice(i, i + size).map(work));
	}
}

// One scan at a time: requests that arrive while a list runs are folded into one more scan
// after it. Background rescans stay quiet (no progress, no loading state), so they never flicker;
// the reducer ignores a listing that changed nothing.
function createScanner(options: Options): Scanner {
	const {store, watchDir, dispatch} = options;
	const rescanMs = options.rescanMs ?? 2000;
	const pollMs = options.pollMs ?? 1000;
	const debounceMs = options.debounceMs ?? 100;
	const safetyRescanMs = options.safetyRescanMs ?? SAFETY_RESCAN_MS;
	let pending: 'none' | 'quiet' | 'visible' = 'none';
	let running = false;
	let closed = false;
	let lastDuration = 0;
	let controller: AbortController | undefined;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let debounce: ReturnType<typeof setTimeout> | undefined;
	let watcher: FSWatcher | undefined;
	let first = options.first;
	let lastFailed = false;
	// The store's own change reports (watch): none yet, starting, `events` flow, or it `polls`.
	let watching: 'none' | 'starting' | 'events' | 'polling' = 'none';
	const watchStop = new AbortController();
	let storeWatch: StoreWatch | undefined;
	// Changes reported and not yet applied, the last word on each id.
	const changes = new Map<string, StoreChange['type']>();
	let flushTimer: ReturnType<typeof setTimeout> | undefined;
	let flushing = false;
	let lastFlush = 0;
	// Ids changed since the running scan began: the scan may have read them before the change,
	// so the rows the changes made are kept over what it listed.
	let touched: Set<string> | undefined;

	const ensureWatcher = () => {
		if (!watchDir || watcher) return;
		try {
			watcher = watch(watchDir, {persistent: false}, () => {
				clearTimeout(debounce);
				debounce = setTimeout(() => request(false), debounceMs);
			});
			watcher.on('error', () => {
				// The directory went away or the watch broke: poll until it can be watched again.
				watcher?.close();
				watcher = undefined;
			});
		} catch {
			// Missing directory (nobody logged in yet): the periodic rescan notices when it appears.
			watcher = undefined;
		}
	};

	const schedule = () => {
		if (closed) return;
		clearTimeout(timer);
		ensureWatcher();
		// A huge directory takes a while to list (about a second at 100,000 files): space the
		// rescans out so they never hog the CPU or delay keys; the watcher still reports changes.
		// A store that reports its changes is rescanned only for safety, unless listing it just
		// failed: then it is retried as often as one without.
		const base =
			watching === 'events' && !lastFailed ? safetyRescanMs : watcher ? rescanMs : pollMs;
		const period = Math.max(base, lastDuration * 8);
		timer = setTimeout(() => request(false), period);
	};

	// Applies the changes reported so far as one action: a removal as it is, a `set` by looking
	// that one entry up. A change that arrives meanwhile waits for the next flush (its own lookup
	// is the fresher one); a lookup that fails is left to a rescan.
	const flush = async () => {
		flushTimer = undefined;
		if (closed || changes.size === 0) return;
		flushing = true;
		const batch = [...changes];
		changes.clear();
		const changed: ListEntry[] = [];
		const removed: string[] = [];
		let failed = false;
		await inGroups(batch, LOOKUPS_AT_ONCE, async ([id, type]) => {
			if (type === 'removed') {
				removed.push(id);
				return;
			}

			try {
				const entry = store.lookup ? await store.lookup(id) : undefined;
				if (entry === undefined) failed = true;
				else if (entry === null) removed.push(id);
				else changed.push(entry);
			} catch {
				failed = true;
			}
		});
		flushing = false;
		if (closed) return;
		const fresh = (id: string) => !changes.has(id);
		const started = performance.now();
		dispatch({
			type: 'entriesChanged',
			changed: changed.filter((entry) => fresh(entry.id)),
			removed: removed.filter(fresh),
		});
		lastFlush = performance.now() - started;
		if (failed) request(false);
		if (changes.size > 0) scheduleFlush();
	};

	// A large view takes a while to re-sort: a steady stream of changes is applied in batches
	// spaced by that, never one re-sort per event.
	const scheduleFlush = () => {
		if (closed || flushTimer !== undefined || flushing) return;
		flushTimer = setTimeout(() => void flush(), Math.max(debounceMs, lastFlush * 4));
	};

	const onChange = (change: StoreChange) => {
		if (closed) return;
		changes.set(change.id, change.type);
		touched?.add(change.id);
		scheduleFlush();
	};

	// Once the store has listed: follow its changes when it reports them, and say once why not.
	const startWatch = () => {
		if (watching !== 'none' || !store.watch || closed) return;
		watching = 'starting';
		const said = (reason: string) => {
			watching = 'polling';
			dispatch({type: 'notice', text: `polling: ${reason}`, now: Date.now()});
		};
		store.watch({onChange, onResync: () => request(false), signal: watchStop.signal}).then(
			(started) => {
				if (closed) {
					void started.close();
					return;
				}

				storeWatch = started;
				if (started.status.mode === 'polling') {
					said(started.status.reason);
					return;
				}

				watching = 'events';
				// A change made after the listing read its key and before the subscription began
				// reached no event: one rescan now, whose rows an event since keeps, covers it.
				request(false);
			},
			(error: unknown) => {
				if (!closed) said(messageOf(error));
			},
		);
	};

	const run = async () => {
		running = true;
		while (pending !== 'none' && !closed) {
			const visible = pending === 'visible';
			pending = 'none';
			clearTimeout(timer);
			const adopted = first;
			first = undefined;
			// Entries listed before the first frame are already on screen: no loading state.
			if (visible && !adopted?.entries) dispatch({type: 'loadStarted'});
			const started = performance.now();
			let lastProgress = 0;
			const onProgress = visible
				? (done: number, total: number | undefined) => {
						const time = performance.now();
						if (time - lastProgress < PROGRESS_EVERY_MS || closed) return;
						lastProgress = time;
						dispatch({type: 'loadProgress', done, total});
					}
				: undefined;
			controller = new AbortController();
			touched = watching === 'none' ? undefined : new Set();
			try {
				let entries: ListEntry[];
				if (adopted) {
					controller.signal.addEventListener('abort', () => adopted.abort(), {once: true});
					if (onProgress) adopted.follow(onProgress);
					entries = await adopted.promise;
				} else {
					entries = await store.list({signal: controller.signal, onProgress});
				}

				// Entries listed before the first frame are in the initial state already.
				if (!closed && entries !== adopted?.entries) {
					dispatch({type: 'loaded', entries, ...(touched?.size ? {keep: touched} : {})});
				}

				touched = undefined;
				lastFailed = false;
				startWatch();
				// Nothing listed: say whether the directory is there at all (a mistyped --dir, or
				// nobody has logged in on this machine yet), as `list` does.
				if (!closed && watchDir !== undefined) {
					dispatch({
						type: 'directoryChecked',
						missing: entries.length === 0 && !existsSync(watchDir),
					});
				}
			} catch (error) {
				touched = undefined;
				lastFailed = true;
				if (!closed) dispatch({type: 'loadFailed', message: messageOf(error)});
			}

			lastDuration = performance.now() - started;
		}

		running = false;
		schedule();
	};

	const request = (visible: boolean) => {
		if (closed) return;
		pending = visible || pending === 'visible' ? 'visible' : 'quiet';
		if (!running) void run();
	};

	return {
		request,
		close() {
			closed = true;
			controller?.abort();
			first?.abort();
			watchStop.abort();
			void storeWatch?.close();
			clearTimeout(timer);
			clearTimeout(debounce);
			clearTimeout(flushTimer);
			watcher?.close();
		},
	};
}

/**
 * Loads the store's listing with progress, then keeps it current: fs.watch on `watchDir` with a
 * debounce, plus a periodic rescan (every 2 s with a watcher, 1 s without), so changes by other
 * processes show within about a second without a key. A store that reports its own changes
 * (`watch`: Redis keyspace events) has each applied as it comes, and is rescanned only every
 * SAFETY_RESCAN_MS; when it cannot report them, the status line says why, once, and it is polled.
 * Returns `reload`: list again now, with progress on screen (the `reload` effect).
 */
export default function useSessions(options: Options): () => void {
	const scanner = useRef<Scanner | undefined>(undefined);
	const {store, watchDir, dispatch, rescanMs, pollMs, debounceMs, safetyRescanMs, first} = options;
	useEffect(() => {
		const created = createScanner({
			store,
			watchDir,
			dispatch,
			rescanMs,
			pollMs,
			debounceMs,
			safetyRescanMs,
			first,
		});
		scanner.current = created;
		created.request(true);
		return () => {
			created.close();
			scanner.current = undefined;
		};
	}, [store, watchDir, dispatch, rescanMs, pollMs, debounceMs, safetyRescanMs, first]);

	return useCallback(() => scanner.current?.request(true), []);
}
