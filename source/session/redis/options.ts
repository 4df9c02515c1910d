// The stores' options: documented, defaulted and checked in one place.
export type RedisStoreOptions = {
	/** Key prefix; each session is stored at `<prefix><id>`. Default `stacktower:session:` (states: `stacktower:state:`). */
	readonly prefix?: string;
	/** How long one command may take, reply included, before the call rejects. Default 2000 ms. */
	readonly commandTimeoutMs?: number;
	/** How long `open(url)` may take to connect before it rejects. Default 2000 ms. */
	readonly connectTimeoutMs?: number;
	/** The clock, for tests; defaults to Date.now. Redis itself expires keys on its own clock. */
	readonly now?: () => number;
	/** Aborts a pending `open(url)`: it rejects at once and leaves no socket behind. */
	readonly signal?: AbortSignal;
	/**
	 * `watch()` and keyspace events: `use` them when the server has them on (the default), or
	 * `enable` them where they are off, merging the needed flags into notify-keyspace-events on
	 * every node (a server-wide setting, so only when asked).
	 */
	readonly keyspaceEvents?: 'use' | 'enable';
};

export const DEFAULT_SESSION_PREFIX = 'stacktower:session:';
/** Session locks live at `<this><session key>`: outside the default prefixes, so no listing scans them. */
export const LOCK_KEY_PREFIX = 'stacktower:lock:';
export const DEFAULT_STATE_PREFIX = 'stacktower:state:';
export const DEFAULT_COMMAND_TIMEOUT_MS = 2000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 2000;
function assertTimeout(value: number, what: string): void {
	if (!Number.isFinite(value) || value <= 0) {
		throw new RangeError(`Expected ${what} to be a positive finite number, got ${String(value)}`);
	}
}

function assertPrefix(prefix: unknown): asserts prefix is string {
	if (typeof prefix !== 'string') {
		throw new TypeError(`Expected prefix to be a string, got ${typeof prefix}`);
	}
}

export type ResolvedOptions = ReturnType<typeof resolveOptions>;

/** The options with their defaults, each checked: a RangeError or TypeError names the bad one. */
export function resolveOptions(options: RedisStoreOptions, defaultPrefix: string) {
	const prefix = options.prefix ?? defaultPrefix;
	assertPrefix(prefix);
	const commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
	const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
	assertTimeout(commandTimeoutMs, 'commandTimeoutMs');
	assertTimeout(connectTimeoutMs, 'connectTimeoutMs');
	return {
		prefix,
		commandTimeoutMs,
		connectTimeoutMs,
		now: options.now ?? Date.now,
		signal: options.signal,
		keyspaceEvents: options.keyspaceEvents ?? 'use',
	};
}
