import {Box, Text} from 'ink';

type Props = {
	/** Where the sessions would be. */
	readonly location: string;
	/** That directory does not exist (yet). */
	readonly missing?: boolean;
	/** How to log in, e.g. "log in with: stacktower login". */
	readonly hint?: string;
	/** Whether `l` can log in from here. */
	readonly canLogin: boolean;
};

export default function Empty({location, missing, hint, canLogin}: Props) {
	return (
		<Box flexDirection="column" paddingLeft={1} paddingTop={1}>
			<Text>
				No sessions yet in <Text bold>{location}</Text>
			</Text>
			{missing ? <Text>It does not exist yet: the first login creates it.</Text> : null}
			{hint ? <Text>{hint}</Text> : null}
			{canLogin ? <Text>Press l to log in now.</Text> : null}
		</Box>
	);
}
