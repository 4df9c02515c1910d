// Runs the Effects the reducer asks for (effects.ts): the store calls, the login and GitHub's
// token checks, refresh and revoke, each task with its own AbortController, and reports every
// result back as an action with the task's seq.
import {byHand, revokeOne} from '../commands/delete-revoke.js';
import {formatDuration} from '../format/duration.js';
import {messageOf} from '../format/text.js';
import {refreshSession} from '../github/refresh-session.js';
import {checkSessions} from '../github/session-status.js';
import type {ListableStore} from '../session/store.js';
import type {DeleteTask, Effect, RefreshTask, Task, VerifyTask} from './effects.js';
import type {Action} from './state.js';
import {checkOf} from './token-checks.js';
import type {GitHubAccess, StartLogin} from './types.js';

export type EffectRunnerOptions = {
	readonly store: ListableStore;
	readonly login?: StartLogin;
	readonly loginTimeoutMs: number;
	/** How stored tokens reach GitHub (v, V, R, revoke on d); without it those keys say so. */
	readonly github?: GitHubAccess;
	readonly dispatch: (action: Action) => void;
	/** Lists the store again with progress on screen. */
	readonly reload: () => void;
	/** Unmounts the app. */
	readonly exit: () => void;
};

export type EffectRunner = {
	run(effect: Effect): void;
	/** Aborts every running task and drops their results (the app unmounts). */
	close(): void;
};

// After the login's own timeout, give its flow a moment to report why before cutting it off.
const LOGIN_GRACE_MS = 2000;

type Running = {
	readonly controller: AbortController;
	/** False once aborted: its results are dropped. */
	live: boolean;
	/** The login's own deadline. */
	deadline?: ReturnType<typeof setTimeout>;
};

// Without a GitHub configuration (a library caller that gave none) the token keys cannot work.
const NO_GITHUB = 'talking to GitHub is not configured for this inspector';

export function createEffectRunner(options: EffectRunnerOptions): EffectRunner {
	const {store, login, loginTimeoutMs, dispatch, github} = options;
	const running = new Map<number, Running>();
	let closed = false;

	const abort = (seq: number) => {
		const task = running.get(seq);
		if (!task) return;
		running.delete(seq);
		task.live = false;
		clearTimeout(task.deadline);
		task.controller.abort();
	};

	const close = () => {
		closed = true;
		for (const seq of [...running.keys()]) abort(seq);
	};

	// Revokes first when asked, then deletes whatever revoking did: a failed revoke is reported,
	// never a reason to keep the session. Says where to revoke by hand when it could not.
	const deleteOne = async (task: DeleteTask) => {
		const {session} = task;
		const config = github && {
			clientId: github.oauthApp?.clientId,
			clientSecret: github.oauthApp?.clientSecret,
			githubHost: github.githubHost,
		};
		let note: {text: string; failed: boolean} | undefined;
		if (config && session && session.accessToken !== '') {
			if (task.revoke) {
				const revoked = await revokeOne(session, config);
				note = {text: revoked.note, failed: !revoked.ok};
			} else {
				note = {text: `token not revoked: ${byHand(session, config)}`, failed: false};
			}
		}
		await store.delete(task.id);
		return note;
	};

	// GitHub's answers as they come, each a whole result; resolves with the rate limit's reset.
	const verify = async (
		task: VerifyTask,
		signal: AbortSignal,
		report: (action: Action) => void,
	): Promise<number | undefined> => {
		if (!github) throw new Error(NO_GITHUB);
		const tokens = new Map(task.sessions.map((session) => [session.id, session.accessToken]));
		const {rateLimitStop} = await checkSessions(task.sessions, {
			githubHost: github.githubHost,
			signal,
			onStatus: (status, done) =>
				report({
					type: 'tokenChecked',
					seq: task.seq,
					id: status.id,
					check: checkOf(status, tokens.get(status.id) ?? '', Date.now()),
					done,
				}),
		});
		return rateLimitStop?.resetAt?.getTime();
	};

	const refresh = (task: RefreshTask, signal: AbortSignal) => {
		if (!github) throw new Error(NO_GITHUB);
		return refreshSession(store, task.session, {...github, signal});
	};

	const start = (task: Task) => {
		const {seq} = task;
		const self: Running = {controller: new AbortController(), live: true};
		running.set(seq, self);
		const report = (action: Action) => {
			if (self.live) dispatch(action);
		};

		const {signal} = self.controller;
		const work = async () => {
			if (task.kind === 'delete') {
				const note = await deleteOne(task);
				report({type: 'deleted', seq, id: task.id, now: Date.now(), ...(note ? {note} : {})});
			} else if (task.kind === 'verify') {
				const rateLimitResetAt = await verify(task, signal, report);
				report({type: 'verified', seq, now: Date.now(), rateLimitResetAt});
			} else if (task.kind === 'refresh') {
				const outcome = await refresh(task, signal);
				report({type: 'tokenRefreshed', seq, now: Date.now(), outcome});
			} else if (task.kind === 'cleanup') {
				const onProgress = (done: number, total: number | undefined) =>
					report({type: 'taskProgress', seq, done, total});
				const count = await store.cleanup({onProgress});
				report({type: 'cleaned', seq, count, now: Date.now()});
			} else {
				if (!login) throw new Error('login is not configured');
				self.deadline = setTimeout(() => {
					report({
						type: 'loginFailed',
						seq,
						message: `login timed out after ${formatDuration(loginTimeoutMs)}`,
					});
					abort(seq);
				}, loginTimeoutMs + LOGIN_GRACE_MS);
				const outcome = await login({
					sessionId: task.sessionId,
					previous: task.previous,
					signal,
					onUrl: (url) => report({type: 'loginUrl', seq, url}),
					onDeviceCode: (prompt) =>
						report({
							type: 'loginDeviceCode',
							seq,
							userCode: prompt.userCode,
							url: prompt.verificationUri,
							expiresAt: prompt.expiresAt.getTime(),
						}),
				});
				report({type: 'loginSucceeded', seq, outcome});
			}
		};

		work()
			.catch((error: unknown) => {
				const message = messageOf(error);
				report(
					task.kind === 'login'
						? {type: 'loginFailed', seq, message}
						: {type: 'taskFailed', seq, message, now: Date.now()},
				);
			})
			.finally(() => {
				clearTimeout(self.deadline);
				if (running.get(seq) === self) running.delete(seq);
			});
	};

	return {
		run(effect) {
			if (closed) return;
			switch (effect.kind) {
				case 'delete':
				case 'cleanup':
				case 'login':
				case 'verify':
				case 'refresh':
					start(effect);
					break;
				case 'cancel':
					abort(effect.seq);
					break;
				case 'reload':
					options.reload();
					break;
				case 'quit':
					close();
					options.exit();
					break;
			}
		},
		close,
	};
}
