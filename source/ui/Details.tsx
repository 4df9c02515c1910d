import {Box, Text} from 'ink';
import {formatAbsolute, formatCountdown, formatRelative} from '../format/duration.js';
import {escapeControl} from '../format/escape.js';
import {maskToken} from '../format/mask-token.js';
import {entryStatus} from '../format/status.js';
import type {Row} from './rows.js';

type Props = {
	/** The selected row; undefined when it vanished (deleted by another process). */
	readonly row: Row | undefined;
	readonly now: number;
};

function Field({label, children}: {readonly label: string; readonly children: React.ReactNode}) {
	return (
		<Box>
			<Box width={12} flexShrink={0}>
				<Text dimColor>{label}</Text>
			</Box>
			<Box flexShrink={1}>
				<Text wrap="truncate-middle">{children}</Text>
			</Box>
		</Box>
	);
}

/** Every field of one session: the token only masked, every stored string escaped. */
export default function Details({row, now}: Props) {
	if (!row) {
		return (
			<Box flexDirection="column" paddingLeft={1}>
				<Text>This session is gone: another process removed it.</Text>
			</Box>
		);
	}

	const {entry} = row;
	const status = entryStatus(entry, now);
	if (entry.kind === 'unreadable') {
		return (
			<Box flexDirection="column" paddingLeft={1}>
				<Text bold>session {row.shownId}</Text>
				<Field label="status">
					<Text color="magenta">unreadable</Text>
				</Field>
				<Field label="reason">{row.reason}</Field>
				<Field label="file">{escapeControl(entry.location)}</Field>
			</Box>
		);
	}

	const {session} = entry;
	const {user} = session;
	const token = maskToken(session.accessToken);
	const left = formatCountdown(session.expiresAt, now);
	return (
		<Box flexDirection="column" paddingLeft={1}>
			<Text bold>session {row.shownId}</Text>
			<Field label="status">
				{status === 'expired' ? <Text dimColor>{left}</Text> : `active, expires in ${left}`}
			</Field>
			<Field label="file">{escapeControl(entry.location)}</Field>
			{user ? (
				<>
					<Field label="user">
						@{row.login} (GitHub id {String(user.id)}, github:{String(user.id)})
					</Field>
					<Field label="name">{row.name || '—'}</Field>
					<Field label="email">{escapeControl(user.email) || '—'}</Field>
					<Field label="avatar">{escapeControl(user.avatarUrl) || '—'}</Field>
				</>
			) : (
				<Field label="user">none</Field>
			)}
			<Field label="token">{token || 'none'}</Field>
			<Field label="created">
				{formatAbsolute(session.createdAt)} ({formatRelative(session.createdAt, now)})
			</Field>
			<Field label="expires">
				{formatAbsolute(session.expiresAt)} ({status === 'expired' ? left : `in ${left}`})
			</Field>
		</Box>
	);
}
