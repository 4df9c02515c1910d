import type {ListEntry} from '../session/store.js';
import type {Instant} from './duration.js';

export type EntryStatus = 'active' | 'expired' | 'unreadable';

/** How close to expiry: the inspector colours countdowns by it. */
export type Urgency = 'ok' | 'soon' | 'imminent' | 'expired';

/** Under an hour left: `soon` (yellow). */
export const SOON_MS = 60 * 60 * 1000;
/** Under five minutes left: `imminent` (red). */
export const IMMINENT_MS = 5 * 60 * 1000;

function ms(instant: Instant): number {
	return typeof instant === 'number' ? instant : instant.getTime();
}

/** Expired strictly after expiresAt, as Go's IsExpired. */
export function isExpiredAt(expiresAtMs: number, now: Instant): boolean {
	return ms(now) > expiresAtMs;
}

export function entryStatus(entry: ListEntry, now: Instant): EntryStatus {
	if (entry.kind === 'unreadable') return 'unreadable';
	return isExpiredAt(entry.session.expiresAt.getTime(), now) ? 'expired' : 'active';
}

export function urgency(expiresAt: Instant, now: Instant): Urgency {
	const left = ms(expiresAt) - ms(now);
	if (left < 0) return 'expired';
	if (left < IMMINENT_MS) return 'imminent';
	if (left < SOON_MS) return 'soon';
	return 'ok';
}

export type StatusCounts = {
	readonly active: number;
	readonly expired: number;
	readonly unreadable: number;
};

/** The counts of each status in one pass. */
export function countStatuses(entries: readonly ListEntry[], now: Instant): StatusCounts {
	const time = ms(now);
	let active = 0;
	let expired = 0;
	let unreadable = 0;
	for (const entry of entries) {
		if (entry.kind === 'unreadable') unreadable++;
		else if (time > entry.session.expiresAt.getTime()) expired++;
		else active++;
	}

	return {active, expired, unreadable};
}
