// Text measured as a terminal shows it: columns, not UTF-16 code units. A CJK character or an
// emoji takes two columns, a combining mark none. string-width measures as Ink does, so the
// plain table and the inspector agree.
//
// Ink lays a screen out with string-width, which measures a character cluster (👩‍💻, 👋🏽, ❤️,
// 1️⃣) as the one picture a grapheme-aware renderer draws: two columns. Terminals (tmux, xterm,
// most emulators) add up the widths of its code points instead (4, 4, 1, 1), so every column
// after such a cluster was drawn off by the difference. Drawing only the cluster's first code
// point (👩, 👋, ❤, 1) makes the two agree, at the cost of the joined picture; the rest of the
// text, and clusters both measure alike (é, 🇩🇪, 山), are left as they are.
import stringWidth from 'string-width';
import {escapeControl} from './escape.js';

let segmenter: Intl.Segmenter | undefined;

// Created on first use: it loads the Unicode segmentation data, which most runs never need.
function graphemes(text: string): Intl.Segments {
	segmenter ??= new Intl.Segmenter('en', {granularity: 'grapheme'});
	return segmenter.segment(text);
}

// Below U+0300 (Latin, with no combining marks) every code point is its own cluster; astral
// characters are surrogates, in this range.
const complex = /[\u0300-\uffff]/;

/** The text with every cluster a terminal would draw at another width than Ink cut to its first code point. */
export function fitTerminalWidths(text: string): string {
	if (!complex.test(text)) return text;
	let fitted = '';
	let changed = false;
	for (const {segment} of graphemes(text)) {
		const first = String.fromCodePoint(segment.codePointAt(0) ?? 0);
		if (segment.length > first.length) {
			let sum = 0;
			for (const char of segment) sum += stringWidth(char);
			if (sum !== stringWidth(segment)) {
				fitted += first;
				changed = true;
				continue;
			}
		}

		fitted += segment;
	}

	return changed ? fitted : text;
}

/** A stored text as a full-screen view shows it: escaped (escape.ts), each cluster as wide as Ink measures it. */
export function forScreen(text: string): string {
	return fitTerminalWidths(escapeControl(text));
}

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
	for (const {segment} of graphemes(text)) {
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
