// Text measured as a terminal shows it: columns, not UTF-16 code units. A CJK character or an
// emoji takes two columns, a combining mark none. string-width measures as Ink does, so the
// plain table and the inspector agree; cli-truncate cuts between graphemes, never in one.
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';

/** The columns `text` takes on a terminal. */
export function displayWidth(text: string): number {
	return stringWidth(text);
}

/** `text` cut to at most `width` columns, `…` marking the cut; as it is when it fits. */
export function fitWidth(text: string, width: number): string {
	if (width <= 0) return '';
	return stringWidth(text) <= width ? text : cliTruncate(text, width, {position: 'end'});
}

/** `text` cut or padded with spaces to exactly `width` columns. */
export function padWidth(text: string, width: number): string {
	const fitted = fitWidth(text, width);
	return fitted + ' '.repeat(Math.max(0, width - stringWidth(fitted)));
}
