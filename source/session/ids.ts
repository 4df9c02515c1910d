import {InvalidIdError} from './errors.js';

// Go's GenerateID uses base64.URLEncoding (padded) over 32 bytes, so `=` must be allowed;
// `.` may appear inside but never first, which rules out `.`, `..` and hidden files.
const idPattern = /^[A-Za-z0-9_\-=.]{1,128}$/;

/**
 * `size` bytes from the CSPRNG. Through the Web Crypto global rather than node:crypto, which
 * loads only when first used: importing node:crypto slows every start of the CLI, and listing,
 * the common case, needs no randomness at all.
 */
export function secureRandomBytes(size: number): Buffer {
	const bytes = Buffer.alloc(size);
	crypto.getRandomValues(bytes);
	return bytes;
}

/** A cryptographically secure random session id: 32 bytes from the CSPRNG, base64url. */
export function generateId(): string {
	return secureRandomBytes(32).toString('base64url');
}

/** A cryptographically secure random OAuth state token: 32 bytes from the CSPRNG, base64url. */
export function generateState(): string {
	return secureRandomBytes(32).toString('base64url');
}

export function isValidId(id: unknown): boolean {
	return typeof id === 'string' && idPattern.test(id) && !id.startsWith('.');
}

/** Throws InvalidIdError unless `id` is 1–128 characters of `A–Z a–z 0–9 _ - = .`, not starting with `.`. */
export function assertValidId(id: unknown): asserts id is string {
	if (typeof id !== 'string') {
		throw new InvalidIdError(`Expected the session id to be a string, got ${typeof id}`);
	}

	if (!isValidId(id)) {
		// JSON.stringify escapes control characters, so a hostile id cannot reach a terminal raw.
		const shown = id.length > 40 ? `${JSON.stringify(id.slice(0, 40))}…` : JSON.stringify(id);
		throw new InvalidIdError(
			`invalid session id ${shown}: use 1–128 characters from A–Z a–z 0–9 _ - = . , not starting with "."`,
		);
	}
}
