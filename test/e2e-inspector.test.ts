// The inspector end to end: the built CLI in a real pseudo-terminal on a real session
// directory, read back as the screen a person would see. Every step waits for what the screen
// (or the directory) should show; nothing sleeps for a fixed time.
import {existsSync, mkdirSync, rmSync, unlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {FileStore} from '../source/session/file-store/file-store.js';
import {killAllPtys, type PtySession, spawnCli} from './helpers/pty.js';
import {
	fixtureIdsBut,
	idsIn,
	makeSession,
	makeSessionDir,
	makeUser,
} from './helpers/session-dir.js';
import {waitFor} from './helpers/wait.js';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

afterAll(() => killAllPtys());

/** The screen line showing the session `id` (ids are the first column). */
function rowOf(screen: string, id: string): string | undefined {
	return screen.split('\n').find((line) => new RegExp(`^[❯ ] ${id}\\s`).test(line));
}

/** The line with the selection marker. */
function selectedRow(screen: string): string | undefined {
	return screen.split('\n').find((line) => line.startsWith('❯'));
}

/** The demo's directory, from the file path in the details of the selected session. */
async function demoDirOf(p: PtySession): Promise<string> {
	p.press('enter');
	const details = await p.waitFor(/stacktower-sessions-demo-\S+\//);
	const file = /\/\S*stacktower-sessions-demo-[^/\s]+/.exec(details)?.[0] as string;
	p.press('escape');
	await p.waitFor((s) => s.includes('EXPIRES IN'));
	return file;
}

/** Moves the selection down (j) until it is on `id`. */
async function select(p: PtySession, id: string): Promise<void> {
	for (let i = 0; i < 50; i++) {
		const screen = p.screenText();
		const current = selectedRow(screen);
		if (current && rowOf(screen, id) === current) return;
		p.press('j');
		await p.waitFor((next) => selectedRow(next) !== current);
	}

	throw new Error(`could not select ${id}; screen:\n${p.screenText()}`);
}

async function quit(p: PtySession): Promise<void> {
	p.press('q');
	const {exitCode} = await p.exit;
	expect(exitCode).toBe(0);
}

describe('the inspector in a real terminal', () => {
	test('shows the sessions, their users and counts, and counts down without a key', async () => {
		const dir = makeSessionDir({
			sessions: [
				makeSession('ticking', 10 * MINUTE, {user: makeUser('ticker', {name: 'Tick Tock'})}),
				// Expires a few seconds after start-up, while the test watches.
				makeSession('ending', 6000, {user: makeUser('ender')}),
			],
			files: {'broken.json': '{"id": "broken", "access_token": "gho_LEAKED'},
		});
		const p = await spawnCli({args: ['--dir', dir]});
		const screen = await p.ready((s) =>
			['ticking', 'ending', 'github', 'expired-2020', 'broken'].every((id) => rowOf(s, id)),
		);
		expect(screen).toContain(dir);
		// `ending` may already have expired on a slow start.
		expect(screen).toMatch(/\d active · [23] expired · 1 unreadable/);
		expect(screen).toMatch(/ID\s+USER\s+CREATED\s+EXPIRES IN/);
		expect(rowOf(screen, 'github')).toMatch(/@octocat {2}Name of octocat/);
		expect(rowOf(screen, 'expired-2020')).toMatch(/expired \d+y ago/);
		expect(rowOf(screen, 'broken')).toContain('unreadable: not valid JSON');
		expect(rowOf(screen, 'ticking')).toMatch(/@ticker {2}Tick Tock\s+1h ago\s+9m \d+s/);

		// The countdown moves on its own, and a session reaching its expiry turns expired.
		const before = rowOf(screen, 'ticking');
		await p.waitFor((s) => {
			const row = rowOf(s, 'ticking');
			return row !== undefined && row !== before && /9m \d+s/.test(row);
		});
		await p.waitFor((s) => /expired \d+s ago/.test(rowOf(s, 'ending') ?? ''), 30_000);
		await p.waitFor(/\d active · 3 expired · 1 unreadable/);
		expect(p.output()).not.toContain('gho_LEAKED');
		expect(p.output()).not.toContain('gho_githubTOKEN');
		await quit(p);
	});

	test('d then y deletes the selected session: the file is gone; n keeps it', async () => {
		const dir = makeSessionDir();
		const p = await spawnCli({args: ['--dir', dir]});
		await p.ready((s) => rowOf(s, 'github') !== undefined);
		await select(p, 'github');

		p.press('d');
		await p.waitFor('delete github (@octocat)? y/n');
		p.press('n');
		await p.waitFor((s) => !s.includes('delete github (@octocat)? y/n'));
		expect(existsSync(path.join(dir, 'github.json'))).toBe(true);

		p.press('d');
		await p.waitFor('delete github (@octocat)? y/n');
		p.press('y');
		await waitFor(() => !existsSync(path.join(dir, 'github.json')), 'github.json is deleted');
		await p.waitFor((s) => rowOf(s, 'github') === undefined && s.includes('deleted github'));
		expect(idsIn(dir)).toEqual(fixtureIdsBut('github'));
		await quit(p);
	});

	test('c then y removes only the expired sessions and reports how many', async () => {
		const dir = makeSessionDir({
			sessions: [makeSession('gone-too', -MINUTE)],
			files: {'broken.json': '{'},
		});
		const p = await spawnCli({args: ['--dir', dir]});
		await p.ready(/4 active · 3 expired · 1 unreadable/);
		p.press('c');
		await p.waitFor('remove 3 expired sessions (expired-2020, expired-india, gone-too)? y/n');
		p.press('y');
		await p.waitFor((s) => s.includes('removed 3 expired sessions') && s.includes('0 expired'));
		expect(idsIn(dir)).toEqual([
			'active-berlin',
			'broken',
			'github',
			'local-session',
			'no-user-session',
		]);
		await quit(p);
	});

	test('/ filters by id, login or name as you type; Esc clears the filter', async () => {
		const dir = makeSessionDir();
		const p = await spawnCli({args: ['--dir', dir]});
		await p.ready((s) => rowOf(s, 'github') !== undefined);
		/** The filter line as the inspector shows it: `/text   N matches`. */
		const filterLine = (text: string) => (s: string) =>
			s.split('\n').some((line) => new RegExp(`^ /${text} +\\d+ match`).test(line));

		p.press('/');
		// As a person types: the prompt first, then the text (keys that arrive together are the
		// subject of another test below).
		await p.waitFor(filterLine(''));
		p.type('oct');
		const filtered = await p.waitFor(filterLine('oct'));
		expect(rowOf(filtered, 'github')).toContain('@octocat');
		for (const id of ['active-berlin', 'local-session', 'expired-2020']) {
			expect(rowOf(filtered, id)).toBeUndefined();
		}

		// One key per frame, each frame checked.
		for (const left of ['oc', 'o', '']) {
			p.press('backspace');
			await p.waitFor(filterLine(left));
		}

		// By name: "Name of mojombo".
		p.type('mojombo');
		const byName = await p.waitFor(filterLine('mojombo'));
		expect(rowOf(byName, 'expired-india')).toContain('@mojombo');
		expect(rowOf(byName, 'github')).toBeUndefined();

		p.press('escape');
		await p.waitFor(
			(s) =>
				!filterLine('mojombo')(s) &&
				rowOf(s, 'github') !== undefined &&
				rowOf(s, 'active-berlin') !== undefined,
		);
		await quit(p);
	});

	test('keys that arrive together (typed fast, pasted) are each taken, Enter too', async () => {
		const dir = makeSessionDir();
		const p = await spawnCli({args: ['--dir', dir]});
		await p.ready((s) => rowOf(s, 'github') !== undefined);
		// One write: filter by "oct", keep it, open the details of the one match. Ink hands a
		// read of several keys over as one string; each key must still count.
		p.press('/oct\r\r');
		// Waited for whole: a frame can reach the terminal in more than one read.
		await p.waitFor((s) => s.includes('session github') && /user\s+@octocat/.test(s));
		p.press('\u001B');
		await p.waitFor((s) => s.includes('filter "oct"') && rowOf(s, 'github') !== undefined);
		await quit(p);
	});

	test('sessions written and removed by another process appear and vanish without a key', async () => {
		const dir = makeSessionDir();
		const p = await spawnCli({args: ['--dir', dir]});
		await p.ready((s) => rowOf(s, 'github') !== undefined);

		// Another process: the library's own FileStore, writing as stacktower would.
		const other = new FileStore(dir);
		await other.set(makeSession('from-elsewhere', 2 * HOUR, {user: makeUser('newcomer')}));
		const screen = await p.waitFor((s) => rowOf(s, 'from-elsewhere') !== undefined);
		expect(rowOf(screen, 'from-elsewhere')).toContain('@newcomer');

		unlinkSync(path.join(dir, 'local-session.json'));
		await p.waitFor((s) => rowOf(s, 'local-session') === undefined);
		await quit(p);
	});

	test('escape sequences in stored fields are shown escaped, never sent to the terminal', async () => {
		const name = '\u001B]0;pwned\u0007\u001B[31mred';
		const dir = makeSessionDir({
			fixtures: false,
			sessions: [makeSession('hostile', 2 * HOUR, {user: makeUser('mallory', {name})})],
		});
		const p = await spawnCli({args: ['--dir', dir]});
		const screen = await p.ready((s) => rowOf(s, 'hostile') !== undefined);
		expect(rowOf(screen, 'hostile')).toContain('@mallory  \\x1b]0;pwned\\x07\\x1b[31mred');
		expect(p.output()).not.toContain('\u001B]0;pwned');
		expect(p.output()).not.toContain('\u001B[31m');

		// The details screen shows every field, escaped too.
		p.press('enter');
		const details = await p.waitFor('mallory@example.com');
		expect(details).toContain('\\x1b]0;pwned\\x07\\x1b[31mred');
		expect(p.output()).not.toContain('\u001B]0;pwned');
		expect(details).not.toContain('SECRET0123456789abcdef');
		await quit(p);
	});

	test('resizing re-lays the table to the new width', async () => {
		const dir = makeSessionDir();
		const p = await spawnCli({args: ['--dir', dir], cols: 120, rows: 30});
		const wide = await p.ready((s) => rowOf(s, 'github') !== undefined);
		expect(wide).toMatch(/ID\s+USER\s+CREATED\s+EXPIRES IN/);

		p.resize(50, 20);
		const narrow = await p.waitFor(
			(s) => rowOf(s, 'github') !== undefined && !s.includes('CREATED'),
		);
		for (const line of narrow.split('\n')) expect(line.length).toBeLessThanOrEqual(50);

		p.resize(120, 30);
		await p.waitFor((s) => rowOf(s, 'github') !== undefined && s.includes('CREATED'));
		await quit(p);
	});

	test('lines every column up, whatever characters the names hold (emoji, CJK, combining marks)', async () => {
		const names: Record<string, string> = {
			plain: 'Plain Name',
			emoji: 'Rocket 🚀🎉 Party',
			joined: 'Dev 👩\u200D💻 Coder',
			family: '👨\u200D👩\u200D👧 Family',
			selector: 'Love ❤️ Heart ☺️ x',
			cjk: '山田太郎 Yamada',
			combining: 'Zoe\u0301 Cafe\u0301 n\u0303',
			flag: 'Flag 🇩🇪 DE',
			skin: 'Wave 👋🏽 hi',
			keycap: 'Key 1️⃣ cap',
			long: '山田太郎'.repeat(8),
		};
		const dir = makeSessionDir({
			fixtures: false,
			sessions: Object.entries(names).map(([id, name], i) =>
				makeSession(id, (i + 2) * HOUR, {user: makeUser(id, {name})}),
			),
		});
		for (const cols of [100, 60]) {
			const p = await spawnCli({args: ['--dir', dir], cols, rows: 20});
			const screen = await p.ready((s) => Object.keys(names).every((id) => rowOf(s, id)));
			const lines = screen.split('\n');
			const titles = lines.findIndex((line) => line.includes('EXPIRES IN'));
			const expiresAt = p.columnOf(titles, 'EXPIRES IN');
			// Where the terminal drew each countdown: under its title, in every row.
			const columns = Object.fromEntries(
				Object.keys(names).map((id) => {
					const y = lines.findIndex((line) => rowOf(line, id) !== undefined);
					const countdown = /\d+h \d+m \d+s/.exec(lines[y] ?? '')?.[0] ?? '?';
					return [id, p.columnOf(y, countdown)];
				}),
			);
			expect(columns).toEqual(Object.fromEntries(Object.keys(names).map((id) => [id, expiresAt])));
			await quit(p);
		}
	});

	test('the details fit 60×15 and scroll at 30×8, and no line wraps', async () => {
		const dir = makeSessionDir({fixtures: false, sessions: [makeSession('github', 2 * HOUR)]});
		const open = async (cols: number, rows: number) => {
			const p = await spawnCli({args: ['--dir', dir], cols, rows, env: {TZ: 'Asia/Kolkata'}});
			await p.ready((s) => rowOf(s, 'github') !== undefined);
			p.press('enter');
			return p;
		};
		// Nothing wraps: every line within the width, the footer on the last line.
		const fits = (screen: string, cols: number, rows: number) => {
			const lines = screen.split('\n');
			expect(lines.length).toBeLessThanOrEqual(rows);
			for (const line of lines) expect(line.length).toBeLessThanOrEqual(cols);
			expect(lines.at(-1)).toMatch(/q quit$/);
		};

		const roomy = await open(60, 15);
		const whole = await roomy.waitFor(
			(s) => s.includes('session github') && /^ expires +\S+ \S+ \+05:30/m.test(s),
		);
		fits(whole, 60, 15);
		expect(whole).not.toContain('scroll');
		await quit(roomy);

		const small = await open(30, 8);
		const top = await small.waitFor('session github');
		fits(top, 30, 8);
		expect(top).not.toMatch(/^ expires /m);
		expect(top).toContain('↑↓ scroll');
		small.press('G');
		const bottom = await small.waitFor((s) => /^ expires /m.test(s));
		fits(bottom, 30, 8);
		expect(bottom).not.toContain('session github');
		small.press('g');
		await small.waitFor('session github');
		await quit(small);
	});

	test('the help scrolls once the terminal is made too small for it, and not before', async () => {
		const dir = makeSessionDir();
		const p = await spawnCli({args: ['--dir', dir], cols: 120, rows: 30});
		await p.ready((s) => rowOf(s, 'github') !== undefined);
		p.press('?');
		// Whole: its last key is on screen, and nothing to scroll.
		const whole = await p.waitFor(
			(s) => s.includes('In the list and the details') && s.includes('erase the last character'),
		);
		expect(whole).not.toContain('scroll');

		p.resize(60, 16);
		const small = await p.waitFor(
			(s) =>
				s.includes('↑↓ scroll') &&
				s.includes('In the list and the details') &&
				!s.includes('erase the last character'),
		);
		for (const line of small.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
		p.press('G');
		await p.waitFor((s) => s.includes('erase the last character'));

		// Big enough again: back to the top, nothing to scroll.
		p.resize(120, 30);
		await p.waitFor((s) => s.includes('In the list and the details') && !s.includes('↑↓ scroll'));
		p.press('escape');
		await p.waitFor((s) => rowOf(s, 'github') !== undefined);
		await quit(p);
	});

	test('Ctrl-C quits and leaves the screen as it was', async () => {
		const dir = makeSessionDir();
		const p = await spawnCli({args: ['--dir', dir]});
		await p.ready((s) => rowOf(s, 'github') !== undefined);
		p.press('ctrlC');
		const {exitCode} = await p.exit;
		expect(exitCode).toBe(0);
		// The alternate screen is left: the inspector's rows are no longer on the terminal.
		expect(rowOf(p.screenText(), 'github')).toBeUndefined();
	});

	test('a missing directory shows the empty state with the path and how to log in, and is not made', async () => {
		const dir = path.join(makeSessionDir({fixtures: false}), 'not-yet');
		const p = await spawnCli({args: ['--dir', dir]});
		const screen = await p.ready('no sessions yet');
		expect(screen).toContain(dir);
		// Said on the first frame (the listing before it), as `list` says it.
		expect(screen).toContain('it does not exist yet: the first login creates it');
		expect(screen).toContain('press l to log in');
		await quit(p);
		// Looking made nothing.
		expect(existsSync(dir)).toBe(false);
	});

	test('a directory made after the start (a first login elsewhere) shows its sessions by itself', async () => {
		const dir = path.join(makeSessionDir({fixtures: false}), 'not-yet');
		const p = await spawnCli({args: ['--dir', dir]});
		await p.ready('no sessions yet');
		// As the Go CLI's first login would: it makes the directory and saves a session.
		await new FileStore(dir).set(
			makeSession('github', 60 * 60 * 1000, {user: makeUser('octocat')}),
		);
		await p.waitFor((s) => rowOf(s, 'github')?.includes('@octocat') === true);
		await quit(p);
	});

	test('a directory that cannot be used is an error screen; r retries and finds it fixed', async () => {
		const root = makeSessionDir({fixtures: false});
		writeFileSync(path.join(root, 'file'), '');
		const p = await spawnCli({args: ['--dir', path.join(root, 'file', 'sessions')]});
		// The message may wrap across rows.
		await p.ready((s) => /Cannot read the sessions in.*not a directory/.test(s.replace(/\n/g, '')));
		// Fixed from outside: the path becomes a directory; r (or the next rescan) finds it.
		rmSync(path.join(root, 'file'));
		mkdirSync(path.join(root, 'file'));
		p.press('r');
		await p.waitFor('no sessions yet');
		await quit(p);
	});

	test('demo shows sample sessions and removes its directory on quit', async () => {
		const p = await spawnCli({args: ['demo'], cols: 120});
		// A frame can reach the terminal in more than one read: wait for every row checked below.
		const screen = await p.ready((s) =>
			['ci-runner', 'escapes-shown-as-text', 'broken'].every((id) => rowOf(s, id) !== undefined),
		);
		// It says it is a demo, and what its odd sample shows.
		expect(screen.split('\n')[0]).toMatch(
			/^ demo: sample sessions in a temporary directory, removed on exit +\d+ active/,
		);
		const demoDir = await demoDirOf(p);
		expect(existsSync(demoDir)).toBe(true);
		expect(screen).toMatch(/\d+ active · 3 expired · 1 unreadable/);
		expect(rowOf(screen, 'ci-runner')).toMatch(/1m \d+s|\d+s/);
		expect(rowOf(screen, 'escapes-shown-as-text')).toContain('\\x1b]0;pwned\\x07');
		expect(rowOf(screen, 'broken')).toContain('unreadable');
		await quit(p);
		expect(existsSync(demoDir)).toBe(false);
	});

	test('demo removes its directory also when the terminal goes away (SIGTERM)', async () => {
		const p = await spawnCli({args: ['demo']});
		await p.ready((s) => rowOf(s, 'ci-runner') !== undefined);
		const demoDir = await demoDirOf(p);
		expect(existsSync(demoDir)).toBe(true);
		process.kill(p.pid, 'SIGTERM');
		const {exitCode} = await p.exit;
		expect(exitCode).toBe(143);
		expect(existsSync(demoDir)).toBe(false);
	});

	// Foreground and background colours (SGR 30–37, 40–47, 90–97, 100–107, 38;… and 48;…).
	// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for escape sequences
	const colour = /\u001B\[(?:[\d;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[\d;]*)?m/;

	test('colours by urgency, and none with --no-color or NO_COLOR', async () => {
		const coloured = await spawnCli({args: ['demo'], env: {NO_COLOR: undefined}});
		await coloured.ready((s) => rowOf(s, 'ci-runner') !== undefined);
		expect(coloured.output()).toMatch(colour);
		await quit(coloured);

		const plain = await spawnCli({args: ['demo', '--no-color'], env: {NO_COLOR: undefined}});
		await plain.ready((s) => rowOf(s, 'ci-runner') !== undefined);
		expect(plain.output()).not.toMatch(colour);
		await quit(plain);

		const byEnv = await spawnCli({args: ['demo'], env: {NO_COLOR: '1'}});
		await byEnv.ready((s) => rowOf(s, 'ci-runner') !== undefined);
		expect(byEnv.output()).not.toMatch(colour);
		await quit(byEnv);
	});
	test('with CI variables set, the screen is still live and coloured (Ink would draw one final frame)', async () => {
		const dir = makeSessionDir({sessions: [makeSession('ticking', 10 * MINUTE)]});
		const p = await spawnCli({
			args: ['--dir', dir],
			env: {CI: 'true', CONTINUOUS_INTEGRATION: 'true', NO_COLOR: undefined},
		});
		const screen = await p.ready((s) => rowOf(s, 'ticking') !== undefined);
		const before = rowOf(screen, 'ticking');
		await p.waitFor((s) => (rowOf(s, 'ticking') ?? before) !== before);
		expect(p.output()).toMatch(colour);
		await quit(p);
	});
});
