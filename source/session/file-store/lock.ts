// An exclusive lock between processes: a file holding who took it and when, removed on release.
// The holder is written whole to a temp file that is then link()ed to the lock's name (only one
// link wins): a lock created under its name and written after is empty in between, and a taker
// killed there leaves a lock that no one can judge but by waiting (UNWRITTEN_STALE_MS). Killed
// around its link, a taker leaves at most a temp file, which cleanup() sweeps. A holder that died
// leaves its lock file behind, so a lock is stale, and broken, when its process is gone (same
// host) or it is older than LOCK_STALE_MS by the holder's own clock. Written by hand rather
// than with proper-lockfile: that one judges staleness by the file's mtime against Date.now(),
// which mixes the kernel's clock with the process's, and holds a directory rather than a file
// beside the session.
import {promises as fs} from 'node:fs';
import {hostname} from 'node:os';
import {basename, dirname, join} from 'node:path';
import {LockBusyError} from '../errors.js';
import {secureRandomBytes} from '../ids.js';
import {DEFAULT_LOCK_WAIT_MS, delay, LOCK_POLL_MS, LOCK_STALE_MS} from '../lock-timing.js';
import type {LockOptions, SessionLock} from '../store.js';
import {READ_FLAGS, TEMP_PREFIX, WRITE_FLAGS} from './layout.js';
import {errorCode} from './reasons.js';

/**
 * A lock file still empty after this long was left by a crash: a taker that fell back to
 * create-then-write (no hard links), or an older version of this tool, killed in between.
 */
const UNWRITTEN_STALE_MS = 2_000;

export type LockFileOptions = LockOptions & {
	/** The clock (tests move it). */
	readonly now?: () => number;
};

type Holder = {pid: number; host: string; nonce: string; at: number};

/** link() errors of file systems without hard links (FAT, some FUSE and network ones). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

function parseHolder(text: string): Holder | undefined {
	try {
		const value = JSON.parse(text) as Partial<Holder>;
		if (
			typeof value.pid === 'number' &&
			typeof value.host === 'string' &&
			typeof value.nonce === 'string' &&
			typeof value.at === 'number'
		) {
			return value as Holder;
		}
	} catch {}

	return undefined;
}

async function readHolder(file: string): Promise<string | undefined> {
	try {
		const handle = await fs.open(file, READ_FLAGS);
		try {
			const buffer = Buffer.alloc(1024);
			const {bytesRead} = await handle.read(buffer, 0, buffer.length, 0);
			return buffer.subarray(0, bytesRead).toString('utf8');
		} finally {
			await handle.close();
		}
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return undefined;
		throw error;
	}
}

/**
 * A temp name beside the lock: TEMP_PREFIX keeps it out of every listing and lets cleanup()
 * sweep it once stale, should a kill leave it.
 */
function tempBeside(file: string, tag: string): string {
	const name = `${TEMP_PREFIX}${basename(file)}-${tag}${secureRandomBytes(8).toString('hex')}`;
	return join(dirname(file), name);
}

/** Creates `file` holding `text`, exclusively (O_EXCL, 0600): EEXIST when it is there. */
async function createWith(file: string, text: string): Promise<void> {
	const handle = await fs.open(file, WRITE_FLAGS, 0o600);
	try {
		await handle.writeFile(text);
	} catch (error) {
		await handle.close();
		await fs.unlink(file).catch(() => {});
		throw error;
	}

	await handle.close();
}

/**
 * Publishes `text` as the lock `file` if no one holds it; rejects with EEXIST if someone does.
 * Written whole to a temp file, then linked: the lock appears with its holder in one step.
 * Where link() is refused (no hard links), created and then written, as older versions did.
 */
async function publish(file: string, text: string): Promise<void> {
	const temp = tempBeside(file, '');
	await createWith(temp, text);
	try {
		await fs.link(temp, file);
	} catch (error) {
		if (!NO_HARD_LINKS.has(errorCode(error) ?? '')) throw error;
		await createWith(file, text);
	} finally {
		await fs.unlink(temp).catch(() => {});
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists, under another user.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function isStale(holder: Holder, now: number): boolean {
	if (holder.host === hostname() && !isAlive(holder.pid)) return true;
	return now - holder.at > LOCK_STALE_MS;
}

/**
 * Removes a stale lock without removing a fresh one that replaced it meanwhile: rename it away
 * (atomic) to a temp name, which cleanup() sweeps if a kill leaves it, then check the renamed
 * file is the stale one; if not, put it back with link(), which fails rather than overwrite a
 * lock taken in between.
 */
async function breakLock(file: string, stale: string): Promise<void> {
	const aside = tempBeside(file, 'stale-');
	try {
		await fs.rename(file, aside);
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return;
		throw error;
	}

	if ((await readHolder(aside)) !== stale) {
		await fs.link(aside, file).catch(() => {});
	}

	await fs.unlink(aside).catch(() => {});
}

/** Takes the lock at `file`, waiting for a live holder up to `waitMs`. */
export async function acquireLockFile(
	file: string,
	what: string,
	options: LockFileOptions = {},
): Promise<SessionLock> {
	const now = options.now ?? Date.now;
	const waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
	const started = performance.now();
	let unwritten: {text: string; since: number} | undefined;
	let waiting = false;
	for (;;) {
		options.signal?.throwIfAborted();
		const holder: Holder = {
			pid: process.pid,
			host: hostname(),
			nonce: secureRandomBytes(12).toString('hex'),
			at: now(),
		};
		const text = JSON.stringify(holder);
		try {
			await publish(file, text);
			let released = false;
			return {
				async release() {
					if (released) return;
					released = true;
					// Only our own: had it been broken as stale, the file is someone else's now.
					if ((await readHolder(file)) === text) await fs.unlink(file).catch(() => {});
				},
			};
		} catch (error) {
			if (errorCode(error) !== 'EEXIST') throw error;
		}

		const current = await readHolder(file);
		// Released in between: try again at once.
		if (current === undefined) continue;
		const other = parseHolder(current);
		if (other && isStale(other, now())) {
			await breakLock(file, current);
			continue;
		}

		if (!other) {
			// Measured on our own clock from when we first saw this content: no mtime needed.
			if (unwritten?.text !== current) unwritten = {text: current, since: performance.now()};
			else if (performance.now() - unwritten.since > UNWRITTEN_STALE_MS) {
				await breakLock(file, current);
				unwritten = undefined;
				continue;
			}
		}

		if (performance.now() - started > waitMs) throw new LockBusyError(what, file);
		if (!waiting) {
			waiting = true;
			options.onWait?.();
		}

		await delay(LOCK_POLL_MS, options.signal);
	}
}
