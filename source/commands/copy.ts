// `copy --from STORE --to STORE [--dry-run] [--move]`: opens the two stores, runs the library's
// copySessions (session/copy.ts, where every rule of a copy lives), and says what became of each
// session as it goes (stdout; failures on stderr, naming the store and the session), then a
// count per outcome. Exit 0 when every readable session is at the target, 1 when one is not.
import {entryLabel, entryStanding} from '../format/entry.js';
import {escapeControl} from '../format/escape.js';
import {groupDigits} from '../format/text.js';
import {
	type CopyOutcome,
	type CopyResult,
	type CopyStep,
	type CopySummary,
	copyOutcomes,
	copySessions,
	SameStoreError,
} from '../session/copy.js';
import type {ListEntry} from '../session/store.js';
import {type OpenedStore, openStore} from './open-store.js';
import type {StoreRef} from './options.js';
import {errorMessage, type Output, reportTo} from './output.js';

export type CopyCommandOptions = {
	readonly from: StoreRef;
	readonly to: StoreRef;
	readonly dryRun: boolean;
	readonly move: boolean;
	readonly output: Output;
	/** The clock: which sessions count as expired, and the times shown. */
	readonly now?: () => number;
};

/** How each outcome is counted in the summary; `would` in a dry run. */
const outcomeWords: Readonly<Record<CopyOutcome, {done: string; would: string}>> = {
	copied: {done: 'copied', would: 'would copy'},
	'already-there': {done: 'already there', would: 'already there'},
	'kept-newer': {done: 'kept newer at target', would: 'would keep newer at target'},
	'skipped-expired': {done: 'skipped expired', would: 'would skip expired'},
	'skipped-unreadable': {done: 'skipped unreadable', would: 'would skip unreadable'},
	'skipped-gone': {done: 'skipped gone from source', would: 'would skip gone from source'},
	failed: {done: 'failed', would: 'failed'},
};

/** Always named in the summary, even at 0; the others only when they happened. */
const alwaysCounted: ReadonlySet<CopyOutcome> = new Set([
	'copied',
	'already-there',
	'kept-newer',
	'skipped-expired',
	'skipped-unreadable',
]);

/** What failed, by step: `cannot write it to the target redis://…`. */
const stepWords: Readonly<Record<CopyStep, string>> = {
	lock: 'cannot lock it in',
	read: 'cannot read it in',
	write: 'cannot write it to',
	verify: 'cannot verify it in',
	remove: 'copied, but cannot remove it from',
};

function storeOptions(ref: StoreRef): {dir?: string; redisUrl?: string} {
	return ref.kind === 'dir' ? {dir: ref.dir} : {redisUrl: ref.url};
}

/** The entry a result is about, for the shared labels (`github (@octocat)`, `expires in 29d`). */
function entryOf(result: CopyResult): ListEntry {
	return result.outcome === 'skipped-unreadable'
		? {kind: 'unreadable', id: result.id, reason: result.reason, location: result.location}
		: {kind: 'session', id: result.id, session: result.session, location: ''};
}

export async function copyCommand(options: CopyCommandOptions): Promise<number> {
	const {output, dryRun} = options;
	const clock = options.now ?? Date.now;
	const opened: OpenedStore[] = [];
	try {
		let source: OpenedStore;
		let target: OpenedStore;
		try {
			source = await openStore(storeOptions(options.from));
			opened.push(source);
		} catch (error) {
			output.err(`stacktower-sessions: cannot open the source: ${errorMessage(error)}\n`);
			return 1;
		}

		try {
			// A missing target directory is made (0700, checked) as a first login would make it,
			// except in a dry run, which changes nothing.
			target = await openStore({...storeOptions(options.to), createDirectory: !dryRun});
			opened.push(target);
		} catch (error) {
			output.err(`stacktower-sessions: cannot open the target: ${errorMessage(error)}\n`);
			return 1;
		}

		return await run(options, source, target, clock);
	} finally {
		await Promise.allSettled(opened.map((store) => store.close()));
	}
}

async function run(
	options: CopyCommandOptions,
	source: OpenedStore,
	target: OpenedStore,
	clock: () => number,
): Promise<number> {
	const {output, dryRun, move} = options;
	const report = reportTo(output);
	const where = {source: source.location, target: target.location};
	const line = (result: CopyResult): void => {
		const entry = entryOf(result);
		const label = entryLabel(entry);
		const words = outcomeWords[result.outcome][dryRun ? 'would' : 'done'];
		switch (result.outcome) {
			case 'copied': {
				const moved = result.removedFromSource
					? '; removed from the source'
					: dryRun && move
						? ', then remove it from the source'
						: '';
				report.line(`${words} ${label} · ${entryStanding(entry, clock())}${moved}`);
				return;
			}

			case 'already-there': {
				const note = !result.identical
					? move
						? ' · with other tokens there, so left in the source too'
						: ' · with other tokens there, left as they are'
					: result.removedFromSource
						? '; removed from the source'
						: dryRun && move
							? '; would remove it from the source'
							: '';
				report.line(`${words} ${label}${note}`);
				return;
			}

			case 'kept-newer': {
				const now = clock();
				const there: ListEntry = {
					kind: 'session',
					id: result.id,
					session: {...result.session, expiresAt: result.targetExpiresAt},
					location: '',
				};
				const theirs = entryStanding(there, now);
				report.line(
					`${words} ${label} · there it ${theirs}, here it ${entryStanding(entry, now)}${move ? '; left in the source' : ''}`,
				);
				return;
			}

			case 'skipped-expired':
			case 'skipped-gone': {
				report.line(
					`${words} ${label}${result.outcome === 'skipped-expired' ? ` · ${entryStanding(entry, clock())}` : ''}`,
				);
				return;
			}

			case 'skipped-unreadable': {
				report.line(`${words} ${label}: ${escapeControl(result.reason)}`);
				return;
			}

			case 'failed': {
				output.err(
					`stacktower-sessions: failed ${label}: ${stepWords[result.step]} the ${result.store} ${where[result.store]}: ${errorMessage(result.error)}\n`,
				);
				return;
			}
		}
	};

	let summary: CopySummary;
	try {
		summary = await copySessions(source.store, target.store, {
			dryRun,
			move,
			now: clock,
			onResult: line,
			onLockWait: (id, store) => {
				output.err(
					`stacktower-sessions: waiting for ${escapeControl(id)}: another process holds its lock in the ${store} ${where[store]} (a refresh in progress)\n`,
				);
			},
		});
	} catch (error) {
		if (!(error instanceof SameStoreError)) throw error;
		output.err(
			`stacktower-sessions: --from and --to name the same store (${where.source} and ${where.target}): give two different ones\nrun stacktower-sessions copy --help for its usage\n`,
		);
		return 2;
	}

	if (summary.listError !== undefined) {
		output.err(
			`stacktower-sessions: cannot read the sessions in the source ${where.source}: ${errorMessage(summary.listError)}; the counts below stop there: run copy again to go on\n`,
		);
	}

	const counts = copyOutcomes
		.filter((outcome) => alwaysCounted.has(outcome) || summary.counts[outcome] > 0)
		.map(
			(outcome) =>
				`${outcomeWords[outcome][dryRun ? 'would' : 'done']} ${groupDigits(summary.counts[outcome])}`,
		);
	if (move && !dryRun) counts.push(`removed from source ${groupDigits(summary.removedFromSource)}`);
	report.line(`${counts.join(' · ')}${dryRun ? '; nothing was changed (--dry-run)' : ''}`);
	return summary.complete && !report.failed() ? 0 : 1;
}
