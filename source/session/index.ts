// The stacktower session library: a TypeScript port of stacktower's Go `session` package.
// No React, no UI: safe to import from servers and other tools.
export {CLI_SESSION_ID, CLIStore} from './cli-store.js';
export {
	decodeSession,
	encodeSession,
	formatRfc3339,
	parseRfc3339,
} from './codec.js';
export {
	type CopyOptions,
	type CopyOutcome,
	type CopyResult,
	type CopyStep,
	type CopySummary,
	copyOutcomes,
	copySessions,
	SameStoreError,
} from './copy.js';
export {
	CorruptError,
	ExpiredError,
	InvalidIdError,
	InvalidStateError,
	LockBusyError,
	NotFoundError,
	SessionError,
	type SessionErrorCode,
	StoreUnavailableError,
	UnsafeDirectoryError,
} from './errors.js';
export {STALE_TEMP_MS} from './file-store/cleanup.js';
export {FileStore, type FileStoreOptions} from './file-store/file-store.js';
export {MAX_SESSION_FILE_BYTES} from './file-store/read.js';
export {assertValidId, generateId, generateState, isValidId} from './ids.js';
export {MemoryStateStore, MemoryStore, type MemoryStoreOptions} from './memory-store.js';
export {defaultSessionsDir} from './paths.js';
export {
	type AnyRedisClient,
	assertRedisUrl,
	RedisStateStore,
	RedisStore,
	type RedisStoreOptions,
	redactRedisUrl,
} from './redis/index.js';
export {
	assertSession,
	cloneSession,
	DEFAULT_STATE_TTL_MS,
	DEFAULT_TTL_MS,
	type GitHubUser,
	isExpired,
	newSession,
	type Session,
	userId,
} from './session.js';
export {
	type EachOptions,
	isListableStore,
	isLockingStore,
	type ListableStore,
	type ListEntry,
	type ListOptions,
	type LockingStore,
	type LockOptions,
	type SessionLock,
	type StateStore,
	type Store,
} from './store.js';
