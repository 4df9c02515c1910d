import {describe, expect, it, onTestFinished} from 'vitest';
import {MASK} from '../source/format/mask-token.js';
import type {Props} from '../source/ui/App.js';
import {CONTEXT_TITLES, KEYMAP} from '../source/ui/keymap.js';
import {
	createTestSession,
	DAY,
	gate,
	HOUR,
	keys,
	MINUTE,
	openApp,
	TestStore,
	unreadableEntry,
} from './helpers/ink.js';

const open = (store: TestStore, props: Partial<Props> = {}) =>
	openApp(store, {location: '~/.config/stacktower/sessions', ...props});

/** The sketch from DESIGN.md, relative to the real clock. */
function sketch() {
	const now = Date.now();
	const store = new TestStore([
		createTestSession({
			id: 'github',
			login: 'octocat',
			name: 'Mona Lisa',
			token: 'gho_octocatSECRET0123456789',
			now,
			expiresIn: DAY - MINUTE,
			createdIn: -2 * DAY,
		}),
		createTestSession({
			id: 'local-session',
			login: 'local',
			name: 'Local User',
			now,
			expiresIn: 364 * DAY + 23 * HOUR + 30 * MINUTE,
			createdIn: -5 * MINUTE,
		}),
		createTestSession({
			id: 'old-one',
			login: 'monalisa',
			name: '',
			now,
			expiresIn: -3 * DAY,
			createdIn: -40 * DAY,
		}),
	]);
	store.unreadable = [unreadableEntry('broken', 'Unexpected end of JSON input')];
	return store;
}

/** Whether the table shows a row for `id`. */
const hasRow = (frame: string, id: string) =>
	frame.split('\n').some((l) => /^[❯ ] /.test(l) && l.slice(2).startsWith(`${id} `));
const line = (frame: string, text: string) => frame.split('\n').find((l) => l.includes(text)) ?? '';

