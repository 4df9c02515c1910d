import {Box, Text} from 'ink';
import {FOOTER_GAP, footerThatFits} from './layout.js';

type Props = {
	/** Key hints from the keymap, e.g. "d delete". */
	readonly items: readonly string[];
	/** Terminal width: hints that do not fit are left out, help and quit never. */
	readonly width: number;
};

export default function Footer({items, width}: Props) {
	return (
		<Box>
			<Text dimColor wrap="truncate-end">
				{` ${footerThatFits(items, width).join(FOOTER_GAP)}`}
			</Text>
		</Box>
	);
}
