import {Box, Text} from 'ink';
import {HELP_TWO_COLUMNS_WIDTH, type HelpLine, helpRows} from './help-layout.js';

type Props = {
	/** Terminal width: two columns from HELP_TWO_COLUMNS_WIDTH on. */
	readonly width: number;
	/** The first row shown, and how many fit: the help scrolls on a small terminal. */
	readonly top: number;
	readonly height: number;
};

function Line({line}: {readonly line: HelpLine | undefined}) {
	if (line?.kind === 'title') return <Text bold>{line.text}</Text>;
	if (line?.kind !== 'binding') return <Text> </Text>;
	return (
		<Box>
			<Box width={12} flexShrink={0}>
				<Text color="cyan">{line.binding.label}</Text>
			</Box>
			<Text wrap="truncate-end">{line.binding.description}</Text>
		</Box>
	);
}

/** Every binding of the keymap, so the help can never disagree with the keys. */
export default function Help({width, top, height}: Props) {
	const half = width >= HELP_TWO_COLUMNS_WIDTH ? Math.floor(width / 2) : undefined;
	return (
		<Box flexDirection="column" paddingLeft={1}>
			{helpRows(width)
				.slice(top, top + height)
				.map(([left, right], i) => (
					// Rows are positions on the screen, not items that move: the index is their key.
					// biome-ignore lint/suspicious/noArrayIndexKey: see above
					<Box key={i}>
						<Box width={half} flexShrink={half === undefined ? 1 : 0}>
							<Line line={left} />
						</Box>
						{half === undefined ? null : <Line line={right} />}
					</Box>
				))}
		</Box>
	);
}
