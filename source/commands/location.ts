// How a store's location is shown: a path with the home directory as ~, a Redis URL without
// its password. Shown in the inspector's header and the plain commands' messages.
import {homedir} from 'node:os';
import path from 'node:path';
import {escapeControl} from '../format/escape.js';

/** `/home/me/.config/stacktower/sessions` → `~/.config/stacktower/sessions`; control characters escaped. */
export function displayPath(dir: string, home: string = homedir()): string {
	const resolved = path.resolve(dir);
	let shown = resolved;
	if (home && home !== path.sep) {
		if (resolved === home) shown = '~';
		else if (resolved.startsWith(home + path.sep)) shown = `~${resolved.slice(home.length)}`;
	}

	return escapeControl(shown);
}
