import {execFileSync} from 'node:child_process';
import {
	chmodSync,
	chownSync,
	closeSync,
	copyFileSync,
	existsSync,
	ftruncateSync,
	lstatSync,
	mkdirSync,
	openSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync,
	symlinkSync,
	truncateSync,
	writeFileSync,
	writeSync,
} from 'node:fs';
import {join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it, vi} from 'vitest';
import {
	CorruptError,
	decodeSession,
	defaultSessionsDir,
	ExpiredError,
	encodeSession,
	FileStore,
	InvalidIdError,
	isListableStore,
	type ListEntry,
	MAX_SESSION_FILE_BYTES,
	newSession,
	type Session,
	STALE_TEMP_MS,
	StoreUnavailableError,
	UnsafeDirectoryError,
} from '../source/session/index.js';
import {BAD_IDS} from '../source/sessiontest/index.js';
import {rejection} from './helpers/rejection.js';
import {fixtureIds} from './helpers/session-dir.js';
import {makeTempDir} from './helpers/temp-dir.js';

const fixtures = fileURLToPath(new URL('fixtures/go-written/', import.meta.url));
const TOKEN = 'gho_FILESTORESECRET0123';
const user = {id: 7, login: 'mona', name: 'Mona', avatarUrl: '', email: ''};

function tempRoot(): string {
	return makeTempDir('st-file-store-');
}

function sessionsDir(): string {
	return join(tempRoot(), 'sessions');
}

function live(id: string, overrides: Partial<Session> = {}): Session {
	return {...newSession(TOKEN, user, 60 * 60 * 1000), id, ...overrides};
}

function expired(id: string): Session {
	return live(id, {expiresAt: new Date(Date.now() - 60_000)});
}

function mode(path: string): number {
	return statSync(path).mode & 0o777;
}

function withUmask<T>(mask: number, body: () => T): T {
	const previous = process.umask(mask);
	try {
		return body();
	} finally {
		process.umask(previous);
	}
}

function mkfifo(path: string): void {
	execFileSync('mkfifo', [path]);
}

/** Name → content and mtime of everything in a directory, to prove nothing changed. */
function snapshot(dir: string): Record<string, string> {
	const result: Record<string, string> = {};
	for (const name of readdirSync(dir)) {
		const stats = lstatSync(join(dir, name));
		result[name] = stats.isFile()
			? `${readFileSync(join(dir, name), 'latin1')}@${stats.mtimeMs}`
			: `${stats.mode}`;
	}

	return result;
}

