import {Text} from 'ink';

type Props = {
	/** The question, without the `y/n`. */
	readonly question: string;
};

/** A y/n question on the status line; the keymap's confirm context answers it. */
export default function Confirm({question}: Props) {
	// Cut in the middle on a narrow terminal: the `? y/n` at the end must stay in view.
	return (
		<Text wrap="truncate-middle">
			<Text color="yellow" bold>
				{` ${question}?`}
			</Text>{' '}
			<Text bold>y/n</Text>
		</Text>
	);
}
