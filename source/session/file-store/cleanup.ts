// How expired sessions are removed without ever removing one another process has just
// renewed, and how leftovers of killed writers and cleanups are swept.
import {
	closeSync,
	type Dirent,
	fstatSync,
	linkSync,
	lstatSync,
	openSync,
	renameSync,
	type Stats,
	unlinkSync,
} from 'node:fs';
import {isValidId} from '../ids.js';
import {isExpired} from '../session.js';
import type {ListOptions} from '../store.js';
import {direntReason, exists, type SessionDirectory} from './directory.js';
import {
	CHUNK,
	CLAIM_PREFIX,
	READ_FLAGS,
	SUFFIX,
	TEMP_PREFIX,
	WRITE_FLAGS,
	yieldToEventLoop,
} from './layout.js';
import {decodeNamed, isSession, type SessionReader} from './read.js';
import {errorCode} from './reasons.js';
import {unlinkQuietly, writeSessionFile} from './write.js';

/**
 * Temp and claim files whose mtime and ctime are both older than this are swept by cleanup().
 * A write takes milliseconds; five minutes leaves a writer stalled by a loaded machine (or a
 * suspended laptop) room to finish its rename before its temp file is taken away.
 */
export const STALE_TEMP_MS = 5 * 60 * 1000;
/** How long a measured offset between the file system's clock and this process's is used. */
const CLOCK_OFFSET_TTL_MS = 60 * 1000;
/** Removed files kept open for #settle at most: well under the usual limit of 1,024 descriptors. */
const MAX_UNSETTLED = 64;
/** How long #settle waits for an in-place writer that truncated a removed file to finish writing it. */
const RESTORE_WAIT_MS = 1000;

/** A session file this cleanup has unlinked, its descriptor still open and the bytes it held. */
type Removal = {readonly fd: number; readonly id: string; readonly text: string};

/** 8 hex digits from Math.random; enough where a name need only be unique, see the callers. */
function hex8(value = Math.floor(Math.random() * 0x1_00_00_00_00)): string {
	return value.toString(16).padStart(8, '0');
}

export class Cleanup {
	readonly #directory: SessionDirectory;
	readonly #reader: SessionReader;
	readonly #now: () => number;
	/**
	 * Claim names: a random per-store prefix and a counter. They need only be unique among the
	 * cleanups running at once, not secret (only the directory's owner can write there), so the
	 * prefix comes from Math.random, seeded afresh by every process: Web Crypto would load its
	 * modules at every cleanup. Made at the first claim.
	 */
	#claimPrefix: string | undefined;
	#claims = 0;
	/** The file system's clock minus Date.now, and when it was measured; see #fileSystemNow. */
	#clockOffset: number | undefined;
	#clockOffsetAt = 0;

	constructor(directory: SessionDirectory, reader: SessionReader, now: () => number) {
		this.#directory = directory;
		this.#reader = reader;
		this.#now = now;
	}

	/**
	 * Removes expired sessions and resolves to how many. Unreadable files stay. A session
	 * rewritten by another process between the read and the removal is never lost (see
	 * #claimIfExpired; README "Cleanup and other writers" for writers that rewrite in place).
	 * Also sweeps temp and claim files older than STALE_TEMP_MS that killed writers, lock takers
	 * or cleanups left behind.
	 */
	async run(options: ListOptions = {}): Promise<number> {
		const dirents = this.#directory.entries();
		const total = dirents.length;
		let removed = 0;
		let removals: Removal[] = [];
		// Read once, at the first leftover: a conservative age for the rest, which are judged later.
		let fileNow: number | undefined;
		options.onProgress?.(0, total);
		for (let start = 0; start < total; start += CHUNK) {
			options.signal?.throwIfAborted();
			const now = this.#now();
			const end = Math.min(start + CHUNK, total);
			for (let i = start; i < end; i++) {
				const dirent = dirents[i] as Dirent;
				const {name} = dirent;
				if (name.endsWith(SUFFIX)) {
					const id = name.slice(0, -SUFFIX.length);
					if (!isValidId(id) || direntReason(dirent) !== undefined) continue;
					const loaded = this.#reader.load(this.#directory.entry(name), id, false);
					if (!isSession(loaded) || !isExpired(loaded, now)) continue;
					const removal = this.#claimIfExpired(id);
					if (removal) removals.push(removal);
					if (removals.length >= MAX_UNSETTLED) {
						removed += await this.#settle(removals);
						removals = [];
					}
				} else if (name.startsWith(TEMP_PREFIX) || name.startsWith(CLAIM_PREFIX)) {
					fileNow ??= this.#fileSystemNow();
					this.#sweep(name, fileNow);
				}
			}

			// Before the last look, so that a test can play a writer in between.
			options.onProgress?.(end, total);
			removed += await this.#settle(removals);
			removals = [];
			if (end < total) await yieldToEventLoop();
		}

		return removed;
	}

