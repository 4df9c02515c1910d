import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {formatDuration} from '../format/duration.js';
import {forScreen} from '../format/width.js';
import type {LoginState} from './state.js';

type Props = {
	readonly login: LoginState;
	readonly now: number;
};

function who(login: string, name: string): string {
	const shown = `@${forScreen(login)}`;
	return name ? `${shown} (${forScreen(name)})` : shown;
}

/** The re-login flow: the URL to open, a spinner and the time left, then the outcome. */
export default function LoginView({login, now}: Props) {
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
		return (
			<Box flexDirection="column" paddingLeft={1} paddingTop={1}>
				<Text color="red">✘ cannot log in {target}: login is not configured</Text>
				{(login.error ?? '').split('\n').map((problem) => (
					// A box, so that a problem's wrapped lines line up after the bullet.
					<Box key={problem}>
						<Box width={2} flexShrink={0}>
							<Text>•</Text>
						</Box>
						<Text>{forScreen(problem)}</Text>
					</Box>
				))}
				<Box marginTop={1}>
					<Text dimColor>
						Start the inspector again with what is missing (stacktower-sessions --help).
					</Text>
				</Box>
			</Box>
		);
	}

	if (login.phase === 'failed') {
		return (
			<Box flexDirection="column" paddingLeft={1} paddingTop={1}>
				<Text color="red">✘ login failed for {target}</Text>
				<Text>{forScreen(login.error ?? 'unknown error')}</Text>
			</Box>
		);
	}

	return (
		<Box flexDirection="column" paddingLeft={1} paddingTop={1}>
			<Text bold>Logging in {target}</Text>
			<Text>
				<Text color="cyan">
					<Spinner />
				</Text>{' '}
				waiting for GitHub · {formatDuration(login.deadline - now)} left
			</Text>
			{login.url ? (
				<Box flexDirection="column" marginTop={1}>
					<Text>Open this URL in a browser if none opened:</Text>
					<Text color="cyan">{forScreen(login.url)}</Text>
				</Box>
			) : (
				<Text dimColor>starting…</Text>
			)}
		</Box>
	);
}
