// The whole access token never reaches a screen or the plain output: anyone who reads it can act
// as its user until it expires. GitHub's token prefixes say what kind of token it is without
// revealing any of it, so they are kept.
// https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/

const prefixes = ['github_pat_', 'gho_', 'ghp_', 'ghu_', 'ghs_', 'ghr_'] as const;

/** What stands for the hidden part; fixed length, so the mask says nothing about the token's length. */
export const MASK = '••••••••';

/**
 * A masked token: a known GitHub prefix kept (`gho_••••••••`), everything else hidden. Never
 * contains the whole token: a token that is only a prefix is hidden entirely. The empty token
 * masks to the empty string (nothing to hide, and callers show "none" in its place).
 */
export function maskToken(token: string): string {
	const kept = keptPrefix(token);
	return kept === undefined ? '' : kept + MASK;
}

/**
 * What maskToken keeps of `token` before the MASK: its known prefix, or '' when it keeps
 * nothing; undefined for the empty token (masked to ''). The masked text depends on this
 * alone, so callers can cache it by this value.
 */
export function keptPrefix(token: string): string | undefined {
	if (typeof token !== 'string' || token === '') return undefined;
	for (const prefix of prefixes) {
		if (token.startsWith(prefix) && token.length > prefix.length) return prefix;
	}

	return '';
}
