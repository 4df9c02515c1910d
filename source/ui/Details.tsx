import {Box, Text} from 'ink';
import {type DetailLine, LABEL_WIDTH, type Tone} from './details-layout.js';

type Props = {
	/** Every line of the details (details-layout.ts), each fitting the width. */
	readonly lines: readonly DetailLine[];
	/** The first line shown, and how many fit: the details scroll on a small terminal. */
	readonly top: number;
	readonly height: number;
};

const toneProps: Readonly<Record<Tone, {bold?: boolean; dimColor?: boolean; color?: string}>> = {
	plain: {},
	title: {bold: true},
	dim: {dimColor: true},
	unreadable: {color: 'magenta'},
	warning: {color: 'yellow'},
};

/** Every field of one session: the token only masked, every stored string escaped. */
export default function Details({lines, top, height}: Props) {
	return (
		<Box flexDirection="column" paddingLeft={1}>
			{lines.slice(top, top + height).map((line, i) => (
				// Lines are positions on the screen, not items that move: the index is their key.
				// biome-ignore lint/suspicious/noArrayIndexKey: see above
				<Box key={i}>
					{line.tone === 'title' ? null : (
						<Box width={LABEL_WIDTH} flexShrink={0}>
							<Text dimColor>{line.label}</Text>
						</Box>
					)}
					<Text wrap="truncate-end" {...toneProps[line.tone]}>
						{line.text}
					</Text>
				</Box>
			))}
		</Box>
	);
}
