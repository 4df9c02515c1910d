import {join} from 'node:path';
import envPaths from 'env-paths';

/**
 * The directory the Go CLI keeps its sessions in: the stacktower config directory from
 * env-paths plus `sessions` (`~/.config/stacktower/sessions` on Linux, honouring
 * XDG_CONFIG_HOME). `suffix: ''` because env-paths otherwise appends `-nodejs`.
 * Resolved on each call, so a changed XDG_CONFIG_HOME is seen; it creates nothing.
 */
export function defaultSessionsDir(): string {
	return join(envPaths('stacktower', {suffix: ''}).config, 'sessions');
}
