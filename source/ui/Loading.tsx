import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {groupDigits} from '../format/text.js';
import type {Load} from './state.js';

type Props = {
	readonly load: Load;
};

export function progressText(load: Load): string {
	if (load.phase !== 'loading' || (load.done === 0 && load.total === undefined)) {
		return 'loading sessions…';
	}

	const done = groupDigits(load.done);
	return load.total === undefined
		? `loading ${done} sessions…`
		: `loading ${done} / ${groupDigits(load.total)} sessions…`;
}

/** Shown until the first listing arrives, so a large directory never means a blank screen. */
export default function Loading({load}: Props) {
	return (
		<Box paddingLeft={1} paddingTop={1}>
			<Text>
				<Text color="cyan">
					<Spinner />
				</Text>{' '}
				{progressText(load)}
			</Text>
		</Box>
	);
}
