// Real session directories for the CLI tests: the Go-written fixtures plus sessions made here
// relative to now, written as the Go FileStore writes them (dir 0700, files 0600).
import {chmodSync, copyFileSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {decodeSession, encodeSession} from '../../source/session/codec.js';
import type {GitHubUser, Session} from '../../source/session/session.js';
import {repoRoot} from './cli.js';
import {makeTempDir} from './temp-dir.js';

export const fixturesDir = path.join(repoRoot, 'test/fixtures/go-written');

/** The ids of the Go-written fixtures, sorted. */
export const fixtureIds: readonly string[] = [
	'active-berlin',
	'expired-2020',
	'expired-india',
	'github',
	'local-session',
	'no-user-session',
];

/** The fixtures' ids without `removed`, sorted: what is left after deleting those. */
export function fixtureIdsBut(...removed: string[]): string[] {
	return fixtureIds.filter((id) => !removed.includes(id));
}

/** The tokens in the Go-written fixtures, which must never be printed whole. */
export const fixtureTokens = [
	'gho_active-berlinTOKEN0123456789abcdef',
	'gho_expired-2020TOKEN0123456789abcdef',
	'gho_expired-indiaTOKEN0123456789abcdef',
	'gho_githubTOKEN0123456789abcdef',
	'gho_local-sessionTOKEN0123456789abcdef',
];

export function makeUser(login: string, overrides: Partial<GitHubUser> = {}): GitHubUser {
	return {
		id: 1000 + login.length,
		login,
		name: `Name of ${login}`,
		avatarUrl: `https://avatars.githubusercontent.com/u/${login}`,
		email: `${login}@example.com`,
		...overrides,
	};
}

/**
 * The tests' one session factory: a session expiring `expiresInMs` after `now` (negative:
 * already expired), made an hour before it.
 */
export function makeSession(
	id: string,
	expiresInMs: number,
	overrides: Partial<Session> = {},
	now = Date.now(),
): Session {
	return {
		id,
		accessToken: `gho_${id.replace(/[^A-Za-z0-9]/g, '')}SECRET0123456789abcdef`,
		user: makeUser(id.replace(/[^A-Za-z0-9]/g, '').slice(0, 20) || 'user'),
		createdAt: new Date(now - 60 * 60 * 1000),
		expiresAt: new Date(now + expiresInMs),
		...overrides,
	};
}

export function writeSession(dir: string, session: Session): string {
	const file = path.join(dir, `${session.id}.json`);
	writeFileSync(file, encodeSession(session), {mode: 0o600});
	return file;
}

/** The session stored as `<id>.json` in `dir`, decoded. */
export function readSession(dir: string, id: string): Session {
	return decodeSession(readFileSync(path.join(dir, `${id}.json`), 'utf8'));
}

export type SessionDirOptions = {
	/** Copy the Go-written fixtures in (default true). */
	readonly fixtures?: boolean;
	readonly sessions?: readonly Session[];
	/** Other files: name → content. */
	readonly files?: Readonly<Record<string, string>>;
};

/** A fresh temp directory holding sessions; removed when the test finishes. */
export function makeSessionDir(options: SessionDirOptions = {}): string {
	const dir = makeTempDir('stacktower-sessions-test-');

	if (options.fixtures ?? true) {
		for (const name of readdirSync(fixturesDir)) {
			copyFileSync(path.join(fixturesDir, name), path.join(dir, name));
			chmodSync(path.join(dir, name), 0o600);
		}
	}

	for (const session of options.sessions ?? []) writeSession(dir, session);
	for (const [name, content] of Object.entries(options.files ?? {})) {
		writeFileSync(path.join(dir, name), content, {mode: 0o600});
	}

	return dir;
}

/** The session ids in a directory, sorted. */
export function idsIn(dir: string): string[] {
	return readdirSync(dir)
		.filter((name) => name.endsWith('.json'))
		.map((name) => name.slice(0, -'.json'.length))
		.sort();
}
