import {createHash, randomBytes} from 'node:crypto';

/** RFC 7636 PKCE with S256: a 32-byte random verifier (43 base64url chars) and its challenge. */
export type Pkce = {readonly verifier: string; readonly challenge: string};

export function challengeFor(verifier: string): string {
	return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export function createPkce(): Pkce {
	const verifier = randomBytes(32).toString('base64url');
	return {verifier, challenge: challengeFor(verifier)};
}
