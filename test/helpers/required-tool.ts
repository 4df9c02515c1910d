// A system tool some tests need (redis-server, strace): where it is missing they are skipped
// with a warning saying how to get it; under CI (CI=true), which installs it, a missing tool is
// a failing test instead, never a skip (a test rather than a thrown error, so CI's pass/fail
// count shows it).
import {test} from 'vitest';

/** `available`, or false after registering a failing test (under CI) or warning `skipping`. */
export function requiredTool(
	available: boolean,
	{message, ciTest, skipping}: {message: string; ciTest: string; skipping: string},
): boolean {
	if (available) return true;
	if (process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0') {
		test(ciTest, () => {
			throw new Error(message);
		});
	} else {
		console.warn(`${skipping}: ${message}`);
	}

	return false;
}
