import {describe, expect, it} from 'vitest';
import type {Effect} from '../source/ui/effects.js';
import {helpRows} from '../source/ui/help-layout.js';
import type {Command} from '../source/ui/keymap.js';
import {selectedRow} from '../source/ui/list-view.js';
import {type Action, detailsOf, initialState, type State, update} from '../source/ui/state.js';
import {
	createTestSession,
	DAY,
	HOUR,
	inkKey,
	NOW,
	sessionEntry,
	unreadableEntry,
} from './helpers/ink.js';

function entries(count: number) {
	// Ids sort the same way as expiry, so the default sort is predictable.
	return Array.from({length: count}, (_, i) =>
		sessionEntry(
			createTestSession({
				id: `s${String(i).padStart(3, '0')}`,
				login: `user${i}`,
				expiresIn: (i - 2) * HOUR,
			}),
		),
	);
}

function run(state: State, ...actions: Action[]): State {
	return actions.reduce((current, action) => update(current, action).state, state);
}

/** The effects the actions ask for, in order. */
function effects(state: State, ...actions: Action[]): Effect[] {
	const asked: Effect[] = [];
	actions.reduce((current, action) => {
		const next = update(current, action);
		asked.push(...next.effects);
		return next.state;
	}, state);
	return asked;
}

const quit: Effect = {kind: 'quit'};

const cmd = (command: Command, now = NOW): Action => ({type: 'command', command, now});

function loaded(count: number, height = 5, options = {}): State {
	return run(initialState({height, ...options}), {type: 'loaded', entries: entries(count)});
}

describe('movement', () => {
	it('moves and clamps at both ends', () => {
		let state = loaded(3);
		expect(state.list.selectedId).toBe('s000');
		state = run(state, cmd('up'));
		expect(state.list.selected).toBe(0);
		state = run(state, cmd('down'), cmd('down'), cmd('down'), cmd('down'));
		expect(state.list.selectedId).toBe('s002');
	});

	it('pages by a screen and jumps with first/last, keeping the selection visible', () => {
		let state = loaded(100, 10);
		state = run(state, cmd('pageDown'));
		expect(state.list.selected).toBe(9);
		expect(state.list.top).toBe(0);
		state = run(state, cmd('pageDown'));
		expect(state.list.selected).toBe(18);
		expect(state.list.top).toBe(9);
		state = run(state, cmd('last'));
		expect(state.list.selectedId).toBe('s099');
		expect(state.list.top).toBe(90);
		state = run(state, cmd('pageUp'));
		expect(state.list.selected).toBe(90);
		state = run(state, cmd('first'));
		expect([state.list.selected, state.list.top]).toEqual([0, 0]);
	});

	it('keeps the selected row visible when the terminal shrinks', () => {
		let state = run(loaded(100, 20), cmd('last'));
		state = run(state, cmd('pageUp'));
		state = run(state, {type: 'resize', height: 3, width: 80});
		expect(state.list.selected).toBeGreaterThanOrEqual(state.list.top);
		expect(state.list.selected).toBeLessThan(state.list.top + 3);
	});

	it('resolves keys against the latest mode, so a burst of keys is never stale', () => {
		const key = (input: string): Action => ({
			type: 'key',
			input,
			now: NOW,
			key: {escape: false, ctrl: false, meta: false} as never,
		});
		const state = run(loaded(20), key('/'), key('s'), key('0'), key('1'), key('5'));
		expect(state.list.filter).toBe('s015');
		expect(state.list.sort).toBe('expiry');
	});

	it('takes keys that arrive in one read one by one: `/s015` filters, `jjj` moves three rows', () => {
		const key = (input: string): Action => ({
			type: 'key',
			input,
			now: NOW,
			key: {escape: false, ctrl: false, meta: false} as never,
		});
		expect(run(loaded(20), key('/s015')).list.filter).toBe('s015');
		expect(run(loaded(20), key('jjj')).list.selectedId).toBe('s003');
	});

	it('takes Enter, Backspace and Ctrl-C inside such a read as the keys they are', () => {
		// No key named: what Ink reports for a read of several characters.
		const key = (input: string): Action => ({type: 'key', input, now: NOW, key: inkKey()});
		// j then Enter: the details of the second row.
		let state = run(loaded(20), key('j\r'));
		expect([state.mode.kind, state.list.selectedId]).toEqual(['details', 's001']);
		// A filter typed and kept in one go; the j after Enter moves in the filtered list.
		state = run(loaded(20), key('/s01\rj'));
		expect([state.mode.kind, state.list.filter, state.list.selectedId]).toEqual([
			'list',
			's01',
			's011',
		]);
		// Backspace as DEL (what terminals send) or BS erases; Tab and a newline are no text.
		expect(run(loaded(20), key('/s0x\u007f1\b15')).list.filter).toBe('s015');
		expect(run(loaded(20), key('/s0\t1\n5')).list.filter).toBe('s015');
		// Ctrl-C quits wherever it comes in the read.
		expect(effects(loaded(20), key('jj\u0003'))).toEqual([quit]);
		expect(effects(loaded(20), key('/ab\u0003'))).toEqual([quit]);
		// Characters outside the BMP are one key, not two halves.
		expect(run(loaded(20), key('/😀')).list.filter).toBe('😀');
		expect(run(loaded(20), key('😀j')).list.selectedId).toBe('s001');
	});
});

