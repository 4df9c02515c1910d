// `demo`: a temporary directory of sample sessions, so a newcomer sees the inspector work
// without logging in. Some sessions run out while you watch (90 s, 4 min), some are long
// expired, one file is not a session, and one name holds escape sequences, shown escaped.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {encodeSession} from '../session/codec.js';
import {generateId} from '../session/ids.js';
import type {GitHubUser, Session} from '../session/session.js';

/** What the inspector's header says while it shows the demo. */
export const DEMO_BANNER = 'demo: sample sessions in a temporary directory, removed on exit';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function user(id: number, login: string, name: string): GitHubUser {
	return {
		id,
		login,
		name,
		avatarUrl: `https://avatars.githubusercontent.com/u/${id}`,
		email: `${login}@example.com`,
	};
}

// Not real tokens: a recognisable prefix and random-looking filler, as GitHub's look.
function fakeToken(): string {
	return `gho_demo${generateId().replace(/[-_]/g, '').slice(0, 32)}`;
}

/** The sample sessions, relative to `now`. */
export function demoSessions(now: number): Session[] {
	const at = (offsetMs: number) => new Date(now + offsetMs);
	const session = (
		id: string,
		owner: GitHubUser | null,
		createdAgoMs: number,
		expiresInMs: number,
	): Session => ({
		id,
		accessToken: fakeToken(),
		user: owner,
		createdAt: at(-createdAgoMs),
		expiresAt: at(expiresInMs),
	});

	return [
		session('github', user(583_231, 'octocat', 'Mona Lisa Octocat'), 2 * HOUR, 22 * HOUR),
		session('ci-runner', user(9919, 'hubot', 'Hubot'), 23 * HOUR, 90 * SECOND),
		session('laptop', user(1, 'monalisa', 'Mona Lisa'), 20 * HOUR, 4 * MINUTE),
		session('build-box', user(2, 'mojombo', 'Tom Preston-Werner'), 12 * HOUR, 50 * MINUTE),
		session(generateId(), user(3, 'defunkt', 'Chris Wanstrath'), 3 * DAY, 3 * DAY + 4 * HOUR),
		session('local-session', user(0, 'local', 'Local User'), 5 * MINUTE, 364 * DAY),
		session('no-user', null, 1 * HOUR, 23 * HOUR),
		session('old-laptop', user(4, 'pjhyett', 'PJ Hyett'), 40 * DAY, -3 * DAY),
		session('yesterday', user(1, 'monalisa', 'Mona Lisa'), 2 * DAY, -20 * HOUR),
		session('just-gone', user(9919, 'hubot', 'Hubot'), DAY, -2 * MINUTE),
		// A name that would retitle the window and turn the screen red if printed raw; the id
		// says what the row shows.
		session(
			'escapes-shown-as-text',
			user(666, 'mallory', '\u001B]0;pwned\u0007\u001B[31mred'),
			30 * MINUTE,
			6 * HOUR,
		),
	];
}

/** Creates the temporary directory (mode 0700) with the samples in it; the caller removes it. */
export function createDemoDir(now: number = Date.now()): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'stacktower-sessions-demo-'));
	for (const session of demoSessions(now)) {
		writeFileSync(path.join(dir, `${session.id}.json`), encodeSession(session), {mode: 0o600});
	}

	// Cut short, as a crash mid-write would leave it: listed as unreadable, never hidden.
	writeFileSync(path.join(dir, 'broken.json'), '{\n  "id": "broken",\n  "access_token": "gho_', {
		mode: 0o600,
	});
	return dir;
}

/**
 * Removes the demo directory when the process ends: on a normal exit, and with `signals` also
 * when a signal (a closed terminal, kill) ends it. The inspector handles signals itself (it
 * restores the terminal first, then returns), so only the plain path asks for `signals`.
 * Returns the remover, for the caller's `finally`.
 */
export function removeOnExit(dir: string, {signals}: {signals: boolean}): () => void {
	const remove = () => {
		rmSync(dir, {recursive: true, force: true});
	};

	process.once('exit', remove);
	if (signals) {
		for (const [signal, number] of [
			['SIGINT', 2],
			['SIGTERM', 15],
			['SIGHUP', 1],
		] as const) {
			process.once(signal, () => {
				remove();
				// The conventional exit status for death by a signal.
				process.exit(128 + number);
			});
		}
	}

	return remove;
}
