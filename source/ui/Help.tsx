import {Box, Text} from 'ink';
import {bindingsFor, CONTEXT_TITLES, type KeyContext} from './keymap.js';

type Props = {
	/** Terminal width: two columns from 80 on, so the help fits a 24-line terminal. */
	readonly width: number;
};

function Section({context}: {readonly context: KeyContext}) {
	return (
		<Box flexDirection="column" marginBottom={1}>
			<Text bold>{CONTEXT_TITLES[context]}</Text>
			{bindingsFor(context).map((binding) => (
				<Box key={`${binding.command}:${binding.label}`}>
					<Box width={12} flexShrink={0}>
						<Text color="cyan">{binding.label}</Text>
					</Box>
					<Text wrap="truncate-end">{binding.description}</Text>
				</Box>
			))}
		</Box>
	);
}

/** Every binding of the keymap, so the help can never disagree with the keys. */
export default function Help({width}: Props) {
	const twoColumns = width >= 80;
	return (
		<Box flexDirection={twoColumns ? 'row' : 'column'} paddingLeft={1}>
			<Box flexDirection="column" width={twoColumns ? Math.floor(width / 2) : undefined}>
				<Section context="list" />
			</Box>
			<Box flexDirection="column" flexShrink={1}>
				<Section context="confirm" />
				<Section context="filter" />
			</Box>
		</Box>
	);
}
