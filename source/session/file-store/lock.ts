// An exclusive lock between processes: a file created with O_EXCL (only one creator wins),
// holding who took it and when, removed on release. A holder that died leaves its file behind,
// so a lock is stale, and broken, when its process is gone (same host) or it is older than
// LOCK_STALE_MS by the holder's own clock. Written by hand rather than with proper-lockfile:
// that one judges staleness by the file's mtime against Date.now(), which mixes the kernel's
// clock with the process's, and holds a directory rather than a file beside the session.
import {randomBytes} from 'node:crypto';
import {constants, promises as fs} from 'node:fs';
import {hostname} from 'node:os';
import {LockBusyError} from '../errors.js';
import {DEFAULT_LOCK_WAIT_MS, delay, LOCK_POLL_MS, LOCK_STALE_MS} from '../lock-timing.js';
import type {LockOptions, SessionLock} from '../store.js';

/** A lock file still empty (its creator between open and write) after this long was left by a crash. */
const UNWRITTEN_STALE_MS = 2_000;

export type LockFileOptions = LockOptions & {
	/** The clock (tests move it). */
	readonly now?: () => number;
};

type Holder = {pid: number; host: string; nonce: string; at: number};

const CREATE = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW;

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
		const handle = await fs.open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
		try {
			const buffer = Buffer.alloc(1024);
			const {bytesRead} = await handle.read(buffer, 0, buffer.length, 0);
			return buffer.subarray(0, bytesRead).toString('utf8');
		} finally {
			await handle.close();
		}
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
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
 * (atomic), then check the renamed file is the stale one; if not, put it back with link(),
 * which fails rather than overwrite a lock taken in between.
 */
async function breakLock(file: string, stale: string): Promise<void> {
	const aside = `${file}.stale-${randomBytes(6).toString('hex')}`;
	try {
		await fs.rename(file, aside);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
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
			nonce: randomBytes(12).toString('hex'),
			at: now(),
		};
		const text = JSON.stringify(holder);
		let created = false;
		try {
			const handle = await fs.open(file, CREATE, 0o600);
			created = true;
			try {
				await handle.writeFile(text);
			} finally {
				await handle.close();
			}

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
			if (created) {
				await fs.unlink(file).catch(() => {});
				throw error;
			}

			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
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
