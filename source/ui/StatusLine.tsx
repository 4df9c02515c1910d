import {Text} from 'ink';
import Spinner from 'ink-spinner';
import {formatDuration} from '../format/duration.js';
import {groupDigits, plural} from '../format/text.js';
import {forScreen} from '../format/width.js';
import Confirm from './Confirm.js';
import {progressText} from './Loading.js';
import {SORT_LABELS} from './rows.js';
import type {State} from './state.js';

type Props = {
	readonly state: State;
	readonly now: number;
};

function checkedText({done, total}: {done: number; total: number | undefined}): string {
	const of = total === undefined ? '' : ` / ${groupDigits(total)}`;
	return `${groupDigits(done)}${of} checked`;
}

/** The line above the footer: a question, a running task, the filter being typed, or the view's summary. */
export default function StatusLine({state, now}: Props) {
	const {mode} = state;
	if (mode.kind === 'confirmDelete') return <Confirm question={`delete ${mode.label}`} />;
	if (mode.kind === 'confirmCleanup') {
		return <Confirm question={`remove ${plural(mode.count, 'expired session')}`} />;
	}

	if (mode.kind === 'busy') {
		// One line, cut in the middle when narrow: the time it has run stays in view.
		return (
			<Text wrap="truncate-middle">
				{' '}
				<Text color="cyan">
					<Spinner />
				</Text>{' '}
				{mode.label}… {mode.progress ? `${checkedText(mode.progress)}  ` : ''}
				{formatDuration(now - mode.since)}
			</Text>
		);
	}

	if (mode.kind === 'filter') {
		return (
			<Text wrap="truncate-start">
				{' /'}
				{forScreen(state.list.filter)}
				<Text inverse> </Text>
				<Text dimColor>{`  ${plural(state.list.view.length, 'match', 'matches')}`}</Text>
			</Text>
		);
	}

	if (state.message) {
		return (
			<Text wrap="truncate-end" color={state.message.tone === 'error' ? 'red' : 'green'}>
				{` ${forScreen(state.message.text)}`}
			</Text>
		);
	}

	if (state.load.phase === 'loading' && state.entries !== null) {
		return <Text dimColor>{` ${progressText(state.load)}`}</Text>;
	}

	const {list} = state;
	const filter =
		list.filter === ''
			? ''
			: ` · filter "${forScreen(list.filter)}": ${groupDigits(list.view.length)} of ${groupDigits(list.rows.length)}`;
	return (
		<Text dimColor wrap="truncate-end">
			{` sorted by ${SORT_LABELS[list.sort]}${filter}`}
		</Text>
	);
}
