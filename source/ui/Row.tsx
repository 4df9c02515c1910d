import {Box, Text} from 'ink';
import {memo} from 'react';
import {formatCountdown, formatRelative} from '../format/duration.js';
import {type Urgency, urgency} from '../format/status.js';
import {type Columns, MARKER_WIDTH} from './layout.js';
import type {Row as RowData} from './rows.js';
import {type TokenCheck, type TokenMark, tokenMark} from './token-checks.js';

type Props = {
	readonly row: RowData;
	/** The clock's time, in ms: rows are pure functions of (row, now). */
	readonly now: number;
	readonly columns: Columns;
	readonly selected: boolean;
	/** GitHub's last answer about its token, if any. */
	readonly check: TokenCheck | undefined;
};

const urgencyColor: Readonly<Record<Urgency, string | undefined>> = {
	ok: undefined,
	soon: 'yellow',
	imminent: 'red',
	expired: 'gray',
};

const markColor: Readonly<Record<TokenMark['tone'], {color?: string; dimColor?: boolean}>> = {
	expired: {color: urgencyColor.expired, dimColor: true},
	bad: {color: 'red'},
	good: {color: 'green'},
	pending: {color: 'cyan'},
	dim: {dimColor: true},
};

function Row({row, now, columns, selected, check}: Props) {
	const marker = (
		<Box width={MARKER_WIDTH} flexShrink={0}>
			<Text color="cyan">{selected ? '❯' : ' '}</Text>
		</Box>
	);
	const id = (
		<Box width={columns.id} marginRight={2} flexShrink={0}>
			<Text wrap="truncate-end" bold={selected} color={selected ? 'cyan' : undefined}>
				{row.shownId}
			</Text>
		</Box>
	);
	if (row.entry.kind === 'unreadable') {
		return (
			<Box>
				{marker}
				{id}
				<Box flexGrow={1} flexShrink={1}>
					<Text wrap="truncate-end" color="magenta">
						unreadable: {row.reason}
					</Text>
				</Box>
			</Box>
		);
	}

	const level = urgency(row.expiresAt, now);
	// A token known dead (or just checked) says so instead of the session's countdown.
	const mark = tokenMark(row, check, now);
	return (
		<Box>
			{marker}
			{id}
			<Box width={columns.user} marginRight={2} flexShrink={0}>
				<Text wrap="truncate-end">
					{row.login ? `@${row.login}` : <Text dimColor>(no user)</Text>}
					{columns.showName && row.name ? <Text dimColor>{`  ${row.name}`}</Text> : null}
				</Text>
			</Box>
			{columns.created > 0 ? (
				<Box width={columns.created} marginRight={2} flexShrink={0}>
					<Text wrap="truncate-end">{formatRelative(row.createdAt, now)}</Text>
				</Box>
			) : null}
			<Box width={columns.expires} flexShrink={0}>
				{mark ? (
					<Text wrap="truncate-end" {...markColor[mark.tone]}>
						{mark.text}
					</Text>
				) : (
					<Text wrap="truncate-end" color={urgencyColor[level]} dimColor={level === 'expired'}>
						{formatCountdown(row.expiresAt, now)}
					</Text>
				)}
			</Box>
		</Box>
	);
}

export default memo(Row);
