// `delete ID...`: removes sessions by id. The ids are validated before this runs (a usage
// error deletes nothing); an id with no session is reported and makes the exit code 1, but
// the other ids are still deleted: the command's aim, those sessions gone, holds for them.
import {escapeControl} from '../format/escape.js';
import {CorruptError, ExpiredError} from '../session/errors.js';
import type {Session} from '../session/session.js';
import type {Store} from '../session/store.js';
import {planRevocations, type RevokeConfig, revokeOne} from './delete-revoke.js';
import {errorMessage, type Output} from './output.js';

export type DeleteCommandOptions = {
	readonly store: Store;
	readonly location: string;
	/** Valid ids, without duplicates. */
	readonly ids: readonly string[];
	readonly output: Output;
	/** delete --revoke: revoke each token on GitHub, then delete the session whatever the outcome. */
	readonly revoke?: RevokeConfig;
};

type Found = {readonly exists: false} | {readonly exists: true; readonly session?: Session};

// Store has no "exists": get() tells, counting expired (ExpiredError) and unreadable
// (CorruptError) entries as present, since delete removes those too.
async function find(store: Store, id: string): Promise<Found> {
	try {
		const session = await store.get(id);
		return session ? {exists: true, session} : {exists: false};
	} catch (error) {
		if (error instanceof ExpiredError || error instanceof CorruptError) return {exists: true};
		throw error;
	}
}

export async function deleteCommand(options: DeleteCommandOptions): Promise<number> {
	const {store, output, location} = options;
	let code = 0;
	// --revoke: every id checked before anything is deleted (a usage error deletes nothing).
	let revocations: Awaited<ReturnType<typeof planRevocations>> | undefined;
	if (options.revoke) {
		try {
			revocations = await planRevocations(store, options.ids, options.revoke);
		} catch (error) {
			output.err(
				`stacktower-sessions: cannot read the sessions in ${location}: ${errorMessage(error)}\n`,
			);
			return 1;
		}

		if (!revocations.ok) {
			output.err(
				revocations.problems.map((problem) => `stacktower-sessions: ${problem}\n`).join(''),
			);
			return 2;
		}
	}

	for (const id of options.ids) {
		const shown = escapeControl(id);
		try {
			const found = await find(store, id);
			if (!found.exists) {
				output.err(`no session ${shown} in ${location}\n`);
				code = 1;
				continue;
			}

			const revoked =
				revocations?.ok && options.revoke
					? await revokeOne(revocations.plan.get(id), options.revoke)
					: undefined;
			if (revoked && !revoked.ok) {
				output.err(`stacktower-sessions: ${shown}: ${revoked.note}\n`);
				code = 1;
			}

			await store.delete(id);
			const login = found.session?.user?.login;
			output.out(
				`deleted ${shown}${login ? ` (@${escapeControl(login)})` : ''}${revoked?.ok ? `; ${revoked.note}` : ''}\n`,
			);
		} catch (error) {
			output.err(
				`stacktower-sessions: cannot delete ${shown} in ${location}: ${errorMessage(error)}\n`,
			);
			code = 1;
		}
	}

	return code;
}
