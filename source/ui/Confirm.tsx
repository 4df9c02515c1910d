import {Text} from 'ink';

type Props = {
	/** The question, without the `y/n`. */
	readonly question: string;
};

/** A y/n question on the status line; the keymap's confirm context answers it. */
export default function Confirm({question}: Props) {
	return (
		<Text wrap="truncate-end">
			<Text color="yellow" bold>
				{` ${question}?`}
			</Text>{' '}
			<Text bold>y/n</Text>
		</Text>
	);
}
