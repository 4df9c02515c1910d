import {Box, Text} from 'ink';
import type {StatusCounts} from '../format/status.js';
import {groupDigits} from '../format/text.js';

type Props = {
	/** Where the sessions live, already fit for the terminal. */
	readonly location: string;
	/** The live counts; undefined while the first listing loads. */
	readonly counts?: StatusCounts;
	/** Terminal width: narrow terminals keep the location and drop the title. */
	readonly width: number;
};

export default function Header({location, counts, width}: Props) {
	return (
		<Box justifyContent="space-between">
			<Box flexShrink={1}>
				<Text wrap="truncate-middle">
					{width >= 80 ? <Text bold> stacktower sessions </Text> : null} {location}
				</Text>
			</Box>
			{counts ? (
				<Box flexShrink={0} marginLeft={2}>
					<Text>
						<Text color="green">{groupDigits(counts.active)} active</Text>
						{' · '}
						<Text dimColor>{groupDigits(counts.expired)} expired</Text>
						{' · '}
						<Text color={counts.unreadable > 0 ? 'magenta' : undefined}>
							{groupDigits(counts.unreadable)} unreadable
						</Text>
					</Text>
				</Box>
			) : null}
		</Box>
	);
}
