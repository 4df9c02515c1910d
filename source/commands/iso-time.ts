// Date.prototype.toISOString is slow enough to matter at 100,000 sessions (two per session:
// about an eighth of `list --json`'s own time), so the common case is formatted here with
// integer arithmetic. Same output, checked against toISOString in test/cli-json.test.ts.

const pad2 = Array.from({length: 100}, (_, i) => String(i).padStart(2, '0'));
const pad3 = Array.from({length: 1000}, (_, i) => String(i).padStart(3, '0'));

const DAY_MS = 86_400_000;
// 10000-01-01T00:00:00Z: beyond it toISOString writes a six-digit year with a sign.
const YEAR_10000_MS = 253_402_300_800_000;

/** The same text as `new Date(ms).toISOString()`. */
export function isoString(ms: number): string {
	if (!(ms >= 0 && ms < YEAR_10000_MS) || !Number.isInteger(ms)) {
		return new Date(ms).toISOString();
	}

	const days = Math.floor(ms / DAY_MS);
	let rest = ms - days * DAY_MS;
	const hours = Math.floor(rest / 3_600_000);
	rest -= hours * 3_600_000;
	const minutes = Math.floor(rest / 60_000);
	rest -= minutes * 60_000;
	const seconds = Math.floor(rest / 1000);
	const millis = rest - seconds * 1000;

	// Days since the epoch to a civil date: Howard Hinnant's civil_from_days.
	// https://howardhinnant.github.io/date_algorithms.html#civil_from_days
	const z = days + 719_468;
	const era = Math.floor(z / 146_097);
	const doe = z - era * 146_097;
	const yoe = Math.floor(
		(doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
	);
	const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
	const mp = Math.floor((5 * doy + 2) / 153);
	const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
	const month = mp < 10 ? mp + 3 : mp - 9;
	const year = yoe + era * 400 + (month <= 2 ? 1 : 0);

	return `${year}-${pad2[month]}-${pad2[day]}T${pad2[hours]}:${pad2[minutes]}:${pad2[seconds]}.${pad3[millis]}Z`;
}
