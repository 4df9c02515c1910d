// Pure time formatting for the inspector and the plain commands. `now` is always an argument,
// never read here, so every edge case is testable.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

export type Instant = Date | number;

function ms(instant: Instant): number {
	return typeof instant === 'number' ? instant : instant.getTime();
}

/**
 * A span of time to the second, largest units first: `0s`, `59s`, `12m 5s`, `1h 0m 0s`,
 * `23h 59m 12s`, and from a day on only days and hours: `3d 4h`, `364d 23h`. Negative spans
 * count as 0; partial seconds are dropped (a countdown shows whole seconds left).
 */
export function formatDuration(spanMs: number): string {
	if (!Number.isFinite(spanMs)) return '?';
	const span = Math.max(0, spanMs);
	if (span >= DAY) {
		const days = Math.floor(span / DAY);
		const hours = Math.floor((span % DAY) / HOUR);
		return `${days}d ${hours}h`;
	}

	const hours = Math.floor(span / HOUR);
	const minutes = Math.floor((span % HOUR) / MINUTE);
	const seconds = Math.floor((span % MINUTE) / SECOND);
	if (hours > 0) return `${hours}h ${minutes}m ${seconds}s`;
	if (minutes > 0) return `${minutes}m ${seconds}s`;
	return `${seconds}s`;
}

/** A span in its single largest unit, for "ago" texts: `12s`, `5m`, `3h`, `2d`, `4y`. */
export function formatShortSpan(spanMs: number): string {
	const span = Math.max(0, spanMs);
	if (span >= YEAR) return `${Math.floor(span / YEAR)}y`;
	if (span >= DAY) return `${Math.floor(span / DAY)}d`;
	if (span >= HOUR) return `${Math.floor(span / HOUR)}h`;
	if (span >= MINUTE) return `${Math.floor(span / MINUTE)}m`;
	return `${Math.floor(span / SECOND)}s`;
}

/**
 * The countdown to expiry: `23h 59m 12s` or `3d 4h` while the session lasts, `expired 3d ago`
 * after (`expired just now` within its first second). Expiry follows Go's `IsExpired` (now strictly after expiresAt), so at the very instant
 * of expiry the countdown still reads `0s`.
 */
export function formatCountdown(expiresAt: Instant, now: Instant): string {
	const left = ms(expiresAt) - ms(now);
	if (Number.isNaN(left)) return '?';
	if (left >= 0) return formatDuration(left);
	return left > -SECOND ? 'expired just now' : `expired ${formatShortSpan(-left)} ago`;
}

/** A time relative to now: `just now`, `12s ago`, `5m ago`, `2d ago`; `in 5m` for the future (clock skew). */
export function formatRelative(date: Instant, now: Instant): string {
	const delta = ms(now) - ms(date);
	if (Number.isNaN(delta)) return '?';
	if (Math.abs(delta) < SECOND) return 'just now';
	return delta > 0 ? `${formatShortSpan(delta)} ago` : `in ${formatShortSpan(-delta)}`;
}

/** An absolute time, always UTC so every reader sees the same text: `2026-11-24 10:00:00 UTC`. */
export function formatAbsolute(date: Instant): string {
	const time = ms(date);
	if (!Number.isFinite(time)) return '?';
	const iso = new Date(time).toISOString();
	return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

export type ParseDurationOptions = {
	/**
	 * What a bare number means: `seconds` (`--timeout 300`, as the flag has always taken it) or
	 * `refuse` (`--ttl 30`: thirty seconds or thirty days? a unit must say).
	 */
	readonly bareNumber?: 'seconds' | 'refuse';
};

/**
 * `90s`, `5m`, `1h`, `30d`, `1m30s`, `250ms`, or, unless refused, a plain number of seconds;
 * undefined when not a positive duration.
 */
export function parseDuration(
	text: string,
	{bareNumber = 'seconds'}: ParseDurationOptions = {},
): number | undefined {
	const trimmed = text.trim();
	if (/^\d+(?:\.\d+)?$/.test(trimmed)) {
		if (bareNumber === 'refuse') return undefined;
		const rounded = Math.round(Number(trimmed) * 1000);
		return rounded > 0 ? rounded : undefined;
	}

	const units: Record<string, number> = {ms: 1, s: SECOND, m: MINUTE, h: HOUR, d: DAY};
	const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
	let total = 0;
	let end = 0;
	for (let m = part.exec(trimmed); m; m = part.exec(trimmed)) {
		total += Number(m[1]) * (units[m[2] ?? ''] ?? 0);
		end = part.lastIndex;
	}

	const rounded = Math.round(total);
	// Under half a millisecond rounds to 0: not a duration either.
	if (end === 0 || end !== trimmed.length || !(rounded > 0) || !Number.isFinite(rounded)) {
		return undefined;
	}

	return rounded;
}
