import {existsSync, type FSWatcher, watch} from 'node:fs';
import {useCallback, useEffect, useRef} from 'react';
import {messageOf} from '../format/text.js';
import type {ListableStore, ListEntry} from '../session/store.js';
import type {FirstListing} from './first-listing.js';
import type {Action} from './state.js';

export type Timing = {
	/** Rescan period while the directory is watched (watching can miss events, e.g. on NFS). */
	readonly rescanMs?: number;
	/** Rescan period without a watcher. */
	readonly pollMs?: number;
	/** Quiet time after a change event before rescanning: an editor's save is several events. */
	readonly debounceMs?: number;
};

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

// One scan at a time: requests that arrive while a list runs are folded into one more scan
// after it. Background rescans stay quiet (no progress, no loading state), so they never flicker;
// the reducer ignores a listing that changed nothing.
function createScanner(options: Options): Scanner {
	const {store, watchDir, dispatch} = options;
	const rescanMs = options.rescanMs ?? 2000;
	const pollMs = options.pollMs ?? 1000;
	const debounceMs = options.debounceMs ?? 100;
	let pending: 'none' | 'quiet' | 'visible' = 'none';
	let running = false;
	let closed = false;
	let lastDuration = 0;
	let controller: AbortController | undefined;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let debounce: ReturnType<typeof setTimeout> | undefined;
	let watcher: FSWatcher | undefined;
	let first = options.first;

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
		const period = Math.max(watcher ? rescanMs : pollMs, lastDuration * 8);
		timer = setTimeout(() => request(false), period);
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
				if (!closed && entries !== adopted?.entries) dispatch({type: 'loaded', entries});
				// Nothing listed: say whether the directory is there at all (a mistyped --dir, or
				// nobody has logged in on this machine yet), as `list` does.
				if (!closed && watchDir !== undefined) {
					dispatch({
						type: 'directoryChecked',
						missing: entries.length === 0 && !existsSync(watchDir),
					});
				}
			} catch (error) {
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
			clearTimeout(timer);
			clearTimeout(debounce);
			watcher?.close();
		},
	};
}

/**
 * Loads the store's listing with progress, then keeps it current: fs.watch on `watchDir` with a
 * debounce, plus a periodic rescan (every 2 s with a watcher, 1 s without), so changes by other
 * processes show within about a second without a key. Returns `reload`: list again now, with
 * progress on screen (the `reload` effect).
 */
export default function useSessions(options: Options): () => void {
	const scanner = useRef<Scanner | undefined>(undefined);
	const {store, watchDir, dispatch, rescanMs, pollMs, debounceMs, first} = options;
	useEffect(() => {
		const created = createScanner({
			store,
			watchDir,
			dispatch,
			rescanMs,
			pollMs,
			debounceMs,
			first,
		});
		scanner.current = created;
		created.request(true);
		return () => {
			created.close();
			scanner.current = undefined;
		};
	}, [store, watchDir, dispatch, rescanMs, pollMs, debounceMs, first]);

	return useCallback(() => scanner.current?.request(true), []);
}
