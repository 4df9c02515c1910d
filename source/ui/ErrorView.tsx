import {Box, Text} from 'ink';

type Props = {
	readonly location: string;
	/** The store's error, already escaped. */
	readonly message: string;
};

export default function ErrorView({location, message}: Props) {
	return (
		<Box flexDirection="column" paddingLeft={1} paddingTop={1}>
			<Text color="red" bold>
				Cannot read the sessions in {location}
			</Text>
			<Text>{message}</Text>
			<Text dimColor>press r to retry (it also retries on its own), q to quit</Text>
		</Box>
	);
}
