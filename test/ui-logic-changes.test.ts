// A batch of store changes is patched into the sorted orders, not sorted again: each result must
// equal what deriving the whole view from the new rows gives (withRows, the full re-sort).
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {ListEntry} from '../source/session/store.js';
import {patchSorted} from '../source/ui/array-patch.js';
import type {Command} from '../source/ui/keymap.js';
import {withRows} from '../source/ui/list-view.js';
import {
	buildRows,
	filterRows,
	ROW_ORDER,
	type Row,
	SORT_KEYS,
	type SortKey,
	sortRows,
} from '../source/ui/rows.js';
import {type Action, initialState, type State, update} from '../source/ui/state.js';
import {createTestSession, DAY, HOUR, NOW, sessionEntry, unreadableEntry} from './helpers/ink.js';

const ids = (rows: readonly {id: string}[]) => rows.map((row) => row.id);

function run(state: State, ...actions: Action[]): State {
	return actions.reduce((current, action) => update(current, action).state, state);
}

const cmd = (command: Command): Action => ({type: 'command', command, now: NOW});

const changes = (changed: ListEntry[], removed: string[] = []): Action => ({
	type: 'entriesChanged',
	changed,
	removed,
});

/** A session with few distinct expiries, creations and logins: most rows tie on some key. */
function tied(id: string, n: number, login: string | null = `user${n % 3}`): ListEntry {
	return sessionEntry(
		createTestSession({
			id,
			expiresIn: ((n % 4) - 1) * HOUR,
			createdIn: -(n % 2) * DAY,
			...(login === null ? {user: null} : {login, name: `Name ${login}`}),
		}),
	);
}

function loaded(entries: ListEntry[], sort: SortKey = 'expiry', height = 4): State {
	return run(initialState({height, sort}), {type: 'loaded', entries});
}

/**
 * `after` is what a full re-derive from its rows gives: order, view, selection and window, and
 * every order the list holds is the full sort of its rows.
 */
function expectAsResorted(before: State, after: State): void {
	const {list} = after;
	const expected = withRows(before.list, list.rows);
	expect(ids(list.sorted)).toEqual(ids(expected.sorted));
	expect(ids(list.view)).toEqual(ids(expected.view));
	expect({selected: list.selected, selectedId: list.selectedId, top: list.top}).toEqual({
		selected: expected.selected,
		selectedId: expected.selectedId,
		top: expected.top,
	});
	expect(list.sortCache.get(list.sort)).toBe(list.sorted);
	for (const [key, sorted] of list.sortCache) {
		expect(ids(sorted), key).toEqual(ids(sortRows(list.rows, key)));
	}

	expect(ids(list.rows)).toEqual(ids(after.entries ?? []));
}

/** The store's order after a batch, as a rescan would list it: in place, new ones last. */
function storeOrder(entries: readonly ListEntry[], changed: ListEntry[], removed: string[]) {
	const gone = new Set(removed);
	const known = new Set(entries.map((entry) => entry.id));
	const kept = entries.map((entry) => entry.id).filter((id) => !gone.has(id));
	const added = [...new Set(changed.map((entry) => entry.id))].filter(
		(id) => !known.has(id) && !gone.has(id),
	);
	return [...kept, ...added];
}

const twelve = () => Array.from({length: 12}, (_, i) => tied(`t${String(i).padStart(2, '0')}`, i));

