// Bounded reads of session files: no symlink followed, nothing opened that is not a regular
// file, nothing read over MAX_SESSION_FILE_BYTES, and a file whose `id` differs from its name
// taken for what it is, not a session.
//
// Synchronous fs calls on purpose: for thousands of small files they are several times faster
// than Promise.all over fs/promises and use far less memory; list() and cleanup() yield to the
// event loop between chunks instead.
import {closeSync, fstatSync, openSync, readSync} from 'node:fs';
import {decodeStored} from '../codec.js';
import {CorruptError} from '../errors.js';
import type {Session} from '../session.js';
import {READ_FLAGS} from './layout.js';
import {
	DIRECTORY,
	errorCode,
	ID_MISMATCH,
	NOT_REGULAR,
	reasonForOpenError,
	TOO_LARGE,
	type Unreadable,
} from './reasons.js';

/** Session files larger than this are reported unreadable and never read. */
export const MAX_SESSION_FILE_BYTES = 1024 * 1024;

/** What loading one file gave: a session, a reason it is not one, or null when absent. */
export type Loaded = Session | Unreadable | null;

export function isSession(loaded: Loaded): loaded is Session {
	return loaded !== null && !('reason' in loaded);
}

/**
 * The file's text as a session stored under `id` (checked with isValidId), or why it is not one;
 * `mismatch` says where the id came from (RedisStore: the key).
 */
export function decodeNamed(
	text: string,
	file: string,
	id: string,
	mismatch = ID_MISMATCH,
): Session | Unreadable {
	try {
		const session = decodeStored(text, file, id);
		return session.id === id ? session : {reason: mismatch};
	} catch (error) {
		if (error instanceof CorruptError) return {reason: error.reason};
		throw error;
	}
}

/** Reads session files into one buffer it reuses, which grows up to MAX_SESSION_FILE_BYTES. */
export class SessionReader {
	#buffer = Buffer.allocUnsafe(16 * 1024);

	/**
	 * Reads and decodes one file: one open, one read into the reused buffer and one close, and
	 * one fstat before the read (`stats` true: a caller without a directory entry telling a
	 * regular file) or when #readSmall cannot tell. `id` is the name the file is stored under;
	 * a file whose `id` field differs is unreadable (a renamed or planted file must not pass as
	 * another session).
	 */
	load(file: string, id: string, stats = true): Loaded {
		let fd: number;
		try {
			fd = openSync(file, READ_FLAGS);
		} catch (error) {
			const code = errorCode(error);
			return code === 'ENOENT' ? null : {reason: reasonForOpenError(code)};
		}

		try {
			const text = (stats ? undefined : this.#readSmall(fd)) ?? this.read(fd);
			return typeof text === 'string' ? decodeNamed(text, file, id) : text;
		} finally {
			closeSync(fd);
		}
	}

	/**
	 * The whole text of an open file: fstat, then a positioned read of exactly its size. A file
	 * that shrinks meanwhile gives what is left; one that is not a regular file or is over
	 * MAX_SESSION_FILE_BYTES, the reason, unread.
	 */
	read(fd: number): string | Unreadable {
		let stats: ReturnType<typeof fstatSync>;
		try {
			stats = fstatSync(fd);
		} catch (error) {
			return {reason: reasonForOpenError(errorCode(error))};
		}

		if (!stats.isFile()) return {reason: stats.isDirectory() ? DIRECTORY : NOT_REGULAR};
		if (stats.size > MAX_SESSION_FILE_BYTES) return {reason: TOO_LARGE};
		const size = stats.size;
		if (this.#buffer.length < size) {
			this.#buffer = Buffer.allocUnsafe(
				Math.min(MAX_SESSION_FILE_BYTES, Math.max(size, this.#buffer.length * 2)),
			);
		}

		let read = 0;
		try {
			while (read < size) {
				// Positioned: #readSmall may have moved the file offset already.
				const n = readSync(fd, this.#buffer, read, size - read, read);
				if (n === 0) break;
				read += n;
			}
		} catch (error) {
			return {reason: reasonForOpenError(errorCode(error))};
		}

		return this.#buffer.toString('utf8', 0, read);
	}

	/**
	 * One read into the reused buffer, for list() and cleanup(), whose directory entries already
	 * said "regular file": a read that leaves room in the buffer got the whole file, so fstat (a
	 * syscall and a Stats object per file, a large share of listing a big directory) is needed
	 * only to explain an empty or a full read; then this returns undefined and read() decides.
	 */
	#readSmall(fd: number): string | undefined {
		let n: number;
		try {
			n = readSync(fd, this.#buffer, 0, this.#buffer.length, null);
		} catch {
			return undefined; // read() asks again and gives the reason
		}

		return n > 0 && n < this.#buffer.length ? this.#buffer.toString('utf8', 0, n) : undefined;
	}
}
