// The table's list, as pure data: the rows in the store's order, and what the user made of them
// (sort, filter, selection, scroll window). Everything shown is derived from rows + sort + filter
// by one function, `derive`: a change of any of them goes through it, so the sorted rows, the
// filtered view and the selection can never disagree. A batch of store changes is patched into
// the sorted orders rather than sorted again (BENCHMARKS.md, "Store changes at 1,000,000 rows").

import {indexOfRow, patchSorted} from './array-patch.js';
import {scrollTop} from './layout.js';
import {filterRows, ROW_ORDER, type Row, rowFilter, type SortKey, sortRows} from './rows.js';

export type ListView = {
	/** One row per entry, in the store's order. */
	readonly rows: readonly Row[];
	readonly sort: SortKey;
	/** What the user typed into the filter. */
	readonly filter: string;
	/**
	 * `rows` sorted by each key used since the last listing, patched by each batch of changes:
	 * cycling `s` re-sorts nothing.
	 */
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
 * What a batch of store changes did to the rows: the rows that went (removed, or replaced by a
 * new row with the same id) and the rows that came (new, or replacing one).
 */
export type RowChanges = {readonly gone: readonly Row[]; readonly added: readonly Row[]};

/**
 * The one place the view is derived: `sorted` from the cache or a sort, `view` by filtering
 * (within the previous view when the query only grew longer: typing narrows), then the
 * selection follows its id, or stays at the same index when that row is gone. Given the
 * `changes` that made `rows`, every cached order and the view are patched instead (a binary
 * search per changed row and one copy of each array), and the selection is found the same way.
 */
function derive(
	list: ListView,
	next: {
		readonly rows?: readonly Row[];
		readonly sortCache?: ReadonlyMap<SortKey, readonly Row[]>;
		readonly sort?: SortKey;
		readonly filter?: string;
		readonly changes?: RowChanges;
	},
): ListView {
	const rows = next.rows ?? list.rows;
	const sort = next.sort ?? list.sort;
	const filter = next.filter ?? list.filter;
	const {changes} = next;
	let sortCache = next.sortCache ?? list.sortCache;
	if (changes) sortCache = patchedCache(list.sortCache, changes);
	let sorted = sortCache.get(sort);
	if (!sorted) {
		sorted = sortRows(rows, sort);
		sortCache = new Map(sortCache).set(sort, sorted);
	}

	// The view can be patched when it was derived from the cached order of the same key and
	// filter (always, but for the empty list before the first listing).
	const patching =
		changes !== undefined &&
		sort === list.sort &&
		filter === list.filter &&
		list.sortCache.get(sort) === list.sorted;
	let view: readonly Row[];
	let index: number;
	if (patching) {
		const matches = rowFilter(filter);
		view =
			matches === null
				? sorted
				: patchSorted(
						list.view,
						changes.gone.filter(matches),
						changes.added.filter(matches),
						ROW_ORDER[sort],
					);
		index = followSelection(list, view, changes);
	} else {
		const narrowing =
			sorted === list.sorted &&
			list.filter !== '' &&
			filter.toLowerCase().includes(list.filter.toLowerCase());
		view = filterRows(narrowing ? list.view : sorted, filter);
		index = list.selectedId === null ? -1 : view.findIndex((row) => row.id === list.selectedId);
	}

	return selectIndex(
		{...list, rows, sort, filter, sortCache, sorted, view},
		index === -1 ? list.selected : index,
	);
}

function patchedCache(
	sortCache: ReadonlyMap<SortKey, readonly Row[]>,
	changes: RowChanges,
): ReadonlyMap<SortKey, readonly Row[]> {
	const patched = new Map<SortKey, readonly Row[]>();
	for (const [key, sorted] of sortCache) {
		patched.set(key, patchSorted(sorted, changes.gone, changes.added, ROW_ORDER[key]));
	}

	return patched;
}

/** The selected row's index in the patched `view`, its replacement's if it was replaced, or -1. */
function followSelection(list: ListView, view: readonly Row[], changes: RowChanges): number {
	const {selectedId} = list;
	if (selectedId === null) return -1;
	const selected = list.view[list.selected];
	if (selected?.id !== selectedId) return view.findIndex((row) => row.id === selectedId);
	const row = changes.gone.includes(selected)
		? changes.added.find((added) => added.id === selectedId)
		: selected;
	return row === undefined ? -1 : indexOfRow(view, row, ROW_ORDER[list.sort]);
}

/** A fresh listing: every cached order is dropped. */
export function withRows(list: ListView, rows: readonly Row[]): ListView {
	return derive(list, {rows, sortCache: new Map()});
}

/** `rows` as `changes` made them from the current rows: every cached order stays, patched. */
export function withChanges(list: ListView, rows: readonly Row[], changes: RowChanges): ListView {
	return derive(list, {rows, changes});
}

/** One row gone (deleted here). */
export function withoutRow(list: ListView, id: string): ListView {
	const row = list.rows.find((r) => r.id === id);
	if (!row) return list;
	return withChanges(
		list,
		list.rows.filter((r) => r !== row),
		{gone: [row], added: []},
	);
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
