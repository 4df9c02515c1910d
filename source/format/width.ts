// Text measured as a terminal shows it: columns, not UTF-16 code units. A CJK character or an
// emoji takes two columns, a combining mark none. string-width measures as Ink does, so the
// plain table and the inspector agree.
import stringWidth from 'string-width';

const graphemes = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

/** The columns `text` takes on a terminal. */
export function displayWidth(text: string): number {
	return stringWidth(text);
}

/**
 * `text` cut to at most `width` columns, `…` marking the cut; as it is when it fits. Cut between
 * graphemes, so no emoji or accented letter is split. (cli-truncate overshoots by a column when
 * a wide character straddles the cut, which would push the rest of a row out of line.)
 */
export function fitWidth(text: string, width: number): string {
	if (width <= 0) return '';
	if (stringWidth(text) <= width) return text;
	let kept = '';
	let used = 0;
	for (const {segment} of graphemes.segment(text)) {
		const columns = stringWidth(segment);
		if (used + columns > width - 1) break;
		kept += segment;
		used += columns;
	}

	// A space before the mark would read as the end of the text.
	return `${kept.trimEnd()}…`;
}

/** `text` cut or padded with spaces to exactly `width` columns. */
export function padWidth(text: string, width: number): string {
	const fitted = fitWidth(text, width);
	return fitted + ' '.repeat(Math.max(0, width - stringWidth(fitted)));
}
