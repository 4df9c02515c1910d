import {type Key, useInput} from 'ink';
import {useCallback} from 'react';
import type {Action} from './state.js';

/**
 * The input hook: every key goes to the reducer, which resolves it through the keymap against
 * the mode it is in (state.ts onKeys), so a burst of keys never meets a stale mode here.
 */
export default function useKeys(dispatch: (action: Action) => void): void {
	const onInput = useCallback(
		(input: string, key: Key) => dispatch({type: 'key', input, key, now: Date.now()}),
		[dispatch],
	);
	useInput(onInput);
}
