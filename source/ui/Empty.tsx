import {Box, Text} from 'ink';

type Props = {
	/** Where the sessions would be. */
	readonly location: string;
	/** That directory does not exist (yet). */
	readonly missing?: boolean;
};

// `l` always answers: it logs in, or says what to set first. So the empty screen offers the key,
// not a command line to remember.
export default function Empty({location, missing}: Props) {
	return (
		<Box flexDirection="column" paddingLeft={1} paddingTop={1}>
			<Text>
				no sessions yet in <Text bold>{location}</Text>
			</Text>
			{missing ? <Text>it does not exist yet: the first login creates it</Text> : null}
			<Text>press l to log in</Text>
		</Box>
	);
}
