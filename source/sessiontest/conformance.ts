// Conformance checks every Store and StateStore backend must pass. They use node:assert only,
// so any test runner can run them: each check is a name and an async function that throws on
// failure. Another team writing a backend calls one function from its own suite.
import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {generateState} from '../session/ids.js';
import type {GitHubUser, Session} from '../session/session.js';
import {isListableStore, type StateStore, type Store} from '../session/store.js';

/** One check: a name for the test and a function that rejects when the backend fails it. */
export type ConformanceCheck = {
	readonly name: string;
	run(): Promise<void>;
};

/** A store and what to do after the check, beyond `store.close()` (e.g. remove a temp dir). */
export type Fixture<S> = {
	readonly store: S;
	readonly teardown?: () => unknown;
};

/**
 * Makes a fresh, empty store for one check: the store itself, or a Fixture with a teardown.
 * Every check calls it once and closes the store afterwards.
 */
export type Factory<S> = () => S | Fixture<S> | Promise<S | Fixture<S>>;

export type ConformanceOptions = {
	/**
	 * The backend expires entries itself (Redis TTLs): a session already expired may be dropped
	 * by set(), and cleanup() may count 0 for entries that expired on their own. Default false:
	 * cleanup() must count exactly the expired entries it removed.
	 */
	readonly expiresByItself?: boolean;
	/**
	 * Also run the ListableStore checks (list and describe). Default: run them when the store
	 * the factory returns has list() and describe().
	 */
	readonly listable?: boolean;
};

/** The part of vitest's or node:test's API the describe helpers need. */
export type TestApi = {
	readonly describe: (name: string, fn: () => void) => unknown;
	readonly it: (name: string, fn: () => Promise<void>) => unknown;
};

/** A Session whose fields a check can change, to prove stores hand out copies. */
type MutableSession = {
	-readonly [K in keyof Session]: K extends 'user'
		? {-readonly [U in keyof GitHubUser]: GitHubUser[U]} | null
		: Session[K];
};

const SECOND = 1000;
const HOUR = 60 * 60 * SECOND;

async function openFixture<S extends {close(): Promise<void>}>(
	factory: Factory<S>,
): Promise<Fixture<S>> {
	const made = await factory();
	// Every store has close(); a Fixture is the plain object around one.
	const isStore = typeof (made as {close?: unknown}).close === 'function';
	return isStore ? {store: made as S} : (made as Fixture<S>);
}

async function withStore<S extends {close(): Promise<void>}>(
	factory: Factory<S>,
	body: (store: S) => Promise<void>,
): Promise<void> {
	const {store, teardown} = await openFixture(factory);
	try {
		await body(store);
	} finally {
		try {
			await store.close();
		} finally {
			await teardown?.();
		}
	}
}

function uniqueId(label: string): string {
	// Unique per call, so backends that share a namespace across checks (a Redis prefix) never collide.
	return `conformance-${label}-${randomBytes(6).toString('hex')}`;
}

/** A session with every field set, times at odd milliseconds to catch precision loss. */
function sampleSession(label: string, overrides: Partial<Session> = {}): Session {
	const now = Date.now();
	return {
		id: uniqueId(label),
		accessToken: `gho_${randomBytes(12).toString('hex')}`,
		user: {
			id: 2 ** 40 + 7,
			login: 'octo-cat',
			name: 'Mona <Lisa> & “Octocat” 🐙',
			avatarUrl: 'https://avatars.example.com/u/1?s=40&v=4',
			email: 'mona@example.com',
		},
		createdAt: new Date(now - 5 * SECOND - (now % 1000) + 123),
		expiresAt: new Date(now + HOUR - (now % 1000) + 987),
		...overrides,
	};
}

function codeOf(error: unknown): unknown {
	return (error as {code?: unknown} | null)?.code;
}

async function waitUntilPast(timeMs: number): Promise<void> {
	// Polls the clock rather than sleeping a fixed time: timers may fire early or late on a loaded
	// machine, but once Date.now() is past timeMs, it is past for the store's clock too.
	while (Date.now() <= timeMs) {
		await new Promise((resolve) => {
			setTimeout(resolve, Math.max(1, Math.min(20, timeMs - Date.now() + 1)));
		});
	}
}

