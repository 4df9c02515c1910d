// `copy` as a user runs it: the built CLI as a real child process, between real session
// directories and a real redis-server (one database per test), and a real Redis Cluster once.
import {spawn} from 'node:child_process';
import {
	chmodSync,
	chownSync,
	lstatSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	statSync,
	symlinkSync,
} from 'node:fs';
import path from 'node:path';
import {createClient} from 'redis';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {encodeSession} from '../source/session/codec.js';
import {RedisStore} from '../source/session/redis/index.js';
import type {Session} from '../source/session/session.js';
import {builtCli, cliEnv, runCli} from './helpers/cli.js';
import {
	freePort,
	type RedisServer,
	redisServerAvailable,
	startRedisCluster,
	startRedisServer,
	userWritingOnly,
	waitFor,
} from './helpers/redis-server.js';
import {
	fixtureTokens,
	idsIn,
	makeSession,
	makeSessionDir,
	writeSession,
} from './helpers/session-dir.js';

const HOUR = 60 * 60 * 1000;
const PREFIX = 'stacktower:session:';
const available = redisServerAvailable();

/** Every file of a directory with its bytes: what must survive a dry run. */
function snapshot(dir: string): Record<string, string> {
	const files: Record<string, string> = {};
	for (const name of readdirSync(dir).sort())
		files[name] = readFileSync(path.join(dir, name), 'utf8');
	return files;
}

/** A session with the extras the Go format lacks, refresh token included. */
function appSession(id: string, expiresInMs: number): Session {
	return makeSession(id, expiresInMs, {
		accessToken: `ghu_${id}ACCESS0123456789abcdef`,
		refreshToken: `ghr_${id}REFRESH0123456789abcdef`,
		refreshTokenExpiresAt: new Date(Date.now() + 100 * 24 * HOUR),
		tokenExpiresAt: new Date(Date.now() + 8 * HOUR),
		clientId: 'Iv23liRkeVtW225qGBef',
		githubHost: 'https://github.com',
	});
}

