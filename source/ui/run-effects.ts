// Runs the Effects the reducer asks for (effects.ts): the store calls and the login, each task
// with its own AbortController, and reports every result back as an action with the task's seq.
import {formatDuration} from '../format/duration.js';
import {messageOf} from '../format/text.js';
import type {ListableStore} from '../session/store.js';
import type {Effect, Task} from './effects.js';
import type {Action} from './state.js';
import type {StartLogin} from './types.js';

export type EffectRunnerOptions = {
	readonly store: ListableStore;
	readonly login?: StartLogin;
	readonly loginTimeoutMs: number;
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

export function createEffectRunner(options: EffectRunnerOptions): EffectRunner {
	const {store, login, loginTimeoutMs, dispatch} = options;
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

	const start = (task: Task) => {
		const {seq} = task;
		const self: Running = {controller: new AbortController(), live: true};
		running.set(seq, self);
		const report = (action: Action) => {
			if (self.live) dispatch(action);
		};

		const work = async () => {
			if (task.kind === 'delete') {
				await store.delete(task.id);
				report({type: 'deleted', seq, id: task.id, now: Date.now()});
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
					signal: self.controller.signal,
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