describe('selection by id', () => {
	it('follows the selected session when rows are added before it', () => {
		let state = run(loaded(5), cmd('down'), cmd('down'));
		expect(state.list.selectedId).toBe('s002');
		const earlier = sessionEntry(createTestSession({id: 'a-first', expiresIn: -10 * DAY}));
		state = run(state, {type: 'loaded', entries: [earlier, ...entries(5)]});
		expect(state.list.selectedId).toBe('s002');
		expect(selectedRow(state.list)?.id).toBe('s002');
		expect(state.list.selected).toBe(3);
	});

	it('stays at the same place when the selected session disappears', () => {
		let state = run(loaded(5), cmd('down'), cmd('down'));
		state = run(state, {type: 'loaded', entries: entries(5).filter((e) => e.id !== 's002')});
		expect(state.list.selectedId).toBe('s003');
	});

	it('ignores a rescan that changed nothing', () => {
		const list = entries(5);
		const state = run(initialState({height: 5}), {type: 'loaded', entries: list});
		// A rescan hands back fresh copies of the same sessions.
		const copies = list.map((entry) => ({...entry}));
		expect(run(state, {type: 'loaded', entries: copies})).toBe(state);
	});

	it('sorts each way once per listing: cycling back reuses the order', () => {
		const state = loaded(5);
		const cycled = run(state, cmd('sort'), cmd('sort'), cmd('sort'), cmd('sort'));
		expect(cycled.list.sort).toBe('expiry');
		expect(cycled.list.sorted).toBe(state.list.sorted);
		const deleted = run(cycled, cmd('delete'), cmd('yes'));
		const after = run(deleted, {
			type: 'deleted',
			seq: deleted.running?.seq ?? -1,
			id: 's000',
			now: NOW,
		});
		expect(run(after, cmd('sort')).list.sorted.map((row) => row.id)).not.toContain('s000');
	});

	it('follows the selection through a sort change', () => {
		let state = run(loaded(5), cmd('down'));
		state = run(state, cmd('sort'));
		expect(state.list.sort).toBe('created');
		expect(state.list.selectedId).toBe('s001');
	});
});

