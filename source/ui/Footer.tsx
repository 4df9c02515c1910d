import {Box, Text} from 'ink';

type Props = {
	/** Key hints from the keymap, e.g. "d delete". */
	readonly items: readonly string[];
};

export default function Footer({items}: Props) {
	return (
		<Box>
			<Text dimColor wrap="truncate-end">
				{` ${items.join('  ')}`}
			</Text>
		</Box>
	);
}
