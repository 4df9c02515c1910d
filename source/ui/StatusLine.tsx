import {Text} from 'ink';
import Spinner from 'ink-spinner';
import {formatDuration} from '../format/duration.js';
import {groupDigits, plural} from '../format/text.js';
import {displayWidth, forScreen} from '../format/width.js';
import Confirm from './Confirm.js';
import {maxHelpTop} from './help-layout.js';
import {progressText} from './Loading.js';
import {bodyHeight} from './layout.js';
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

/**
 * The first of `named` that fit `room` columns whole, then how many more (`a, b …and 3 more`);
 * empty when not even one fits. A name cut short would not say which session it is.
 */
function namesThatFit(named: readonly string[], count: number, room: number): string {
	for (let shown = named.length; shown > 0; shown--) {
		const more = count - shown;
		const text = `${named.slice(0, shown).join(', ')}${more > 0 ? ` …and ${groupDigits(more)} more` : ''}`;
		if (displayWidth(text) <= room) return text;
	}
	return '';
}

/** How long a message stays up without a key. */
export const MESSAGE_MS = 5000;

// Whether the help, scrolled, has more below or above.
function helpMore(state: State): string {
	if (state.mode.kind !== 'help') return '';
	const max = maxHelpTop(state.width, bodyHeight(state.list.height));
	if (max === 0) return '';
	return state.mode.top < max ? '↓ more below' : '↑ more above';
}

/** The line above the footer: a question, a running task, the filter being typed, or the view's summary. */
export default function StatusLine({state, now}: Props) {
	const {mode} = state;
	if (mode.kind === 'confirmDelete') return <Confirm question={`delete ${mode.label}`} />;
	if (mode.kind === 'confirmRevoke') {
		return <Confirm question={`deleting ${mode.label}: also revoke the token on GitHub`} />;
	}
	if (mode.kind === 'confirmCleanup') {
		const question = `remove ${plural(mode.count, 'expired session')}`;
		// ' ' before, '? y/n' after, and the brackets.
		const room = state.width - displayWidth(question) - 9;
		const names = namesThatFit(mode.named, mode.count, room);
		return <Confirm question={names === '' ? question : `${question} (${names})`} />;
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

	if (mode.kind === 'help') {
		const more = helpMore(state);
		// A space when there is nothing to say: an empty Text takes no line, and the footer
		// would jump up one.
		return <Text dimColor>{more ? ` ${more}` : ' '}</Text>;
	}

	const {list} = state;
	const filter =
		list.filter === ''
			? ''
			: `filter "${forScreen(list.filter)}": ${groupDigits(list.view.length)} of ${groupDigits(list.rows.length)}`;
	const message = state.message && now - state.message.at < MESSAGE_MS ? state.message : null;
	if (message) {
		// The filter stays in view beside it: the table is still filtered.
		return (
			<Text wrap="truncate-end">
				<Text
					color={message.tone === 'error' ? 'red' : 'green'}
				>{` ${forScreen(message.text)}`}</Text>
				<Text dimColor>{filter ? ` · ${filter}` : ''}</Text>
			</Text>
		);
	}

	if (state.load.phase === 'loading' && state.entries !== null) {
		return <Text dimColor>{` ${progressText(state.load)}`}</Text>;
	}

	// Where the selection is, when the list is longer than the screen.
	const position =
		list.view.length > list.height
			? `${groupDigits(list.selected + 1)} of ${groupDigits(list.view.length)} · `
			: '';
	// The filter before the sort: on a narrow terminal the end is cut, and the filter is what
	// says the table is not all there is.
	return (
		<Text dimColor wrap="truncate-end">
			{` ${position}${filter ? `${filter} · ` : ''}sorted by ${SORT_LABELS[list.sort]}`}
		</Text>
	);
}
