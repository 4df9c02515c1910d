// The inspector over time: the one clock, expiry without a key, and changes made by other
// processes, on a MemoryStore-backed store and on a real FileStore directory.
import {existsSync, mkdirSync, rmSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {FileStore} from '../source/session/file-store/file-store.js';
import {createTestSession, HOUR, keys, NOW, openApp, SECOND, TestStore} from './helpers/ink.js';
import {makeSessionDir} from './helpers/session-dir.js';
import {makeTempDir} from './helpers/temp-dir.js';

afterEach(() => {
	vi.useRealTimers();
});

const open = openApp;

const line = (frame: string, id: string) =>
	frame.split('\n').find((l) => l.slice(2).startsWith(`${id} `)) ?? '';

describe('the clock', () => {
	it('ticks every countdown each second and turns a session expired without a key', async () => {
		vi.useFakeTimers({
			toFake: ['Date', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'],
			now: NOW + 200,
		});
		const store = new TestStore([
			createTestSession({id: 'soon', login: 'soon', expiresIn: 3 * SECOND + 500}),
			createTestSession({id: 'later', login: 'later', expiresIn: HOUR + 2 * SECOND}),
		]);
		const ui = open(store);
		await ui.until((f) => line(f, 'soon').endsWith('3s'));
		expect(line(ui.frame(), 'later')).toMatch(/1h 0m 1s$/);
		expect(ui.frame()).toContain('2 active · 0 expired');

		await vi.advanceTimersByTimeAsync(800);
		await ui.until((f) => line(f, 'soon').endsWith(' 2s'));
		expect(line(ui.frame(), 'later')).toMatch(/1h 0m 1s$/);
		await vi.advanceTimersByTimeAsync(1000);
		await ui.until((f) => line(f, 'soon').endsWith(' 1s') && line(f, 'later').endsWith('1h 0m 0s'));
		await vi.advanceTimersByTimeAsync(1000);
		await ui.until((f) => line(f, 'soon').endsWith(' 0s') && line(f, 'later').endsWith('59m 59s'));
		expect(ui.frame()).toContain('2 active · 0 expired');
		await vi.advanceTimersByTimeAsync(1000);
		await ui.until((f) => line(f, 'soon').endsWith('expired just now'));
		expect(ui.frame()).toContain('1 active · 1 expired');
		await vi.advanceTimersByTimeAsync(5000);
		await ui.until((f) => line(f, 'soon').endsWith('expired 5s ago'));
	});
});

describe('changes by other processes', () => {
	it('shows a session another process added, without a key and keeping the selection', async () => {
		const now = Date.now();
		const store = new TestStore([
			createTestSession({id: 'b-first', now, expiresIn: HOUR}),
			createTestSession({id: 'c-second', now, expiresIn: 2 * HOUR}),
		]);
		const ui = open(store);
		await ui.see('c-second');
		await ui.press(keys.down, (f) => line(f, 'c-second').startsWith('❯'));
		// Another writer: a session that sorts before the selected one.
		await store.set(createTestSession({id: 'a-new', now, expiresIn: 10 * 60 * SECOND}));
		await ui.until((f) => line(f, 'a-new') !== '');
		expect(line(ui.frame(), 'c-second').startsWith('❯')).toBe(true);
		await store.delete('b-first');
		await ui.until((f) => line(f, 'b-first') === '');
		expect(line(ui.frame(), 'c-second').startsWith('❯')).toBe(true);
	});
});

describe('on a real session directory', () => {
	const sessionDir = () =>
		makeSessionDir({files: {'broken.json': '{"id": "broken", ', 'evil\u001B[31m.json': '{}'}});

	it('lists Go-written files, escapes hostile names, follows changes and deletes files', async () => {
		const dir = sessionDir();
		const store = new FileStore(dir);
		const ui = open(store, {location: dir, watchDir: dir, height: 16});
		await ui.see('no-user-session');
		const frame = ui.frame();
		expect(frame).toContain('4 active · 2 expired · 2 unreadable');
		expect(line(frame, 'github')).toContain('@octocat');
		expect(line(frame, 'expired-2020')).toMatch(/@monalisa .*expired \d+y ago/);
		expect(line(frame, 'broken')).toContain('unreadable: ');
		expect(frame).toContain('evil\\x1b[31m');
		expect(frame).not.toContain('\u001B');

		// Another process logs in: the watcher (or the rescan) shows it without a key.
		await new FileStore(dir).set(
			createTestSession({id: 'from-elsewhere', login: 'newcomer', now: Date.now()}),
		);
		await ui.until((f) => line(f, 'from-elsewhere').includes('@newcomer'));

		await ui.press('g', (f) => line(f, 'expired-2020').startsWith('❯'));
		await ui.press('d', (f) => f.includes('delete expired-2020 (@monalisa)? y/n'));
		await ui.press('y', (f) => line(f, 'expired-2020') === '');
		expect(existsSync(path.join(dir, 'expired-2020.json'))).toBe(false);

		await ui.press('c', (f) => f.includes('remove 1 expired session (expired-india)? y/n'));
		await ui.press('y', (f) => f.includes('removed 1 expired session'));
		expect(existsSync(path.join(dir, 'expired-india.json'))).toBe(false);
		expect(existsSync(path.join(dir, 'github.json'))).toBe(true);
		expect(existsSync(path.join(dir, 'broken.json'))).toBe(true);
	});

	it('shows the empty state for a missing directory and the sessions once it appears', async () => {
		const parent = makeTempDir('ui-live-');
		const dir = path.join(parent, 'sessions');
		const store = new FileStore(dir);
		rmSync(dir, {recursive: true, force: true});
		const ui = open(store, {
			location: dir,
			watchDir: dir,
		});
		await ui.until((f) => f.includes('does not exist yet') || f.includes('Cannot read'));
		expect(ui.frame()).toContain('no sessions yet');
		expect(ui.frame()).toContain('it does not exist yet: the first login creates it');
		expect(ui.frame()).toContain('press l to log in');
		// Made, still empty: the screen stops saying it is missing.
		mkdirSync(dir, {mode: 0o700});
		await ui.until((f) => f.includes('no sessions yet') && !f.includes('does not exist'));
		await new FileStore(dir).set(
			createTestSession({id: 'github', login: 'octocat', now: Date.now()}),
		);
		await ui.until((f) => line(f, 'github').includes('@octocat'));
	});
});
