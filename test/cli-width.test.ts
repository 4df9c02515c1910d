// Display widths for the plain table: what fits a column, measured as a terminal shows it.
import fc from 'fast-check';
import stringWidth from 'string-width';
import {describe, expect, test} from 'vitest';
import {fitWidth, padWidth} from '../source/format/width.js';

describe('fitWidth and padWidth', () => {
	test.each([
		['@yamada  山田太郎', 15, '@yamada  山田…'],
		['🚀🎉 Dev Team', 5, '🚀🎉…'],
		['José Niño', 6, 'José…'],
		['short', 10, 'short'],
		['exact', 5, 'exact'],
		['toolong', 1, '…'],
	])('%j in %i columns is %j', (text, width, expected) => {
		expect(fitWidth(text, width)).toBe(expected);
	});

	test('never wider than asked, and padded to exactly the width', () => {
		fc.assert(
			fc.property(
				fc.string({unit: 'grapheme', maxLength: 30}),
				fc.integer({min: 1, max: 40}),
				(text, width) => {
					expect(stringWidth(fitWidth(text, width))).toBeLessThanOrEqual(width);
					if (stringWidth(text) <= width) expect(fitWidth(text, width)).toBe(text);
					expect(stringWidth(padWidth(text, width))).toBe(width);
				},
			),
		);
	});
});
