// Date.prototype.toISOString is slow enough to matter at 100,000 sessions (two per session:
// about an eighth of `list --json`'s own time). Sessions fall on few days, so the date part is
// made once per day and cached; the time of day is formatted with integer arithmetic. Same
// output, checked against toISOString in test/cli-json.test.ts.

const pad2 = Array.from({length: 100}, (_, i) => String(i).padStart(2, '0'));
const pad3 = Array.from({length: 1000}, (_, i) => String(i).padStart(3, '0'));

/** `HH:MM:` by minute of the day, made as needed: one string fewer to join per time. */
const minuteTexts: string[] = [];

const DAY_MS = 86_400_000;
// 10000-01-01T00:00:00Z: beyond it toISOString writes a six-digit year with a sign.
const YEAR_10000_MS = 253_402_300_800_000;

/** `YYYY-MM-DDT` by days since the epoch. Emptied when full: a listing spans a few hundred days. */
const datePrefixes = new Map<number, string>();
const MAX_CACHED_DAYS = 4096;

/** The same text as `new Date(ms).toISOString()`. */
export function isoString(ms: number): string {
	if (!(ms >= 0 && ms < YEAR_10000_MS) || !Number.isInteger(ms)) {
		return new Date(ms).toISOString();
	}

	const days = Math.floor(ms / DAY_MS);
	let date = datePrefixes.get(days);
	if (date === undefined) {
		if (datePrefixes.size >= MAX_CACHED_DAYS) datePrefixes.clear();
		date = new Date(days * DAY_MS).toISOString().slice(0, 11);
		datePrefixes.set(days, date);
	}

	const rest = ms - days * DAY_MS;
	const minutes = Math.floor(rest / 60_000);
	const msOfMinute = rest - minutes * 60_000;
	const seconds = Math.floor(msOfMinute / 1000);
	let hhmm = minuteTexts[minutes];
	if (hhmm === undefined) {
		hhmm = `${pad2[Math.floor(minutes / 60)]}:${pad2[minutes % 60]}:`;
		minuteTexts[minutes] = hhmm;
	}

	return `${date}${hhmm}${pad2[seconds]}.${pad3[msOfMinute - seconds * 1000]}Z`;
}
