// `cleanup`: removes the expired sessions (never active or unreadable ones) and says how many.
import type {Store} from '../session/store.js';
import {errorMessage, type Output, plural} from './output.js';

export type CleanupCommandOptions = {
	readonly store: Store;
	readonly location: string;
	readonly output: Output;
};

export async function cleanupCommand(options: CleanupCommandOptions): Promise<number> {
	const {output, location} = options;
	let removed: number;
	try {
		removed = await options.store.cleanup();
	} catch (error) {
		output.err(
			`stacktower-sessions: cannot clean up the sessions in ${location}: ${errorMessage(error)}\n`,
		);
		return 1;
	}

	output.out(`removed ${plural(removed, 'expired session')} from ${location}\n`);
	return 0;
}