/** `text` as a regular expression that matches it literally. */
function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('the inspector', () => {
	it('shows the header, the rows and the footer', async () => {
		const ui = open(sketch());
		await ui.see('local-session');
		const frame = ui.frame();
		expect(frame).toContain('stacktower sessions  ~/.config/stacktower/sessions');
		expect(frame).toContain('2 active · 1 expired · 1 unreadable');
		expect(frame).toMatch(/ID\s+USER\s+CREATED\s+EXPIRES IN/);
		expect(line(frame, 'github')).toMatch(/@octocat {2}Mona Lisa\s+2d ago\s+23h 5\dm \d+s/);
		expect(line(frame, 'local-session')).toMatch(/@local {2}Local User\s+5m ago\s+364d 2\dh/);
		expect(line(frame, 'old-one')).toMatch(/@monalisa\s+40d ago\s+expired 3d ago/);
		expect(line(frame, 'broken')).toContain('unreadable: Unexpected end of JSON input');
		expect(frame).toContain(
			'↑↓ move  ⏎ details  d delete  c clean up  l log in  / filter  s sort  v verify  ? help  q quit',
		);
		// Sorted by expiry: the long-expired first, the unreadable last; the first row selected.
		const order = ['old-one', 'github', 'local-session', 'broken'].map((id) => frame.indexOf(id));
		expect(order).toEqual([...order].sort((a, b) => a - b));
		expect(line(frame, 'old-one')).toMatch(/^❯ old-one/);
	});

	it('moves the selection with ↓/↑, j/k, G and g', async () => {
		const ui = open(sketch());
		await ui.see('local-session');
		await ui.press(keys.down, (f) => line(f, 'github').startsWith('❯'));
		await ui.press('j', (f) => line(f, 'local-session').startsWith('❯'));
		await ui.press('k', (f) => line(f, 'github').startsWith('❯'));
		await ui.press('G', (f) => line(f, 'broken').startsWith('❯'));
		await ui.press('g', (f) => line(f, 'old-one').startsWith('❯'));
		await ui.press(keys.end, (f) => line(f, 'broken').startsWith('❯'));
		await ui.press(keys.home, (f) => line(f, 'old-one').startsWith('❯'));
		await ui.press(keys.up, (f) => line(f, 'old-one').startsWith('❯'));
	});

	it('d then y deletes the selected session from the store', async () => {
		const store = sketch();
		const ui = open(store);
		await ui.see('local-session');
		await ui.press(keys.down, (f) => line(f, 'github').startsWith('❯'));
		await ui.press('d', (f) => f.includes('delete github (@octocat)? y/n'));
		await ui.press('y', (f) => f.includes('deleted github (@octocat)'));
		expect(store.deletes).toEqual(['github']);
		expect(await store.list()).toHaveLength(3);
		await ui.until((f) => !hasRow(f, 'github'));
	});

	it('reports a failed delete, escaped, and keeps the row', async () => {
		const store = sketch();
		store.deleteFailure = new Error("EACCES: permission denied, unlink '/x/\u001B[2J.json'");
		const ui = open(store);
		await ui.see('old-one');
		await ui.press('d', (f) => f.includes('y/n'));
		await ui.press('y', (f) => f.includes('EACCES: permission denied'));
		expect(ui.frame()).toContain('\\x1b[2J.json');
		expect(ui.frame()).not.toContain('\u001B');
		expect(hasRow(ui.frame(), 'old-one')).toBe(true);
	});

	it('d then n (or q, or Esc) keeps the session', async () => {
		const store = sketch();
		const ui = open(store);
		await ui.see('local-session');
		await ui.press('d', (f) => f.includes('delete old-one (@monalisa)? y/n'));
		await ui.press('n', (f) => !f.includes('y/n'));
		await ui.press('d', (f) => f.includes('y/n'));
		await ui.press('q', (f) => !f.includes('y/n'));
		await ui.press('d', (f) => f.includes('y/n'));
		await ui.press(keys.escape, (f) => !f.includes('y/n'));
		expect(store.deletes).toEqual([]);
		expect(ui.frame()).toContain('old-one');
	});

	it('deletes an unreadable entry', async () => {
		const store = sketch();
		const ui = open(store);
		await ui.see('broken');
		await ui.press('G', (f) => line(f, 'broken').startsWith('❯'));
		await ui.press('d', (f) => f.includes('delete broken (unreadable)? y/n'));
		await ui.press('y', (f) => !f.includes('unreadable: '));
		expect(store.deletes).toEqual(['broken']);
	});

	it('c then y removes the expired sessions and reports how many', async () => {
		const store = sketch();
		await store.set(createTestSession({id: 'older', expiresIn: -10 * DAY, now: Date.now()}));
		const ui = open(store);
		await ui.see('older');
		await ui.press('c', (f) => f.includes('remove 2 expired sessions (older, old-one)? y/n'));
		await ui.press('y', (f) => f.includes('removed 2 expired sessions'));
		expect(store.cleanups).toBe(1);
		await ui.until((f) => !hasRow(f, 'old-one') && !hasRow(f, 'older'));
		expect(ui.frame()).toContain('2 active · 0 expired · 1 unreadable');
	});

	it('c names the first few sessions it would remove, and how many more', async () => {
		const now = Date.now();
		const store = new TestStore(
			['e1', 'e2', 'e3', 'e4', 'e5'].map((id, i) =>
				createTestSession({id, now, expiresIn: -(10 - i) * DAY}),
			),
		);
		const ui = open(store);
		await ui.see('e5');
		await ui.press('c', (f) =>
			f.includes('remove 5 expired sessions (e1, e2, e3 …and 2 more)? y/n'),
		);
		await ui.press('n', (f) => !f.includes('y/n'));
		expect(store.cleanups).toBe(0);
	});

	it('on a narrow terminal c names as many sessions as fit whole, never a name cut short', async () => {
		const now = Date.now();
		const store = new TestStore(
			['old-laptop', 'yesterday', 'just-gone'].map((id, i) =>
				createTestSession({id, now, expiresIn: -(10 - i) * DAY}),
			),
		);
		const ui = open(store, {width: 60, height: 15});
		await ui.see('just-gone');
		await ui.press('c', (f) =>
			f.includes('remove 3 expired sessions (old-laptop …and 2 more)? y/n'),
		);
		await ui.press('n', (f) => !f.includes('y/n'));
		const narrow = open(store, {width: 30, height: 8});
		await narrow.see('just-');
		// No room for one name: the question alone, its y/n in view.
		await narrow.press('c', (f) => f.includes('y/n'));
		expect(
			narrow
				.frame()
				.split('\n')
				.find((l) => l.includes('y/n')),
		).toMatch(/^ remove .*s\? y\/n$/);
	});

	it('shows a spinner while the cleanup runs', async () => {
		const store = sketch();
		const held = gate();
		store.cleanupGate = held.promise;
		const ui = open(store);
		await ui.see('old-one');
		await ui.press('c', (f) => f.includes('y/n'));
		await ui.press('y', (f) => f.includes('removing expired sessions… 1,000 / 3,000 checked'));
		held.open();
		await ui.see('removed 1 expired session');
	});

	it('keeps the running task on one line on a narrow terminal', async () => {
		const store = sketch();
		const held = gate();
		store.cleanupGate = held.promise;
		const ui = open(store, {width: 36, height: 12});
		await ui.see('github');
		await ui.press('c', (f) => f.includes('y/n'));
		// Long once it reports progress: `removing expired sessions… 1,000 / 3,000 checked  0s`.
		await ui.press('y', (f) => f.includes('checked'));
		const lines = ui.frame().split('\n');
		// The status line, then the footer: nothing wrapped between them.
		expect(lines.at(-2)).toMatch(/^ \S+ removing .*….*\d+s$/);
		expect(lines.at(-1)).toBe(' q quit');
		held.open();
		await ui.see('removed 1 expired session');
	});

	it('c then n removes nothing; c with nothing expired says so', async () => {
		const store = sketch();
		const ui = open(store);
		await ui.see('old-one');
		await ui.press('c', (f) => f.includes('remove 1 expired session (old-one)? y/n'));
		await ui.press('n', (f) => !f.includes('y/n'));
		expect(store.cleanups).toBe(0);

		await ui.press('d', (f) => f.includes('y/n'));
		await ui.press('y', (f) => !hasRow(f, 'old-one'));
		await ui.press('c', (f) => f.includes('no expired sessions to remove'));
		expect(store.cleanups).toBe(0);
	});

	it('/ filters by id, login or name as you type; Esc clears; Enter keeps', async () => {
		const ui = open(sketch());
		await ui.see('local-session');
		await ui.press('/', (f) => f.includes(' /'));
		await ui.press('MONA', (f) => !f.includes('local-session') && f.includes('2 matches'));
		expect(ui.frame()).toContain('github');
		expect(ui.frame()).toContain('old-one');
		// "monal" matches @monalisa but no longer "Mona Lisa".
		await ui.press('l', (f) => f.includes('1 match') && !hasRow(f, 'github'));
		expect(hasRow(ui.frame(), 'old-one')).toBe(true);
		await ui.press(keys.backspace, (f) => f.includes('2 matches'));
		await ui.press(keys.escape, (f) => f.includes('local-session') && f.includes('sorted by'));

		await ui.press('/', (f) => f.includes('0 matches') || f.includes(' /'));
		await ui.press('local', (f) => f.includes('1 match'));
		await ui.press(keys.enter, (f) => f.includes('filter "local": 1 of 4'));
		expect(ui.frame()).not.toContain('github');
		// q is a key again, not filter text; Esc in the list clears the kept filter.
		await ui.press(keys.escape, (f) => f.includes('github'));
	});

	it('s cycles the sort and says which', async () => {
		const ui = open(sketch());
		await ui.see('sorted by expiry');
		await ui.press('s', (f) => f.includes('sorted by created (newest first)'));
		const frame = ui.frame();
		expect(frame.indexOf('local-session')).toBeLessThan(frame.indexOf('github'));
		await ui.press('s', (f) => f.includes('sorted by user'));
		await ui.press('s', (f) => f.includes('sorted by id'));
		await ui.press('s', (f) => f.includes('sorted by expiry'));
	});

	it('shows a generated id whole on a wide terminal, and cut with … on an 80-column one', async () => {
		const id = 'w-zKwsrBz-CfGjbsGBHrxj8pcJFr2YEDUANRoxJohs4';
		const store = () =>
			new TestStore([createTestSession({id, login: 'defunkt', now: Date.now(), expiresIn: DAY})]);
		const wide = open(store(), {width: 120});
		await wide.see('@defunkt');
		expect(line(wide.frame(), '@defunkt')).toMatch(new RegExp(`^❯ ${id}  @defunkt`));

		const narrow = open(store(), {width: 80});
		await narrow.see('@defunkt');
		expect(line(narrow.frame(), '@defunkt')).toMatch(
			new RegExp(`^❯ ${id.slice(0, 23)}…  @defunkt`),
		);
	});

	it('? shows every binding of the keymap', async () => {
		const ui = open(sketch(), {height: 30});
		await ui.see('github');
		await ui.press('?', (f) => f.includes('In the list and the details'));
		for (const binding of KEYMAP) expect(ui.frame()).toContain(binding.description);
		await ui.press('?', (f) => f.includes('github'));
	});

	it('? on a small terminal scrolls the help with the moving keys, each line whole', async () => {
		// Taller than the space it has (one column under 80): it must scroll, and its lines must
		// not be squeezed over each other (an Ink box's children shrink to fit by default).
		const ui = open(sketch(), {width: 60, height: 16});
		await ui.see('github');
		await ui.press('?', (f) => f.includes('In the list and the details'));
		expect(ui.frame()).toContain('↑↓ scroll  Esc back  q quit');
		const last = KEYMAP.at(-1);
		expect(ui.frame()).not.toContain(CONTEXT_TITLES.filter);
		const wholeLines = (frame: string) => {
			const lines = frame.split('\n');
			expect(lines.length).toBeLessThanOrEqual(16);
			return lines;
		};
		const seen = new Set<string>();
		const collect = (frame: string) => {
			for (const binding of KEYMAP) {
				const row = wholeLines(frame).find((text) =>
					new RegExp(
						`^\\s*${escapeRegExp(binding.label)}\\s+${escapeRegExp(binding.description)}$`,
					).test(text),
				);
				if (row) seen.add(`${binding.context}:${binding.command}:${binding.label}`);
			}
		};
		collect(ui.frame());
		// ↓ moves the help one line; G (End) shows its end: the filter's keys, last in the keymap.
		await ui.press(keys.down, (f) => !f.includes('In the list and the details'));
		collect(ui.frame());
		await ui.press(keys.pageDown, (f) => f.includes('When asked y/n'));
		collect(ui.frame());
		const erase = KEYMAP.find((binding) => binding.command === 'filterErase');
		await ui.press('G', (f) => f.includes(erase?.description ?? '?'));
		collect(ui.frame());
		expect(ui.frame()).toMatch(new RegExp(`${escapeRegExp(last?.description ?? '?')}\\n`));
		// Every binding was on screen, whole, at some point.
		expect(
			KEYMAP.filter((b) => !seen.has(`${b.context}:${b.command}:${b.label}`)).map((b) => b.label),
		).toEqual([]);
		await ui.press('g', (f) => f.includes('In the list and the details'));
		// The list is as it was.
		await ui.press(keys.escape, (f) => f.includes('github') && f.includes('EXPIRES IN'));
		expect(ui.frame()).not.toContain('↑↓ scroll');
	});

	it('? on a terminal the help fits shows all of it and no scroll hint', async () => {
		const ui = open(sketch(), {width: 100, height: 24});
		await ui.see('github');
		const footerAt = ui.frame().split('\n').length;
		await ui.press('?', (f) => f.includes('In the list and the details'));
		for (const binding of KEYMAP) expect(ui.frame()).toContain(binding.description);
		expect(ui.frame()).toContain(' Esc back  q quit');
		expect(ui.frame()).not.toContain('scroll');
		// The footer stays on its line: the empty status line still takes one.
		expect(ui.frame().split('\n')).toHaveLength(footerAt);
	});

	it('Enter shows every field with the token masked, Esc goes back', async () => {
		const zone = process.env.TZ;
		process.env.TZ = 'Asia/Kolkata';
		onTestFinished(() => {
			if (zone === undefined) delete process.env.TZ;
			else process.env.TZ = zone;
		});
		const ui = open(sketch(), {height: 20});
		await ui.see('github');
		await ui.press(keys.down, (f) => line(f, 'github').startsWith('❯'));
		await ui.press(keys.enter, (f) => f.includes('session github'));
		const frame = ui.frame();
		expect(frame).toContain(`gho_${MASK}`);
		expect(frame).not.toContain('octocatSECRET');
		expect(frame).toMatch(/file\s+memory:github/);
		expect(frame).toMatch(/@octocat \(GitHub id \d+, github:\d+\)/);
		expect(frame).toContain('Mona Lisa');
		expect(frame).toContain('octocat@example.com');
		expect(frame).toMatch(/avatar\s+https:\/\/avatars\.example\.com/);
		// In the machine's time zone (India: no daylight saving time), with its offset.
		expect(frame).toMatch(/created\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+05:30 \(2d ago\)/);
		expect(frame).toMatch(/expires\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+05:30 \(in 23h 5\dm \d+s\)/);
		expect(frame).toContain('u UTC');
		// u: the same times in UTC, 5 h 30 min earlier on the clock.
		const local = /created\s+(\S+ \S+)/.exec(frame)?.[1] ?? '';
		await ui.press('u', (f) => /created\s+\S+ \S+ UTC/.test(f));
		const utc = /created\s+(\S+ \S+) UTC/.exec(ui.frame())?.[1] ?? '';
		expect(Date.parse(`${local.replace(' ', 'T')}+05:30`)).toBe(
			Date.parse(`${utc.replace(' ', 'T')}Z`),
		);
		expect(ui.frame()).toContain('u local time');
		await ui.press('u', (f) => f.includes('+05:30'));
		await ui.press(keys.escape, (f) => f.includes('EXPIRES IN'));
	});

	it("Enter shows a GitHub App session's token expiry, its refresh token masked, and its issuer", async () => {
		const now = Date.now();
		const store = new TestStore([
			{
				...createTestSession({id: 'github', login: 'octocat', token: 'ghu_accessSECRET1', now}),
				tokenExpiresAt: new Date(now + 8 * HOUR),
				refreshToken: 'ghr_refreshSECRET2',
				refreshTokenExpiresAt: new Date(now + 180 * DAY),
				clientId: 'Iv23liRkeVtW225qGBef',
				githubHost: 'https://github.com',
			},
		]);
		const ui = open(store, {height: 24, width: 120});
		await ui.see('@octocat');
		await ui.press(keys.enter, (f) => f.includes(' status '));
		const frame = ui.frame();
		// The app's clock is the real one: as little as no millisecond may have passed since `now`.
		expect(frame).toMatch(
			new RegExp(
				`token\\s+ghu_${MASK} \\(expires \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d [+-]\\d\\d:\\d\\d, (?:7h 5\\dm \\d+s|8h 0m 0s)\\)`,
			),
		);
		expect(frame).toMatch(new RegExp(`refresh\\s+ghr_${MASK} \\(expires \\d{4}-`));
		expect(frame).toMatch(/issuer\s+https:\/\/github\.com · app Iv23liRkeVtW225qGBef/);
		expect(frame).not.toContain('SECRET');
	});

	it('Enter shows long values whole, wrapped, and cuts a hostile one in the middle', async () => {
		const id = `${'x'.repeat(20)}ABCDEFGHIJ${'y'.repeat(13)}`;
		const store = new TestStore([
			createTestSession({id, login: 'octocat', name: `N${'a'.repeat(5000)}Z`, now: Date.now()}),
		]);
		const ui = open(store, {width: 50, height: 24});
		await ui.see('@octocat');
		await ui.press(keys.enter, (f) => f.includes(' status '));
		const lines = ui.frame().split('\n');
		for (const text of lines) expect(text.length).toBeLessThanOrEqual(50);
		// The file's path wraps onto the lines after the label: joined, it is whole.
		const file = lines.findIndex((text) => text.startsWith(' file '));
		const joined = lines
			.slice(file, file + 3)
			.map((text) => text.slice(13))
			.join('');
		expect(joined).toContain(`memory:${id}`);
		// 5,002 characters of name: three lines, both ends, the middle cut; the fields after it
		// still on screen.
		const name = lines.findIndex((text) => text.startsWith(' name '));
		const nameLines = lines.slice(name, name + 3).map((text) => text.slice(13));
		expect(nameLines.join('')).toMatch(/^Na+…a+Z$/);
		expect(lines[name + 3]).toMatch(/^ email /);
		expect(ui.frame()).toMatch(/token {7}gho_/);
		expect(ui.frame()).toMatch(/expires {5}\d{4}-/);
	});

	it('shows the details of an unreadable entry', async () => {
		const ui = open(sketch(), {height: 20});
		await ui.see('broken');
		await ui.press('G', (f) => line(f, 'broken').startsWith('❯'));
		await ui.press(keys.enter, (f) => f.includes('session broken'));
		expect(ui.frame()).toMatch(/reason\s+Unexpected end of JSON input/);
	});

	it('shows control characters in stored fields escaped, never raw', async () => {
		const now = Date.now();
		const store = new TestStore([
			createTestSession({
				id: 'evil',
				login: 'red\u001B[31m',
				name: 'title\u001B]0;pwned\u0007 \u009B2J',
				token: 'gho_evilSECRET\u001B[2J',
				now,
			}),
		]);
		store.unreadable = [unreadableEntry('bad\u001B[1mname', 'reason\u0000with\nnewline')];
		const ui = open(store, {height: 20});
		await ui.see('evil');
		const frame = ui.frame();
		expect(frame).toContain('@red\\x1b[31m');
		expect(frame).toContain('title\\x1b]0;pwned\\x07 \\u009b2J');
		expect(frame).toContain('bad\\x1b[1mname');
		expect(frame).toContain('reason\\x00with\\nnewline');
		// biome-ignore lint/suspicious/noControlCharactersInRegex: checking for them is the point
		expect(frame).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
		await ui.press(keys.enter, (f) => f.includes('session evil'));
		expect(ui.frame()).not.toContain('evilSECRET');
		// biome-ignore lint/suspicious/noControlCharactersInRegex: checking for them is the point
		expect(ui.frame()).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
	});

	it('shows a friendly empty state with the location and how to log in', async () => {
		const ui = open(new TestStore());
		await ui.see('no sessions yet in ~/.config/stacktower/sessions');
		// A key, not a command line: `l` logs in, or says what to set first.
		expect(ui.frame()).toContain('press l to log in');
		expect(ui.frame()).not.toContain('stacktower-sessions login');
		expect(ui.frame()).toContain('0 active · 0 expired · 0 unreadable');
	});

	it('shows a store error, and r retries', async () => {
		const store = sketch();
		store.failure = new Error('connect ECONNREFUSED 127.0.0.1:6379');
		const ui = open(store);
		await ui.see('Cannot read the sessions in ~/.config/stacktower/sessions');
		expect(ui.frame()).toContain('connect ECONNREFUSED 127.0.0.1:6379');
		store.failure = null;
		await ui.press('r', (f) => f.includes('github'));
	});

	it('shows progress while a large store loads', async () => {
		const store = sketch();
		const held = gate();
		store.gate = held.promise;
		store.progress = [[12_000, 100_000]];
		const ui = open(store);
		await ui.see('loading 12,000 / 100,000 sessions…');
		held.open();
		await ui.see('github');
	});

	it('renders only the rows that fit and scrolls through thousands', async () => {
		const now = Date.now();
		const sessions = Array.from({length: 5000}, (_, i) =>
			createTestSession({id: `s${String(i).padStart(5, '0')}`, now, expiresIn: HOUR + i * MINUTE}),
		);
		const ui = open(new TestStore(sessions), {height: 14});
		await ui.see('s00000');
		const rows = () =>
			ui
				.frame()
				.split('\n')
				.filter((l) => /^. s\d{5}/.test(l));
		expect(rows()).toHaveLength(9);
		await ui.press('G', (f) => line(f, 's04999').startsWith('❯'));
		expect(rows()).toHaveLength(9);
		expect(rows()[0]).toContain('s04991');
		await ui.press(keys.pageUp, (f) => line(f, 's04991').startsWith('❯'));
		await ui.press(keys.pageUp, (f) => line(f, 's04983').startsWith('❯'));
		expect(ui.frame()).toContain('5,000 active');
	});

	it('drops columns instead of wrapping on a narrow terminal', async () => {
		const ui = open(sketch(), {width: 56});
		await ui.see('github');
		const frame = ui.frame();
		expect(frame).not.toContain('CREATED');
		expect(frame).not.toContain('Mona Lisa');
		expect(line(frame, 'github')).toMatch(/@octocat\s+23h/);
		for (const l of frame.split('\n')) expect(l.length).toBeLessThanOrEqual(56);
	});

	it('keeps help and quit in the footer of an 80-column terminal, leaving out what does not fit', async () => {
		const ui = open(sketch(), {width: 80});
		await ui.see('github');
		const footer = ui.frame().split('\n').at(-1) ?? '';
		expect(footer).toBe(
			' ↑↓ move  ⏎ details  d delete  c clean up  l log in  / filter  ? help  q quit',
		);
	});

	it('keeps the y/n of a question in view on a narrow terminal', async () => {
		const ui = open(sketch(), {width: 30, height: 12});
		await ui.see('github');
		await ui.press('d', (f) => f.includes('y yes'));
		const question = ui.frame().split('\n').at(-2) ?? '';
		expect(question).toMatch(/^ delete .*….*\? y\/n$/);
		expect(question.length).toBeLessThanOrEqual(30);
		await ui.press('n', (f) => !f.includes('y/n'));
	});

	it('keeps the header on one line on a very narrow terminal, the counts cut at the end', async () => {
		for (const width of [30, 40, 48]) {
			const ui = open(sketch(), {width, height: 12});
			await ui.see('github');
			const [header, titles] = ui.frame().split('\n');
			expect(header).toMatch(/^ \S.* \d+ active · /);
			expect(header?.length).toBeLessThanOrEqual(width);
			// The location keeps some of itself (cut in the middle).
			expect(header).toMatch(/^ ~\/\.c.*…/);
			expect(titles).toMatch(/^ {2}ID\s/);
		}
	});
});
