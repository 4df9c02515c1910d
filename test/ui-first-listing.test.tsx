// The listing the inspector starts before its first frame: a small store's first frame is the
// table (no "loading" flash); a large, slow or failing store gets the loading frame at once and
// its listing is adopted by the app, never read a second time.

import {statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {FileStore} from '../source/session/file-store/file-store.js';
import type {ListEntry, ListOptions} from '../source/session/store.js';
import App, {type Props} from '../source/ui/App.js';
import {startFirstListing} from '../source/ui/first-listing.js';
import {createTestSession, driver, gate, TestStore} from './helpers/ink.js';
import {makeSessionDir} from './helpers/session-dir.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
	for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function open(props: Pick<Props, 'store' | 'first'>) {
	const app = render(<App location="/sessions" height={14} {...props} />);
	cleanups.push(() => app.unmount());
	return {app, ui: driver(app)};
}

// The app compares with the real clock, so the sessions are made relative to it.
const sessions = (count: number) =>
	Array.from({length: count}, (_, index) =>
		createTestSession({
			id: `s-${String(index).padStart(3, '0')}`,
			login: `user${index}`,
			now: Date.now(),
		}),
	);

describe('the first listing', () => {
	it('lists a small directory before the first frame, which is the table', async () => {
		const dir = makeSessionDir({fixtures: false, sessions: sessions(12)});
		const store = new FileStore(dir);
		const first = await startFirstListing(store, {dir});
		expect(first?.entries?.map((entry) => entry.id).sort()).toEqual(
			sessions(12).map((session) => session.id),
		);

		const {app} = open({store, first});
		const [firstFrame] = app.frames;
		expect(firstFrame).toContain('12 active · 0 expired');
		expect(firstFrame).toMatch(/s-000 +@user0/);
		expect(app.frames.join('\n')).not.toContain('loading');
	});

	it('leaves a directory that looks large to the app, which shows loading first', async () => {
		const dir = makeSessionDir({fixtures: false, sessions: sessions(3)});
		// A directory's size grows with its entries: long names that are not sessions make it
		// look as large as one of some thousands of sessions, without writing thousands.
		for (let i = 0; statSync(dir).size <= 128 * 1024; i++) {
			writeFileSync(path.join(dir, `${'padding-'.repeat(30)}${i}.tmp`), '');
		}

		const store = new FileStore(dir);
		expect(await startFirstListing(store, {dir})).toBeUndefined();
		const {app, ui} = open({store});
		expect(app.frames[0]).toContain('loading');
		await ui.see('3 active · 0 expired');
	});

	it('shows loading at once for a large store, then the listing’s progress, and lists it once', async () => {
		const halfway = gate();
		const finish = gate();
		// As FileStore does: the total first, before any file is read; then progress as it goes.
		class LargeStore extends TestStore {
			override async list(options: ListOptions = {}): Promise<ListEntry[]> {
				options.onProgress?.(0, 30);
				await halfway.promise;
				options.onProgress?.(10, 30);
				await finish.promise;
				return super.list();
			}
		}

		const store = new LargeStore(sessions(30));
		const first = await startFirstListing(store, {small: 20});
		expect(first?.entries).toBeUndefined();

		const {app, ui} = open({store, first});
		expect(app.frames[0]).toContain('loading');
		halfway.open();
		await ui.see('loading 10 / 30 sessions');
		finish.open();
		await ui.see('30 active · 0 expired');
		// The app adopted the listing started before it: the store was listed once.
		expect(store.lists).toBe(1);
	});

	it('draws the loading frame when the store is slow to answer, then the table', async () => {
		const store = new TestStore(sessions(3));
		const held = gate();
		store.gate = held.promise;
		// Resolves although the listing has not: the first frame does not wait for a slow store.
		const first = await startFirstListing(store, {waitMs: 30});
		expect(first?.entries).toBeUndefined();

		const {app, ui} = open({store, first});
		expect(app.frames[0]).toContain('loading');
		held.open();
		await ui.see('3 active · 0 expired');
		expect(store.lists).toBe(1);
	});

	it('leaves a failure to the app, which shows it as an error screen', async () => {
		const store = new TestStore(sessions(2));
		store.failure = new Error('Redis at 127.0.0.1:6379 is unavailable');
		const first = await startFirstListing(store);
		expect(first?.entries).toBeUndefined();

		const {ui} = open({store, first});
		await ui.see('Redis at 127.0.0.1:6379 is unavailable');
	});

	it('stops a listing still running when the inspector quits', async () => {
		const dir = makeSessionDir({fixtures: false, sessions: sessions(5)});
		const store = new FileStore(dir);
		const first = await startFirstListing(store);
		first?.abort();
		// Already finished: aborting changes nothing and throws nothing.
		expect(first?.entries).toHaveLength(5);

		const slow = new TestStore(sessions(2));
		const held = gate();
		slow.gate = held.promise;
		let aborted = false;
		const list = slow.list.bind(slow);
		slow.list = (options) => {
			options?.signal?.addEventListener('abort', () => {
				aborted = true;
			});
			return list(options);
		};

		const pending = await startFirstListing(slow, {waitMs: 10});
		const {app} = open({store: slow, first: pending});
		app.unmount();
		expect(aborted).toBe(true);
		held.open();
	});
});
