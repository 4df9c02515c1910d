// How long any store's session lock lasts and is waited for, shared by the file, Redis and
// memory stores so that a lock means the same in each.

/** Longer than any holder keeps it: a refresh is one request bounded at 10 s and one write. */
export const LOCK_STALE_MS = 60_000;
/** How long to wait for another holder before giving up. */
export const DEFAULT_LOCK_WAIT_MS = 30_000;
/** How often a waiter tries again. */
export const LOCK_POLL_MS = 50;

/** Waits `ms`, or rejects at once when `signal` aborts. */
export function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
	return new Promise((resolve, reject) => {
		signal?.throwIfAborted();
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal?.reason);
		};

		signal?.addEventListener('abort', onAbort, {once: true});
	});
}
