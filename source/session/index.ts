// The stacktower session library: a TypeScript port of stacktower's Go `session` package.
// No React, no UI: safe to import from servers and other tools.
export {
	decodeSession,
	encodeSession,
	formatRfc3339,
	parseRfc3339,
} from './codec.js';
export {
	CorruptError,
	ExpiredError,
	InvalidIdError,
	InvalidStateError,
	NotFoundError,
	SessionError,
	type SessionErrorCode,
	StoreUnavailableError,
	UnsafeDirectoryError,
} from './errors.js';
export {assertValidId, generateId, generateState, isValidId} from './ids.js';
export {MemoryStateStore, MemoryStore, type MemoryStoreOptions} from './memory-store.js';
export {
	cloneSession,
	DEFAULT_STATE_TTL_MS,
	DEFAULT_TTL_MS,
	type GitHubUser,
	isExpired,
	newSession,
	type Session,
	userId,
} from './session.js';
export type {ListableStore, ListEntry, ListOptions, StateStore, Store} from './store.js';
