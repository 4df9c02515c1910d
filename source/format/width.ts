// Ink lays a screen out with string-width, which measures a character cluster (👩‍💻, 👋🏽, ❤️,
// 1️⃣) as the one picture a grapheme-aware renderer draws: two columns. Terminals (tmux, xterm,
// most emulators) add up the widths of its code points instead (4, 4, 1, 1), so every column
// after such a cluster was drawn off by the difference. Drawing only the cluster's first code
// point (👩, 👋, ❤, 1) makes the two agree, at the cost of the joined picture; the rest of the
// text, and clusters both measure alike (é, 🇩🇪, 山), are left as they are.
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
