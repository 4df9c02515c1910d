// Pure, React-free formatting shared by the inspector (source/ui) and the plain commands.
export {
	formatAbsolute,
	formatCountdown,
	formatDuration,
	formatRelative,
	formatShortSpan,
	type Instant,
	parseDuration,
} from './duration.js';
export {escapeControl, hasControl} from './escape.js';
export {MASK, maskToken} from './mask-token.js';
export {sortByNumber} from './sort.js';
export {
	countStatuses,
	type EntryStatus,
	entryStatus,
	IMMINENT_MS,
	isExpiredAt,
	SOON_MS,
	type StatusCounts,
	type Urgency,
	urgency,
} from './status.js';
export {messageOf, plural} from './text.js';