describe('changes reported by the store', () => {
	it('adds, replaces and drops rows, keeping the selection by id', () => {
		let state = run(loaded(5), cmd('down'), cmd('down'));
		const added = sessionEntry(createTestSession({id: 'a-first', expiresIn: -10 * DAY}));
		const renamed = sessionEntry(
			createTestSession({id: 's004', login: 'renamed', expiresIn: 2 * HOUR}),
		);
		state = run(state, {type: 'entriesChanged', changed: [added, renamed], removed: ['s000']});
		expect(state.list.view.map((row) => row.id)).toEqual([
			'a-first',
			's001',
			's002',
			's003',
			's004',
		]);
		expect(state.list.selectedId).toBe('s002');
		expect(state.list.rows.find((row) => row.id === 's004')?.login).toBe('renamed');
	});

	it('changes nothing for a change already shown, or before the first listing', () => {
		const state = loaded(3);
		const same = {...(state.entries?.[1] as ReturnType<typeof sessionEntry>)};
		expect(run(state, {type: 'entriesChanged', changed: [same], removed: ['gone']})).toBe(state);
		const before = initialState();
		expect(run(before, {type: 'entriesChanged', changed: entries(1), removed: []})).toBe(before);
	});

	it('a listing that ran while rows changed keeps those rows as the changes made them', () => {
		let state = loaded(3);
		const fresh = sessionEntry(createTestSession({id: 'new', expiresIn: HOUR}));
		state = run(state, {type: 'entriesChanged', changed: [fresh], removed: ['s001']});
		// Listed before both changes: s001 still there, `new` not yet.
		state = run(state, {type: 'loaded', entries: entries(3), keep: new Set(['s001', 'new'])});
		expect(state.list.rows.map((row) => row.id).sort()).toEqual(['new', 's000', 's002']);
	});

	it('says a notice until the next key', () => {
		const state = run(loaded(3), {type: 'notice', text: 'polling: events are off', now: NOW});
		expect(state.message).toEqual({text: 'polling: events are off', tone: 'info', at: NOW});
		expect(run(state, {type: 'key', input: 'j', key: inkKey(), now: NOW}).message).toBeNull();
	});
});

describe('filter mode', () => {
	it('filters as you type, Enter keeps, Esc clears', () => {
		let state = run(loaded(20), cmd('filter'), {type: 'type', text: 'USER1'});
		expect(state.mode.kind).toBe('filter');
		expect(state.list.view.map((row) => row.id)).toEqual([
			's001',
			's010',
			's011',
			's012',
			's013',
			's014',
			's015',
			's016',
			's017',
			's018',
			's019',
		]);
		state = run(state, {type: 'type', text: '5'});
		expect(state.list.view.map((row) => row.id)).toEqual(['s015']);
		state = run(state, cmd('filterErase'));
		expect(state.list.view).toHaveLength(11);
		state = run(state, cmd('filterAccept'));
		expect(state.mode.kind).toBe('list');
		expect(state.list.filter).toBe('USER1');
		state = run(state, cmd('back'));
		expect(state.list.filter).toBe('');
		expect(state.list.view).toHaveLength(20);
		state = run(state, cmd('filter'), {type: 'type', text: 'x'}, cmd('filterClear'));
		expect([state.mode.kind, state.list.filter]).toEqual(['list', '']);
	});

	it('drops control characters typed or pasted into the filter', () => {
		const state = run(loaded(3), cmd('filter'), {type: 'type', text: 'us\u001B[2Jer'});
		expect(state.list.filter).toBe('us[2Jer');
	});
});

