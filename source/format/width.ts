// Ink lays a screen out with string-width, which measures a character cluster (👩‍💻, 👋🏽, ❤️,
// 1️⃣) as the one picture a grapheme-aware renderer draws: two columns. Terminals (tmux, xterm,
// most emulators) add up the widths of its code points instead (4, 4, 1, 1), so every column
// after such a cluster was drawn off by the difference. Drawing only the cluster's first code
// point (👩, 👋, ❤, 1) makes the two agree, at the cost of the joined picture; the rest of the
// text, and clusters both measure alike (é, 🇩🇪, 山), are left as they are.
// Text is measured as a terminal shows it: columns, not UTF-16 code units (a CJK character or an
// emoji takes two, a combining mark none); cli-truncate cuts between graphemes, never in one.
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import {escapeControl} from './escape.js';

let segmenter: Intl.Segmenter | undefined;

// Below U+0300 (Latin, with no combining marks) every code point is its own cluster; astral
// characters are surrogates, in this range.
const complex = /[\u0300-\uffff]/;

/** The text with every cluster a terminal would draw at another width than Ink cut to its first code point. */
export function fitTerminalWidths(text: string): string {
	if (!complex.test(text)) return text;
	// Created on first use: it loads the Unicode segmentation data.
	segmenter ??= new Intl.Segmenter('en', {granularity: 'grapheme'});
	let fitted = '';
	let changed = false;
	for (const {segment} of segmenter.segment(text)) {
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