/** Asserts that get(id) does not hand back a session: null, or an ExpiredError. */
async function assertNotReturned(store: Store, id: string, what: string): Promise<void> {
	let result: Session | null;
	try {
		result = await store.get(id);
	} catch (error) {
		assert.equal(
			codeOf(error),
			'EXPIRED',
			`${what}: get rejected with something other than ExpiredError: ${String(error)}`,
		);
		return;
	}

	assert.equal(result, null, `${what}: get returned a session`);
}

async function assertRejectsWithCode(
	promise: () => Promise<unknown>,
	code: string,
	what: string,
): Promise<void> {
	await assert.rejects(
		promise,
		(error: unknown) => {
			assert.ok(error instanceof Error, `${what}: rejected with a non-Error`);
			assert.equal(codeOf(error), code, `${what}: expected code ${code}, got ${String(error)}`);
			return true;
		},
		`${what}: expected a rejection with code ${code}`,
	);
}

/** Ids every store must refuse with InvalidIdError (code INVALID_ID). */
export const BAD_IDS: readonly unknown[] = [
	'',
	'.',
	'..',
	'../x',
	'a/b',
	'a\\b',
	'/etc/passwd',
	'.hidden',
	'a\u0000b',
	'a b',
	'é',
	'x'.repeat(129),
	'x'.repeat(200),
	undefined,
	null,
	42,
	{},
];

/** Ids every store must accept: Go's padded base64url ids, the CLI's and mockLocal's ids, the longest. */
export const GOOD_IDS: readonly string[] = [
	'github',
	'local-session',
	// What Go's GenerateID makes: base64.URLEncoding (padded) of 32 bytes.
	'q0Vd1h8mG3L_2y-ZpXxWcA9bT5e7Kf4RuJnS6oPiY1M=',
	'a.b-c_d=',
	'0',
	'x'.repeat(128),
];

/** Makes named checks that each run their body on a fresh store from `factory`. */
function checkOn<S extends {close(): Promise<void>}>(factory: Factory<S>) {
	return (name: string, body: (store: S) => Promise<void>): ConformanceCheck => ({
		name,
		run: () => withStore(factory, body),
	});
}

