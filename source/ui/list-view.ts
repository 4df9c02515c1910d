// The table's list, as pure data: the rows in the store's order, and what the user made of them
// (sort, filter, selection, scroll window). Everything shown is derived from rows + sort + filter
// by one function, `derive`: a change of any of them goes through it, so the sorted rows, the
// filtered view and the selection can never disagree.
import {scrollTop} from './layout.js';
import {filterRows, type Row, type SortKey, sortRows} from './rows.js';

export type ListView = {
	/** One row per entry, in the store's order. */
	readonly rows: readonly Row[];
	readonly sort: SortKey;
	/** What the user typed into the filter. */
	readonly filter: string;
	/** `rows` sorted by each key used since they last changed: cycling `s` re-sorts nothing. */
	readonly sortCache: ReadonlyMap<SortKey, readonly Row[]>;
	/** `rows` sorted by `sort`. */
	readonly sorted: readonly Row[];
	/** `sorted` filtered by `filter`: what the table shows. */
	readonly view: readonly Row[];
	/** The selected session's id; the selection follows it when rows move. */
	readonly selectedId: string | null;
	/** Its index in `view`. */
	readonly selected: number;
	/** The first visible row. */
	readonly top: number;
	/** How many rows fit. */
	readonly height: number;
};

export function emptyListView(sort: SortKey, height: number): ListView {
	return {
		rows: [],
		sort,
		filter: '',
		sortCache: new Map(),
		sorted: [],
		view: [],
		selectedId: null,
		selected: 0,
		top: 0,
		height: Math.max(1, height),
	};
}

/**
 * The one place the view is derived: `sorted` from the cache or a sort, `view` by filtering
 * (within the previous view when the query only grew longer: typing narrows), then the
 * selection follows its id, or stays at the same index when that row is gone.
 */
function derive(
	list: ListView,
	next: {
		readonly rows?: readonly Row[];
		readonly sortCache?: ReadonlyMap<SortKey, readonly Row[]>;
		readonly sort?: SortKey;
		readonly filter?: string;
	},
): ListView {
	const rows = next.rows ?? list.rows;
	const sort = next.sort ?? list.sort;
	const filter = next.filter ?? list.filter;
	let sortCache = next.sortCache ?? list.sortCache;
	let sorted = sortCache.get(sort);
	if (!sorted) {
		sorted = sortRows(rows, sort);
		sortCache = new Map(sortCache).set(sort, sorted);
	}

	const narrowing =
		sorted === list.sorted &&
		list.filter !== '' &&
		filter.toLowerCase().includes(list.filter.toLowerCase());
	const view = filterRows(narrowing ? list.view : sorted, filter);
	const index = list.selectedId === null ? -1 : view.findIndex((row) => row.id === list.selectedId);
	return selectIndex(
		{...list, rows, sort, filter, sortCache, sorted, view},
		index === -1 ? list.selected : index,
	);
}

/** A fresh listing: every cached order is dropped. */
export function withRows(list: ListView, rows: readonly Row[]): ListView {
	return derive(list, {rows, sortCache: new Map()});
}

/** One row gone (deleted here): every cached order stays valid without it. */
export function withoutRow(list: ListView, id: string): ListView {
	const sortCache = new Map<SortKey, readonly Row[]>();
	for (const [key, sorted] of list.sortCache) {
		sortCache.set(
			key,
			sorted.filter((row) => row.id !== id),
		);
	}

	return derive(list, {rows: list.rows.filter((row) => row.id !== id), sortCache});
}

export function withSort(list: ListView, sort: SortKey): ListView {
	return sort === list.sort ? list : derive(list, {sort});
}

export function withFilter(list: ListView, filter: string): ListView {
	return filter === list.filter ? list : derive(list, {filter});
}

/** Puts the selection on `index` (clamped) and scrolls it into view. */
export function selectIndex(list: ListView, index: number): ListView {
	const count = list.view.length;
	const selected = count === 0 ? 0 : Math.min(Math.max(0, index), count - 1);
	return {
		...list,
		selected,
		selectedId: list.view[selected]?.id ?? null,
		top: scrollTop(list.top, selected, count, list.height),
	};
}

/** How the moving keys move the selection. */
export type Move = 'up' | 'down' | 'pageUp' | 'pageDown' | 'first' | 'last';

export function moveSelection(list: ListView, move: Move): ListView {
	// A page keeps one row of the previous page in view.
	const page = Math.max(1, list.height - 1);
	const targets: Readonly<Record<Move, number>> = {
		up: list.selected - 1,
		down: list.selected + 1,
		pageUp: list.selected - page,
		pageDown: list.selected + page,
		first: 0,
		last: list.view.length - 1,
	};
	return selectIndex(list, targets[move]);
}

/** A new height: the selection stays in view. */
export function withHeight(list: ListView, height: number): ListView {
	const rows = Math.max(1, height);
	if (rows === list.height) return list;
	return {...list, height: rows, top: scrollTop(list.top, list.selected, list.view.length, rows)};
}

/** The selected row, if any. */
export function selectedRow(list: ListView): Row | undefined {
	return list.view[list.selected];
}

/** The rows in the window: what the table draws. */
export function visibleRows(list: ListView): readonly Row[] {
	return list.view.slice(list.top, list.top + list.height);
}
