// What the writers racing a cleanup share: their user, a pause, and how they read back the
// token a session file holds.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {GitHubUser} from '../../source/session/session.js';

export const racer: GitHubUser = {id: 1, login: 'racer', name: '', avatarUrl: '', email: ''};

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => {
		setTimeout(resolve, ms);
	});
}

export async function waitUntilPast(time: number): Promise<void> {
	while (Date.now() <= time) await sleep(1);
}

/**
 * The token in `<dir>/<id>.json`. A cleanup may hold the file aside for microseconds: look
 * again for up to `patienceMs`, then undefined.
 */
export async function tokenOf(
	dir: string,
	id: string,
	patienceMs: number,
): Promise<string | undefined> {
	const deadline = Date.now() + patienceMs;
	for (;;) {
		try {
			return JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')).access_token;
		} catch {
			if (Date.now() > deadline) return undefined;
			await sleep(1);
		}
	}
}