describe('confirm flows', () => {
	it('d asks about the selected session, y starts the delete, the result removes the row', () => {
		let state = run(loaded(3), cmd('delete'));
		expect(state.mode).toEqual({kind: 'confirmDelete', id: 's000', label: 's000 (@user0)'});
		const [asked] = effects(state, cmd('yes'));
		expect(asked).toMatchObject({kind: 'delete', id: 's000'});
		state = run(state, cmd('yes'));
		expect(state.mode.kind).toBe('busy');
		const seq = state.running?.seq ?? -1;
		// The result asks for a visible reload: the listing confirms what the task did.
		expect(effects(state, {type: 'deleted', seq, id: 's000', now: NOW})).toEqual([
			{kind: 'reload'},
		]);
		state = run(state, {type: 'deleted', seq, id: 's000', now: NOW});
		expect(state.running).toBeNull();
		expect(state.list.view.map((row) => row.id)).toEqual(['s001', 's002']);
		expect(state.message?.text).toBe('deleted s000 (@user0)');
	});

	it('n or Esc keeps everything', () => {
		const state = run(loaded(3), cmd('delete'), cmd('no'));
		expect(state.mode.kind).toBe('list');
		expect(effects(loaded(3), cmd('delete'), cmd('no'))).toEqual([]);
		expect(state.list.view).toHaveLength(3);
	});

	it('c counts the expired sessions at the time of the key', () => {
		let state = run(loaded(6), cmd('cleanup'));
		expect(state.mode).toEqual({kind: 'confirmCleanup', count: 2, named: ['s000', 's001']});
		state = run(state, cmd('no'), cmd('cleanup', NOW + 2 * HOUR + 1));
		// The first three by the table's order, filtered out or not.
		expect(state.mode).toEqual({
			kind: 'confirmCleanup',
			count: 5,
			named: ['s000', 's001', 's002'],
		});
		expect(effects(state, cmd('yes'))).toMatchObject([{kind: 'cleanup'}]);
		state = run(state, cmd('yes'));
		state = run(state, {type: 'cleaned', seq: state.running?.seq ?? -1, count: 5, now: NOW});
		expect(state.message?.text).toBe('removed 5 expired sessions');
	});

	it('c with nothing expired says so instead of asking', () => {
		const state = run(loaded(6), cmd('cleanup', NOW - 10 * HOUR));
		expect(state.mode.kind).toBe('list');
		expect(state.message?.text).toBe('no expired sessions to remove');
	});

	it('ignores a stale task result', () => {
		const state = run(loaded(3), cmd('delete'), cmd('yes'));
		expect(run(state, {type: 'deleted', seq: 999, id: 's000', now: NOW})).toBe(state);
	});

	it('labels unreadable rows', () => {
		let state = run(initialState({height: 5}), {type: 'loaded', entries: [unreadableEntry('bad')]});
		state = run(state, cmd('delete'));
		expect(state.mode).toMatchObject({label: 'bad (unreadable)'});
	});
});

