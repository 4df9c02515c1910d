// Large arrays with a few items changed, in one copy each: a batch of store changes costs a
// search per changed row and one copy of each array, where sorting again would cost n log n.
// A copy is written into an array made at its final length: growing one by push costs several
// times as much at 100,000 items.

import type {Compare, Row} from './rows.js';

/** The first index whose row does not go before `row` (`sorted.length` when none). */
function lowerBound(sorted: readonly Row[], row: Row, compare: Compare): number {
	let low = 0;
	let high = sorted.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (compare(sorted[middle] as Row, row) < 0) low = middle + 1;
		else high = middle;
	}

	return low;
}

/** Where `row` itself is in `sorted`, or -1. The order is total, so one search finds it. */
export function indexOfRow(sorted: readonly Row[], row: Row, compare: Compare): number {
	const index = lowerBound(sorted, row, compare);
	return sorted[index] === row ? index : -1;
}

/**
 * `sorted` without the rows of `gone` (those it does not hold are ignored) and with `added`,
 * each at its place: the array `compare` would sort from the same rows.
 */
export function patchSorted(
	sorted: readonly Row[],
	gone: readonly Row[],
	added: readonly Row[],
	compare: Compare,
): readonly Row[] {
	const cuts: number[] = [];
	for (const row of gone) {
		const index = indexOfRow(sorted, row, compare);
		if (index !== -1) cuts.push(index);
	}

	if (cuts.length === 0 && added.length === 0) return sorted;
	cuts.sort((a, b) => a - b);
	// A row named twice in `gone` is cut once.
	for (let i = cuts.length - 1; i > 0; i--) if (cuts[i] === cuts[i - 1]) cuts.splice(i, 1);
	const adds = [...added].sort(compare);
	// Searched in the old array: a row that a gone one ties with (a replacement with the same
	// key and id) goes just before it, which is where it belongs once that one is cut.
	const places = adds.map((row) => lowerBound(sorted, row, compare));
	const patched: Row[] = new Array(sorted.length - cuts.length + adds.length);
	let out = 0;
	let cut = 0;
	let add = 0;
	let from = 0;
	// Copy the runs between the cuts and places in order.
	while (cut < cuts.length || add < adds.length) {
		const nextCut = cuts[cut] ?? Number.POSITIVE_INFINITY;
		const nextPlace = places[add] ?? Number.POSITIVE_INFINITY;
		const to = Math.min(nextCut, nextPlace);
		for (let i = from; i < to; i++) patched[out++] = sorted[i] as Row;
		from = to;
		if (nextPlace <= nextCut) {
			patched[out++] = adds[add++] as Row;
		} else {
			cut++;
			from = to + 1;
		}
	}

	for (let i = from; i < sorted.length; i++) patched[out++] = sorted[i] as Row;
	return patched;
}

/**
 * `items` with the item at each index of `at` replaced by its value (dropped when null; `at`
 * in ascending order of index) and `appended` at the end.
 */
export function patchAt<T>(
	items: readonly T[],
	at: ReadonlyMap<number, T | null>,
	appended: readonly T[],
): T[] {
	let dropped = 0;
	for (const value of at.values()) if (value === null) dropped++;
	const patched: T[] = new Array(items.length - dropped + appended.length);
	let out = 0;
	let from = 0;
	for (const [index, value] of at) {
		for (let i = from; i < index; i++) patched[out++] = items[i] as T;
		if (value !== null) patched[out++] = value;
		from = index + 1;
	}

	for (let i = from; i < items.length; i++) patched[out++] = items[i] as T;
	for (const value of appended) patched[out++] = value;
	return patched;
}
