// Shared by the inspector's tests: sessions on a fixed clock, a listable store that can also
// hold unreadable entries and fail on demand, and a driver that looks, types and waits.
import type {Key} from 'ink';
import {render} from 'ink-testing-library';
import {createElement} from 'react';
import {onTestFinished} from 'vitest';
import {MemoryStore} from '../../source/session/memory-store.js';
import type {GitHubUser, Session} from '../../source/session/session.js';
import type {ListableStore, ListEntry, ListOptions} from '../../source/session/store.js';
import App, {type Props} from '../../source/ui/App.js';
import {makeSession, makeUser} from './session-dir.js';
import {waitFor} from './wait.js';

/** The tests' "now": 2026-11-26 12:00:00 UTC. */
export const NOW = Date.parse('2026-11-26T12:00:00Z');
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export type TestSessionOptions = {
	id?: string;
	login?: string;
	name?: string;
	user?: GitHubUser | null;
	token?: string;
	/** Expiry relative to `now`. */
	expiresIn?: number;
	/** Creation relative to `now` (negative: in the past). */
	createdIn?: number;
	now?: number;
};

let counter = 0;

/** makeSession on the inspector's fixed clock, with a fresh id, user and token each call. */
export function createTestSession(options: TestSessionOptions = {}): Session {
	counter++;
	const now = options.now ?? NOW;
	const login = options.login ?? `user${counter}`;
	const user =
		options.user === undefined
			? makeUser(login, {
					id: 1000 + counter,
					name: options.name ?? `User ${counter}`,
					avatarUrl: `https://avatars.example.com/u/${1000 + counter}`,
				})
			: options.user;
	return makeSession(
		options.id ?? `session-${counter}`,
		options.expiresIn ?? DAY,
		{
			accessToken: options.token ?? `gho_secretTOKEN${counter}abcdefghijklmnop`,
			user,
			createdAt: new Date(now + (options.createdIn ?? -HOUR)),
		},
		now,
	);
}

export function sessionEntry(session: Session): ListEntry {
	return {kind: 'session', id: session.id, session, location: `/sessions/${session.id}.json`};
}

export function unreadableEntry(id: string, reason = 'Unexpected end of JSON input'): ListEntry {
	return {kind: 'unreadable', id, reason, location: `/sessions/${id}.json`};
}

/**
 * A MemoryStore that can also list unreadable entries (as FileStore does for broken files) and
 * fail its listing, as a Redis store does when the server is down.
 */
export class TestStore extends MemoryStore implements ListableStore {
	unreadable: ListEntry[] = [];
	failure: Error | null = null;
	/** When set, delete() throws it. */
	deleteFailure: Error | null = null;
	lists = 0;
	cleanups = 0;
	deletes: string[] = [];
	/** When set, list() waits for it: lets a test see the loading screen. */
	gate: Promise<void> | null = null;
	/** When set, cleanup() waits for it: lets a test see the spinner. */
	cleanupGate: Promise<void> | null = null;
	/** Progress reports list() makes before answering. */
	progress: Array<[number, number | undefined]> = [];

	constructor(sessions: Session[] = [], options: {now?: () => number} = {}) {
		super(options);
		for (const session of sessions) void this.set(session);
	}

	override async list(options: ListOptions = {}): Promise<ListEntry[]> {
		this.lists++;
		for (const [done, total] of this.progress) options.onProgress?.(done, total);
		if (this.gate) await this.gate;
		if (this.failure) throw this.failure;
		return [...(await super.list()), ...this.unreadable];
	}

	override async delete(id: string): Promise<void> {
		this.deletes.push(id);
		if (this.deleteFailure) throw this.deleteFailure;
		this.unreadable = this.unreadable.filter((entry) => entry.id !== id);
		await super.delete(id);
	}

	override async cleanup(options: ListOptions = {}): Promise<number> {
		this.cleanups++;
		// A large store reports how far it has got before it finishes.
		options.onProgress?.(1000, 3000);
		if (this.cleanupGate) await this.cleanupGate;
		return super.cleanup();
	}

	override describe(): string {
		return 'test';
	}
}

export {keys} from './keys.js';
export {waitFor} from './wait.js';

type Rendered = {
	lastFrame: () => string | undefined;
	stdin: {write: (data: string) => void};
};

/** Driving a rendered app the way a person does: look, type, look again. */
export function driver(app: Rendered) {
	const frame = () => app.lastFrame() ?? '';
	const until = (check: (frame: string) => boolean, timeoutMs?: number) =>
		waitFor(() => check(frame()), frame, timeoutMs);
	return {
		frame,
		until,
		/** Waits until the frame shows `text`. */
		see: (text: string, timeoutMs?: number) => until((f) => f.includes(text), timeoutMs),
		/** Types `data` and waits until `check` holds for the frame. */
		async press(data: string, check: (frame: string) => boolean) {
			app.stdin.write(data);
			await until(check);
		},
		write: (data: string) => app.stdin.write(data),
	};
}

/** The inspector on `store` at /sessions, 14 rows high, unmounted when the test finishes. */
export function openApp(store: Props['store'], props: Partial<Props> = {}) {
	const app = render(createElement(App, {store, location: '/sessions', height: 14, ...props}));
	onTestFinished(() => app.unmount());
	return driver(app);
}

/** A promise and the function that settles it, for holding a store call open. */
export function gate(): {promise: Promise<void>; open: () => void} {
	let open: () => void = () => {};
	const promise = new Promise<void>((resolve) => {
		open = resolve;
	});
	return {promise, open};
}

/** An Ink Key with nothing pressed but `overrides` (what Ink reports for plain text). */
export function inkKey(overrides: Partial<Key> = {}): Key {
	return {
		upArrow: false,
		downArrow: false,
		leftArrow: false,
		rightArrow: false,
		pageDown: false,
		pageUp: false,
		home: false,
		end: false,
		return: false,
		escape: false,
		ctrl: false,
		shift: false,
		tab: false,
		backspace: false,
		delete: false,
		meta: false,
		super: false,
		hyper: false,
		capsLock: false,
		numLock: false,
		...overrides,
	};
}
