// What stays on screen: the filter beside a message, a message until the next key or a few
// seconds, `r`'s confirmation, the position in a long list, "more below" in a scrolled help, a
// filter that matches nothing, and columns that keep their place while a filter is typed.
import {render} from 'ink-testing-library';
import {describe, expect, it, onTestFinished} from 'vitest';
import StatusLine, {MESSAGE_MS} from '../source/ui/StatusLine.js';
import {initialState, update} from '../source/ui/state.js';
import {
	createTestSession,
	HOUR,
	keys,
	NOW,
	openApp,
	sessionEntry,
	TestStore,
} from './helpers/ink.js';

const open = openApp;

function sessions(count: number, now = Date.now()) {
	return Array.from({length: count}, (_, i) =>
		createTestSession({
			id: `s${String(i).padStart(3, '0')}`,
			login: i % 2 ? `odd${i}` : `even${i}`,
			now,
			expiresIn: (i + 1) * HOUR,
		}),
	);
}

const statusOf = (frame: string) => frame.split('\n').at(-2) ?? '';

describe('state that stays visible', () => {
	it('keeps the filter beside a message, and the next key takes the message away', async () => {
		const store = new TestStore(sessions(5));
		const ui = open(store);
		await ui.see('s004');
		await ui.press('/', (f) => f.includes(' /'));
		await ui.press('odd\r', (f) => statusOf(f).includes('filter "odd": 2 of 5'));
		await ui.press('d', (f) => statusOf(f).includes('delete s001 (@odd1)? y/n'));
		await ui.press('y', (f) => statusOf(f).includes('deleted s001 (@odd1)'));
		expect(statusOf(ui.frame())).toContain('deleted s001 (@odd1) · filter "odd": 1 of 4');
		await ui.press('j', (f) => !f.includes('deleted s001'));
		expect(statusOf(ui.frame())).toContain('filter "odd": 1 of 4');
	});

	it('keeps the filter in view on a narrow terminal, before the sort', async () => {
		const ui = open(new TestStore(sessions(5)), {width: 30, height: 8});
		await ui.see('s000');
		await ui.press('/', (f) => f.includes(' /'));
		await ui.press('odd\r', (f) => statusOf(f).includes('filter "odd": 2 of 5'));
		expect(statusOf(ui.frame())).toBe(' filter "odd": 2 of 5 · sorte…');
	});

	it('takes a message away after a few seconds without a key', () => {
		const listed = update(initialState({height: 5}), {
			type: 'loaded',
			entries: sessions(3, NOW).map(sessionEntry),
		}).state;
		const state = update(listed, {type: 'command', command: 'cleanup', now: NOW - 10 * HOUR}).state;
		expect(state.message?.text).toBe('no expired sessions to remove');
		const at = state.message?.at ?? 0;
		const shown = render(<StatusLine state={state} now={at + MESSAGE_MS - 1000} />);
		onTestFinished(() => shown.unmount());
		expect(shown.lastFrame()).toContain('no expired sessions to remove');
		const later = render(<StatusLine state={state} now={at + MESSAGE_MS} />);
		onTestFinished(() => later.unmount());
		expect(later.lastFrame()).not.toContain('no expired sessions');
		expect(later.lastFrame()).toContain('sorted by expiry');
	});

	it('r confirms the reload with the count', async () => {
		const store = new TestStore(sessions(3));
		const ui = open(store);
		await ui.see('s002');
		const [added] = sessions(1).map((session) => ({...session, id: 'added'}));
		if (added) await store.set(added);
		await ui.press('r', (f) => statusOf(f).includes('reloaded · 4 sessions'));
	});

	it('says where the selection is in a list longer than the screen', async () => {
		const ui = open(new TestStore(sessions(200)));
		await ui.see('1 of 200 · sorted by expiry');
		await ui.press(keys.pageDown, (f) => statusOf(f).includes('9 of 200'));
		await ui.press('G', (f) => statusOf(f).includes('200 of 200'));
		// A list that fits says nothing of it.
		const short = open(new TestStore(sessions(3)));
		await short.see('s002');
		expect(statusOf(short.frame())).not.toMatch(/\d of \d/);
	});

	it('says "more below" in a help that scrolls, "more above" at its end', async () => {
		const ui = open(new TestStore(sessions(3)), {width: 60});
		await ui.see('s002');
		await ui.press('?', (f) => statusOf(f).includes('↓ more below'));
		await ui.press('G', (f) => statusOf(f).includes('↑ more above'));
	});

	it('says so in the table when the filter matches nothing', async () => {
		const ui = open(new TestStore(sessions(3)));
		await ui.see('s002');
		await ui.press('/', (f) => f.includes(' /'));
		await ui.press('monalsa', (f) => f.includes('no session matches "monalsa" · Esc clears'));
		await ui.press(keys.escape, (f) => f.includes('s002') && !f.includes('no session matches'));
	});

	it('keeps the columns where they are while a filter is typed', async () => {
		const now = Date.now();
		const store = new TestStore([
			createTestSession({id: 'a-rather-long-session-id', login: 'alpha', now}),
			createTestSession({id: 'b', login: 'beta', now}),
		]);
		const ui = open(store);
		await ui.see('@beta');
		const column = (frame: string) =>
			(frame.split('\n').find((l) => l.includes('@beta')) ?? '').indexOf('@beta');
		const before = column(ui.frame());
		await ui.press('/', (f) => f.includes(' /'));
		await ui.press('beta', (f) => !f.includes('a-rather-long'));
		expect(column(ui.frame())).toBe(before);
	});
});
