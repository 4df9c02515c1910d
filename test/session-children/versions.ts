// The versions the crash test's writers write: each is a pure function of (id, version), so a
// reader can tell from a file's token which version it holds and compare the file byte for byte.
import type {Session} from '../../source/session/session.js';

export const CRASH_IDS = ['alpha', 'beta', 'gamma', 'delta'] as const;

export function versionSession(id: string, version: number): Session {
	return {
		id,
		accessToken: `tok-${id}-${version}`,
		user: {
			id: version,
			login: `user${version}`,
			// Sizes vary from version to version, so a torn write could never look whole.
			name: 'n'.repeat(version % 700),
			avatarUrl: `https://avatars.example.com/u/${version}`,
			email: '',
		},
		expiresAt: new Date(Date.parse('2099-01-01T00:00:00Z') + version),
		createdAt: new Date(Date.parse('2026-01-01T00:00:00Z') + version),
	};
}

/** The version a file's token names, or undefined. */
export function versionOf(id: string, token: string): number | undefined {
	const match = /^tok-([A-Za-z]+)-(\d+)$/.exec(token);
	return match?.[1] === id ? Number(match[2]) : undefined;
}
