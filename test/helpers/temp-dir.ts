// The one temp-dir set-up of the tests: a real directory, private as a session directory is.
import {chmodSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {onTestFinished} from 'vitest';

/**
 * A fresh directory (mode 0700) under the system temp dir, removed when the current test
 * finishes (also when made in a beforeEach); made outside a test, or for the whole file
 * (`forFile`, e.g. a cache filled by the first test), the caller removes it.
 */
export function makeTempDir(
	prefix = 'stacktower-test-',
	options: {forFile?: boolean} = {},
): string {
	const dir = mkdtempSync(path.join(tmpdir(), prefix));
	chmodSync(dir, 0o700);
	if (options.forFile) return dir;
	try {
		onTestFinished(() => rmSync(dir, {recursive: true, force: true}));
	} catch {
		// Made outside a test: the caller removes it.
	}

	return dir;
}