describe('a batch of changes, for every sort key', () => {
	for (const sort of SORT_KEYS) {
		it(`adds, replaces and removes by ${sort} as a full re-sort would`, () => {
			const before = run(loaded(twelve(), sort), cmd('down'), cmd('down'), cmd('down'));
			const batch = [
				tied('new-a', 5),
				tied('t03', 7, 'zed'),
				tied('t07', 7, null),
				unreadableEntry('t08'),
			];
			const after = run(before, changes(batch, ['t01', 't10', 'missing']));
			expectAsResorted(before, after);
			expect(ids(after.list.rows)).toEqual(storeOrder(before.entries ?? [], batch, ['t01', 't10']));
		});
	}

	it('patches every order the list holds, so cycling the sort afterwards sorts nothing', () => {
		let state = loaded(twelve());
		state = run(state, cmd('sort'), cmd('sort'), cmd('sort'), cmd('sort'));
		expect(state.list.sortCache.size).toBe(4);
		const before = state;
		state = run(state, changes([tied('t04', 9, 'amy'), tied('z', 2)], ['t00']));
		expectAsResorted(before, state);
		expect(state.list.sortCache.size).toBe(4);
		for (const key of SORT_KEYS) {
			const held = state.list.sortCache.get(key);
			state = run(state, cmd('sort'));
			expect(state.list.sorted).toBe(state.list.sortCache.get(state.list.sort));
			expect(held).toBeDefined();
		}
	});

	it('keeps the rows and orders of a change that changes nothing', () => {
		const state = loaded(twelve());
		const same = {...(state.entries?.[4] as ListEntry)};
		expect(run(state, changes([same], ['missing']))).toBe(state);
	});

	it('reuses the rows of unchanged entries and builds only the changed ones', () => {
		const before = loaded(twelve());
		const after = run(before, changes([tied('t02', 9)], ['t05']));
		for (const row of after.list.rows) {
			const old = before.list.rows.find((r) => r.id === row.id);
			if (row.id === 't02') expect(row).not.toBe(old);
			else expect(row).toBe(old);
		}
	});
});

describe('the selection and the filter through a batch', () => {
	it('follows the selected row by id when it moves', () => {
		const before = run(loaded(twelve(), 'user'), cmd('down'));
		const id = before.list.selectedId;
		const after = run(before, changes([tied(id ?? '', 1, 'zzz-last')]));
		expectAsResorted(before, after);
		expect(after.list.selectedId).toBe(id);
		expect(after.list.selected).toBe(after.list.view.length - 1);
	});

	it('stays at the same index when the selected row is removed', () => {
		const before = run(loaded(twelve()), cmd('pageDown'), cmd('down'));
		const after = run(before, changes([], [before.list.selectedId ?? '']));
		expectAsResorted(before, after);
		expect(after.list.selected).toBe(before.list.selected);
		expect(after.list.selectedId).not.toBe(before.list.selectedId);
	});

	it('moves up to the last row when the selected last row is removed', () => {
		const before = run(loaded(twelve()), cmd('last'));
		const after = run(before, changes([], [before.list.selectedId ?? '']));
		expectAsResorted(before, after);
		expect(after.list.selected).toBe(10);
	});

	it('keeps the filter: new rows show only when they match, removed ones go from the view', () => {
		const before = run(loaded(twelve(), 'user'), cmd('filter'), {type: 'type', text: 'USER1'});
		expect(ids(before.list.view)).toEqual(['t01', 't04', 't07', 't10']);
		const batch = [tied('a-new', 3, 'user1'), tied('b-new', 3, 'user2'), tied('t04', 4, 'nobody')];
		const after = run(before, changes(batch, ['t07']));
		expectAsResorted(before, after);
		expect(ids(after.list.view)).toEqual(['a-new', 't01', 't10']);
		expect(ids(filterRows(after.list.sorted, 'USER1'))).toEqual(ids(after.list.view));
	});

	it('empties the view and the selection when every shown row goes, and fills them again', () => {
		const before = run(loaded(twelve()), cmd('filter'), {type: 'type', text: 't0'});
		const removed = ids(before.list.view);
		const empty = run(before, changes([], removed));
		expectAsResorted(before, empty);
		expect(empty.list.view).toEqual([]);
		expect(empty.list.selectedId).toBeNull();
		const again = run(empty, changes([tied('t05', 1)]));
		expectAsResorted(empty, again);
		expect(again.list.selectedId).toBe('t05');
	});
});

