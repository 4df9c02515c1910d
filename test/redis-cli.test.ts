// `--redis URL` as a user runs it: the built CLI (plain commands as child processes, the
// inspector in a real pseudo-terminal) against a real redis-server. Each test uses a Redis
// database of its own (redis://HOST:PORT/N), so the default key prefix is shared safely.
import {spawn} from 'node:child_process';
import {createClient} from 'redis';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {encodeSession} from '../source/session/codec.js';
import {RedisStore} from '../source/session/redis/index.js';
import type {Session} from '../source/session/session.js';
import {builtCli, cliEnv, runCli} from './helpers/cli.js';
import {FakeGitHub} from './helpers/fake-github.js';
import {killAllPtys, type PtySession, spawnCli} from './helpers/pty.js';
import {
	freePort,
	type RedisServer,
	redisServerAvailable,
	startRedisServer,
	waitFor,
} from './helpers/redis-server.js';
import {makeSession, makeUser} from './helpers/session-dir.js';

const available = redisServerAvailable();
const HOUR = 60 * 60 * 1000;
const PREFIX = 'stacktower:session:';

let nextDb = 1;

type Db = {
	/** The URL of this test's database. */
	readonly url: string;
	readonly raw: ReturnType<typeof createClient>;
	/** Stores sessions through RedisStore, as a stacktower server would. */
	store(...sessions: Session[]): Promise<void>;
	keys(): Promise<string[]>;
};