describe('copy between session directories', () => {
	test('copies, lists what it skipped and why, counts each outcome; a second run finds everything there', async () => {
		const app = appSession('app', 2 * HOUR);
		const from = makeSessionDir({
			fixtures: true,
			sessions: [app],
			// A name with a terminal escape in it: listed as unreadable, escaped.
			files: {'evil\u001b[31m.json': '{}', 'broken.json': '{"access_token": "gho_LEAKED'},
		});
		const to = path.join(makeSessionDir({fixtures: false}), 'target');
		const first = await runCli(['copy', '--from', from, '--to', to]);
		expect(first.stderr).toBe('');
		expect(first.code).toBe(0);
		const lines = first.stdout.trimEnd().split('\n');
		expect(
			lines
				.slice(0, -1)
				.filter((line) => line.startsWith('copied '))
				.sort(),
		).toEqual([
			expect.stringMatching(/^copied active-berlin \(@hubot\) · expires in /),
			expect.stringMatching(/^copied app \(@app\) · expires in 1h 59m/),
			expect.stringMatching(/^copied github \(@octocat\) · expires in /),
			expect.stringMatching(/^copied local-session \(@local\) · expires in /),
			expect.stringMatching(/^copied no-user-session · expires in /),
		]);
		expect(lines).toContain('skipped unreadable broken: not valid JSON');
		expect(lines).toContainEqual(
			expect.stringMatching(/^skipped expired expired-2020 \(@monalisa\) · expired /),
		);
		expect(lines).toContainEqual(expect.stringMatching(/^skipped unreadable evil\\x1b\[31m: /));
		expect(lines.at(-1)).toBe(
			'copied 5 · already there 0 · kept newer at target 0 · skipped expired 2 · skipped unreadable 2',
		);
		expect(first.stdout).not.toContain('\u001b');
		for (const token of [...fixtureTokens, 'gho_LEAKED', 'ACCESS0123456789', 'REFRESH0123456789']) {
			expect(first.stdout).not.toContain(token);
		}

		// The target directory was made 0700, as a first login makes it; the refresh token came along.
		expect(statSync(to).mode & 0o777).toBe(0o700);
		expect(idsIn(to)).toEqual([
			'active-berlin',
			'app',
			'github',
			'local-session',
			'no-user-session',
		]);
		expect(readFileSync(path.join(to, 'app.json'), 'utf8')).toBe(encodeSession(app));

		const second = await runCli(['copy', '--from', from, '--to', to]);
		expect(second.code).toBe(0);
		expect(second.stdout.trimEnd().split('\n').at(-1)).toBe(
			'copied 0 · already there 5 · kept newer at target 0 · skipped expired 2 · skipped unreadable 2',
		);
	});

	test('a session that expires later at the target is kept, and said so', async () => {
		const from = makeSessionDir({fixtures: false, sessions: [makeSession('github', HOUR)]});
		const to = makeSessionDir({fixtures: false, sessions: [makeSession('github', 5 * HOUR)]});
		const before = snapshot(to);
		const result = await runCli(['copy', '--from', from, '--to', to, '--move']);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(
			/^kept newer at target github \(@github\) · there it expires in 4h 59m \d+s, here it expires in 59m \d+s; left in the source$/m,
		);
		expect(result.stdout).toMatch(/kept newer at target 1 · .* · removed from source 0$/m);
		expect(snapshot(to)).toEqual(before);
		expect(idsIn(from)).toEqual(['github']);
	});

	test('--dry-run says what it would do and changes nothing at either end', async () => {
		const from = makeSessionDir({fixtures: true});
		const to = makeSessionDir({
			fixtures: false,
			sessions: [makeSession('github', 200 * 365 * 24 * HOUR)],
		});
		const missing = path.join(to, 'not-yet');
		const before = {from: snapshot(from), to: snapshot(to)};
		const result = await runCli(['copy', '--dry-run', '--move', '--from', from, '--to', to]);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(
			/^would copy local-session \(@local\) · expires in .*, then remove it from the source$/m,
		);
		expect(result.stdout).toMatch(/^would keep newer at target github \(@octocat\)/m);
		expect(result.stdout).toMatch(/^would skip expired expired-2020/m);
		expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(
			'would copy 3 · already there 0 · would keep newer at target 1 · would skip expired 2 · would skip unreadable 0; nothing was changed (--dry-run)',
		);
		expect({from: snapshot(from), to: snapshot(to)}).toEqual(before);

		const intoMissing = await runCli(['copy', '--dry-run', '--from', from, '--to', missing]);
		expect(intoMissing.code).toBe(0);
		expect(() => lstatSync(missing)).toThrow();
	});

	test('an unsafe target directory is refused with the FileStore message, and nothing moves', async () => {
		const from = makeSessionDir({fixtures: false, sessions: [makeSession('github', HOUR)]});
		const base = makeSessionDir({fixtures: false});
		const open = path.join(base, 'open');
		mkdirSync(open);
		chmodSync(open, 0o777);
		const link = path.join(base, 'link');
		symlinkSync(makeSessionDir({fixtures: false}), link);
		const cases: Array<[string, RegExp]> = [
			[open, /The session directory .*open is writable by other users \(mode 0777\).*chmod 700/],
			[link, /The session directory .*link is a symbolic link/],
		];
		if (process.getuid?.() === 0) {
			// Only root can give a directory away; as anyone else, every directory made here is ours.
			const theirs = path.join(base, 'theirs');
			mkdirSync(theirs, {mode: 0o700});
			chownSync(theirs, 12_345, 12_345);
			cases.push([theirs, /The session directory .*theirs belongs to uid 12345, not to you/]);
		}

		for (const [target, message] of cases) {
			const result = await runCli(['copy', '--move', '--from', from, '--to', target]);
			expect(result.stdout).toBe('');
			expect(result.stderr).toMatch(/^stacktower-sessions: cannot open the target: /);
			expect(result.stderr).toMatch(message);
			expect(result.code).toBe(1);
			expect(readdirSync(target)).toEqual([]);
		}

		expect(idsIn(from)).toEqual(['github']);
	});

	test('usage errors exit 2 and name the fix', async () => {
		const dir = makeSessionDir({fixtures: false, sessions: [makeSession('github', HOUR)]});
		const cases: Array<[string[], string]> = [
			[['copy'], 'copy needs --from STORE'],
			[['copy', '--from', dir], 'copy needs --to STORE'],
			[['copy', '--from', dir, '--to', `${dir}/.`], '--from and --to name the same store'],
			[
				['copy', '--from', 'https://example.com/x', '--to', dir],
				'is neither a session directory nor a Redis URL',
			],
			[['copy', '--from', 'redis://h/not-a-db', '--to', dir], '--from is not a Redis URL'],
			[
				['copy', '--dir', dir, '--to', dir],
				'--dir does not apply to copy (it takes --from STORE and --to STORE)',
			],
			[
				[
					'copy',
					'--from',
					'redis://user:pw@127.0.0.1:6390',
					'--to',
					'redis://127.0.0.1:6390/0',
					'--move',
				],
				'--from and --to name the same store',
			],
		];
		for (const [args, message] of cases) {
			const result = await runCli(args);
			expect(result.stderr).toContain(message);
			expect(result.stderr).toContain('run stacktower-sessions copy --help for its usage');
			expect(result.stderr).not.toContain(':pw@');
			expect(result.code).toBe(2);
		}

		expect(idsIn(dir)).toEqual(['github']);
	});

	test('killed with SIGKILL half-way through a move, then run again: nothing lost, nothing twice, counts right', async () => {
		const total = 500;
		const sessions = Array.from({length: total}, (_, i) =>
			makeSession(`s${String(i).padStart(4, '0')}`, HOUR + i * 1000),
		);
		const from = makeSessionDir({fixtures: false, sessions});
		const to = makeSessionDir({fixtures: false});
		const child = spawn(
			process.execPath,
			[await builtCli(), 'copy', '--move', '--from', from, '--to', to],
			{
				env: cliEnv(),
				stdio: 'ignore',
			},
		);
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		try {
			// Killed once the target holds some of the sessions but not all.
			await waitFor(
				() => {
					const n = idsIn(to).length;
					return n > 0 && n < total;
				},
				'the copy to be half-way',
				60_000,
			);
			child.kill('SIGKILL');
			await exited;
		} finally {
			child.kill('SIGKILL');
		}

		const atTarget = new Set(idsIn(to));
		const inSource = idsIn(from);
		expect(atTarget.size).toBeLessThan(total);
		// Nothing lost: every session is at one end at least.
		expect(new Set([...atTarget, ...inSource]).size).toBe(total);
		const both = inSource.filter((id) => atTarget.has(id)).length;

		const again = await runCli(['copy', '--move', '--from', from, '--to', to], {
			timeoutMs: 120_000,
		});
		// A lock the killed run left names its dead holder (never empty), so the rerun breaks it
		// at once and never says it waits.
		expect(again.stderr).toBe('');
		expect(again.code).toBe(0);
		expect(again.stdout.trimEnd().split('\n').at(-1)).toBe(
			`copied ${(inSource.length - both).toLocaleString('en-US')} · already there ${both} · kept newer at target 0 · skipped expired 0 · skipped unreadable 0 · removed from source ${inSource.length.toLocaleString('en-US')}`,
		);
		// Every session once, at the target, as it was; the source empty but for, at most, the
		// killed run's lock on a session it had already moved (no later run locks that id again)
		// and its temp file, had it been killed while taking a lock.
		expect(
			readdirSync(from).filter((name) => !name.endsWith('.lock') && !name.startsWith('.tmp-')),
		).toEqual([]);
		// The killed writer's temp files may stay (no listing shows them; cleanup sweeps them once
		// stale).
		const left = [...readdirSync(from), ...readdirSync(to)];
		// At most the killed run's own lock, on the session it was at: stale (its process is gone),
		// so the next lock() of that id breaks it; the second run left none of its own.
		expect(left.filter((name) => name.endsWith('.lock')).length).toBeLessThanOrEqual(2);
		expect(idsIn(to)).toEqual(sessions.map((session) => session.id));
		for (const session of sessions) {
			expect(readFileSync(path.join(to, `${session.id}.json`), 'utf8')).toBe(
				encodeSession(session),
			);
		}
	}, 180_000);
});

describe.skipIf(!available)('copy with Redis', () => {
	let server: RedisServer;
	let nextDb = 1;
	const clients: Array<ReturnType<typeof createClient>> = [];

	beforeAll(async () => {
		server = await startRedisServer();
	});

	afterAll(async () => {
		for (const client of clients) client.destroy();
		await server?.stop();
	});

	async function db() {
		const url = `${server.url}/${nextDb++}`;
		const raw = createClient({url});
		raw.on('error', () => {});
		await raw.connect();
		clients.push(raw);
		return {url, raw};
	}

	test('file to Redis and back: TTLs from expires_at, extras kept, tokens never printed', async () => {
		const app = appSession('app', 3 * HOUR);
		const from = makeSessionDir({fixtures: true, sessions: [app]});
		const {url, raw} = await db();
		const there = await runCli(['copy', '--from', from, '--to', url]);
		expect(there.stderr).toBe('');
		expect(there.code).toBe(0);
		expect(there.stdout).toMatch(/^copied app \(@app\) · expires in 2h 59m/m);
		for (const token of ['ACCESS0123456789', 'REFRESH0123456789', ...fixtureTokens]) {
			expect(there.stdout).not.toContain(token);
		}

		expect(await raw.get(`${PREFIX}app`)).toBe(encodeSession(app));
		const ttl = await raw.pTTL(`${PREFIX}app`);
		expect(ttl).toBeGreaterThan(3 * HOUR - 60_000);
		expect(ttl).toBeLessThanOrEqual(3 * HOUR);

		const back = path.join(makeSessionDir({fixtures: false}), 'back');
		const result = await runCli(['copy', '--move', '--from', url, '--to', back]);
		expect(result.code).toBe(0);
		expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(
			'copied 5 · already there 0 · kept newer at target 0 · skipped expired 0 · skipped unreadable 0 · removed from source 5',
		);
		expect(readFileSync(path.join(back, 'app.json'), 'utf8')).toBe(encodeSession(app));
		expect(await raw.keys('*')).toEqual([]);
	});

	test('--dry-run into Redis writes no key, and from Redis removes none', async () => {
		const from = makeSessionDir({fixtures: true});
		const before = snapshot(from);
		const {url, raw} = await db();
		const into = await runCli(['copy', '--dry-run', '--move', '--from', from, '--to', url]);
		expect(into.code).toBe(0);
		expect(into.stdout).toMatch(/nothing was changed \(--dry-run\)$/m);
		expect(await raw.keys('*')).toEqual([]);
		expect(snapshot(from)).toEqual(before);

		await raw.set(`${PREFIX}kept`, encodeSession(makeSession('kept', HOUR)), {PX: HOUR});
		const out = await runCli(['copy', '--dry-run', '--move', '--from', url, '--to', from]);
		expect(out.code).toBe(0);
		expect(out.stdout).toMatch(
			/^would copy kept \(@kept\) · expires in 59m \d+s, then remove it from the source$/m,
		);
		expect(await raw.keys('*')).toEqual([`${PREFIX}kept`]);
		expect(snapshot(from)).toEqual(before);
	});

	test('--move with a write Redis refuses: exit 1, the store and session named, that session kept in the source', async () => {
		const {url, raw} = await db();
		const limited = await userWritingOnly(raw, url, {read: `${PREFIX}*`, write: `${PREFIX}ok-*`});
		const from = makeSessionDir({
			fixtures: false,
			sessions: [
				makeSession('ok-a', HOUR),
				makeSession('refused', HOUR),
				makeSession('ok-b', HOUR),
			],
		});
		try {
			const result = await runCli(['copy', '--move', '--from', from, '--to', limited]);
			expect(result.code).toBe(1);
			expect(result.stderr).toMatch(
				new RegExp(
					`^stacktower-sessions: failed refused \\(@refused\\): cannot write it to the target redis://copier@127\\.0\\.0\\.1:${server.port}/\\d+: .*NOPERM`,
					'm',
				),
			);
			expect(result.stderr).not.toContain('secret');
			expect(result.stdout).toMatch(
				/^copied ok-a \(@oka\) · expires in 59m \d+s; removed from the source$/m,
			);
			expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(
				'copied 2 · already there 0 · kept newer at target 0 · skipped expired 0 · skipped unreadable 0 · failed 1 · removed from source 2',
			);
			expect(idsIn(from)).toEqual(['refused']);
			expect((await raw.keys('*')).sort()).toEqual([`${PREFIX}ok-a`, `${PREFIX}ok-b`]);
		} finally {
			await raw.sendCommand(['ACL', 'DELUSER', 'copier']);
		}
	});

	test('the same Redis under two names is refused (exit 2) and nothing is removed', async () => {
		const {url, raw} = await db();
		await raw.set(`${PREFIX}github`, encodeSession(makeSession('github', HOUR)), {PX: HOUR});
		const result = await runCli([
			'copy',
			'--move',
			'--from',
			url,
			'--to',
			url.replace('127.0.0.1', 'localhost'),
		]);
		expect(result.stderr).toContain('--from and --to name the same store');
		expect(result.code).toBe(2);
		expect(await raw.keys('*')).toEqual([`${PREFIX}github`]);
	});

	test('a Redis that is not there: exit 1, saying it was the source', async () => {
		const to = makeSessionDir({fixtures: false});
		const result = await runCli([
			'copy',
			'--from',
			`redis://127.0.0.1:${await freePort()}`,
			'--to',
			to,
		]);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/^stacktower-sessions: cannot open the source: .*127\.0\.0\.1/);
		expect(readdirSync(to)).toEqual([]);
	});
});

