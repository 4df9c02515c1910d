/**
 * A count with thousands separators, `12,000`, as toLocaleString('en-US') writes it. Written
 * out because toLocaleString's first call loads ICU's number formatting, a cost to the start
 * of `cleanup` and of the inspector's first frame (BENCHMARKS.md, "Where the time goes").
 */
export function groupDigits(count: number): string {
	const text = String(count);
	if (!Number.isSafeInteger(count) || Math.abs(count) < 1000) return text;
	const sign = count < 0 ? '-' : '';
	const digits = sign ? text.slice(1) : text;
	let grouped = digits.slice(0, digits.length % 3 || 3);
	for (let i = grouped.length; i < digits.length; i += 3) grouped += `,${digits.slice(i, i + 3)}`;
	return sign + grouped;
}

/** `1 session`, `2 sessions`, `12,000 sessions`. */
export function plural(count: number, one: string, many = `${one}s`): string {
	return `${groupDigits(count)} ${count === 1 ? one : many}`;
}

/** What an error says (or a thrown non-error, as text); escape it before it reaches a terminal. */
export function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * `text` with its middle cut out (`…`) when longer than `max` characters, for a stored value
 * shown whole but not without end (a hostile file's 100,000-character name). Cuts between code
 * points, so no emoji is split.
 */
export function shortenMiddle(text: string, max: number): string {
	if (text.length <= max) return text;
	const chars = Array.from(text);
	if (chars.length <= max) return text;
	const head = Math.ceil((max - 1) / 2);
	const tail = max - 1 - head;
	return `${chars.slice(0, head).join('')}…${tail > 0 ? chars.slice(-tail).join('') : ''}`;
}
