import {Box, Text} from 'ink';
import type {StatusCounts} from '../format/status.js';
import {groupDigits} from '../format/text.js';

type Props = {
	/** Where the sessions live, already fit for the terminal. */
	readonly location: string;
	/** Shown instead of the title and location, highlighted. */
	readonly banner?: string;
	/** The live counts; undefined while the first listing loads. */
	readonly counts?: StatusCounts;
	/** Terminal width: narrow terminals keep the location and drop the title. */
	readonly width: number;
};

// What the location keeps, at least, when the counts take the rest of a narrow terminal.
const MIN_LOCATION_WIDTH = 12;

export default function Header({location, banner, counts, width}: Props) {
	const active = counts && groupDigits(counts.active);
	const expired = counts && groupDigits(counts.expired);
	const unreadable = counts && groupDigits(counts.unreadable);
	// On one line whatever the width: cut at the end rather than wrapped onto a second line,
	// which would push the footer off a small screen.
	const countsWidth = counts
		? Math.min(
				`${active} active · ${expired} expired · ${unreadable} unreadable`.length,
				Math.max(1, width - MIN_LOCATION_WIDTH - 2),
			)
		: 0;
	return (
		<Box justifyContent="space-between">
			<Box flexShrink={1}>
				{banner ? (
					<Text wrap="truncate-end" color="yellow">
						{` ${banner}`}
					</Text>
				) : (
					<Text wrap="truncate-middle">
						{width >= 80 ? <Text bold> stacktower sessions </Text> : null} {location}
					</Text>
				)}
			</Box>
			{counts ? (
				<Box flexShrink={0} marginLeft={2} width={countsWidth}>
					<Text wrap="truncate-end">
						<Text color="green">{active} active</Text>
						{' · '}
						<Text dimColor>{expired} expired</Text>
						{' · '}
						<Text color={counts.unreadable > 0 ? 'magenta' : undefined}>
							{unreadable} unreadable
						</Text>
					</Text>
				</Box>
			) : null}
		</Box>
	);
}
