// Pure layout: which columns fit a terminal width, and which slice of rows fits its height.
import {MAX_ID_WIDTH} from '../format/columns.js';

/** Width of the countdown column: `expired 364d ago` is the longest text it shows. */
export const EXPIRES_WIDTH = 16;
/** Width of the created column: `364d ago`, `just now`. */
export const CREATED_WIDTH = 8;
/** Width of the selection marker `❯ `. */
export const MARKER_WIDTH = 2;
const GAP = 2;
/** The id column's width when the terminal is not wide enough for whole ids. */
const CUT_ID_WIDTH = 24;

// The widest the id column grows, on a terminal with room for it; shared with `list`.
export {MAX_ID_WIDTH};

/** What the user column keeps before the id column grows past CUT_ID_WIDTH: `@login  Name`. */
const USER_ROOM = 40;
const MIN_ID_WIDTH = 6;

export type Columns = {
	readonly id: number;
	readonly user: number;
	/** 0 when the column is dropped. */
	readonly created: number;
	readonly expires: number;
	/** Whether the user column has room for the name after the login. */
	readonly showName: boolean;
};

/**
 * The column widths for a terminal `width` columns wide, given the widest id to show. Wide
 * terminals show ids whole (up to MAX_ID_WIDTH) once the user column has its room; narrow
 * terminals drop columns instead of wrapping: first the created column, then the name, then the
 * id narrows. The widths never add up to more than `width`.
 */
export function layoutColumns(width: number, widestId: number): Columns {
	let id = 0;
	let created = CREATED_WIDTH;
	const rest = () =>
		width - MARKER_WIDTH - id - GAP - GAP - EXPIRES_WIDTH - (created ? created + GAP : 0);
	// What the id and user columns share, less the user's room, is the id's (CUT_ID_WIDTH at least).
	const roomForId = Math.max(CUT_ID_WIDTH, rest() - USER_ROOM);
	id = Math.max(MIN_ID_WIDTH, Math.min(widestId, MAX_ID_WIDTH, roomForId));
	let user = rest();
	if (user < 20) {
		created = 0;
		user = rest();
	}

	if (user < 12) {
		id = Math.max(MIN_ID_WIDTH, id - (12 - user));
		user = rest();
	}

	const expires = Math.min(EXPIRES_WIDTH, Math.max(1, width - MARKER_WIDTH - id - GAP));
	return {id, user: Math.max(0, user), created, expires, showName: user >= 24};
}

/**
 * The first row to show so that `selected` is visible in a window of `height` rows, moving as
 * little as possible from `top` and never leaving blank lines below the last row.
 */
export function scrollTop(top: number, selected: number, count: number, height: number): number {
	if (height <= 0 || count <= 0) return 0;
	let next = Math.min(Math.max(0, top), Math.max(0, count - height));
	if (selected < next) next = selected;
	else if (selected >= next + height) next = selected - height + 1;
	return Math.max(0, next);
}

/** The table's body height for a terminal of `rows` lines (header, column titles, status, footer). */
export function tableHeight(rows: number): number {
	// One line fewer than the terminal: when Ink's output fills the screen it clears and redraws
	// everything on each frame, which flickers.
	return Math.max(1, rows - 5);
}

/** The lines between the header and the status line: the table's title row and its rows. */
export function bodyHeight(tableRows: number): number {
	return tableRows + 1;
}

/** Between two footer items. */
export const FOOTER_GAP = '  ';

/**
 * The footer items that fit on one line of `width` columns (with its leading space): the last
 * two (help and quit, in the list) are always kept, the ones before them dropped from the end.
 */
export function footerThatFits(items: readonly string[], width: number): readonly string[] {
	const length = (kept: readonly string[]) =>
		1 + kept.reduce((sum, item) => sum + item.length, 0) + FOOTER_GAP.length * (kept.length - 1);
	if (length(items) <= width || items.length <= 2) return items;
	const tail = items.slice(-2);
	const head = items.slice(0, -2);
	while (head.length > 0 && length([...head, ...tail]) > width) head.pop();
	return [...head, ...tail];
}
