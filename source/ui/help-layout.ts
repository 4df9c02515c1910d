// The help screen as rows of text, laid out from the keymap for a terminal width. Pure, so the
// reducer knows how far the help can scroll and the view draws the same rows it counted.
import {type Binding, bindingsFor, CONTEXT_TITLES, type KeyContext} from './keymap.js';

/** From this width the help has two columns, so it fits a 24-line terminal. */
export const HELP_TWO_COLUMNS_WIDTH = 80;

/** One line of a help column: a section title, a key binding, or the gap after a section. */
export type HelpLine =
	| {readonly kind: 'title'; readonly text: string}
	| {readonly kind: 'binding'; readonly binding: Binding}
	| {readonly kind: 'gap'};

/** One screen row: the line of each column (two from HELP_TWO_COLUMNS_WIDTH on), or none. */
export type HelpRow = readonly (HelpLine | undefined)[];

function section(context: KeyContext): HelpLine[] {
	return [
		{kind: 'title', text: CONTEXT_TITLES[context]},
		...bindingsFor(context).map((binding): HelpLine => ({kind: 'binding', binding})),
		{kind: 'gap'},
	];
}

const cache = new Map<boolean, readonly HelpRow[]>();

/** Every row of the help at `width`: the list's keys, then (beside them when wide) the rest. */
export function helpRows(width: number): readonly HelpRow[] {
	const twoColumns = width >= HELP_TWO_COLUMNS_WIDTH;
	let rows = cache.get(twoColumns);
	if (rows === undefined) {
		const left = section('list');
		const right = [...section('confirm'), ...section('filter'), ...section('details')];
		// The last section's gap is only a blank line at the bottom.
		right.pop();
		if (twoColumns) {
			if (left.length > right.length) left.pop();
			const count = Math.max(left.length, right.length);
			rows = Array.from({length: count}, (_, i) => [left[i], right[i]]);
		} else {
			rows = [...left, ...right].map((line) => [line]);
		}

		cache.set(twoColumns, rows);
	}

	return rows;
}

/** How far the help scrolls in `height` rows: 0 when it fits. */
export function maxHelpTop(width: number, height: number): number {
	return Math.max(0, helpRows(width).length - height);
}

/** The first row of the help to show: `top` kept so that `height` rows show no blank end. */
export function clampHelpTop(top: number, width: number, height: number): number {
	return Math.max(0, Math.min(top, maxHelpTop(width, height)));
}