describe('FileStore: the directory', () => {
	it('creates missing directories 0700 and files 0600 under umask 000', async () => {
		const dir = join(tempRoot(), 'a', 'b', 'sessions');
		const store = withUmask(0o000, () => new FileStore(dir));
		expect(mode(dir)).toBe(0o700);
		const previous = process.umask(0o000);
		try {
			await store.set(live('github'));
		} finally {
			process.umask(previous);
		}

		expect(mode(join(dir, 'github.json'))).toBe(0o600);
	});

	it('creates the directory 0700 and files 0600 under umask 777 too', async () => {
		const dir = sessionsDir();
		const store = withUmask(0o777, () => new FileStore(dir));
		expect(mode(dir)).toBe(0o700);
		const previous = process.umask(0o777);
		try {
			await store.set(live('github'));
		} finally {
			process.umask(previous);
		}

		expect(mode(join(dir, 'github.json'))).toBe(0o600);
		expect(decodeSession(readFileSync(join(dir, 'github.json'), 'utf8')).id).toBe('github');
	});

	it('with createDirectory false, looking creates nothing; the first set() creates it 0700', async () => {
		const root = tempRoot();
		const dir = join(root, 'a', 'sessions');
		const store = new FileStore(dir, {createDirectory: false});
		expect(await store.list()).toEqual([]);
		expect(await store.get('github')).toBeNull();
		await store.delete('github');
		expect(await store.cleanup()).toBe(0);
		expect(existsSync(join(root, 'a'))).toBe(false);

		await store.set(live('github'));
		expect(mode(dir)).toBe(0o700);
		expect(mode(join(dir, 'github.json'))).toBe(0o600);
		expect((await store.get('github'))?.id).toBe('github');
	});

	it('with createDirectory false, an unsafe directory is refused when made, or when it appears', async () => {
		const root = tempRoot();
		const link = join(root, 'link');
		mkdirSync(join(root, 'real'), {mode: 0o700});
		symlinkSync(join(root, 'real'), link);
		expect(() => new FileStore(link, {createDirectory: false})).toThrow(UnsafeDirectoryError);

		// Missing when the store is made, then made writable by others: the next call refuses it.
		const dir = join(root, 'later');
		const store = new FileStore(dir, {createDirectory: false});
		expect(await store.list()).toEqual([]);
		mkdirSync(dir, {mode: 0o700});
		chmodSync(dir, 0o777);
		writeFileSync(join(dir, 'planted.json'), encodeSession(live('planted')), {mode: 0o600});
		await expect(store.list()).rejects.toThrow(/writable by other users/);
		await expect(store.get('planted')).rejects.toThrow(UnsafeDirectoryError);
		await expect(store.set(live('github'))).rejects.toThrow(UnsafeDirectoryError);
		expect(existsSync(join(dir, 'github.json'))).toBe(false);
	});

	it('checks the directory again at every call: a long-lived store whose directory became a symlink to a 0777 one refuses to write', async () => {
		const root = tempRoot();
		const dir = join(root, 'sessions');
		const store = new FileStore(dir);
		await store.set(live('github'));
		const open = join(root, 'open');
		mkdirSync(open);
		chmodSync(open, 0o777);
		renameSync(dir, join(root, 'moved'));
		symlinkSync(open, dir);
		await expect(store.set(live('github'))).rejects.toThrow(/is a symbolic link/);
		await expect(store.list()).rejects.toThrow(UnsafeDirectoryError);
		await expect(store.delete('github')).rejects.toThrow(UnsafeDirectoryError);
		expect(readdirSync(open)).toEqual([]);
		// A real directory in its place that others can write to is refused as well.
		rmSync(dir);
		renameSync(open, dir);
		await expect(store.set(live('github'))).rejects.toThrow(/writable by other users/);
		expect(readdirSync(dir)).toEqual([]);
	});

	it('keeps an existing directory and its mode when no one else can write to it', () => {
		const dir = sessionsDir();
		mkdirSync(dir, {mode: 0o755});
		chmodSync(dir, 0o755);
		expect(new FileStore(dir).path()).toBe(dir);
		expect(mode(dir)).toBe(0o755);
	});

	it('resolves a relative directory and reports it from path() and describe()', () => {
		const dir = sessionsDir();
		const store = new FileStore(relative(process.cwd(), dir));
		expect(store.path()).toBe(dir);
		expect(store.describe()).toBe(dir);
		expect(isListableStore(store)).toBe(true);
	});

	it('refuses a directory that is a symlink, saying what to do, and creates nothing', () => {
		const root = tempRoot();
		const real = join(root, 'real');
		mkdirSync(real, {mode: 0o700});
		symlinkSync(real, join(root, 'sessions'));
		const error = (() => {
			try {
				new FileStore(join(root, 'sessions'));
			} catch (caught) {
				return caught as Error;
			}
		})();
		expect(error).toBeInstanceOf(UnsafeDirectoryError);
		expect(error?.message).toContain(`${join(root, 'sessions')} is a symbolic link`);
		expect(error?.message).toContain('mkdir -m 700');
		expect(readdirSync(real)).toEqual([]);
	});

	it('refuses a dangling symlink without creating its target', () => {
		const root = tempRoot();
		symlinkSync(join(root, 'nowhere'), join(root, 'sessions'));
		expect(() => new FileStore(join(root, 'sessions'))).toThrow(UnsafeDirectoryError);
		expect(existsSync(join(root, 'nowhere'))).toBe(false);
	});

	it('refuses a path that is a file', () => {
		const dir = sessionsDir();
		writeFileSync(dir, 'x');
		expect(() => new FileStore(dir)).toThrow(/exists but is not a directory/);
		expect(() => new FileStore(join(dir, 'below'))).toThrow(StoreUnavailableError);
		expect(() => new FileStore(join(dir, 'below'))).toThrow(
			`cannot create the session directory ${join(dir, 'below')}: a part of the path is not a directory (ENOTDIR)`,
		);
	});

	it('refuses a directory owned by someone else', () => {
		let dir = '/';
		if (process.getuid?.() === 0) {
			dir = sessionsDir();
			mkdirSync(dir, {mode: 0o700});
			chownSync(dir, 65_534, 65_534);
		}

		expect(() => new FileStore(dir)).toThrow(UnsafeDirectoryError);
		expect(() => new FileStore(dir)).toThrow(/belongs to uid \d+, not to you .*chown/);
	});

	it('refuses a directory that group or others can write to', () => {
		for (const unsafe of [0o777, 0o770, 0o702]) {
			const dir = sessionsDir();
			mkdirSync(dir);
			chmodSync(dir, unsafe);
			expect(() => new FileStore(dir)).toThrow(UnsafeDirectoryError);
			expect(() => new FileStore(dir)).toThrow(`chmod 700 '${dir}'`);
		}
	});

	it('refuses an empty directory name', () => {
		expect(() => new FileStore('')).toThrow(TypeError);
	});

	it('defaults to the stacktower config directory from env-paths', () => {
		const root = tempRoot();
		const previous = process.env.XDG_CONFIG_HOME;
		process.env.XDG_CONFIG_HOME = root;
		try {
			expect(defaultSessionsDir()).toBe(join(root, 'stacktower', 'sessions'));
			expect(new FileStore().path()).toBe(join(root, 'stacktower', 'sessions'));
			expect(mode(join(root, 'stacktower', 'sessions'))).toBe(0o700);
		} finally {
			if (previous === undefined) delete process.env.XDG_CONFIG_HOME;
			else process.env.XDG_CONFIG_HOME = previous;
		}
	});
});