/** The Store checks; with `listable`, the ListableStore ones too. See describeStoreConformance. */
export function storeChecks<S extends Store>(
	factory: Factory<S>,
	options: ConformanceOptions = {},
): ConformanceCheck[] {
	const byItself = options.expiresByItself === true;
	const check = checkOn(factory);

	const checks: ConformanceCheck[] = [
		check('get of an absent id resolves to null', async (store) => {
			assert.equal(await store.get(uniqueId('absent')), null);
		}),

		check('set then get round-trips every field, dates to the millisecond', async (store) => {
			const session = sampleSession('round-trip');
			await store.set(session);
			assert.deepStrictEqual(await store.get(session.id), session);
		}),

		check('round-trips a session with a null user and an empty token', async (store) => {
			const session = sampleSession('no-user', {user: null, accessToken: ''});
			await store.set(session);
			const got = await store.get(session.id);
			assert.deepStrictEqual(got, session);
			assert.equal(got?.user, null);
			assert.ok(got?.expiresAt instanceof Date && got.createdAt instanceof Date, 'dates are Dates');
		}),

		check('set replaces the session stored under the same id', async (store) => {
			const first = sampleSession('replace');
			const second = {...sampleSession('replace'), id: first.id, user: null};
			await store.set(first);
			await store.set(second);
			assert.deepStrictEqual(await store.get(first.id), second);
		}),

		check('delete removes a session; deleting twice or an absent id is no error', async (store) => {
			const session = sampleSession('delete');
			await store.set(session);
			await store.delete(session.id);
			assert.equal(await store.get(session.id), null);
			await store.delete(session.id);
			await store.delete(uniqueId('never-stored'));
			assert.equal(await store.get(session.id), null);
		}),

		check('get never returns an expired session', async (store) => {
			const now = Date.now();
			const session = sampleSession('expired', {
				createdAt: new Date(now - HOUR),
				expiresAt: new Date(now - SECOND),
			});
			await store.set(session);
			await assertNotReturned(store, session.id, 'a session that expired 1 s ago');
			await assertNotReturned(store, session.id, 'the same session asked for again');
		}),

		check('a session stops being returned once it expires', async (store) => {
			const session = sampleSession('expiring', {expiresAt: new Date(Date.now() + 300)});
			await store.set(session);
			try {
				assert.deepStrictEqual(await store.get(session.id), session);
			} catch (error) {
				// Only a slow machine that let it expire already may answer ExpiredError here.
				if (!(codeOf(error) === 'EXPIRED' && Date.now() > session.expiresAt.getTime())) throw error;
			}

			await waitUntilPast(session.expiresAt.getTime() + 5);
			await assertNotReturned(store, session.id, 'a session past its expiry');
		}),

		check(
			'cleanup removes expired sessions, keeps live ones, and resolves to the count',
			async (store) => {
				const now = Date.now();
				const expired = [1, 2].map((n) =>
					sampleSession(`cleanup-expired-${n}`, {expiresAt: new Date(now - n * SECOND)}),
				);
				const live = sampleSession('cleanup-live');
				for (const session of [...expired, live]) await store.set(session);
				const removed = await store.cleanup();
				assert.ok(
					Number.isInteger(removed),
					`cleanup resolved to ${String(removed)}, not an integer`,
				);
				if (byItself) {
					assert.ok(
						removed >= 0 && removed <= 2,
						`cleanup counted ${removed} of 2 expired sessions`,
					);
				} else {
					assert.equal(removed, 2, 'cleanup should count the 2 expired sessions it removed');
				}

				assert.deepStrictEqual(await store.get(live.id), live, 'cleanup must keep a live session');
				for (const session of expired) await assertNotReturned(store, session.id, 'after cleanup');
				assert.equal(await store.cleanup(), 0, 'a second cleanup has nothing left to remove');
			},
		),

		check('cleanup of an empty store resolves to 0', async (store) => {
			assert.equal(await store.cleanup(), 0);
		}),

		check('a returned session is a copy: changing it does not change the store', async (store) => {
			const session = sampleSession('returned-copy');
			await store.set(session);
			const got = (await store.get(session.id)) as MutableSession;
			assert.ok(got?.user, 'the session came back');
			got.accessToken = 'changed';
			got.user.login = 'changed';
			got.expiresAt.setTime(0);
			got.createdAt.setTime(0);
			got.user = null;
			assert.deepStrictEqual(await store.get(session.id), session);
		}),

		check(
			'the stored session is a copy: changing the object passed to set does not change the store',
			async (store) => {
				const original = sampleSession('stored-copy');
				const passed = structuredClone(original) as MutableSession;
				await store.set(passed);
				assert.ok(passed.user);
				passed.user.login = 'changed';
				passed.accessToken = 'changed';
				passed.expiresAt.setTime(0);
				passed.createdAt.setTime(1);
				assert.deepStrictEqual(await store.get(original.id), original);
			},
		),

		check('every method rejects a bad id with InvalidIdError and stores nothing', async (store) => {
			for (const id of BAD_IDS) {
				const shown = typeof id === 'string' ? JSON.stringify(id.slice(0, 20)) : String(id);
				const bad = id as string;
				await assertRejectsWithCode(() => store.get(bad), 'INVALID_ID', `get(${shown})`);
				await assertRejectsWithCode(() => store.delete(bad), 'INVALID_ID', `delete(${shown})`);
				await assertRejectsWithCode(
					() => store.set({...sampleSession('bad-id'), id: bad}),
					'INVALID_ID',
					`set with id ${shown}`,
				);
			}

			if (isListableStore(store)) {
				assert.deepStrictEqual(await store.list(), [], 'nothing may be stored under a bad id');
			}
		}),

		check(
			'accepts every valid kind of id: Go base64url ids, github, local-session, 128 chars',
			async (store) => {
				for (const id of GOOD_IDS) {
					const session = {...sampleSession('good-id'), id};
					await store.set(session);
					assert.deepStrictEqual(await store.get(id), session, `round trip of id ${id}`);
					await store.delete(id);
					assert.equal(await store.get(id), null);
				}
			},
		),

		check('set rejects something that is not a session and stores nothing', async (store) => {
			const base = sampleSession('not-a-session');
			const bad: unknown[] = [
				{...base, expiresAt: new Date(Number.NaN)},
				{...base, createdAt: '2026-01-01T00:00:00Z'},
				{...base, accessToken: 42},
				{...base, user: {id: 'one', login: 'x', name: '', avatarUrl: '', email: ''}},
			];
			for (const session of bad) {
				await assert.rejects(() => store.set(session as Session));
			}

			assert.equal(await store.get(base.id), null);
		}),
	];

	if (options.listable !== false) {
		checks.push(...listChecks(factory, byItself, options.listable === true));
	}

	return checks;
}

