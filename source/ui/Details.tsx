import {Box, Text} from 'ink';
import {formatAbsolute, formatCountdown, formatRelative} from '../format/duration.js';
import {maskToken} from '../format/mask-token.js';
import {entryStatus} from '../format/status.js';
import {shortenMiddle} from '../format/text.js';
import {forScreen} from '../format/width.js';
import type {Row} from './rows.js';

type Props = {
	/** The selected row; undefined when it vanished (deleted by another process). */
	readonly row: Row | undefined;
	readonly now: number;
	/** Terminal width: how much of a long value fits in MAX_VALUE_LINES. */
	readonly width: number;
};

// Values wrap after the label: the details show real values whole (paths, URLs, names), but
// one takes at most this many lines, cut in the middle beyond, so a hostile file's megabyte
// of name cannot push the other fields off the screen.
const MAX_VALUE_LINES = 3;
const LABEL_WIDTH = 12;

function Field({label, children}: {readonly label: string; readonly children: React.ReactNode}) {
	return (
		<Box>
			<Box width={LABEL_WIDTH} flexShrink={0}>
				<Text dimColor>{label}</Text>
			</Box>
			{/* Wrapped, not cut: the lines of a long value line up after the label. */}
			<Box flexShrink={1}>
				<Text>{children}</Text>
			</Box>
		</Box>
	);
}

/** Every field of one session: the token only masked, every stored string escaped. */
export default function Details({row, now, width}: Props) {
	// The padding, then the label; a stored text (already escaped) as much as fits.
	const valueWidth = Math.max(10, width - 1 - LABEL_WIDTH);
	const stored = (text: string) => shortenMiddle(text, MAX_VALUE_LINES * valueWidth);

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
				<Text bold>session {stored(row.shownId)}</Text>
				<Field label="status">
					<Text color="magenta">unreadable</Text>
				</Field>
				<Field label="reason">{stored(row.reason)}</Field>
				<Field label="file">{stored(forScreen(entry.location))}</Field>
			</Box>
		);
	}

	const {session} = entry;
	const {user} = session;
	const token = maskToken(session.accessToken);
	const left = formatCountdown(session.expiresAt, now);
	return (
		<Box flexDirection="column" paddingLeft={1}>
			<Text bold>session {stored(row.shownId)}</Text>
			<Field label="status">
				{status === 'expired' ? <Text dimColor>{left}</Text> : `active, expires in ${left}`}
			</Field>
			<Field label="file">{stored(forScreen(entry.location))}</Field>
			{user ? (
				<>
					<Field label="user">
						@{stored(row.login)} (GitHub id {String(user.id)}, github:{String(user.id)})
					</Field>
					<Field label="name">{stored(row.name) || '—'}</Field>
					<Field label="email">{stored(forScreen(user.email)) || '—'}</Field>
					<Field label="avatar">{stored(forScreen(user.avatarUrl)) || '—'}</Field>
				</>
			) : (
				<Field label="user">none</Field>
			)}
			<Field label="token">
				{token || 'none'}
				{session.tokenExpiresAt
					? ` (expires ${formatAbsolute(session.tokenExpiresAt)}, ${formatCountdown(session.tokenExpiresAt, now)})`
					: ''}
			</Field>
			{session.refreshToken === undefined ? null : (
				<Field label="refresh">
					{maskToken(session.refreshToken) || 'none'}
					{session.refreshTokenExpiresAt
						? ` (expires ${formatAbsolute(session.refreshTokenExpiresAt)})`
						: ''}
				</Field>
			)}
			{session.githubHost === undefined && session.clientId === undefined ? null : (
				<Field label="issuer">
					{stored(forScreen(session.githubHost ?? '?'))} · app{' '}
					{stored(forScreen(session.clientId ?? '?'))}
				</Field>
			)}
			<Field label="created">
				{formatAbsolute(session.createdAt)} ({formatRelative(session.createdAt, now)})
			</Field>
			<Field label="expires">
				{formatAbsolute(session.expiresAt)} ({status === 'expired' ? left : `in ${left}`})
			</Field>
		</Box>
	);
}