describe('FileStore: reading Go-written files', () => {
	const NOW = Date.parse('2026-11-26T17:00:00Z');

	function goDir(): string {
		const dir = sessionsDir();
		mkdirSync(dir, {mode: 0o700});
		for (const name of readdirSync(fixtures)) {
			copyFileSync(join(fixtures, name), join(dir, name));
			chmodSync(join(dir, name), 0o600);
		}

		return dir;
	}

	it('lists every fixture as a session with the right fields', async () => {
		const dir = goDir();
		const store = new FileStore(dir, {now: () => NOW});
		const entries = await store.list();
		expect(entries.map((entry) => entry.id).sort()).toEqual(fixtureIds);
		for (const entry of entries) {
			expect(entry.kind).toBe('session');
			expect(entry.location).toBe(join(dir, `${entry.id}.json`));
		}

		const berlin = entries.find((entry) => entry.id === 'active-berlin');
		expect(berlin?.kind === 'session' && berlin.session.expiresAt.toISOString()).toBe(
			'2098-06-01T08:00:00.987Z',
		);
	});

	it('gets the active ones, and an expired one is ExpiredError and removed', async () => {
		const dir = goDir();
		const store = new FileStore(dir, {now: () => NOW});
		const github = await store.get('github');
		expect(github?.user?.login).toBe('octocat');
		expect(github?.createdAt.toISOString()).toBe('2026-01-02T03:04:05.123Z');
		expect((await store.get('no-user-session'))?.user).toBeNull();
		const error = await rejection(store.get('expired-india'));
		expect(error).toMatchObject({code: 'EXPIRED'});
		expect(existsSync(join(dir, 'expired-india.json'))).toBe(false);
		expect(await store.get('expired-india')).toBeNull();
	});

	it('cleanup removes exactly the two expired fixtures', async () => {
		const dir = goDir();
		const store = new FileStore(dir, {now: () => NOW});
		expect(await store.cleanup()).toBe(2);
		expect(readdirSync(dir).sort()).toEqual([
			'active-berlin.json',
			'github.json',
			'local-session.json',
			'no-user-session.json',
		]);
	});

	it('writes a session back byte for byte as Go wrote it', async () => {
		const dir = sessionsDir();
		const store = new FileStore(dir, {now: () => NOW});
		const original = readFileSync(join(fixtures, 'no-user-session.json'), 'utf8');
		await store.set(decodeSession(original));
		expect(readFileSync(join(dir, 'no-user-session.json'), 'utf8')).toBe(original);
	});
});