describe.skipIf(!available)('--redis', () => {
	let server: RedisServer;
	const clients: Array<ReturnType<typeof createClient>> = [];

	beforeAll(async () => {
		server = await startRedisServer();
	});

	afterAll(async () => {
		killAllPtys();
		for (const client of clients) client.destroy();
		await server?.stop();
	});

	async function db(): Promise<Db> {
		// Databases 1–15 (0 is left alone); Redis has 16 by default.
		const url = `${server.url}/${nextDb++}`;
		const raw = createClient({url});
		raw.on('error', () => {});
		await raw.connect();
		clients.push(raw);
		return {
			url,
			raw,
			async store(...sessions) {
				const store = await RedisStore.open(url);
				try {
					for (const session of sessions) await store.set(session);
				} finally {
					await store.close();
				}
			},
			async keys() {
				return (await raw.keys('*')).sort();
			},
		};
	}

	describe('plain commands', () => {
		test('list --json shows the sessions in Redis, unreadable keys included, tokens masked', async () => {
			const {url, raw, store} = await db();
			await store(
				makeSession('github', HOUR, {user: makeUser('octocat')}),
				makeSession('no-user', 2 * HOUR, {user: null}),
			);
			await raw.set(`${PREFIX}broken`, '{"id": "broken", "access_token": "gho_LEAKED', {PX: HOUR});
			// Expired by our clock but still present: written without a TTL by another tool.
			await raw.set(`${PREFIX}stale`, encodeSession(makeSession('stale', -HOUR)));

			const result = await runCli(['list', '--json', '--redis', url]);
			expect(result.stderr).toBe('');
			expect(result.code).toBe(0);
			const entries = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
			const byId = new Map(entries.map((e) => [e.id, e]));
			expect([...byId.keys()].sort()).toEqual(['broken', 'github', 'no-user', 'stale']);
			expect(byId.get('github')).toMatchObject({status: 'active', user: {login: 'octocat'}});
			expect(byId.get('no-user')).toMatchObject({status: 'active', user: null});
			expect(byId.get('stale')).toMatchObject({status: 'expired'});
			expect(byId.get('broken')).toMatchObject({status: 'unreadable', error: 'not valid JSON'});
			expect(result.stdout).not.toContain('gho_LEAKED');
			expect(result.stdout).not.toContain('SECRET0123456789abcdef');
		});

		test('list shows the table with the Redis URL, and STACKTOWER_REDIS_URL works too', async () => {
			const {url, store} = await db();
			await store(makeSession('github', HOUR, {user: makeUser('octocat')}));
			const flag = await runCli(['list', '--redis', url]);
			expect(flag.code).toBe(0);
			expect(flag.stdout).toContain(`1 session in ${url}`);
			expect(flag.stdout).toMatch(/github\s+@octocat/);

			const env = await runCli(['list'], {env: {STACKTOWER_REDIS_URL: url}});
			expect(env.code).toBe(0);
			expect(env.stdout).toMatch(/github\s+@octocat/);
			expect(env.stdout).toContain(`1 session in ${url}`);
		});

		test('cleanup removes the present-but-expired sessions and says how many', async () => {
			const {url, raw, store, keys} = await db();
			await store(makeSession('live', HOUR));
			for (const id of ['old-1', 'old-2']) {
				await raw.set(`${PREFIX}${id}`, encodeSession(makeSession(id, -HOUR)));
			}

			await raw.set(`${PREFIX}broken`, 'not json', {PX: HOUR});
			const result = await runCli(['cleanup', '--redis', url]);
			expect(result.stderr).toBe('');
			expect(result.code).toBe(0);
			expect(result.stdout).toBe(`removed 2 expired sessions from ${url}\n`);
			expect(await keys()).toEqual([`${PREFIX}broken`, `${PREFIX}live`]);

			const again = await runCli(['cleanup', '--redis', url]);
			expect(again.stdout).toBe(`removed 0 expired sessions from ${url}\n`);
		});

		test('delete removes the keys named; an absent id exits 1', async () => {
			const {url, raw, store, keys} = await db();
			await store(
				makeSession('github', HOUR, {user: makeUser('octocat')}),
				makeSession('other', HOUR),
			);
			await raw.set(`${PREFIX}broken`, '[1, 2]', {PX: HOUR});
			const result = await runCli(['delete', 'github', 'broken', '--redis', url]);
			expect(result.stderr).toBe('');
			expect(result.code).toBe(0);
			expect(result.stdout).toBe('deleted github (@octocat)\ndeleted broken\n');
			expect(await keys()).toEqual([`${PREFIX}other`]);

			const absent = await runCli(['delete', 'nope', '--redis', url]);
			expect(absent.code).toBe(1);
			expect(absent.stderr).toContain(`no session nope in ${url}`);
		});

		test('an unreachable server: exit 1 at once with a message naming it, no password shown', async () => {
			const port = await freePort();
			for (const args of [
				['list', '--redis', `redis://127.0.0.1:${port}`],
				['list', '--json', '--redis', `redis://:hunter2@127.0.0.1:${port}/3`],
				['cleanup', '--redis', `redis://127.0.0.1:${port}`],
				['delete', 'github', '--redis', `redis://127.0.0.1:${port}`],
			]) {
				const result = await runCli(args, {timeoutMs: 20_000});
				expect(result.code, args.join(' ')).toBe(1);
				expect(result.stdout, args.join(' ')).toBe('');
				expect(result.stderr).toContain(`127.0.0.1:${port}`);
				expect(result.stderr).toContain('connection refused');
				expect(result.stderr).not.toContain('hunter2');
			}
		});

		test('a bad URL is a usage error that never echoes a password', async () => {
			for (const url of ['http://127.0.0.1:6379', 'not a url', 'redis://:hunter2@[::1']) {
				const result = await runCli(['list', '--redis', url]);
				expect(result.code, url).toBe(2);
				expect(result.stderr, url).toMatch(/redis:\/\//);
				expect(result.stderr, url).not.toContain('hunter2');
				expect(result.stdout).toBe('');
			}
		});
	});

	test('login --redis saves the session in Redis; the state is used once and gone', async () => {
		const {url, raw} = await db();
		const fake = await FakeGitHub.start();
		let child: ReturnType<typeof spawn> | undefined;
		try {
			child = spawn(
				process.execPath,
				[
					await builtCli(),
					'login',
					'--no-browser',
					'--client-id',
					fake.clientId,
					'--github-host',
					fake.url,
					'--redis',
					url,
				],
				{env: cliEnv({STACKTOWER_GITHUB_CLIENT_SECRET: fake.clientSecret}), stdio: 'pipe'},
			);
			let stderr = '';
			child.stderr?.on('data', (chunk: Buffer) => {
				stderr += chunk.toString();
			});
			const running = child;
			const exited = new Promise<number | null>((resolve) => running.on('close', resolve));
			await waitFor(() => /open this URL in your browser:\n\n {2}\S+\n/.test(stderr), 'the URL');
			const authorize = /open this URL in your browser:\n\n {2}(\S+)\n/.exec(stderr)?.[1] ?? '';
			// The state the login generated waits in Redis, with a TTL.
			const states = await raw.keys('stacktower:state:*');
			expect(states).toHaveLength(1);
			expect(await raw.pTTL(states[0] ?? '')).toBeGreaterThan(0);

			const redirect = await fetch(authorize, {redirect: 'manual'});
			const callback = new URL(redirect.headers.get('location') ?? '');
			expect((await fetch(callback)).status).toBe(200);
			expect(await exited).toBe(0);
			expect(stderr).toContain('saved session "github"');
			expect(await raw.keys('stacktower:state:*')).toEqual([]);
			const saved = await raw.get(`${PREFIX}github`);
			expect(JSON.parse(saved ?? '{}')).toMatchObject({id: 'github', user: {login: 'octocat'}});
			expect(await raw.pTTL(`${PREFIX}github`)).toBeGreaterThan(0);
		} finally {
			if (child?.exitCode === null) child.kill('SIGKILL');
			await fake.close();
		}
	});

	describe('the inspector', () => {
		/** The screen line showing the session `id` (ids are the first column). */
		function rowOf(screen: string, id: string): string | undefined {
			return screen.split('\n').find((line) => new RegExp(`^[❯ ] ${id}\\s`).test(line));
		}

		async function select(p: PtySession, id: string): Promise<void> {
			for (let i = 0; i < 20; i++) {
				const screen = p.screenText();
				const current = screen.split('\n').find((line) => line.startsWith('❯'));
				if (current && rowOf(screen, id) === current) return;
				p.press('j');
				await p.waitFor((next) => next.split('\n').find((l) => l.startsWith('❯')) !== current);
			}

			throw new Error(`could not select ${id}; screen:\n${p.screenText()}`);
		}

		test('shows the sessions in Redis; d then y deletes the key', async () => {
			const {url, raw, store, keys} = await db();
			await store(
				makeSession('github', HOUR, {user: makeUser('octocat', {name: 'Mona Octocat'})}),
				makeSession('keeper', 2 * HOUR, {user: makeUser('keeper')}),
			);
			await raw.set(`${PREFIX}broken`, '{"access_token": "gho_LEAKED', {PX: HOUR});
			const p = await spawnCli({args: ['--redis', url]});
			const screen = await p.ready((s) =>
				['github', 'keeper', 'broken'].every((id) => rowOf(s, id)),
			);
			expect(screen).toContain(url);
			expect(screen).toMatch(/2 active · 0 expired · 1 unreadable/);
			expect(rowOf(screen, 'github')).toMatch(/@octocat {2}Mona Octocat/);
			expect(rowOf(screen, 'broken')).toContain('unreadable: not valid JSON');

			await select(p, 'github');
			p.press('d');
			await p.waitFor('delete github (@octocat)? y/n');
			p.press('y');
			await waitFor(async () => (await raw.exists(`${PREFIX}github`)) === 0, 'the key to go');
			await p.waitFor((s) => rowOf(s, 'github') === undefined && rowOf(s, 'keeper') !== undefined);
			expect(await keys()).toEqual([`${PREFIX}broken`, `${PREFIX}keeper`]);
			expect(p.output()).not.toContain('gho_LEAKED');
			expect(p.output()).not.toContain('SECRET0123456789abcdef');
			p.press('q');
			expect((await p.exit).exitCode).toBe(0);
		});

		test('c then y removes the present-but-expired sessions from Redis', async () => {
			const {url, raw, store, keys} = await db();
			await store(makeSession('live', HOUR));
			for (const id of ['old-1', 'old-2']) {
				await raw.set(`${PREFIX}${id}`, encodeSession(makeSession(id, -HOUR)));
			}

			const p = await spawnCli({args: ['--redis', url]});
			await p.ready(/1 active · 2 expired · 0 unreadable/);
			p.press('c');
			// The question names the sessions; both expired within a moment of each other.
			await p.waitFor((s) =>
				/remove 2 expired sessions \((?:old-1, old-2|old-2, old-1)\)\? y\/n/.test(s),
			);
			p.press('y');
			await p.waitFor((s) => s.includes('removed 2 expired sessions') && s.includes('0 expired'));
			expect(await keys()).toEqual([`${PREFIX}live`]);
			p.press('q');
			expect((await p.exit).exitCode).toBe(0);
		});

		test('--redis-events merges the flags it needs into notify-keyspace-events, and a session written elsewhere appears live', async () => {
			// A server of its own: the setting is server-wide.
			const events = await startRedisServer({args: ['--notify-keyspace-events', 'Elm']});
			const raw = createClient({url: events.url});
			raw.on('error', () => {});
			try {
				await raw.connect();
				const flags = async () =>
					(await raw.configGet('notify-keyspace-events'))['notify-keyspace-events'] ?? '';
				await raw.set(`${PREFIX}first`, encodeSession(makeSession('first', HOUR)), {PX: HOUR});
				const p = await spawnCli({args: ['--redis', events.url, '--redis-events']});
				await p.ready((s) => rowOf(s, 'first') !== undefined);
				await waitFor(async () => {
					const now = await flags();
					return [...'ElmKg$xe'].every((flag) => now.includes(flag));
				}, 'the flags to be merged');
				// The inspector's subscription: one pattern.
				await waitFor(
					async () => Number(await raw.sendCommand(['PUBSUB', 'NUMPAT'])) === 1,
					'the inspector to subscribe',
				);
				await raw.set(
					`${PREFIX}live`,
					encodeSession(makeSession('live', HOUR, {user: makeUser('writer')})),
					{PX: HOUR},
				);
				await p.waitFor((s) => /@writer/.test(rowOf(s, 'live') ?? ''));
				p.press('q');
				expect((await p.exit).exitCode).toBe(0);
			} finally {
				raw.destroy();
				await events.stop();
			}
		});

		// Kills the file's server: keep it the last test that needs one.
		test('Redis killed while it runs: an error naming the server; back again: the rows return', async () => {
			const {url, store} = await db();
			await store(makeSession('github', HOUR, {user: makeUser('octocat')}));
			const p = await spawnCli({args: ['--redis', url]});
			await p.ready((s) => rowOf(s, 'github') !== undefined);

			await server.kill();
			// The inspector rescans on its own (about every second without a directory to watch).
			const failed = await p.waitFor(`Redis at 127.0.0.1:${server.port} is unavailable`);
			expect(failed).toContain('redis-server');

			await server.restart();
			// No persistence: the restarted server is empty until a stacktower server writes again.
			await store(makeSession('github', HOUR, {user: makeUser('octocat')}));
			await p.waitFor((s) => rowOf(s, 'github') !== undefined && !s.includes('unavailable'));
			p.press('q');
			expect((await p.exit).exitCode).toBe(0);
		});

		test('an unreachable server is a clear message naming it, not a hang', async () => {
			const port = await freePort();
			const p = await spawnCli({args: ['--redis', `redis://:hunter2@127.0.0.1:${port}`]});
			const screen = await p.waitFor('connection refused');
			expect(screen).toContain(`127.0.0.1:${port}`);
			expect(p.output()).not.toContain('hunter2');
			// An error screen that keeps retrying (the plain commands exit 1 instead); q leaves it.
			await p.ready(/Cannot read the sessions[\s\S]*q to quit/);
			p.press('q');
			expect((await p.exit).exitCode).toBe(0);
		});
	});
});
