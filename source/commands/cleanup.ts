// `cleanup`: removes the expired sessions (never active or unreadable ones) and says how many;
// with --dry-run, names the ones that would go and removes nothing.
import {entryLabel, entryStanding} from '../format/entry.js';
import {sortByNumber} from '../format/sort.js';
import type {ListableStore, ListEntry} from '../session/store.js';
import {errorMessage, type Output, plural, reportTo} from './output.js';

export type CleanupCommandOptions = {
	readonly store: ListableStore;
	readonly location: string;
	readonly dryRun: boolean;
	readonly output: Output;
	/** The clock: what counts as expired, and for how long. */
	readonly now?: () => number;
};

/** The expired sessions, longest gone first, found by listing (which removes nothing). */
async function expiredEntries(store: ListableStore, now: number): Promise<ListEntry[]> {
	const entries = await store.list();
	const expired = entries.filter(
		(entry) => entry.kind === 'session' && now > entry.session.expiresAt.getTime(),
	);
	return sortByNumber(expired, (entry) =>
		entry.kind === 'session' ? entry.session.expiresAt.getTime() : 0,
	);
}

export async function cleanupCommand(options: CleanupCommandOptions): Promise<number> {
	const {output, location, store} = options;
	const clock = options.now ?? Date.now;
	const report = reportTo(output);
	if (options.dryRun) {
		let expired: ListEntry[];
		try {
			expired = await expiredEntries(store, clock());
		} catch (error) {
			output.err(
				`stacktower-sessions: cannot read the sessions in ${location}: ${errorMessage(error)}\n`,
			);
			return 1;
		}

		const now = clock();
		for (const entry of expired) {
			report.line(`would remove ${entryLabel(entry)} · ${entryStanding(entry, now)}`);
		}

		report.line(
			`would remove ${plural(expired.length, 'expired session')} from ${location}; nothing was removed (--dry-run)`,
		);
		return report.failed() ? 1 : 0;
	}

	let removed: number;
	try {
		removed = await store.cleanup();
	} catch (error) {
		output.err(
			`stacktower-sessions: cannot clean up the sessions in ${location}: ${errorMessage(error)}\n`,
		);
		return 1;
	}

	report.line(`removed ${plural(removed, 'expired session')} from ${location}`);
	return report.failed() ? 1 : 0;
}
