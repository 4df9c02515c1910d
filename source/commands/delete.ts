// `delete ID...` (and `logout`, which is `delete github`): removes sessions by id, or with
// --dry-run names what would go and removes nothing. The ids are validated before this runs (a
// usage error deletes nothing); an id with no session is reported and makes the exit code 1,
// but the other ids are still deleted: the command's aim, those sessions gone, holds for them.
import {entryLabel, entryStanding} from '../format/entry.js';
import {escapeControl} from '../format/escape.js';
import type {ListableStore, ListEntry} from '../session/store.js';
import {planRevocations, type RevokeConfig, revokeOne} from './delete-revoke.js';
import {errorMessage, type Output, reportTo} from './output.js';

export type DeleteCommandOptions = {
	readonly store: ListableStore;
	readonly location: string;
	/** Valid ids, without duplicates. */
	readonly ids: readonly string[];
	readonly dryRun: boolean;
	readonly output: Output;
	/** The clock, for the dry run's "expired 3d ago". */
	readonly now?: () => number;
	/** delete --revoke: revoke each token on GitHub, then delete the session whatever the outcome. */
	readonly revoke?: RevokeConfig;
};

/**
 * The entries of these ids, read without side effects: Store.get removes an expired session as
 * it reads it (so a dry run would delete it) and hides whose it was. A store with lookup() is
 * asked id by id; any other is listed once, for all the ids.
 */
async function lookUp(
	store: ListableStore,
	ids: readonly string[],
): Promise<Map<string, ListEntry>> {
	const found = new Map<string, ListEntry>();
	if (store.lookup) {
		for (const id of ids) {
			const entry = await store.lookup(id);
			if (entry) found.set(id, entry);
		}

		return found;
	}

	const wanted = new Set(ids);
	const keep = (entry: ListEntry) => {
		if (wanted.has(entry.id)) found.set(entry.id, entry);
	};

	if (store.each) await store.each({onEntry: keep});
	else for (const entry of await store.list()) keep(entry);
	return found;
}

export async function deleteCommand(options: DeleteCommandOptions): Promise<number> {
	const {store, output, location} = options;
	let found: Map<string, ListEntry>;
	try {
		found = await lookUp(store, options.ids);
	} catch (error) {
		output.err(
			`stacktower-sessions: cannot read the sessions in ${location}: ${errorMessage(error)}\n`,
		);
		return 1;
	}

	// --revoke: every id checked before anything is deleted (a usage error deletes nothing).
	const revocations = options.revoke
		? planRevocations(found, options.ids, options.revoke)
		: undefined;
	if (revocations && !revocations.ok) {
		output.err(revocations.problems.map((problem) => `stacktower-sessions: ${problem}\n`).join(''));
		return 2;
	}

	const now = (options.now ?? Date.now)();
	const report = reportTo(output);
	let code = 0;
	for (const id of options.ids) {
		const entry = found.get(id);
		if (entry === undefined) {
			output.err(`stacktower-sessions: no session ${escapeControl(id)} in ${location}\n`);
			code = 1;
			continue;
		}

		if (options.dryRun) {
			report.line(`would delete ${entryLabel(entry)} · ${entryStanding(entry, now)}`);
			continue;
		}

		const revoked =
			revocations?.ok && options.revoke
				? await revokeOne(revocations.plan.get(id), options.revoke)
				: undefined;
		if (revoked && !revoked.ok) {
			output.err(`stacktower-sessions: ${escapeControl(id)}: ${revoked.note}\n`);
			code = 1;
		}

		try {
			await store.delete(id);
		} catch (error) {
			output.err(
				`stacktower-sessions: cannot delete ${escapeControl(id)} in ${location}: ${errorMessage(error)}\n`,
			);
			code = 1;
			continue;
		}

		// The same words whether it was active, expired or unreadable: it is gone either way.
		report.line(`deleted ${entryLabel(entry)}${revoked?.ok ? `; ${revoked.note}` : ''}`);
	}

	if (options.dryRun && found.size > 0) report.line('nothing was deleted (--dry-run)');
	return report.failed() ? 1 : code;
}
