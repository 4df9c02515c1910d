// How a session file is written safely. Every write, set()'s and cleanup's restore alike:
//   1. a temp file `.tmp-<id>-<16 random hex>` in the same directory, created exclusively
//      (O_EXCL: never a file someone planted) and never through a symlink (O_NOFOLLOW), 0600
//      whatever the umask (chmod after the open);
//   2. the text written and fsync'ed, so the rename below never publishes a file whose bytes
//      are not on disk yet;
//   3. published under `<id>.json` in one step: rename() (replace: set) or link() (if-absent:
//      never over a file that is there, which then wins); a reader sees the old file or the
//      new one, never a part, even if this process is killed; the temp name is then removed;
//   4. the directory fsync'ed, so the new name survives a crash too.
// A killed writer leaves only its temp file, which no listing shows and cleanup() sweeps once
// stale. The directory is checked (directory.ts) before, and made again if it was removed.
//
// `fsPromises.x` is looked up when a write runs, so the CLI's bundle loads node:fs/promises
// then, not at every start of `list` and `cleanup`.
import {constants, promises as fsPromises, linkSync, unlinkSync} from 'node:fs';
import type {FileHandle} from 'node:fs/promises';
import {secureRandomBytes} from '../ids.js';
import type {SessionDirectory} from './directory.js';
import {O_DIRECTORY, TEMP_PREFIX, WRITE_FLAGS} from './layout.js';
import {errorCode} from './reasons.js';

/** `replace`: rename over `<id>.json` (set). `if-absent`: link, and leave a file that is there. */
export type Publish = 'replace' | 'if-absent';

/**
 * Writes `text` as `<id>.json` by the steps above. Rejects with the fs error of the step that
 * failed, after removing its temp file; the caller words it.
 */
export async function writeSessionFile(
	directory: SessionDirectory,
	id: string,
	text: string,
	publish: Publish,
): Promise<void> {
	// Random, not a counter: two processes writing the same id must never share a temp file.
	const temp = directory.entry(`${TEMP_PREFIX}${id}-${secureRandomBytes(8).toString('hex')}`);
	let handle: FileHandle;
	try {
		handle = await fsPromises.open(temp, WRITE_FLAGS, 0o600);
	} catch (error) {
		if (errorCode(error) !== 'ENOENT') throw error;
		// The directory was removed after the store was opened: make it again, once.
		directory.ensure();
		handle = await fsPromises.open(temp, WRITE_FLAGS, 0o600);
	}

	try {
		try {
			await handle.chmod(0o600);
			await handle.writeFile(text);
			await handle.sync();
		} finally {
			await handle.close();
		}

		if (publish === 'replace') {
			await fsPromises.rename(temp, directory.file(id));
		} else {
			try {
				linkSync(temp, directory.file(id));
			} finally {
				unlinkQuietly(temp);
			}
		}
	} catch (error) {
		await fsPromises.unlink(temp).catch(() => {});
		if (publish === 'if-absent' && errorCode(error) === 'EEXIST') return; // the newer one stays
		throw error;
	}

	await syncDirectory(directory.path);
}

/** Makes a rename durable. Some file systems refuse fsync on a directory; the rename is atomic regardless. */
async function syncDirectory(dir: string): Promise<void> {
	try {
		const handle = await fsPromises.open(dir, constants.O_RDONLY | O_DIRECTORY);
		try {
			await handle.sync();
		} finally {
			await handle.close();
		}
	} catch {
		// EINVAL/EPERM/EISDIR on file systems without directory fsync: nothing more to do.
	}
}

/** Removes a file the store made; already gone is fine, anything else is swept later. */
export function unlinkQuietly(path: string): void {
	try {
		unlinkSync(path);
	} catch {
		// Another cleanup got there first, or the directory refuses: cleanup() sweeps leftovers.
	}
}
