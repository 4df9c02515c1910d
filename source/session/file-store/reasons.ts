// The texts the FileStore shows: why an entry is not a session, and what a file-system error
// code means. Safe to show: none of them quotes a file's bytes, which may hold a token.

export const SYMLINK = 'it is a symbolic link (not followed)';
export const DIRECTORY = 'it is a directory, not a file';
export const NOT_REGULAR = 'it is not a regular file';
export const TOO_LARGE = 'it is larger than 1 MiB';
export const BAD_NAME = 'not a valid session id file name';
export const ID_MISMATCH = 'the id field does not match the file name';

/** Why something the store found is not a session. */
export type Unreadable = {readonly reason: string};

export function errorCode(error: unknown): string | undefined {
	const code = (error as {code?: unknown} | null)?.code;
	return typeof code === 'string' ? code : undefined;
}

const ERRNO_TEXT: Record<string, string> = {
	EACCES: 'permission denied',
	EPERM: 'operation not permitted',
	ENOTDIR: 'a part of the path is not a directory',
	EROFS: 'read-only file system',
	ENOSPC: 'no space left on device',
	EDQUOT: 'disk quota exceeded',
	EISDIR: 'a directory is in the way',
	EIO: 'input/output error',
};

/** A short reason for an fs error, with its code, e.g. `permission denied (EACCES)`. */
export function describeError(error: unknown): string {
	const code = errorCode(error);
	if (code) return ERRNO_TEXT[code] ? `${ERRNO_TEXT[code]} (${code})` : code;
	return error instanceof Error ? error.message : String(error);
}

/** Why a session file could not be opened or read, from the error's code. */
export function reasonForOpenError(code: string | undefined): string {
	switch (code) {
		case 'ELOOP':
		case 'EMLINK': // FreeBSD's answer to O_NOFOLLOW on a symlink
			return SYMLINK;
		case 'EISDIR':
			return DIRECTORY;
		case 'ENXIO': // a socket
		case 'ENODEV':
			return NOT_REGULAR;
		case 'EACCES':
		case 'EPERM':
			return 'permission denied';
		default:
			return `it cannot be read (${code ?? 'unknown error'})`;
	}
}
