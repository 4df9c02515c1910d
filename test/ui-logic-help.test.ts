import {describe, expect, it} from 'vitest';
import {
	clampHelpTop,
	HELP_TWO_COLUMNS_WIDTH,
	type HelpLine,
	helpRows,
} from '../source/ui/help-layout.js';
import {bindingsFor, CONTEXT_TITLES, KEYMAP} from '../source/ui/keymap.js';

const text = (line: HelpLine | undefined) =>
	line === undefined || line.kind === 'gap'
		? ''
		: line.kind === 'title'
			? line.text
			: `${line.binding.label} ${line.binding.description}`;

describe('helpRows', () => {
	it('holds every binding of the keymap once, under its context, in either layout', () => {
		for (const width of [40, HELP_TWO_COLUMNS_WIDTH - 1, HELP_TWO_COLUMNS_WIDTH, 200]) {
			const lines = helpRows(width).flat();
			const bindings = lines.flatMap((line) => (line?.kind === 'binding' ? [line.binding] : []));
			expect(bindings).toHaveLength(KEYMAP.length);
			expect(new Set(bindings)).toEqual(new Set(KEYMAP));
			for (const context of ['list', 'confirm', 'filter', 'details'] as const) {
				expect(lines.filter((line) => line?.kind === 'title').map(text)).toContain(
					CONTEXT_TITLES[context],
				);
			}
		}
	});

	it('is one column below 80 columns, two from 80, each section in keymap order', () => {
		const one = helpRows(HELP_TWO_COLUMNS_WIDTH - 1);
		expect(one.every((row) => row.length === 1)).toBe(true);
		const sections = (['list', 'confirm', 'filter', 'details'] as const).map((context) => [
			CONTEXT_TITLES[context],
			...bindingsFor(context).map((b) => `${b.label} ${b.description}`),
		]);
		// Sections one after another, a blank line between them, none at the end.
		expect(one.map(([line]) => text(line))).toEqual([
			...(sections[0] ?? []),
			'',
			...(sections[1] ?? []),
			'',
			...(sections[2] ?? []),
			'',
			...(sections[3] ?? []),
		]);

		const two = helpRows(HELP_TWO_COLUMNS_WIDTH);
		expect(two.every((row) => row.length === 2)).toBe(true);
		// The list's keys on the left, the rest beside them: as tall as the longer side.
		expect(two.map(([left]) => text(left)).filter(Boolean)).toEqual(sections[0]);
		expect(two.map(([, right]) => text(right))).toEqual(
			[...(sections[1] ?? []), '', ...(sections[2] ?? []), '', ...(sections[3] ?? [])].concat(
				Array(
					two.length -
						(sections[1]?.length ?? 0) -
						(sections[2]?.length ?? 0) -
						(sections[3]?.length ?? 0) -
						2,
				).fill(''),
			),
		);
		expect(two.length).toBe(sections[0]?.length);
	});
});

describe('clampHelpTop', () => {
	it('keeps the help filling the view, and at the top when it fits', () => {
		const rows = helpRows(60).length;
		expect(clampHelpTop(-3, 60, 10)).toBe(0);
		expect(clampHelpTop(5, 60, 10)).toBe(5);
		expect(clampHelpTop(rows, 60, 10)).toBe(rows - 10);
		expect(clampHelpTop(Number.POSITIVE_INFINITY, 60, 10)).toBe(rows - 10);
		expect(clampHelpTop(4, 60, rows + 5)).toBe(0);
	});
});