describe('patchSorted and ROW_ORDER', () => {
	it('agree with sortRows for every key, with ties, unreadable rows and missing times', () => {
		const broken = tied('nan', 1);
		const nan =
			broken.kind === 'session'
				? {...broken, session: {...broken.session, expiresAt: new Date(Number.NaN)}}
				: broken;
		const rows = buildRows([...twelve(), unreadableEntry('u1'), unreadableEntry('u0'), nan]);
		for (const key of SORT_KEYS) {
			expect(ids([...rows].sort(ROW_ORDER[key])), key).toEqual(ids(sortRows(rows, key)));
		}
	});

	it('ignores rows it does not hold and rows named twice', () => {
		const rows = sortRows(buildRows(twelve()), 'id');
		const [first, second] = buildRows([tied('zz', 1), tied('t05', 2)]) as [Row, Row];
		const patched = patchSorted(
			rows,
			[first, rows[3] as Row, rows[3] as Row],
			[second],
			ROW_ORDER.id,
		);
		expect(ids(patched)).toEqual([
			't00',
			't01',
			't02',
			't04',
			't05',
			't05',
			't06',
			't07',
			't08',
			't09',
			't10',
			't11',
		]);
		expect(patchSorted(rows, [first], [], ROW_ORDER.id)).toBe(rows);
	});
});

describe('many random batches (seeded)', () => {
	const pool = Array.from({length: 40}, (_, i) => `p${String(i).padStart(2, '0')}`);
	const logins = ['amy', 'Amy', 'bob', 'user1', null] as const;
	const spec = fc.record({
		id: fc.constantFrom(...pool),
		n: fc.integer({min: 0, max: 7}),
		login: fc.constantFrom(...logins),
	});
	type Spec = {id: string; n: number; login: string | null; unreadable: boolean};
	const toEntry = (s: Spec): ListEntry =>
		s.unreadable ? unreadableEntry(s.id, `bad ${s.n}`) : tied(s.id, s.n, s.login);
	const entrySpec = fc
		.tuple(spec, fc.integer({min: 0, max: 9}))
		.map(([s, roll]) => ({...s, unreadable: roll === 0}));
	const step = fc.oneof(
		{
			weight: 6,
			arbitrary: fc.record({
				kind: fc.constant('batch' as const),
				changed: fc.array(entrySpec, {maxLength: 8}),
				removed: fc.array(fc.constantFrom(...pool), {maxLength: 6}),
				removeSelected: fc.boolean(),
			}),
		},
		{
			weight: 2,
			arbitrary: fc.record({
				kind: fc.constant('move' as const),
				command: fc.constantFrom<Command>('down', 'pageDown', 'up', 'last', 'first'),
			}),
		},
		{weight: 1, arbitrary: fc.record({kind: fc.constant('sort' as const)})},
		{
			weight: 1,
			arbitrary: fc.record({
				kind: fc.constant('filter' as const),
				text: fc.constantFrom('', 'amy', 'p1', 'user', 'zzz'),
			}),
		},
	);

	it('equal a full re-sort of the whole set after every batch', () => {
		fc.assert(
			fc.property(
				fc.uniqueArray(entrySpec, {selector: (s) => s.id, maxLength: 30}),
				fc.constantFrom(...SORT_KEYS),
				fc.integer({min: 1, max: 6}),
				fc.array(step, {minLength: 1, maxLength: 25}),
				(initial, sort, height, steps) => {
					let state = loaded(initial.map(toEntry), sort, height);
					for (const s of steps) {
						if (s.kind === 'move') state = run(state, cmd(s.command));
						else if (s.kind === 'sort') state = run(state, cmd('sort'));
						else if (s.kind === 'filter') {
							state = run(state, cmd('back'));
							if (s.text !== '') {
								state = run(
									state,
									cmd('filter'),
									{type: 'type', text: s.text},
									cmd('filterAccept'),
								);
							}
						} else {
							const removed =
								s.removeSelected && state.list.selectedId !== null
									? [...s.removed, state.list.selectedId]
									: s.removed;
							const changed = s.changed.map(toEntry);
							const before = state;
							state = run(state, changes(changed, removed));
							expectAsResorted(before, state);
							expect(ids(state.list.rows)).toEqual(
								storeOrder(before.entries ?? [], changed, removed),
							);
						}
					}
				},
			),
			{seed: 20_261_205, numRuns: 300},
		);
	});
});
