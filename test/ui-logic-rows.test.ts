import {describe, expect, it} from 'vitest';
import {commandFor, footerItems, KEYMAP} from '../source/ui/keymap.js';
import {keyAlone} from '../source/ui/keys.js';
import {footerThatFits, layoutColumns, scrollTop, tableHeight} from '../source/ui/layout.js';
import {buildRows, filterRows, nextSort, SORT_KEYS, sortRows, toRow} from '../source/ui/rows.js';
import {
	createTestSession,
	DAY,
	HOUR,
	inkKey as key,
	MINUTE,
	sessionEntry,
	unreadableEntry,
} from './helpers/ink.js';

const ids = (rows: readonly {id: string}[]) => rows.map((row) => row.id);

function fixture() {
	return [
		sessionEntry(
			createTestSession({
				id: 'bravo',
				login: 'Zed',
				name: 'Zed Zulu',
				expiresIn: HOUR,
				createdIn: -2 * DAY,
			}),
		),
		sessionEntry(
			createTestSession({
				id: 'alpha',
				login: 'amy',
				name: 'Amy Pond',
				expiresIn: -DAY,
				createdIn: -40 * DAY,
			}),
		),
		unreadableEntry('broken'),
		sessionEntry(
			createTestSession({id: 'delta', user: null, expiresIn: 3 * DAY, createdIn: -MINUTE}),
		),
		sessionEntry(
			createTestSession({
				id: 'charlie',
				login: 'amy',
				name: 'Amy Again',
				expiresIn: HOUR,
				createdIn: -HOUR,
			}),
		),
	];
}

describe('sortRows', () => {
	const rows = buildRows(fixture());

	it('sorts by expiry, soonest first, ties by id, unreadable last', () => {
		expect(ids(sortRows(rows, 'expiry'))).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'broken']);
	});

	it('sorts by created, newest first', () => {
		expect(ids(sortRows(rows, 'created'))).toEqual([
			'delta',
			'charlie',
			'bravo',
			'alpha',
			'broken',
		]);
	});

	it('sorts by user case-insensitively, no user after users', () => {
		expect(ids(sortRows(rows, 'user'))).toEqual(['alpha', 'charlie', 'bravo', 'delta', 'broken']);
	});

	it('sorts by id', () => {
		expect(ids(sortRows(rows, 'id'))).toEqual(['alpha', 'bravo', 'broken', 'charlie', 'delta']);
	});

	it('is stable: the input order does not matter and the input is not changed', () => {
		const reversed = [...rows].reverse();
		for (const key of SORT_KEYS) {
			expect(ids(sortRows(reversed, key))).toEqual(ids(sortRows(rows, key)));
		}

		expect(ids(reversed)).toEqual(ids([...rows].reverse()));
	});

	it('cycles expiry → created → user → id → expiry', () => {
		expect([nextSort('expiry'), nextSort('created'), nextSort('user'), nextSort('id')]).toEqual([
			'created',
			'user',
			'id',
			'expiry',
		]);
	});
});

describe('filterRows', () => {
	const rows = sortRows(buildRows(fixture()), 'id');

	it('matches id, login or name, case-insensitively', () => {
		expect(ids(filterRows(rows, 'BRAV'))).toEqual(['bravo']);
		expect(ids(filterRows(rows, 'amy'))).toEqual(['alpha', 'charlie']);
		expect(ids(filterRows(rows, 'pond'))).toEqual(['alpha']);
		expect(ids(filterRows(rows, 'zulu'))).toEqual(['bravo']);
		expect(ids(filterRows(rows, 'nothing'))).toEqual([]);
	});

	it('keeps everything, as the same array, for an empty query', () => {
		expect(filterRows(rows, '')).toBe(rows);
		expect(filterRows(rows, '  ')).toBe(rows);
	});
});

describe('rows', () => {
	it('escapes what they show', () => {
		const row = toRow(
			sessionEntry(
				createTestSession({id: 'x', login: 'evil\u001B[31m', name: 'T\u001B]0;pwned\u0007'}),
			),
		);
		expect(row.login).toBe('evil\\x1b[31m');
		expect(row.name).toBe('T\\x1b]0;pwned\\x07');
		expect(toRow(unreadableEntry('a\u009Bb', 'bad\nreason')).shownId).toBe('a\\u009bb');
	});

	it('reuse unchanged rows across rescans', () => {
		const first = buildRows(fixture().slice(0, 2));
		const copy = first.map((row) => ({...row.entry}));
		const again = buildRows(copy, first);
		expect(again[0]).toBe(first[0]);
		expect(again[1]).toBe(first[1]);
	});
});