describe('other modes', () => {
	it('details, help and quit', () => {
		// Tall enough for the details: the moving keys move to the next session.
		let state = run(loaded(3, 20), cmd('details'));
		expect(state.mode).toEqual({kind: 'details', top: 0});
		state = run(state, cmd('down'));
		expect(state.list.selectedId).toBe('s001');
		state = run(state, cmd('back'), cmd('help'));
		expect(state.mode.kind).toBe('help');
		state = run(state, cmd('help'));
		expect(state.mode.kind).toBe('list');
		expect(effects(state, cmd('quit'))).toEqual([quit]);
	});

	it('the moving keys scroll details that do not fit, and stop at their ends; u toggles UTC', () => {
		// 4 rows of table: 5 lines for the details' 10.
		let state = run(loaded(3, 4), cmd('details'));
		const lines = detailsOf(state, NOW).length;
		expect(lines).toBeGreaterThan(5);
		state = run(state, cmd('down'));
		expect([state.mode, state.list.selectedId]).toEqual([{kind: 'details', top: 1}, 's000']);
		state = run(state, cmd('last'));
		expect(state.mode).toEqual({kind: 'details', top: lines - 5});
		expect(run(state, cmd('down'))).toBe(state);
		state = run(state, cmd('first'), cmd('utc'));
		expect([state.mode, state.utc]).toEqual([{kind: 'details', top: 0}, true]);
		// u is for the details only.
		expect(run(state, cmd('back'), cmd('utc')).utc).toBe(true);
	});

	it('the moving keys scroll a help that does not fit, and stop at its ends', () => {
		// 60 columns: one column of help, taller than the 12 lines a 16-line terminal leaves.
		const rows = helpRows(60).length;
		let state = run(loaded(30, 11, {width: 60}), cmd('down'), cmd('help'));
		expect(state.mode).toEqual({kind: 'help', top: 0});
		const selected = state.list.selected;
		state = run(state, cmd('up'));
		expect(state.mode).toEqual({kind: 'help', top: 0});
		state = run(state, cmd('down'), cmd('down'));
		expect(state.mode).toEqual({kind: 'help', top: 2});
		state = run(state, cmd('pageDown'));
		expect(state.mode).toEqual({kind: 'help', top: 13});
		state = run(state, cmd('last'));
		expect(state.mode).toEqual({kind: 'help', top: rows - 12});
		expect(run(state, cmd('down'))).toBe(state);
		expect(run(state, cmd('pageDown'))).toBe(state);
		state = run(state, cmd('pageUp'));
		expect(state.mode).toEqual({kind: 'help', top: rows - 12 - 11});
		state = run(state, cmd('first'));
		expect(state.mode).toEqual({kind: 'help', top: 0});
		// Keys that do something in the list do nothing here; the list's selection stays.
		for (const command of ['delete', 'cleanup', 'sort', 'filter', 'details'] as const) {
			expect(run(state, cmd(command))).toBe(state);
		}
		state = run(state, cmd('last'), cmd('back'));
		expect(state.mode.kind).toBe('list');
		expect(state.list.selected).toBe(selected);
		// Opened again, it starts at the top.
		expect(run(state, cmd('help')).mode).toEqual({kind: 'help', top: 0});
	});

	it("a resized terminal keeps the help's first row where it can, without a blank end", () => {
		let state = run(loaded(3, 11, {width: 60}), cmd('help'), cmd('last'));
		const bottom = helpRows(60).length - 12;
		expect(state.mode).toEqual({kind: 'help', top: bottom});
		// Taller by two lines: two fewer rows to scroll past.
		state = run(state, {type: 'resize', height: 13, width: 60});
		expect(state.mode).toEqual({kind: 'help', top: bottom - 2});
		// Wide enough for two columns, and tall enough for them: back to the top.
		expect(helpRows(100).length).toBeLessThanOrEqual(21);
		state = run(state, {type: 'resize', height: 20, width: 100});
		expect(state.mode).toEqual({kind: 'help', top: 0});
		expect(run(state, cmd('down'))).toBe(state);
	});

	it('login needs to be configured', () => {
		const state = run(loaded(3), cmd('login'));
		expect(state.mode.kind).toBe('login');
		expect(state.login).toMatchObject({phase: 'unavailable', sessionId: 's000'});
		expect(state.login?.error).toBe('no login flow was given to the inspector');
		expect(state.message).toBeNull();
		expect(effects(loaded(3), cmd('login'))).toEqual([]);
	});

	it('login on the selected session, or on github when the store is empty', () => {
		const ready = run(loaded(3, 5, {loginConfigured: true}), cmd('down'));
		const [login] = effects(ready, cmd('login'));
		expect(login).toMatchObject({kind: 'login', sessionId: 's001'});
		let state = run(ready, cmd('login'));
		expect(state.login).toMatchObject({deadline: NOW + 5 * 60_000, phase: 'waiting'});
		// Esc aborts the login's task: the reducer asks for it by the task's seq.
		expect(effects(state, cmd('back'))).toEqual([
			{kind: 'cancel', seq: login?.kind === 'login' ? login.seq : -1},
		]);
		state = run(state, cmd('back'));
		expect(state.running).toBeNull();
		expect(state.message?.text).toBe('login cancelled');
		// Its late result changes nothing.
		const late = {type: 'loginFailed', seq: 1, message: 'aborted'} as const;
		expect(run(state, late)).toBe(state);

		const empty = effects(
			initialState({loginConfigured: true}),
			{type: 'loaded', entries: []},
			cmd('login'),
		);
		expect(empty).toMatchObject([{kind: 'login', sessionId: 'github', previous: null}]);
	});

	it('a store error shows until a listing succeeds', () => {
		let state = run(loaded(3), {type: 'loadFailed', message: 'redis is down'});
		expect(state.error).toBe('redis is down');
		state = run(state, {type: 'loaded', entries: entries(3)});
		expect(state.error).toBeNull();
	});
});
