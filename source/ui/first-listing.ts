// The inspector's first listing starts before its first frame. Ink draws the first frame at
// once and holds the next one back for up to 33 ms (it throttles to 30 frames a second), so a
// "loading" frame followed by the table costs the table that wait. A small store is therefore
// listed before Ink starts, and the first frame is the table. A large one (or a slow Redis) gets
// the loading frame at once, and its listing goes on: the scanner in use-sessions adopts it
// with its progress, so nothing is read twice.
import {statSync} from 'node:fs';
import type {ListableStore, ListEntry, ListOptions} from '../session/store.js';

type Progress = NonNullable<ListOptions['onProgress']>;

export type FirstListing = {
	/** The entries, when the listing finished before the first frame. */
	readonly entries: readonly ListEntry[] | undefined;
	/** The store's directory did not exist when the listing started. */
	readonly directoryMissing: boolean;
	/** The listing, settled or not, for the scanner to adopt. */
	readonly promise: Promise<ListEntry[]>;
	/** Sends the listing's further progress reports to `onProgress`. */
	follow(onProgress: Progress): void;
	/** Stops the listing (the inspector quit before it finished). */
	abort(): void;
};

export type FirstListingOptions = {
	/** The store's directory (a FileStore): one that looks large is not listed before the first frame. */
	readonly dir?: string;
	/** More entries than this and the loading screen (with progress) is shown at once. */
	readonly small?: number;
	/** The longest the first frame waits for the listing (a store on the network). */
	readonly waitMs?: number;
};

// A directory's own size grows with its entries (about 80 bytes each on ext4, 20 on tmpfs,
// twice the name on btrfs), and reading 100,000 names alone takes about 0.1 s here: more than
// the progress screen may wait. Beyond this size the loading screen comes first, as before.
// A directory that once held many files may stay large (ext4 never shrinks them): it only
// means a loading frame.
const SMALL_DIRECTORY_BYTES = 128 * 1024;

/** The directory's size; null when it does not exist, 0 when it cannot be looked at. */
function directorySize(dir: string): number | null {
	try {
		return statSync(dir).size;
	} catch (error) {
		// Missing or unreadable: listing it is quick, and says why.
		return (error as NodeJS.ErrnoException).code === 'ENOENT' ? null : 0;
	}
}

/**
 * Starts listing `store`; resolves when it is done, known to be large, or `waitMs` passed.
 * Undefined when `dir` looks too large to read before the first frame: the app lists it.
 */
export async function startFirstListing(
	store: ListableStore,
	{dir, small = 2000, waitMs = 50}: FirstListingOptions = {},
): Promise<FirstListing | undefined> {
	const size = dir === undefined ? 0 : directorySize(dir);
	if (size !== null && size > SMALL_DIRECTORY_BYTES) return undefined;
	const controller = new AbortController();
	let follower: Progress | undefined;
	let knownLarge: () => void = () => undefined;
	const large = new Promise<void>((resolve) => {
		knownLarge = resolve;
	});
	// A FileStore reads the directory and its first chunk before list() returns, and reports
	// the total first: a large directory is known at once, without waiting.
	const promise = store.list({
		signal: controller.signal,
		onProgress(done, total) {
			if ((total ?? done) > small) knownLarge();
			follower?.(done, total);
		},
	});
	let entries: ListEntry[] | undefined;
	const settled = promise.then(
		(listed) => {
			entries = listed;
		},
		// A failure is the scanner's to report, on the screen it draws.
		() => undefined,
	);
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<void>((resolve) => {
		timer = setTimeout(resolve, waitMs);
	});
	await Promise.race([settled, large, timeout]);
	clearTimeout(timer);
	return {
		entries,
		directoryMissing: size === null,
		promise,
		follow(onProgress) {
			follower = onProgress;
		},
		abort() {
			controller.abort();
		},
	};
}