function listChecks<S extends Store>(
	factory: Factory<S>,
	byItself: boolean,
	required: boolean,
): ConformanceCheck[] {
	const check = (name: string, body: (store: S) => Promise<void>): ConformanceCheck => ({
		name,
		run: () =>
			withStore(factory, async (store) => {
				if (!isListableStore(store)) {
					assert.ok(
						!required,
						'the store has no list() and describe(), but listable was asked for',
					);
					return; // not a ListableStore: nothing to check
				}

				await body(store);
			}),
	});

	return [
		check('list shows every session, expired ones included, and deletes nothing', async (store) => {
			if (!isListableStore(store)) return;
			const live = sampleSession('list-live');
			const noUser = sampleSession('list-no-user', {user: null});
			const expired = sampleSession('list-expired', {expiresAt: new Date(Date.now() - SECOND)});
			const stored = byItself ? [live, noUser] : [live, noUser, expired];
			for (const session of stored) await store.set(session);
			for (let pass = 0; pass < 2; pass++) {
				const entries = await store.list();
				const byId = new Map(entries.map((entry) => [entry.id, entry]));
				assert.equal(entries.length, stored.length, `list pass ${pass + 1}: one entry per session`);
				for (const session of stored) {
					const entry = byId.get(session.id);
					assert.equal(entry?.kind, 'session', `list pass ${pass + 1}: ${session.id}`);
					if (entry?.kind === 'session') {
						assert.deepStrictEqual(entry.session, session);
						assert.equal(typeof entry.location, 'string');
					}
				}
			}

			assert.deepStrictEqual(await store.get(live.id), live);
		}),

		check('list entries are copies: changing one does not change the store', async (store) => {
			if (!isListableStore(store)) return;
			const session = sampleSession('list-copy');
			await store.set(session);
			const [entry] = await store.list();
			assert.equal(entry?.kind, 'session');
			if (entry?.kind === 'session') {
				const listed = entry.session as MutableSession;
				listed.accessToken = 'changed';
				listed.expiresAt.setTime(0);
				if (listed.user) listed.user.login = 'changed';
			}

			assert.deepStrictEqual(await store.get(session.id), session);
		}),

		check('list reports progress within bounds and honours an aborted signal', async (store) => {
			if (!isListableStore(store)) return;
			for (let n = 0; n < 3; n++) await store.set(sampleSession(`progress-${n}`));
			const calls: Array<[number, number | undefined]> = [];
			const entries = await store.list({onProgress: (done, total) => calls.push([done, total])});
			assert.equal(entries.length, 3);
			for (const [done, total] of calls) {
				assert.ok(Number.isInteger(done) && done >= 0, `progress done ${done}`);
				if (total !== undefined) assert.ok(done <= total, `progress ${done} of ${total}`);
			}

			const controller = new AbortController();
			controller.abort();
			await assert.rejects(() => store.list({signal: controller.signal}));
		}),

		check(
			'lookup, where the store has it, reads an entry, an expired one too, and removes nothing',
			async (store) => {
				const lookup = isListableStore(store) ? store.lookup?.bind(store) : undefined;
				if (!isListableStore(store) || !lookup) return;
				const live = sampleSession('lookup-live');
				const expired = sampleSession('lookup-expired', {expiresAt: new Date(Date.now() - SECOND)});
				const stored = byItself ? [live] : [live, expired];
				for (const session of stored) await store.set(session);
				for (let pass = 0; pass < 2; pass++) {
					for (const session of stored) {
						const entry = await lookup(session.id);
						assert.equal(entry?.kind, 'session', `lookup pass ${pass + 1}: ${session.id}`);
						if (entry?.kind === 'session') assert.deepStrictEqual(entry.session, session);
					}
				}

				assert.equal(await lookup('lookup-absent'), null);
				assert.equal((await store.list()).length, stored.length, 'lookup removed an entry');
			},
		),

		check('describe names where the sessions live', async (store) => {
			if (!isListableStore(store)) return;
			const described = store.describe();
			assert.equal(typeof described, 'string');
			assert.ok(described.length > 0, 'describe() is empty');
		}),
	];
}

