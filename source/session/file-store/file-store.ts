// Go: session.FileStore. The Go layout (`<dir>/<id>.json`, dir 0700, files 0600), hardened:
// every step lives in its own file of this folder, and this class only wires them together.
//   directory.ts  where files live; the directory's safety checks, made at every call
//   read.ts       bounded reads that follow no symlink and open only regular files
//   write.ts      how a session file is written safely (atomic, exclusive, fsync'ed)
//   cleanup.ts    removing expired sessions without losing a concurrent renewal; leftovers
//   reasons.ts    the texts shown for unreadable entries and fs errors
//   lock.ts       a session's lock between processes (`<id>.json.lock`, linked into place whole)
import {type Dirent, unlinkSync} from 'node:fs';
import {encodeSession} from '../codec.js';
import {CorruptError, ExpiredError, SessionError, StoreUnavailableError} from '../errors.js';
import {assertValidId, isValidId} from '../ids.js';
import {defaultSessionsDir} from '../paths.js';
import {assertSession, isExpired, type Session} from '../session.js';
import {
	type EachOptions,
	type ListableStore,
	type ListEntry,
	type ListOptions,
	type LockingStore,
	type LockOptions,
	listFromEach,
	type SessionLock,
	toListEntry,
} from '../store.js';
import {Cleanup} from './cleanup.js';
import {direntReason, isDirectory, SessionDirectory} from './directory.js';
import {CHUNK, SUFFIX, yieldToEventLoop} from './layout.js';
import {acquireLockFile} from './lock.js';
import {isSession, SessionReader} from './read.js';
import {BAD_NAME, DIRECTORY, describeError, errorCode} from './reasons.js';
import {writeSessionFile} from './write.js';

export type FileStoreOptions = {
	/** The clock in milliseconds since the epoch, for tests; defaults to Date.now. */
	readonly now?: () => number;
	/**
	 * Whether the constructor creates a missing directory: true by default, as the Go FileStore
	 * does. With false (for tools that only look, so that `list --dir typo` makes no `typo/`), a
	 * missing directory reads as empty and the first set() creates it; a directory that exists is
	 * checked as always.
	 */
	readonly createDirectory?: boolean;
};

/**
 * Go: session.FileStore. One file per session, `<dir>/<id>.json`, in the Go format.
 *
 * The constructor creates the directory (0700) when it is missing (unless told not to, see
 * FileStoreOptions.createDirectory) and refuses, with an UnsafeDirectoryError that says what to
 * do, a directory that is a symlink, is not a directory, is not owned by the current user, or
 * is writable by group or others; every call checks it again.
 */
export class FileStore implements ListableStore, LockingStore {
	readonly #directory: SessionDirectory;
	readonly #now: () => number;
	readonly #reader = new SessionReader();
	readonly #cleanup: Cleanup;

	constructor(dir: string = defaultSessionsDir(), options: FileStoreOptions = {}) {
		if (typeof dir !== 'string' || dir === '') {
			throw new TypeError(
				`Expected the session directory to be a non-empty string, got ${dir === '' ? 'an empty string' : typeof dir}`,
			);
		}

		this.#directory = new SessionDirectory(dir);
		this.#now = options.now ?? Date.now;
		this.#cleanup = new Cleanup(this.#directory, this.#reader, this.#now);
		if (options.createDirectory ?? true) this.#directory.ensure();
		else this.#directory.checkIfPresent();
	}

	/** Go: FileStore.Path. The session directory. */
	path(): string {
		return this.#directory.path;
	}

	describe(): string {
		return this.#directory.path;
	}

