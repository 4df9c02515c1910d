// How one session is named in a message: `github (@octocat)`, and how it stands:
// `expired 3d ago`, `expires in 29d 23h`. Shared by delete, cleanup and their dry runs.
import type {ListEntry} from '../session/store.js';
import {formatCountdown, formatDuration} from './duration.js';
import {escapeControl} from './escape.js';

/** `github (@octocat)`; `github` for a session without a user or an unreadable entry. */
export function entryLabel(entry: ListEntry): string {
	const id = escapeControl(entry.id);
	const login = entry.kind === 'session' ? entry.session.user?.login : undefined;
	return login ? `${id} (@${escapeControl(login)})` : id;
}

/** `expired 3d ago`, `expires in 29d 23h`, or `unreadable: why`. */
export function entryStanding(entry: ListEntry, now: number): string {
	if (entry.kind === 'unreadable') return `unreadable: ${escapeControl(entry.reason)}`;
	const left = entry.session.expiresAt.getTime() - now;
	return left >= 0
		? `expires in ${formatDuration(left)}`
		: formatCountdown(entry.session.expiresAt, now);
}