	/** Removes `<id>.json` if it is expired when removed, as run() does for each file. */
	async removeIfExpired(id: string): Promise<boolean> {
		const removal = this.#claimIfExpired(id);
		return removal !== undefined && (await this.#settle([removal])) === 1;
	}

	/**
	 * Removes `<id>.json` if it is expired at the moment of removal, even when another process
	 * rewrites it concurrently. Unlinking by name after a read could delete a version written in
	 * between, so instead:
	 *   1. rename `<id>.json` to a unique claim name: atomic, and from then on no writer that
	 *      opens `<id>.json` reaches the claimed copy (it creates a new file, or renames onto
	 *      the name);
	 *   2. open the claim and read it whole: if it is no longer an expired session (a writer
	 *      that had opened `<id>.json` before the claim truncated or rewrote it in place, as
	 *      Go's os.WriteFile does), put it back (#putBack);
	 *   3. otherwise unlink it, keeping the descriptor open: the Removal lets #settle look at
	 *      the unlinked file once more a little later.
	 * Between 1 and 3 a reader may briefly find no file; it never finds a wrong one.
	 */
	#claimIfExpired(id: string): Removal | undefined {
		this.#claimPrefix ??= hex8();
		const counter = hex8(this.#claims++ % 0x1_00_00_00_00);
		const claim = this.#directory.entry(`${CLAIM_PREFIX}${id}-${this.#claimPrefix}${counter}`);
		try {
			renameSync(this.#directory.file(id), claim);
		} catch (error) {
			if (errorCode(error) === 'ENOENT') return undefined; // gone already
			throw error;
		}

		let fd: number;
		try {
			fd = openSync(claim, READ_FLAGS);
		} catch {
			this.#putBack(claim, id); // no file to remove (a symlink), or already dealt with
			return undefined;
		}

		const text = this.#reader.read(fd);
		const loaded = typeof text === 'string' ? decodeNamed(text, claim, id) : text;
		if (typeof text !== 'string' || !isSession(loaded) || !isExpired(loaded, this.#now())) {
			closeSync(fd);
			this.#putBack(claim, id);
			return undefined;
		}

		try {
			unlinkSync(claim);
		} catch {
			closeSync(fd);
			return undefined; // another cleanup's sweep took it: its count, not ours
		}

		return {fd, id, text};
	}

	/**
	 * The last look at removed files, then their descriptors closed; resolves to how many stay
	 * removed. A writer whose open() of `<id>.json` began before the claim can still truncate
	 * and write the claimed file after step 2 of #claimIfExpired: its bytes then differ from
	 * what was read. Such a file is given up to RESTORE_WAIT_MS to hold a whole session again,
	 * and an unexpired one is written back as `<id>.json`, unless a newer one is there.
	 */
	async #settle(removals: readonly Removal[]): Promise<number> {
		let removed = 0;
		for (const removal of removals) {
			try {
				const unchanged = this.#reader.read(removal.fd) === removal.text;
				if (unchanged || !(await this.#restore(removal))) removed++;
			} finally {
				closeSync(removal.fd);
			}
		}

		return removed;
	}

	/** Writes a removed file that an in-place writer rewrote back, once it is a live session; see #settle. */
	async #restore({fd, id}: Removal): Promise<boolean> {
		const deadline = Date.now() + RESTORE_WAIT_MS;
		for (;;) {
			const text = this.#reader.read(fd);
			const loaded =
				typeof text === 'string' ? decodeNamed(text, this.#directory.file(id), id) : text;
			if (typeof text === 'string' && isSession(loaded)) {
				if (isExpired(loaded, this.#now())) return false;
				await writeSessionFile(this.#directory, id, text, 'if-absent');
				return true;
			}

			if (Date.now() > deadline) return false;
			await new Promise((resolve) => {
				setTimeout(resolve, 2); // the writer is between its truncate and its write
			});
		}
	}

	/**
	 * Puts a claimed file back as `<id>.json` unless a newer one exists. link() never replaces,
	 * so the put-back can never clobber a newer write, unlike rename(): on EEXIST the newer one
	 * wins and the claimed older copy is dropped.
	 */
	#putBack(claim: string, id: string): void {
		const file = this.#directory.file(id);
		try {
			linkSync(claim, file);
		} catch (error) {
			const code = errorCode(error);
			if (code === 'ENOENT') return; // another cleanup already dealt with the claim
			if (code !== 'EEXIST') {
				// No hard links here (some FUSE and network file systems, or the claim is a
				// directory): rename if nothing is there. A writer landing in the microseconds
				// between the check and the rename would lose to the older copy, so this is
				// only the fallback.
				if (!exists(file)) {
					renameSync(claim, file);
					return;
				}
			}
		}

		unlinkQuietly(claim);
	}

	/**
	 * The file system's clock, in the store's time (`options.now`, which tests move). Leftovers
	 * are aged by their kernel file times, and those come from the file system's clock, not this
	 * process's: a process clock ahead of it (a network file system's server, a faked clock)
	 * would otherwise take a writer's fresh temp file for a stale one and delete it under the
	 * writer. The offset between the two clocks is read from a probe file's mtime, at most once
	 * a CLOCK_OFFSET_TTL_MS: a probe at every cleanup would churn a directory that writers
	 * fsync. 0 when no probe can be made (then nothing can be swept either).
	 */
	#fileSystemNow(): number {
		const now = Date.now();
		if (this.#clockOffset === undefined || now - this.#clockOffsetAt > CLOCK_OFFSET_TTL_MS) {
			this.#clockOffset = this.#measureClockOffset();
			this.#clockOffsetAt = now;
		}

		return this.#now() + this.#clockOffset;
	}

	#measureClockOffset(): number {
		const probe = this.#directory.entry(`${TEMP_PREFIX}clock-${hex8()}${hex8()}`);
		let fd: number;
		try {
			fd = openSync(probe, WRITE_FLAGS, 0o600);
		} catch {
			return 0;
		}

		try {
			return fstatSync(fd).mtimeMs - Date.now();
		} catch {
			return 0;
		} finally {
			closeSync(fd);
			unlinkQuietly(probe);
		}
	}

	/**
	 * Deletes a temp file or resolves a claim left behind by a killed process, once stale by
	 * `fileNow`, the file system's clock (see #fileSystemNow).
	 */
	#sweep(name: string, fileNow: number): void {
		const path = this.#directory.entry(name);
		let stats: Stats;
		try {
			stats = lstatSync(path);
		} catch {
			return;
		}

		if (stats.isDirectory()) return; // not ours: leave it
		// ctime as well as mtime: rename keeps a claimed file's old mtime but bumps its ctime.
		if (fileNow - Math.max(stats.mtimeMs, stats.ctimeMs) < STALE_TEMP_MS) return;
		if (name.startsWith(TEMP_PREFIX)) {
			unlinkQuietly(path);
			return;
		}

		// `.claim-<id>-<16 hex>`: a cleanup died between claiming and deciding. Finish its job.
		const id = name.slice(CLAIM_PREFIX.length, -17);
		if (!isValidId(id) || !stats.isFile()) {
			unlinkQuietly(path);
			return;
		}

		const loaded = this.#reader.load(path, id);
		if (isSession(loaded) && isExpired(loaded, this.#now())) unlinkQuietly(path);
		else this.#putBack(path, id);
	}
}