describe.skipIf(!available)('copy with a Redis Cluster', () => {
	test('file to a cluster and from the cluster to a file: every session on whichever master holds it', async () => {
		const cluster = await startRedisCluster();
		try {
			const sessions = Array.from({length: 40}, (_, i) => makeSession(`c${i}`, HOUR + i * 1000));
			const from = makeSessionDir({fixtures: false, sessions});
			const into = await runCli(['copy', '--from', from, '--to', cluster.url]);
			expect(into.stderr).toBe('');
			expect(into.code).toBe(0);
			expect(into.stdout.trimEnd().split('\n').at(-1)).toMatch(/^copied 40 · already there 0 /);

			const store = await RedisStore.open(cluster.url);
			try {
				expect((await store.list()).map((entry) => entry.id).sort()).toEqual(
					sessions.map((session) => session.id).sort(),
				);
			} finally {
				await store.close();
			}

			const back = makeSessionDir({fixtures: false});
			writeSession(back, makeSession('c1', 10 * HOUR));
			const out = await runCli(['copy', '--move', '--from', cluster.url, '--to', back]);
			expect(out.code).toBe(0);
			expect(out.stdout.trimEnd().split('\n').at(-1)).toBe(
				'copied 39 · already there 0 · kept newer at target 1 · skipped expired 0 · skipped unreadable 0 · removed from source 39',
			);
			expect(idsIn(back)).toHaveLength(40);
			const again = await runCli(['copy', '--from', cluster.url, '--to', back]);
			expect(again.stdout.trimEnd().split('\n').at(-1)).toMatch(
				/^copied 0 · already there 0 · kept newer at target 1 /,
			);
		} finally {
			await cluster.stop();
		}
	}, 120_000);
});
