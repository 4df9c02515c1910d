import {Box, Text} from 'ink';
import {memo} from 'react';
import type {Columns} from './layout.js';
import {MARKER_WIDTH} from './layout.js';
import Row from './Row.js';
import type {Row as RowData} from './rows.js';
import {checkFor, type TokenChecks} from './token-checks.js';

type Props = {
	/** Only the rows that fit: the caller slices the view, so 100,000 sessions draw as fast as 10. */
	readonly rows: readonly RowData[];
	/** The id of the selected row. */
	readonly selectedId: string | null;
	readonly columns: Columns;
	readonly now: number;
	/** GitHub's answers about the tokens (v, V), by session id. */
	readonly checks: TokenChecks;
};

function Titles({columns}: {readonly columns: Columns}) {
	return (
		<Box>
			<Box width={MARKER_WIDTH} flexShrink={0} />
			<Box width={columns.id} marginRight={2} flexShrink={0}>
				<Text bold wrap="truncate-end">
					ID
				</Text>
			</Box>
			<Box width={columns.user} marginRight={2} flexShrink={0}>
				<Text bold wrap="truncate-end">
					USER
				</Text>
			</Box>
			{columns.created > 0 ? (
				<Box width={columns.created} marginRight={2} flexShrink={0}>
					<Text bold>CREATED</Text>
				</Box>
			) : null}
			<Box width={columns.expires} flexShrink={0}>
				<Text bold wrap="truncate-end">
					EXPIRES IN
				</Text>
			</Box>
		</Box>
	);
}

function Table({rows, selectedId, columns, now, checks}: Props) {
	return (
		<Box flexDirection="column">
			<Titles columns={columns} />
			{rows.map((row) => (
				<Row
					key={row.id}
					row={row}
					now={now}
					columns={columns}
					selected={row.id === selectedId}
					check={row.entry.kind === 'session' ? checkFor(checks, row.entry.session) : undefined}
				/>
			))}
		</Box>
	);
}

export default memo(Table);