	/**
	 * The session, or null when there is no `<id>.json`. An expired session is removed and
	 * rejected with ExpiredError, as Go's Store interface documents (`nil, ErrExpired`; the Go
	 * FileStore itself removes it and answers `nil, nil`, which hides why there is none). A file
	 * that is not a session is rejected with CorruptError and left in place. To read without
	 * removing anything, use lookup().
	 */
	async get(id: string): Promise<Session | null> {
		assertValidId(id);
		this.#directory.checkIfPresent();
		const file = this.#directory.file(id);
		const loaded = this.#reader.load(file, id);
		if (loaded === null) return null;
		if (!isSession(loaded)) throw new CorruptError(file, loaded.reason);
		if (isExpired(loaded, this.#now())) {
			try {
				await this.#cleanup.removeIfExpired(id);
			} catch {
				// Removing is a courtesy; the answer is ExpiredError either way.
			}

			throw new ExpiredError(id);
		}

		return loaded;
	}

	/**
	 * What is stored under `id`, as list() would show it: a session (an expired one included)
	 * or an unreadable entry with its reason; null when there is no `<id>.json`. Removes
	 * nothing, so a dry run or a copy can read without changing the store.
	 */
	async lookup(id: string): Promise<ListEntry | null> {
		assertValidId(id);
		this.#directory.checkIfPresent();
		const location = this.#directory.file(id);
		const loaded = this.#reader.load(location, id);
		return loaded === null ? null : toListEntry(id, location, loaded);
	}

	/** Writes the session atomically: see write.ts for the steps. */
	async set(session: Session): Promise<void> {
		assertSession(session);
		this.#directory.checkIfPresent();
		try {
			await writeSessionFile(this.#directory, session.id, encodeSession(session), 'replace');
		} catch (error) {
			if (error instanceof SessionError) throw error;
			throw new StoreUnavailableError(
				`cannot save session ${JSON.stringify(session.id)} in ${this.#directory.path}: ${describeError(error)}`,
				{cause: error},
			);
		}
	}

	/**
	 * Locks one session against other processes: `<id>.json.lock` beside it, a holder written to
	 * a temp file and linked into place, so never seen empty (see lock.ts for when a left-over
	 * lock counts as stale). list() and cleanup()
	 * never touch it: it does not end in `.json`.
	 */
	async lock(id: string, options: LockOptions = {}): Promise<SessionLock> {
		assertValidId(id);
		this.#directory.checkIfPresent();
		return acquireLockFile(`${this.#directory.file(id)}.lock`, `session ${JSON.stringify(id)}`, {
			...options,
			now: this.#now,
		});
	}

	/** Removes `<id>.json`; no error when it is absent. */
	async delete(id: string): Promise<void> {
		assertValidId(id);
		this.#directory.checkIfPresent();
		const file = this.#directory.file(id);
		try {
			unlinkSync(file);
		} catch (error) {
			const code = errorCode(error);
			if (code === 'ENOENT') return;
			if (code === 'EISDIR' || (code === 'EPERM' && isDirectory(file))) {
				throw new CorruptError(file, `${DIRECTORY}; remove it by hand if it should go`);
			}

			throw new StoreUnavailableError(
				`cannot delete session ${JSON.stringify(id)} in ${this.#directory.path}: ${describeError(error)}`,
				{cause: error},
			);
		}
	}

	/** Removes expired sessions and resolves to how many; see cleanup.ts. */
	async cleanup(options: ListOptions = {}): Promise<number> {
		options.signal?.throwIfAborted();
		this.#directory.checkIfPresent();
		return this.#cleanup.run(options);
	}

	/**
	 * Every `*.json` entry of the directory, in directory order: sessions (expired ones
	 * included) and unreadable entries with a reason. Reads no file over 1 MiB, follows no
	 * symlink, opens nothing that is not a regular file, deletes nothing.
	 */
	async list(options: ListOptions = {}): Promise<ListEntry[]> {
		return listFromEach(this, options);
	}

	/**
	 * As list(), but hands each entry to `options.onEntry` as it is read: nothing is kept, so a
	 * caller that writes entries out (`list --json`) holds one batch at a time, not the store.
	 */
	async each(options: EachOptions): Promise<void> {
		const {onEntry} = options;
		options.signal?.throwIfAborted();
		this.#directory.checkIfPresent();
		const dirents = this.#directory.entries().filter((dirent) => dirent.name.endsWith(SUFFIX));
		const total = dirents.length;
		options.onProgress?.(0, total);
		// What onEntry returned in this batch that is still to settle: awaited before the next.
		let pending: Promise<void>[] = [];
		const handOver = (entry: ListEntry) => {
			const settled = onEntry(entry);
			if (settled) pending.push(settled);
		};
		for (let start = 0; start < total; start += CHUNK) {
			options.signal?.throwIfAborted();
			const end = Math.min(start + CHUNK, total);
			for (let i = start; i < end; i++) {
				const dirent = dirents[i] as Dirent;
				const location = this.#directory.entry(dirent.name);
				const id = dirent.name.slice(0, -SUFFIX.length);
				const early = isValidId(id) ? direntReason(dirent) : BAD_NAME;
				if (early !== undefined) {
					handOver({kind: 'unreadable', id, reason: early, location});
					continue;
				}

				const loaded = this.#reader.load(location, id, false);
				if (loaded === null) continue; // removed since readdir
				handOver(toListEntry(id, location, loaded));
			}

			if (pending.length > 0) {
				await Promise.all(pending);
				pending = [];
			}

			options.onProgress?.(end, total);
			if (end < total) await yieldToEventLoop();
		}
	}

	/** Nothing to release: every call opens and closes its own descriptors. */
	async close(): Promise<void> {}
}
