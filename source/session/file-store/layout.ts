// What the session directory holds besides sessions, the flags every open uses, and the pace
// of a walk through a large directory.
import {constants} from 'node:fs';

/** A session is `<id>.json`. */
export const SUFFIX = '.json';
// Temp files (set() before its rename, a lock's holder before its link, a broken lock set
// aside) and claims (cleanup() before its unlink) both start with "." and never end in ".json",
// so no listing can mistake them for sessions and no valid id (which never starts with ".")
// can collide with them.
export const TEMP_PREFIX = '.tmp-';
export const CLAIM_PREFIX = '.claim-';

// Windows lacks some of these; there they are 0 and the checks degrade to plain opens.
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
const O_NOCTTY = constants.O_NOCTTY ?? 0;
export const O_DIRECTORY = constants.O_DIRECTORY ?? 0;
/**
 * O_NOFOLLOW: a symlink planted as `<id>.json` fails with ELOOP instead of being followed.
 * O_NONBLOCK: a FIFO opens at once instead of hanging; fstat then rejects it unread.
 */
export const READ_FLAGS = constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;
/** O_EXCL: a new file or nothing, never one someone planted under the name. */
export const WRITE_FLAGS =
	constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW | O_NOCTTY;
/** The directory itself, opened so that checks and chmod apply to it and never to a symlink's target. */
export const DIRECTORY_FLAGS = constants.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK;

/** Entries handled between two yields to the event loop in list() and cleanup(). */
export const CHUNK = 1000;

/** Lets the event loop run (a UI paint progress) between two chunks. */
export function yieldToEventLoop(): Promise<void> {
	return new Promise((resolve) => {
		setImmediate(resolve);
	});
}
