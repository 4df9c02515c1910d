import {Box, Text} from 'ink';

type Props = {
	/** The filter, already escaped. */
	readonly filter: string;
};

/** The table area when the filter matches no session: what to do about it. */
export default function NoMatch({filter}: Props) {
	return (
		<Box paddingLeft={1} paddingTop={1}>
			<Text wrap="truncate-end">no session matches "{filter}" · Esc clears</Text>
		</Box>
	);
}