/** The StateStore checks. See describeStateStoreConformance. */
export function stateStoreChecks<S extends StateStore>(
	factory: Factory<S>,
	options: ConformanceOptions = {},
): ConformanceCheck[] {
	const byItself = options.expiresByItself === true;
	const check = checkOn(factory);

	return [
		check('a generated state validates once, then never again', async (store) => {
			const state = await store.generate();
			assert.equal(typeof state, 'string');
			assert.ok(state.length > 0, 'an empty state');
			assert.equal(await store.validate(state), true, 'first validate');
			assert.equal(await store.validate(state), false, 'second validate');
			assert.equal(await store.validate(state), false, 'third validate');
		}),

		check('every generated state is fresh and validates on its own', async (store) => {
			const states = await Promise.all(Array.from({length: 20}, () => store.generate()));
			assert.equal(new Set(states).size, states.length, 'generate repeated a state');
			for (const state of states) assert.equal(await store.validate(state), true);
		}),

		check('100 concurrent validate calls on one state: exactly one is true', async (store) => {
			const state = await store.generate();
			const results = await Promise.all(Array.from({length: 100}, () => store.validate(state)));
			assert.equal(results.filter((ok) => ok === true).length, 1, 'true exactly once');
			assert.ok(
				results.every((ok) => typeof ok === 'boolean'),
				'every answer is a boolean',
			);
		}),

		check('an expired state is false', async (store) => {
			const before = Date.now();
			const state = await store.generate(1);
			// Well past the 1 ms TTL by the clock, with room for a backend's coarser timer.
			await waitUntilPast(before + 25);
			assert.equal(await store.validate(state), false);
		}),

		check('unknown, empty and malformed states are false, never an error', async (store) => {
			await store.generate();
			const states: unknown[] = [
				'',
				' ',
				'nope',
				generateState(),
				'../x',
				'a\u0000b',
				'*',
				'x'.repeat(10_000),
				undefined,
				null,
				42,
				{},
				[],
			];
			for (const state of states) {
				const shown =
					typeof state === 'string' ? JSON.stringify(state.slice(0, 20)) : String(state);
				assert.equal(await store.validate(state as string), false, `validate(${shown})`);
			}
		}),

		check(
			'generate rejects a ttl that is not a positive finite number with RangeError',
			async (store) => {
				for (const ttl of [
					0,
					-1,
					Number.NaN,
					Number.POSITIVE_INFINITY,
					Number.NEGATIVE_INFINITY,
					'1000',
					null,
				]) {
					await assert.rejects(
						() => store.generate(ttl as number),
						RangeError,
						`generate(${String(ttl)}) should reject with RangeError`,
					);
				}
			},
		),

		check(
			'cleanup removes expired states, resolves to the count, and keeps live ones',
			async (store) => {
				const before = Date.now();
				await store.generate(1);
				await store.generate(1);
				const live = await store.generate();
				await waitUntilPast(before + 25);
				const removed = await store.cleanup();
				assert.ok(Number.isInteger(removed), `cleanup resolved to ${String(removed)}`);
				if (byItself) assert.ok(removed >= 0 && removed <= 2, `cleanup counted ${removed}`);
				else assert.equal(removed, 2);
				assert.equal(await store.validate(live), true, 'cleanup must keep a live state');
				assert.equal(await store.cleanup(), 0, 'a second cleanup has nothing left to remove');
			},
		),
	];
}

/**
 * Registers the Store conformance checks as tests, in two lines from vitest or node:test:
 *
 * ```ts
 * import {describe, it} from 'vitest'; // or 'node:test'
 * describeStoreConformance('MyStore', async () => new MyStore(), {describe, it});
 * ```
 *
 * `factory` makes a fresh, empty store for each check (or `{store, teardown}` to clean up
 * more than `store.close()`, such as a temp directory). Stores with list() and describe()
 * also get the ListableStore checks. With `{expiresByItself: true}` (Redis TTLs) cleanup()
 * may count fewer than it removed. Without a runner: `for (const c of storeChecks(f)) await c.run()`.
 */
export function describeStoreConformance<S extends Store>(
	name: string,
	factory: Factory<S>,
	api: TestApi,
	options: ConformanceOptions = {},
): void {
	api.describe(`${name} conformance`, () => {
		for (const c of storeChecks(factory, options)) api.it(c.name, () => c.run());
	});
}

/**
 * Registers the StateStore conformance checks as tests, as describeStoreConformance does:
 *
 * ```ts
 * import {describe, it} from 'vitest'; // or 'node:test'
 * describeStateStoreConformance('MyStateStore', () => new MyStateStore(), {describe, it});
 * ```
 */
export function describeStateStoreConformance<S extends StateStore>(
	name: string,
	factory: Factory<S>,
	api: TestApi,
	options: ConformanceOptions = {},
): void {
	api.describe(`${name} conformance`, () => {
		for (const c of stateStoreChecks(factory, options)) api.it(c.name, () => c.run());
	});
}