describe('FileStore: get', () => {
	it('is null for an absent session, and for any id once the directory is gone', async () => {
		const dir = sessionsDir();
		const store = new FileStore(dir);
		expect(await store.get('github')).toBeNull();
		rmSync(dir, {recursive: true});
		expect(await store.get('github')).toBeNull();
	});

	it('is a CorruptError for a file that is not a session, which stays, its bytes unquoted', async () => {
		const dir = sessionsDir();
		const store = new FileStore(dir);
		const file = join(dir, 'broken.json');
		writeFileSync(file, `{"id": "broken", "access_token": "${TOKEN}"`);
		const error = await rejection(store.get('broken'));
		expect(error).toBeInstanceOf(CorruptError);
		expect(error.message).toBe(`${file} is not a valid session: not valid JSON`);
		expect(error.message).not.toContain(TOKEN);
		expect(readFileSync(file, 'utf8')).toContain(TOKEN);
	});

	it('is a CorruptError when the id field does not match the file name', async () => {
		const dir = sessionsDir();
		const store = new FileStore(dir);
		writeFileSync(join(dir, 'github.json'), encodeSession(live('someone-else')));
		expect((await rejection(store.get('github'))).message).toContain(
			'the id field does not match the file name',
		);
	});

	it('never follows a symlink, not even to a valid session', async () => {
		const root = tempRoot();
		const store = new FileStore(join(root, 'sessions'));
		writeFileSync(join(root, 'outside.json'), encodeSession(live('y')));
		const before = snapshot(root);
		symlinkSync(join(root, 'outside.json'), join(root, 'sessions', 'y.json'));
		const error = await rejection(store.get('y'));
		expect(error).toBeInstanceOf(CorruptError);
		expect(error.message).toContain('symbolic link');
		expect(snapshot(root)).toMatchObject(before);
	});

	it('is a CorruptError without reading for a directory, a FIFO and a file over 1 MiB', async () => {
		const dir = sessionsDir();
		const store = new FileStore(dir);
		mkdirSync(join(dir, 'x.json'));
		mkfifo(join(dir, 'fifo.json'));
		writeFileSync(join(dir, 'big.json'), Buffer.alloc(5 * 1024 * 1024, 0x20));
		expect((await rejection(store.get('x'))).message).toContain('it is a directory');
		expect((await rejection(store.get('fifo'))).message).toContain('not a regular file');
		expect((await rejection(store.get('big'))).message).toContain('larger than 1 MiB');
	});

	it('reads a session file of exactly 1 MiB, and refuses one byte more', async () => {
		const dir = sessionsDir();
		const store = new FileStore(dir);
		const session = live('padded');
		const text = encodeSession(session);
		const file = join(dir, 'padded.json');
		writeFileSync(file, text + ' '.repeat(MAX_SESSION_FILE_BYTES - text.length));
		expect(await store.get('padded')).toEqual(session);
		writeFileSync(file, text + ' '.repeat(MAX_SESSION_FILE_BYTES - text.length + 1));
		expect((await rejection(store.get('padded'))).message).toContain('larger than 1 MiB');
	});
});

