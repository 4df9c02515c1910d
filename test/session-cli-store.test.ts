import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {
	CLI_SESSION_ID,
	CLIStore,
	decodeSession,
	newSession,
	type Session,
} from '../source/session/index.js';
import {mockLocal} from '../source/sessiontest/index.js';
import {makeTempDir} from './helpers/temp-dir.js';

function dir(): string {
	return join(makeTempDir('st-cli-store-'), 'sessions');
}

const user = {id: 583231, login: 'octocat', name: 'Mona', avatarUrl: '', email: ''};

describe('CLIStore', () => {
	it('has no session at first', async () => {
		const store = new CLIStore(dir());
		expect(await store.getSession()).toBeNull();
		await store.close();
	});

	it('saves a copy under the id github and gets it back, as Go writes github.json', async () => {
		const sessions = dir();
		const store = new CLIStore(sessions);
		const session = newSession('gho_cli', user);
		const saved = await store.saveSession(session);
		expect(CLI_SESSION_ID).toBe('github');
		expect(saved).toEqual({...session, id: 'github'});
		expect(session.id).not.toBe('github');
		expect(await store.getSession()).toEqual(saved);
		expect(readdirSync(sessions)).toEqual(['github.json']);
		expect(statSync(join(sessions, 'github.json')).mode & 0o777).toBe(0o600);
		expect(decodeSession(readFileSync(join(sessions, 'github.json'), 'utf8'))).toEqual(saved);
		// Go's CLIStore.Path: the session file, not the directory.
		expect(store.path()).toBe(join(sessions, 'github.json'));
	});

	it('the returned copy is not the stored one', async () => {
		const store = new CLIStore(dir());
		const saved = (await store.saveSession(mockLocal())) as {
			-readonly [K in keyof Session]: Session[K];
		};
		saved.accessToken = 'changed';
		saved.expiresAt.setTime(0);
		expect((await store.getSession())?.accessToken).toBe('');
	});

	it('replaces the login on a second save and deletes it (twice is fine)', async () => {
		const store = new CLIStore(dir());
		await store.saveSession(newSession('first', user));
		await store.saveSession(newSession('second', null));
		expect((await store.getSession())?.accessToken).toBe('second');
		await store.deleteSession();
		await store.deleteSession();
		expect(await store.getSession()).toBeNull();
	});

	it('an expired login is ExpiredError and is removed, as in Go', async () => {
		const sessions = dir();
		let now = Date.now();
		const store = new CLIStore(sessions, {now: () => now});
		await store.saveSession(newSession('t', user, 1000, new Date(now)));
		now += 1001;
		await expect(store.getSession()).rejects.toMatchObject({code: 'EXPIRED'});
		expect(readdirSync(sessions)).toEqual([]);
	});

	it('refuses something that is not a session', async () => {
		const store = new CLIStore(dir());
		await expect(store.saveSession(null as unknown as Session)).rejects.toThrow(TypeError);
		await expect(
			store.saveSession({...mockLocal(), expiresAt: 'soon'} as unknown as Session),
		).rejects.toThrow('session.expiresAt');
		// Any id is replaced by github, so even a bad one is no InvalidIdError here.
		await expect(store.saveSession({...mockLocal(), id: '../x'})).resolves.toMatchObject({
			id: 'github',
		});
	});
});
