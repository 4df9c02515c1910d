// Sorting large listings (100,000 sessions must stay quick to show) by a number, ties by id.

/**
 * A sorted copy of `items`, ascending by `key` (NaN counts as +Infinity), equal keys by id in
 * code-unit order. The keys and ids go into arrays of their own and an index array is sorted:
 * about twice as fast at 100,000 items as a comparator reading the objects, and nothing is
 * allocated per comparison.
 */
export function sortByNumber<T extends {readonly id: string}>(
	items: readonly T[],
	key: (item: T) => number,
): T[] {
	const count = items.length;
	const keys = new Float64Array(count);
	const ids: string[] = new Array(count);
	const order = new Uint32Array(count);
	for (let i = 0; i < count; i++) {
		const item = items[i] as T;
		const value = key(item);
		keys[i] = Number.isNaN(value) ? Number.POSITIVE_INFINITY : value;
		ids[i] = item.id;
		order[i] = i;
	}

	order.sort((a, b) => {
		const x = keys[a] as number;
		const y = keys[b] as number;
		if (x !== y) return x < y ? -1 : 1;
		const p = ids[a] as string;
		const q = ids[b] as string;
		return p < q ? -1 : p > q ? 1 : 0;
	});
	const sorted: T[] = new Array(count);
	for (let i = 0; i < count; i++) sorted[i] = items[order[i] as number] as T;
	return sorted;
}