describe('FileStore: set', () => {
	it("writes Go's format, 0600, by rename: a new inode and no temp file left", async () => {
		const dir = sessionsDir();
		const store = new FileStore(dir);
		const first = live('github');
		await store.set(first);
		const file = join(dir, 'github.json');
		expect(readFileSync(file, 'utf8')).toBe(encodeSession(first));
		const inode = statSync(file).ino;
		const second = live('github', {user: null});
		await store.set(second);
		expect(readFileSync(file, 'utf8')).toBe(encodeSession(second));
		expect(statSync(file).ino).not.toBe(inode);
		expect(mode(file)).toBe(0o600);
		expect(readdirSync(dir)).toEqual(['github.json']);
		const wire = JSON.parse(readFileSync(file, 'utf8'));
		expect(Object.keys(wire)).toEqual(['id', 'access_token', 'user', 'expires_at', 'created_at']);
		expect(wire.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
	});

	it('replaces a symlink planted as <id>.json instead of writing through it', async () => {
		const root = tempRoot();
		const store = new FileStore(join(root, 'sessions'));
		writeFileSync(join(root, 'target'), 'precious');
		symlinkSync(join(root, 'target'), join(root, 'sessions', 'github.json'));
		await store.set(live('github'));
		expect(readFileSync(join(root, 'target'), 'utf8')).toBe('precious');
		expect(lstatSync(join(root, 'sessions', 'github.json')).isFile()).toBe(true);
	});

	it('fails with a clear error when <id>.json is a directory, leaving no temp file', async () => {
		const dir = sessionsDir();
		const store = new FileStore(dir);
		mkdirSync(join(dir, 'github.json'));
		const error = await rejection(store.set(live('github')));
		expect(error).toBeInstanceOf(StoreUnavailableError);
		expect(error.message).toContain(`cannot save session "github" in ${dir}`);
		expect(readdirSync(dir)).toEqual(['github.json']);
	});

	it('makes the directory again (0700) if it was removed', async () => {
		const dir = sessionsDir();
		const store = new FileStore(dir);
		rmSync(dir, {recursive: true});
		await store.set(live('github'));
		expect(mode(dir)).toBe(0o700);
		expect((await store.get('github'))?.id).toBe('github');
	});
});

describe('FileStore: delete', () => {
	it('removes a symlink entry itself, never its target', async () => {
		const root = tempRoot();
		const store = new FileStore(join(root, 'sessions'));
		writeFileSync(join(root, 'target'), 'precious');
		symlinkSync(join(root, 'target'), join(root, 'sessions', 'y.json'));
		await store.delete('y');
		expect(readdirSync(join(root, 'sessions'))).toEqual([]);
		expect(readFileSync(join(root, 'target'), 'utf8')).toBe('precious');
	});

	it('refuses to delete a directory named <id>.json, with a clear error', async () => {
		const dir = sessionsDir();
		const store = new FileStore(dir);
		mkdirSync(join(dir, 'x.json'));
		const error = await rejection(store.delete('x'));
		expect(error).toBeInstanceOf(CorruptError);
		expect(error.message).toContain('remove it by hand');
		expect(existsSync(join(dir, 'x.json'))).toBe(true);
	});
});

describe('FileStore: bad ids', () => {
	it('rejects every bad id in every method before touching the file system', async () => {
		const root = tempRoot();
		const dir = join(root, 'sessions');
		const store = new FileStore(dir);
		// With a file where the directory was, any file-system call would fail differently
		// (ENOTDIR); only a check made before any call can answer InvalidIdError.
		rmSync(dir, {recursive: true});
		writeFileSync(dir, 'not a directory');
		const before = snapshot(root);
		for (const id of [...BAD_IDS, `${root}/x`, '../sessions']) {
			for (const call of [
				() => store.get(id as string),
				() => store.delete(id as string),
				() => store.set({...live('ok'), id: id as string}),
			]) {
				expect(await rejection(call())).toBeInstanceOf(InvalidIdError);
			}
		}

		expect(snapshot(root)).toEqual(before);
	});
});

describe('FileStore: list and cleanup on a directory of garbage', () => {
	async function garbage() {
		const root = tempRoot();
		const dir = join(root, 'sessions');
		const store = new FileStore(dir);
		const good = live('good');
		const old = expired('old');
		await store.set(good);
		await store.set(old);
		await store.set(live('no-user', {user: null}));
		writeFileSync(join(dir, 'empty.json'), '');
		writeFileSync(join(dir, 'truncated.json'), encodeSession(live('truncated')).slice(0, 50));
		writeFileSync(join(dir, 'shape.json'), `["${TOKEN}"]`);
		writeFileSync(join(dir, 'big.json'), Buffer.alloc(5 * 1024 * 1024, 0x7b));
		writeFileSync(join(dir, 'mismatch.json'), encodeSession(live('other')));
		writeFileSync(join(dir, 'expired-mismatch.json'), encodeSession(expired('other')));
		writeFileSync(
			join(dir, 'bad-id.json'),
			encodeSession(live('bad-id')).replace('"id": "bad-id"', '"id": "../x"'),
		);
		writeFileSync(join(dir, '.hidden.json'), encodeSession(live('hidden')));
		writeFileSync(join(dir, 'bad name.json'), encodeSession(live('bad')));
		writeFileSync(join(dir, '.tmp-good-0123456789abcdef'), encodeSession(live('good')));
		writeFileSync(join(dir, 'notes.txt'), 'not a session');
		mkdirSync(join(dir, 'x.json'));
		mkfifo(join(dir, 'fifo.json'));
		writeFileSync(join(root, 'outside.json'), encodeSession(expired('y')));
		symlinkSync(join(root, 'outside.json'), join(dir, 'y.json'));
		mkfifo(join(root, 'outside-fifo'));
		symlinkSync(join(root, 'outside-fifo'), join(dir, 'z.json'));
		return {root, dir, store, good, old};
	}

	const expectedUnreadable: Record<string, string> = {
		empty: 'the file is empty',
		truncated: 'not valid JSON',
		shape: 'not a JSON object',
		big: 'it is larger than 1 MiB',
		mismatch: 'the id field does not match the file name',
		'expired-mismatch': 'the id field does not match the file name',
		'bad-id': 'id is not a valid session id',
		'.hidden': 'not a valid session id file name',
		'bad name': 'not a valid session id file name',
		x: 'it is a directory, not a file',
		fifo: 'it is not a regular file',
		y: 'it is a symbolic link (not followed)',
		z: 'it is a symbolic link (not followed)',
	};

	function byId(entries: ListEntry[]): Record<string, string> {
		return Object.fromEntries(
			entries.map((entry) => [entry.id, entry.kind === 'session' ? 'session' : entry.reason]),
		);
	}

	it('list reports each entry with its reason, and reads, follows or deletes nothing', async () => {
		const {root, dir, store, good, old} = await garbage();
		const before = snapshot(root);
		const entries = await store.list();
		expect(byId(entries)).toEqual({
			good: 'session',
			old: 'session',
			'no-user': 'session',
			...expectedUnreadable,
		});
		const goodEntry = entries.find((entry) => entry.id === 'good');
		expect(goodEntry).toEqual({
			kind: 'session',
			id: 'good',
			session: good,
			location: join(dir, 'good.json'),
		});
		expect(entries.find((entry) => entry.id === 'old')).toMatchObject({session: old});
		for (const entry of entries) {
			if (entry.kind === 'unreadable') expect(entry.reason).not.toContain(TOKEN);
		}

		expect(byId(await store.list())).toEqual(byId(entries));
		expect(snapshot(root)).toEqual(before);
	});

	it('cleanup removes only the expired session and leaves every unreadable entry', async () => {
		const {root, dir, store} = await garbage();
		const outside = snapshot(root);
		const inside = snapshot(dir);
		expect(await store.cleanup()).toBe(1);
		const {'old.json': removed, ...kept} = inside;
		expect(removed).toBeDefined();
		expect(snapshot(dir)).toEqual(kept);
		expect(snapshot(root)).toEqual({...outside, sessions: expect.any(String)});
		expect(await store.cleanup()).toBe(0);
		expect(byId(await store.list())).toEqual({
			good: 'session',
			'no-user': 'session',
			...expectedUnreadable,
		});
	});
});

describe('FileStore: cleanup of leftovers from killed processes', () => {
	it('sweeps temp files once stale, keeps fresh ones, and never lists either', async () => {
		const dir = sessionsDir();
		let now = Date.now();
		const store = new FileStore(dir, {now: () => now});
		writeFileSync(join(dir, '.tmp-github-0123456789abcdef'), '{"id": "gith');
		expect(await store.list()).toEqual([]);
		expect(await store.cleanup()).toBe(0);
		expect(readdirSync(dir)).toEqual(['.tmp-github-0123456789abcdef']);
		now += STALE_TEMP_MS + 1000;
		expect(await store.cleanup()).toBe(0);
		expect(readdirSync(dir)).toEqual([]);
	});

	it('ages leftovers by the file system clock, so a process clock a year ahead sweeps no fresh temp file', async () => {
		// The process clock moved, the kernel's file times not: as under a network file system
		// whose server keeps another time, or libfaketime.
		vi.useFakeTimers({toFake: ['Date'], now: Date.now() + 400 * 24 * 60 * 60 * 1000});
		try {
			const dir = sessionsDir();
			let shift = 0;
			const store = new FileStore(dir, {now: () => Date.now() + shift});
			writeFileSync(join(dir, '.tmp-github-0123456789abcdef'), '{"id": "gith');
			expect(await store.cleanup()).toBe(0);
			expect(readdirSync(dir)).toEqual(['.tmp-github-0123456789abcdef']);
			shift = STALE_TEMP_MS + 1000;
			expect(await store.cleanup()).toBe(0);
			expect(readdirSync(dir)).toEqual([]);
		} finally {
			vi.useRealTimers();
		}
	});

	it('puts back a live session a killed cleanup had claimed, unless a newer one exists', async () => {
		const dir = sessionsDir();
		let now = Date.now();
		const store = new FileStore(dir, {now: () => now});
		const claimed = live('claimed');
		writeFileSync(join(dir, '.claim-claimed-0123456789abcdef'), encodeSession(claimed));
		const older = live('rewritten');
		const newer = live('rewritten');
		writeFileSync(join(dir, '.claim-rewritten-0123456789abcdef'), encodeSession(older));
		await store.set(newer);
		writeFileSync(join(dir, '.claim-gone-0123456789abcdef'), encodeSession(expired('gone')));
		await store.cleanup();
		expect(readdirSync(dir).sort()).toHaveLength(4);
		now += STALE_TEMP_MS + 1000;
		expect(await store.cleanup()).toBe(0);
		expect(readdirSync(dir).sort()).toEqual(['claimed.json', 'rewritten.json']);
		expect(await store.get('claimed')).toEqual(claimed);
		expect(await store.get('rewritten')).toEqual(newer);
	});
});

describe('FileStore.lookup', () => {
	it('reads what list shows under one id, removing nothing, where get removes an expired session', async () => {
		const dir = sessionsDir();
		const store = new FileStore(dir);
		const old = expired('old');
		await store.set(old);
		writeFileSync(join(dir, 'broken.json'), `{"access_token": "${TOKEN}"`);
		expect(await store.lookup('old')).toEqual({
			kind: 'session',
			id: 'old',
			session: old,
			location: join(dir, 'old.json'),
		});
		const broken = await store.lookup('broken');
		expect(broken).toMatchObject({kind: 'unreadable', id: 'broken', reason: 'not valid JSON'});
		expect(JSON.stringify(broken)).not.toContain(TOKEN);
		expect(await store.lookup('absent')).toBeNull();
		await expect(store.lookup('../x')).rejects.toThrow(InvalidIdError);
		expect(readdirSync(dir).sort()).toEqual(['broken.json', 'old.json']);
		await expect(store.get('old')).rejects.toThrow(ExpiredError);
		expect(readdirSync(dir)).toEqual(['broken.json']);
	});
});

describe('FileStore: cleanup and a writer that rewrites in place', () => {
	// A writer that opened <id>.json before cleanup claimed it, and truncates and writes it only
	// after cleanup has read the claim and unlinked it (open, then ftruncate and write: the step
	// inside Go's os.WriteFile's open, made slow). It writes from cleanup's progress report,
	// which comes between the unlink and cleanup's last look at what it removed.
	function lateWriter(file: string, text: string) {
		const fd = openSync(file, 'r+');
		return {
			onProgress(done: number) {
				if (done === 0) return;
				ftruncateSync(fd);
				writeSync(fd, text, 0);
			},
			close: () => closeSync(fd),
		};
	}

	it('restores a session renewed in place after cleanup removed it', async () => {
		const dir = sessionsDir();
		const store = new FileStore(dir);
		await store.set(expired('github'));
		const renewed = live('github');
		const writer = lateWriter(join(dir, 'github.json'), encodeSession(renewed));
		try {
			expect(await store.cleanup({onProgress: writer.onProgress})).toBe(0);
		} finally {
			writer.close();
		}

		expect(readdirSync(dir)).toEqual(['github.json']);
		expect(await store.get('github')).toEqual(renewed);
		expect(mode(join(dir, 'github.json'))).toBe(0o600);
	});

	it('restores it over nothing: a session written since under the name wins', async () => {
		const dir = sessionsDir();
		const store = new FileStore(dir);
		await store.set(expired('github'));
		const newest = live('github', {accessToken: 'gho_NEWEST0123456789'});
		const writer = lateWriter(join(dir, 'github.json'), encodeSession(live('github')));
		try {
			const removed = await store.cleanup({
				onProgress(done) {
					if (done > 0) writeFileSync(join(dir, 'github.json'), encodeSession(newest));
					writer.onProgress(done);
				},
			});
			expect(removed).toBe(0);
		} finally {
			writer.close();
		}

		expect(readdirSync(dir)).toEqual(['github.json']);
		expect(await store.get('github')).toEqual(newest);
	});
});

describe('FileStore: large directories', () => {
	function fill(dir: string, count: number): void {
		for (let i = 0; i < count; i++) {
			const session = i % 3 === 0 ? expired(`s${i}`) : live(`s${i}`);
			writeFileSync(join(dir, `s${i}.json`), encodeSession(session), {mode: 0o600});
		}
	}

	it('list reports progress chunk by chunk and lets the event loop run between chunks', async () => {
		const dir = sessionsDir();
		const store = new FileStore(dir);
		fill(dir, 2500);
		writeFileSync(join(dir, 'unrelated.txt'), '');
		let ticked = false;
		setImmediate(() => {
			ticked = true;
		});
		const calls: Array<[number, number | undefined, boolean]> = [];
		const entries = await store.list({
			onProgress: (done, total) => calls.push([done, total, ticked]),
		});
		expect(entries).toHaveLength(2500);
		expect(entries.every((entry) => entry.kind === 'session')).toBe(true);
		expect(calls[0]).toEqual([0, 2500, false]);
		expect(calls.at(-1)).toEqual([2500, 2500, true]);
		expect(calls.length).toBeGreaterThanOrEqual(3);
		const dones = calls.map(([done]) => done);
		expect([...dones].sort((a, b) => a - b)).toEqual(dones);
	});

	it('list and cleanup stop when the signal aborts', async () => {
		const dir = sessionsDir();
		const store = new FileStore(dir);
		fill(dir, 2500);
		const controller = new AbortController();
		const error = await rejection(
			store.list({
				signal: controller.signal,
				onProgress: (done) => {
					if (done > 0) controller.abort();
				},
			}),
		);
		expect(error.name).toBe('AbortError');
		expect((await rejection(store.cleanup({signal: controller.signal}))).name).toBe('AbortError');
		expect(readdirSync(dir)).toHaveLength(2500);
	});

	it('each hands over what list returns, in batches, and waits for a promise before the next', async () => {
		const dir = sessionsDir();
		const store = new FileStore(dir);
		fill(dir, 2500);
		writeFileSync(join(dir, 'bad id!.json'), '');
		const listed = await store.list();
		const handed: ListEntry[] = [];
		let release: (() => void) | undefined;
		let waiting = 0;
		const done = store.each({
			onEntry: (entry) => {
				handed.push(entry);
				// Hold the first batch back, as a full pipe would.
				if (handed.length === 1) {
					waiting++;
					return new Promise<void>((resolve) => {
						release = resolve;
					});
				}

				return undefined;
			},
		});
		// The first batch (1,000 entries) is read; the rest waits for the promise, however
		// long the event loop runs.
		for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
		expect(handed).toHaveLength(1000);
		expect(release).toBeDefined();
		release?.();
		await done;
		expect(waiting).toBe(1);
		expect(handed).toEqual(listed);
		expect(handed.find((entry) => entry.id === 'bad id!')).toMatchObject({kind: 'unreadable'});
	});

	it('cleanup counts every expired session of a large directory', async () => {
		const dir = sessionsDir();
		const store = new FileStore(dir);
		fill(dir, 2500);
		const calls: number[] = [];
		expect(await store.cleanup({onProgress: (done) => calls.push(done)})).toBe(834);
		expect(readdirSync(dir)).toHaveLength(2500 - 834);
		expect(calls.at(-1)).toBe(2500);
	});
});

describe('FileStore: a session refreshed between the read and the removal', () => {
	it('get keeps the refreshed session it would otherwise have removed', async () => {
		// get() reads an expired session, asks the clock, then removes it. Here the clock is the
		// moment another process refreshes the file, as a writer does: temp file, rename. The
		// removal must notice that the file is no longer the one it read and keep the new one.
		const dir = sessionsDir();
		const old = live('github', {expiresAt: new Date(Date.parse('2030-01-01T00:00:00Z'))});
		const refreshed = live('github', {expiresAt: new Date(Date.parse('2032-01-01T00:00:00Z'))});
		let refreshes = 0;
		const store = new FileStore(dir, {
			now() {
				if (refreshes++ === 0) {
					writeFileSync(join(dir, 'writer.tmp'), encodeSession(refreshed));
					renameSync(join(dir, 'writer.tmp'), join(dir, 'github.json'));
				}

				return Date.parse('2031-01-01T00:00:00Z');
			},
		});
		await store.set(old);
		expect((await rejection(store.get('github'))).name).toBe('ExpiredError');
		expect(readdirSync(dir)).toEqual(['github.json']);
		expect(readFileSync(join(dir, 'github.json'), 'utf8')).toBe(encodeSession(refreshed));
		expect(await store.get('github')).toEqual(refreshed);
	});

	it('get removes the very file it read when nothing changed', async () => {
		const dir = sessionsDir();
		const store = new FileStore(dir);
		await store.set(expired('old'));
		expect((await rejection(store.get('old'))).name).toBe('ExpiredError');
		expect(readdirSync(dir)).toEqual([]);
	});
});

describe('FileStore: unreadable file contents', () => {
	it('lists a truncated file as unreadable after a writer died mid-way', async () => {
		const dir = sessionsDir();
		const store = new FileStore(dir);
		await store.set(live('cut'));
		truncateSync(join(dir, 'cut.json'), 10);
		expect(await store.list()).toEqual([
			{kind: 'unreadable', id: 'cut', reason: 'not valid JSON', location: join(dir, 'cut.json')},
		]);
	});
});
