// The session directory: where each file lives, and the safety checks a directory must pass
// before the store reads or writes there (0700 when made, a real directory, yours, not
// writable by others).
import {
	closeSync,
	type Dirent,
	fchmodSync,
	fstatSync,
	lstatSync,
	mkdirSync,
	openSync,
	readdirSync,
} from 'node:fs';
import {resolve, sep} from 'node:path';
import {StoreUnavailableError, UnsafeDirectoryError} from '../errors.js';
import {DIRECTORY_FLAGS, SUFFIX} from './layout.js';
import {DIRECTORY, describeError, errorCode, NOT_REGULAR, SYMLINK} from './reasons.js';

export class SessionDirectory {
	/** The absolute path. */
	readonly path: string;
	readonly #prefix: string;

	constructor(dir: string) {
		this.path = resolve(dir);
		this.#prefix = this.path.endsWith(sep) ? this.path : this.path + sep;
	}

	/** The path of `<id>.json`. */
	file(id: string): string {
		return `${this.#prefix}${id}${SUFFIX}`;
	}

	/** The path of an entry named `name`. */
	entry(name: string): string {
		return this.#prefix + name;
	}

	/** Every entry, with its type as readdir tells it; none when the directory has gone. */
	entries(): Dirent[] {
		try {
			return readdirSync(this.path, {withFileTypes: true});
		} catch (error) {
			if (errorCode(error) === 'ENOENT') return []; // removed since: nothing stored
			throw new StoreUnavailableError(
				`cannot read the session directory ${this.path}: ${describeError(error)}`,
				{cause: error},
			);
		}
	}

	/**
	 * Checks the directory, if it is there (when it is not, there is nothing to read, and a write
	 * creates it), at every call of the store, not once per store: a long-lived store (the
	 * inspector) must not read from or write into whatever replaced its directory since, such as
	 * a symlink to a directory everyone can write to. An open, an fstat and a close.
	 */
	checkIfPresent(): void {
		if (exists(this.path)) this.ensure();
	}

	/**
	 * Creates the directory 0700 when missing, then checks it through a descriptor opened with
	 * O_NOFOLLOW|O_DIRECTORY, so the checks and the chmod apply to the very directory opened,
	 * never to a symlink's target.
	 */
	ensure(): void {
		const dir = this.path;
		let created = false;
		try {
			created = mkdirSync(dir, {recursive: true, mode: 0o700}) !== undefined;
		} catch (error) {
			// Something that is not a directory is in the way (a file, a dangling symlink,
			// which mkdir reports as ENOENT): the open below says which.
			if (!exists(dir)) {
				throw new StoreUnavailableError(
					`cannot create the session directory ${dir}: ${describeError(error)}`,
					{cause: error},
				);
			}
		}

		let fd: number;
		try {
			fd = openSync(dir, DIRECTORY_FLAGS);
		} catch (error) {
			const code = errorCode(error);
			// Linux answers ENOTDIR, not ELOOP, for a symlink opened with O_DIRECTORY|O_NOFOLLOW.
			if (code === 'ELOOP' || code === 'EMLINK' || isSymlink(dir)) {
				throw new UnsafeDirectoryError(
					`The session directory ${dir} is a symbolic link. Sessions hold access tokens, so they are kept only in a real directory: replace the link with a directory (mkdir -m 700 '${dir}') or use another directory.`,
				);
			}

			if (code === 'ENOTDIR') throw this.#notADirectory();
			throw new StoreUnavailableError(
				`cannot open the session directory ${dir}: ${describeError(error)}`,
				{cause: error},
			);
		}

		try {
			let stats = fstatSync(fd);
			if (!stats.isDirectory()) throw this.#notADirectory();
			const uid = process.getuid?.();
			if (uid !== undefined && stats.uid !== uid) {
				throw new UnsafeDirectoryError(
					`The session directory ${dir} belongs to uid ${stats.uid}, not to you (uid ${uid}), so someone else could read or plant sessions there. Use a directory you own, or take this one over: chown ${uid} '${dir}' && chmod 700 '${dir}'.`,
				);
			}

			// mkdir's mode is filtered by the umask (which could even leave 0000): set it exactly.
			if (created && (stats.mode & 0o777) !== 0o700) {
				fchmodSync(fd, 0o700);
				stats = fstatSync(fd);
			}

			if (process.platform !== 'win32' && (stats.mode & 0o022) !== 0) {
				throw new UnsafeDirectoryError(
					`The session directory ${dir} is writable by other users (mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')}), so they could replace sessions. Fix it with: chmod 700 '${dir}'.`,
				);
			}
		} finally {
			closeSync(fd);
		}
	}

	#notADirectory(): UnsafeDirectoryError {
		return new UnsafeDirectoryError(
			`The session directory ${this.path} exists but is not a directory. Move that file away or use another directory.`,
		);
	}
}

/** Why a directory entry cannot be a session, judged from readdir's d_type alone (no I/O). */
export function direntReason(dirent: Dirent): string | undefined {
	if (dirent.isFile()) return undefined;
	if (dirent.isSymbolicLink()) return SYMLINK;
	if (dirent.isDirectory()) return DIRECTORY;
	if (
		dirent.isFIFO() ||
		dirent.isSocket() ||
		dirent.isBlockDevice() ||
		dirent.isCharacterDevice()
	) {
		return NOT_REGULAR;
	}

	return undefined; // the file system did not say: open + fstat decide
}

export function exists(path: string): boolean {
	try {
		lstatSync(path);
		return true;
	} catch {
		return false;
	}
}

export function isDirectory(path: string): boolean {
	try {
		return lstatSync(path).isDirectory();
	} catch {
		return false;
	}
}

function isSymlink(path: string): boolean {
	try {
		return lstatSync(path).isSymbolicLink();
	} catch {
		return false;
	}
}