describe('layout', () => {
	it('uses the whole width and never more', () => {
		for (const width of [30, 40, 50, 60, 70, 80, 100, 200]) {
			const c = layoutColumns(width, 43);
			const used = 2 + c.id + 2 + c.user + 2 + (c.created ? c.created + 2 : 0) + c.expires;
			expect(used).toBeLessThanOrEqual(Math.max(width, 2 + 6 + 2 + 2 + 16));
		}
	});

	it('shows generated ids (43 characters) whole once the user column keeps 40, cut to 24 before', () => {
		expect(layoutColumns(200, 43)).toMatchObject({id: 43, created: 8, showName: true});
		expect(layoutColumns(200, 43).user).toBeGreaterThanOrEqual(40);
		expect(layoutColumns(115, 43)).toMatchObject({id: 43, user: 40});
		expect(layoutColumns(100, 43)).toMatchObject({id: 28, user: 40});
		expect(layoutColumns(80, 43)).toMatchObject({id: 24, user: 24});
		// Shorter ids take their own width; longer ones are cut at 43.
		expect(layoutColumns(200, 12).id).toBe(12);
		expect(layoutColumns(300, 128).id).toBe(43);
	});

	it('drops the created column first, then the name', () => {
		expect(layoutColumns(100, 20)).toMatchObject({created: 8, showName: true});
		expect(layoutColumns(60, 20).created).toBe(0);
		expect(layoutColumns(60, 20).showName).toBe(false);
	});

	it('keeps the selected row inside the window', () => {
		expect(scrollTop(0, 0, 100, 10)).toBe(0);
		expect(scrollTop(0, 10, 100, 10)).toBe(1);
		expect(scrollTop(50, 20, 100, 10)).toBe(20);
		expect(scrollTop(95, 99, 100, 10)).toBe(90);
		expect(scrollTop(5, 6, 8, 10)).toBe(0);
		expect(tableHeight(24)).toBe(19);
	});
});

describe('footerThatFits', () => {
	const items = footerItems('list', ['back']);
	const text = (kept: readonly string[]) => ` ${kept.join('  ')}`;

	it('keeps every item when they fit', () => {
		expect(footerThatFits(items, 200)).toEqual(items);
		expect(footerThatFits(items, text(items).length)).toEqual(items);
	});

	it('drops the items before help and quit, from the end, until the line fits', () => {
		for (let width = 1; width < text(items).length; width++) {
			const kept = footerThatFits(items, width);
			expect(kept.slice(-2)).toEqual(['? help', 'q quit']);
			// What is kept is the items' beginning, then help and quit.
			const head = kept.slice(0, -2);
			expect(head).toEqual(items.slice(0, head.length));
			// It fits, unless help and quit alone do not; one more item would not.
			if (head.length > 0) expect(text(kept).length).toBeLessThanOrEqual(width);
			if (head.length < items.length - 2) {
				const more = [...items.slice(0, head.length + 1), ...kept.slice(-2)];
				expect(text(more).length).toBeGreaterThan(width);
			}
		}
		// The usual 80 columns: all but the sort and verify keys.
		expect(footerThatFits(items, 80)).toEqual(
			items.filter((item) => item !== 's sort' && item !== 'v verify'),
		);
	});

	it('leaves short lists as they are: the line is then cut at its end', () => {
		expect(footerThatFits(['y yes', 'n no'], 5)).toEqual(['y yes', 'n no']);
		expect(footerThatFits(['q quit'], 3)).toEqual(['q quit']);
	});
});

describe('keymap', () => {
	it('reads each character of a multi-key read as Ink reads that key alone', () => {
		const base = key();
		expect(keyAlone('j', base)).toEqual({input: 'j', key: base});
		expect(keyAlone('\r', base)).toEqual({input: '', key: key({return: true})});
		expect(keyAlone('\t', base)).toEqual({input: '', key: key({tab: true})});
		expect(keyAlone('\b', base)).toEqual({input: '', key: key({backspace: true})});
		expect(keyAlone('\u007f', base)).toEqual({input: '', key: key({delete: true})});
		expect(keyAlone('\n', base)).toEqual({input: '', key: base});
		expect(keyAlone('\u0003', base)).toEqual({input: 'c', key: key({ctrl: true})});
		expect(keyAlone('\u0001', base)).toEqual({input: 'a', key: key({ctrl: true})});
		expect(keyAlone('\u001a', base)).toEqual({input: 'z', key: key({ctrl: true})});
		expect(keyAlone('😀', base)).toEqual({input: '😀', key: base});
		// What they then mean: Enter opens the details, DEL erases in the filter, Ctrl-C quits.
		const command = (context: 'list' | 'filter', char: string) => {
			const alone = keyAlone(char, base);
			return commandFor(context, alone.input, alone.key);
		};
		expect(command('list', '\r')).toBe('details');
		expect(command('filter', '\r')).toBe('filterAccept');
		expect(command('filter', '\u007f')).toBe('filterErase');
		expect(command('filter', '\b')).toBe('filterErase');
		expect(command('filter', '\u0003')).toBe('quit');
		expect(command('list', '\u0003')).toBe('quit');
	});

	it('maps keys to commands per context', () => {
		expect(commandFor('list', '', key({downArrow: true}))).toBe('down');
		expect(commandFor('list', 'j', key())).toBe('down');
		expect(commandFor('list', 'G', key({shift: true}))).toBe('last');
		expect(commandFor('list', 'c', key({ctrl: true}))).toBe('quit');
		expect(commandFor('list', 'c', key())).toBe('cleanup');
		expect(commandFor('confirm', 'y', key())).toBe('yes');
		expect(commandFor('confirm', 'd', key())).toBeUndefined();
		expect(commandFor('filter', 'q', key())).toBeUndefined();
		expect(commandFor('filter', '', key({escape: true, meta: true}))).toBe('filterClear');
	});

	it('has a description for every binding and the footer from the keymap', () => {
		for (const binding of KEYMAP) expect(binding.description).not.toBe('');
		expect(footerItems('list', ['back']).join('  ')).toBe(
			'↑↓ move  ⏎ details  d delete  c clean up  l log in  / filter  s sort  v verify  ? help  q quit',
		);
	});
});
