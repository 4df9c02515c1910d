// The one polling wait of the tests: no fixed sleeps, every wait bounded in time.
import {setTimeout as sleep} from 'node:timers/promises';

/**
 * Polls `condition` (sync or async) until it holds; after `timeoutMs` fails naming `what`, or
 * showing the last state when `what` is a function (a frame, a screen, a log).
 * node:timers/promises and performance.now are not touched by vi.useFakeTimers, so this works
 * under fake time too.
 */
export async function waitFor(
	condition: () => boolean | Promise<boolean>,
	what: string | (() => string) = '',
	timeoutMs = 20_000,
): Promise<void> {
	const started = performance.now();
	for (let delay = 5; ; delay = Math.min(delay * 2, 50)) {
		if (await condition()) return;
		if (performance.now() - started > timeoutMs) {
			throw new Error(
				typeof what === 'string'
					? `timed out after ${timeoutMs} ms waiting for ${what}`
					: `timed out after ${timeoutMs} ms waiting; last state:\n${what()}`,
			);
		}

		await sleep(delay);
	}
}
