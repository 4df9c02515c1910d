import {useEffect} from 'react';
import {formatDuration} from '../format/duration.js';
import {messageOf} from '../format/text.js';
import type {ListableStore} from '../session/store.js';
import type {Action, Task} from './state.js';
import type {StartLogin} from './types.js';

export type Options = {
	readonly task: Task | null;
	readonly store: ListableStore;
	readonly login?: StartLogin;
	readonly loginTimeoutMs: number;
	readonly dispatch: (action: Action) => void;
};

// After the login's own timeout, give its flow a moment to report why before cutting it off.
const LOGIN_GRACE_MS = 2000;

/**
 * Runs the task the reducer asked for (delete, cleanup, login) and reports back. When the task
 * leaves the state before it is done (Esc during login, or the app quits), its AbortController
 * aborts and its result is ignored.
 */
export default function useTasks({task, store, login, loginTimeoutMs, dispatch}: Options): void {
	useEffect(() => {
		if (!task) return;
		const controller = new AbortController();
		let live = true;
		let deadline: ReturnType<typeof setTimeout> | undefined;
		const report = (action: Action) => {
			if (live) dispatch(action);
		};

		const run = async () => {
			const {seq} = task;
			try {
				if (task.kind === 'delete') {
					await store.delete(task.id);
					report({type: 'deleted', seq, id: task.id});
				} else if (task.kind === 'cleanup') {
					const onProgress = (done: number, total: number | undefined) =>
						report({type: 'taskProgress', seq, done, total});
					report({type: 'cleaned', seq, count: await store.cleanup({onProgress})});
				} else {
					if (!login) throw new Error('login is not configured');
					deadline = setTimeout(() => {
						report({
							type: 'loginFailed',
							seq,
							message: `login timed out after ${formatDuration(loginTimeoutMs)}`,
						});
						controller.abort(new Error('login timed out'));
					}, loginTimeoutMs + LOGIN_GRACE_MS);
					const outcome = await login({
						sessionId: task.sessionId,
						previous: task.previous,
						signal: controller.signal,
						onUrl: (url) => report({type: 'loginUrl', seq, url}),
					});
					report({type: 'loginSucceeded', seq, outcome});
				}
			} catch (error) {
				const message = messageOf(error);
				report(
					task.kind === 'login'
						? {type: 'loginFailed', seq, message}
						: {type: 'taskFailed', seq, message},
				);
			} finally {
				clearTimeout(deadline);
			}
		};

		void run();
		return () => {
			live = false;
			clearTimeout(deadline);
			controller.abort();
		};
	}, [task, store, login, loginTimeoutMs, dispatch]);
}
