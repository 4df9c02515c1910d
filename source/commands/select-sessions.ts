// The sessions `status` and `refresh` work on: the ids given, or every active session. Read
// through list(), which deletes nothing: get() would remove an expired session it was asked
// about, and these commands only look (or renew the token, never the session).
import {escapeControl} from '../format/escape.js';
import {isExpired, type Session} from '../session/session.js';
import type {ListableStore} from '../session/store.js';
import {errorMessage, type Output} from './output.js';

export type Selection = {
	readonly sessions: Session[];
	/** 1 when an id given has no readable session (said on stderr), else 0. */
	readonly code: number;
};

/**
 * With `ids`, those sessions in that order (an expired one too: its token may still work on
 * GitHub); an id with no session, or an unreadable one, is reported and makes the code 1.
 * Without, every session that has not expired, sorted by id. Undefined when the store could not
 * be read (said on stderr; the command exits 1).
 */
export async function selectSessions(
	store: ListableStore,
	ids: readonly string[],
	location: string,
	output: Output,
	now: number,
): Promise<Selection | undefined> {
	let entries: Awaited<ReturnType<ListableStore['list']>>;
	try {
		entries = await store.list();
	} catch (error) {
		output.err(
			`stacktower-sessions: cannot read the sessions in ${location}: ${errorMessage(error)}\n`,
		);
		return undefined;
	}
	if (ids.length === 0) {
		const sessions = entries
			.flatMap((entry) => (entry.kind === 'session' ? [entry.session] : []))
			.filter((session) => !isExpired(session, now))
			.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
		return {sessions, code: 0};
	}

	const byId = new Map(entries.map((entry) => [entry.id, entry]));
	const sessions: Session[] = [];
	let code = 0;
	for (const id of ids) {
		const entry = byId.get(id);
		const shown = escapeControl(id);
		if (entry === undefined) {
			output.err(`stacktower-sessions: no session ${shown} in ${location}\n`);
			code = 1;
		} else if (entry.kind === 'unreadable') {
			output.err(
				`stacktower-sessions: session ${shown} is unreadable: ${escapeControl(entry.reason)}\n`,
			);
			code = 1;
		} else {
			sessions.push(entry.session);
		}
	}

	return {sessions, code};
}
