import {useApp} from 'ink';
import {useCallback, useEffect, useRef, useState} from 'react';
import type {ListableStore} from '../session/store.js';
import type {FirstListing} from './first-listing.js';
import {createEffectRunner, type EffectRunner} from './run-effects.js';
import {type Action, type State, update} from './state.js';
import type {GitHubAccess, StartLogin} from './types.js';
import useKeys from './use-keys.js';
import useSessions, {type Timing} from './use-sessions.js';

export type Options = {
	readonly init: () => State;
	readonly store: ListableStore;
	readonly watchDir?: string;
	readonly login?: StartLogin;
	readonly github?: GitHubAccess;
	readonly timing?: Timing;
	readonly first?: FirstListing;
};

/**
 * The inspector's state and everything that changes it: the keys, the listing, and the effects
 * the reducer asks for. `dispatch` reduces against the latest state (a ref, so a burst of
 * actions in one frame never meets a stale one), then runs the effects `update` returned.
 */
export default function useInspector(options: Options): [State, (action: Action) => void] {
	const {store, watchDir, login, github, timing, first} = options;
	const [state, setState] = useState(options.init);
	const current = useRef(state);
	const runner = useRef<EffectRunner | undefined>(undefined);
	const dispatch = useCallback((action: Action) => {
		const next = update(current.current, action);
		if (next.state !== current.current) {
			current.current = next.state;
			setState(next.state);
		}

		for (const effect of next.effects) runner.current?.run(effect);
	}, []);

	useKeys(dispatch);
	const reload = useSessions({
		store,
		watchDir,
		dispatch,
		rescanMs: timing?.rescanMs,
		pollMs: timing?.pollMs,
		debounceMs: timing?.debounceMs,
		safetyRescanMs: timing?.safetyRescanMs,
		first,
	});

	const {exit} = useApp();
	const {loginTimeoutMs} = state;
	useEffect(() => {
		const created = createEffectRunner({
			store,
			login,
			loginTimeoutMs,
			...(github ? {github} : {}),
			dispatch,
			reload,
			exit,
		});
		runner.current = created;
		return () => {
			created.close();
			runner.current = undefined;
		};
	}, [store, login, github, loginTimeoutMs, dispatch, reload, exit]);

	return [state, dispatch];
}
