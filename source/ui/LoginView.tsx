import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import stringWidth from 'string-width';
import {formatDuration} from '../format/duration.js';
import {forScreen} from '../format/width.js';
import {registerOAuthApp} from '../github/defaults.js';
import {DEFAULT_GITHUB_HOST} from '../github/endpoints.js';
import {type LoginTone, unavailableLines} from './login-layout.js';
import type {LoginState} from './state.js';

type Props = {
	readonly login: LoginState;
	readonly now: number;
	/** The terminal's width: a URL or code that does not fit is not shown broken. */
	readonly width?: number;
	/** The lines the view may take: the not-configured view is cut to them. */
	readonly height?: number;
};

const toneProps: Readonly<Record<LoginTone, {color?: string; dimColor?: boolean}>> = {
	error: {color: 'red'},
	plain: {},
	dim: {dimColor: true},
};

const INDENT = 3;

/** What to set for each flow when login is not configured; `login --help` says the same. */
const SETUP: ReadonlyArray<readonly [string, string]> = [
	[
		'the device flow',
		`STACKTOWER_GITHUB_APP_CLIENT_ID, a GitHub App or OAuth app with "Enable Device Flow" checked (on github.com, stacktower's own App needs nothing)`,
	],
	[
		'the loopback web flow',
		`STACKTOWER_GITHUB_CLIENT_ID and STACKTOWER_GITHUB_CLIENT_SECRET of an OAuth app: ${registerOAuthApp(DEFAULT_GITHUB_HOST)} (on GitHub Enterprise: HOST/settings/developers)`,
	],
];

/**
 * One line that is never wrapped or cut: a URL broken over lines, or cut short, cannot be
 * copied. When the terminal is too narrow for it, it says how wide it must be instead.
 */
function WholeLine({
	text,
	width,
	what,
	code = false,
}: {
	text: string;
	width: number;
	what: string;
	/** The one-time code: bold and reversed, so that it stands out. */
	code?: boolean;
}) {
	const needed = stringWidth(text) + INDENT;
	if (needed > width) {
		return (
			<Text color="yellow">
				{`  (the ${what} needs ${needed} columns: widen the terminal, or use stacktower-sessions login)`}
			</Text>
		);
	}

	return (
		<Box paddingLeft={INDENT - 1} flexShrink={0}>
			{code ? (
				<Text bold inverse wrap="truncate">
					{text}
				</Text>
			) : (
				<Text color="cyan" wrap="truncate">
					{text}
				</Text>
			)}
		</Box>
	);
}

function who(login: string, name: string): string {
	const shown = `@${forScreen(login)}`;
	return name ? `${shown} (${forScreen(name)})` : shown;
}

/** The re-login flow: the URL to open, a spinner and the time left, then the outcome. */
export default function LoginView({login, now, width = 80, height = 24}: Props) {
	const target = `session ${forScreen(login.sessionId)}${login.previousLogin ? ` (@${login.previousLogin})` : ''}`;
	if (login.phase === 'succeeded' && login.outcome) {
		const {session, userChanged, previousLogin} = login.outcome;
		const user = session.user;
		return (
			<Box flexDirection="column" paddingLeft={1} paddingTop={1}>
				<Text color="green">
					✔ logged in {user ? `as ${who(user.login, user.name)}` : 'without a user'} · session{' '}
					{forScreen(session.id)}
				</Text>
				{userChanged ? (
					<Text color="yellow">
						previously {previousLogin ? `@${forScreen(previousLogin)}` : 'another user'}: this
						session now belongs to a different GitHub user
					</Text>
				) : null}
			</Box>
		);
	}

	if (login.phase === 'unavailable') {
		// Said without a command line to repeat: the inspector may have been started by a
		// script, an alias or a menu. The environment is what every way of starting it shares.
		const lines = unavailableLines(target, login.error ?? '', SETUP, width - 2, height);
		return (
			<Box flexDirection="column" paddingLeft={1}>
				{lines.map((line, i) => (
					// Lines are positions on the screen: the index is their key.
					// biome-ignore lint/suspicious/noArrayIndexKey: see above
					<Text key={i} wrap="truncate-end" {...toneProps[line.tone]}>
						{line.text}
					</Text>
				))}
			</Box>
		);
	}

	if (login.phase === 'failed') {
		return (
			<Box flexDirection="column" paddingLeft={1} paddingTop={1}>
				<Text color="red">✘ login failed for {target}</Text>
				<Text>{forScreen(login.error ?? 'unknown error')}</Text>
				<Box marginTop={1}>
					<Text>press l to try again, Esc to go back</Text>
				</Box>
			</Box>
		);
	}

	return (
		<Box flexDirection="column" paddingLeft={1} paddingTop={1}>
			<Text bold>logging in {target}</Text>
			<Text>
				<Text color="cyan">
					<Spinner />
				</Text>{' '}
				{login.userCode === null
					? `waiting for GitHub · ${formatDuration(login.deadline - now)} left`
					: `waiting for the code to be entered · it expires in ${formatDuration(login.deadline - now)}`}
			</Text>
			{login.url && login.userCode !== null ? (
				<Box flexDirection="column" marginTop={1}>
					<Text>open this URL in a browser, on any device:</Text>
					<WholeLine text={forScreen(login.url)} width={width} what="URL" />
					<Text>and enter this one-time code:</Text>
					<WholeLine text={` ${forScreen(login.userCode)} `} width={width} what="code" code />
				</Box>
			) : login.url ? (
				<Box flexDirection="column" marginTop={1}>
					<Text>open this URL in a browser if none opened:</Text>
					<Text color="cyan">{forScreen(login.url)}</Text>
				</Box>
			) : (
				<Text dimColor>starting…</Text>
			)}
		</Box>
	);
}
