// `list` as a user runs it: the built CLI as a child process on a real session directory.
import {execFileSync, spawn} from 'node:child_process';
import {once} from 'node:events';
import {
	closeSync,
	constants,
	createReadStream,
	existsSync,
	mkdirSync,
	openSync,
	readFileSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import {Socket} from 'node:net';
import path from 'node:path';
import {describe, expect, onTestFinished, test} from 'vitest';
import type {JsonEntry} from '../source/commands/list.js';
import {renderTable} from '../source/commands/list-table.js';
import type {ListEntry} from '../source/session/store.js';
import {builtCli, cliEnv, runCli} from './helpers/cli.js';
import {fixtureTokens, makeSession, makeSessionDir, makeUser} from './helpers/session-dir.js';
import {makeTempDir} from './helpers/temp-dir.js';

const HOUR = 60 * 60 * 1000;

function scratch(): string {
	return makeTempDir('stacktower-cli-scratch-');
}

const brokenFile = {
	'broken.json': '{\n  "id": "broken",\n  "access_token": "gho_LEAKEDtoken0123456789',
};

describe('list', () => {
	test('prints a table of every session with its user, times and status, and the counts', async () => {
		const dir = makeSessionDir({
			sessions: [
				makeSession('soon', 90 * 60 * 1000, {user: makeUser('soonuser', {name: 'Soon User'})}),
			],
			files: brokenFile,
		});
		const result = await runCli(['list', '--dir', dir]);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const {stdout} = result;
		expect(stdout).toContain(`8 sessions in ${dir}: 5 active · 2 expired · 1 unreadable`);
		expect(stdout).toMatch(/^ID\s+USER\s+CREATED\s+EXPIRES IN\s+STATUS$/m);
		expect(stdout).toMatch(
			/^github\s+@octocat {2}Name of octocat\s+\S+ ago\s+\d+d \d+h\s+active$/m,
		);
		expect(stdout).toMatch(/^soon\s+@soonuser {2}Soon User\s+1h ago\s+1h 29m \d+s\s+active$/m);
		expect(stdout).toMatch(/^expired-2020\s+@monalisa.*expired \d+y ago\s+expired$/m);
		expect(stdout).toMatch(/^no-user-session\s+\(no user\)/m);
		expect(stdout).toMatch(/^broken\s+-\s+-\s+-\s+unreadable: not valid JSON$/m);
		expect(stdout).toContain(
			`remove the expired ones with: stacktower-sessions cleanup --dir ${dir}`,
		);
		// Soonest expiry first: the expired ones, then the ones running out, unreadable last.
		const order = [...stdout.matchAll(/^(\S+)\s/gm)].map((m) => m[1]);
		expect(order.indexOf('expired-2020')).toBeLessThan(order.indexOf('soon'));
		expect(order.indexOf('soon')).toBeLessThan(order.indexOf('github'));
		expect(order.at(-2)).toBe('broken');
		for (const token of [...fixtureTokens, 'gho_LEAKEDtoken0123456789', 'gho_soonSECRET']) {
			expect(stdout).not.toContain(token);
		}
	});

	test('the counts are grouped in thousands, as the total is', () => {
		const now = Date.now();
		const entries: ListEntry[] = [];
		const add = (count: number, prefix: string, expiresInMs: number) => {
			for (let i = 0; i < count; i++) {
				const session = makeSession(`${prefix}${i}`, expiresInMs);
				entries.push({kind: 'session', id: session.id, session, location: `/s/${session.id}.json`});
			}
		};
		add(1234, 'a', HOUR);
		add(1001, 'e', -HOUR);
		for (let i = 0; i < 1000; i++) {
			entries.push({
				kind: 'unreadable',
				id: `u${i}`,
				reason: 'not valid JSON',
				location: `/s/u${i}.json`,
			});
		}
		const table = renderTable(entries, now, '/s');
		expect(table.split('\n')[0]).toBe(
			'3,235 sessions in /s: 1,234 active · 1,001 expired · 1,000 unreadable',
		);
	});

	test('--json prints one array with the documented shape, tokens masked', async () => {
		const dir = makeSessionDir({files: brokenFile});
		const result = await runCli(['list', '--json', '--dir', dir]);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const entries = JSON.parse(result.stdout) as JsonEntry[];
		expect(entries.map((e) => e.id).sort()).toEqual([
			'active-berlin',
			'broken',
			'expired-2020',
			'expired-india',
			'github',
			'local-session',
			'no-user-session',
		]);
		const byId = new Map(entries.map((e) => [e.id, e]));
		const github = byId.get('github');
		expect(github).toMatchObject({
			id: 'github',
			status: 'active',
			user: {
				id: 583231,
				login: 'octocat',
				name: 'Name of octocat',
				email: 'octocat@example.com',
				avatar_url: 'https://avatars.githubusercontent.com/u/583231',
			},
			// Go-written times with nanoseconds and offsets, as ISO 8601 in UTC.
			created_at: '2026-01-02T03:04:05.123Z',
			expires_at: '2099-01-01T00:00:00.500Z',
			token: 'gho_••••••••',
		});
		expect(github?.expires_in_ms).toBeGreaterThan(0);
		expect(byId.get('active-berlin')?.expires_at).toBe('2098-06-01T08:00:00.987Z');
		const expired = byId.get('expired-india');
		expect(expired?.status).toBe('expired');
		expect(expired?.expires_at).toBe('2024-03-02T04:00:00.000Z');
		expect(expired?.expires_in_ms).toBeLessThan(0);
		expect(byId.get('no-user-session')).toMatchObject({user: null, token: '', status: 'active'});
		expect(byId.get('broken')).toMatchObject({
			status: 'unreadable',
			user: null,
			token: null,
			error: 'not valid JSON',
		});
		for (const token of [...fixtureTokens, 'gho_LEAKEDtoken0123456789']) {
			expect(result.stdout).not.toContain(token);
		}
	});

	test('--show-token prints the whole tokens, and only then', async () => {
		const dir = makeSessionDir();
		const result = await runCli(['list', '--json', '--show-token', '--dir', dir]);
		expect(result.code).toBe(0);
		const entries = JSON.parse(result.stdout) as JsonEntry[];
		expect(entries.find((e) => e.id === 'github')?.token).toBe('gho_githubTOKEN0123456789abcdef');
		for (const token of fixtureTokens) expect(result.stdout).toContain(token);
	});

	test('escape sequences in stored fields are shown escaped, never written raw', async () => {
		const hostile = '\u001B]0;pwned\u0007\u001B[31mred\u009B31m\u202Eevil';
		const dir = makeSessionDir({
			fixtures: false,
			sessions: [
				makeSession('hostile', 2 * HOUR, {
					user: makeUser('mallory\u001B[2J', {name: hostile, email: 'x\u009B@example.com'}),
				}),
			],
		});
		const table = await runCli(['list', '--dir', dir]);
		expect(table.code).toBe(0);
		// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for raw control characters
		expect(table.stdout).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202E]/);
		// Cut to the user column: one session, one line.
		expect(table.stdout).toMatch(
			/^hostile {2}@mallory\\x1b\[2J {2}\\x1b\]0;pwned\\x07\S*… {2}1h ago\s.*active$/m,
		);

		const json = await runCli(['list', '--json', '--dir', dir]);
		expect(json.code).toBe(0);
		// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for raw control characters
		expect(json.stdout).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202E]/);
		const [entry] = JSON.parse(json.stdout) as JsonEntry[];
		// Escaped for the terminal, yet the JSON still reads back as the stored text.
		expect(entry?.user?.name).toBe(hostile);
		expect(entry?.user?.email).toBe('x\u009B@example.com');
	});

	test('a missing directory is an empty list with the path and how to log in, and stays missing', async () => {
		const dir = path.join(scratch(), 'does', 'not', 'exist');
		const result = await runCli(['list', '--dir', dir]);
		expect(result.code).toBe(0);
		expect(result.stderr).toBe('');
		// The hint repeats --dir: the login it suggests saves into this directory.
		expect(result.stdout).toBe(
			`no sessions in ${dir}\nthe directory does not exist yet\nlog in with: stacktower-sessions login --dir ${dir} (or with the stacktower CLI)\n`,
		);
		// An empty directory that exists says only how to log in; one from the environment
		// needs no --dir repeated.
		const empty = makeSessionDir({fixtures: false});
		const existing = await runCli(['list'], {env: {STACKTOWER_SESSIONS_DIR: empty}});
		expect(existing.stdout).toBe(
			`no sessions in ${empty}\nlog in with: stacktower-sessions login (or with the stacktower CLI)\n`,
		);

		const json = await runCli(['list', '--json', '--dir', dir]);
		expect(json.code).toBe(0);
		expect(JSON.parse(json.stdout)).toEqual([]);

		// Looking creates nothing: a mistyped --dir leaves no directory behind.
		const cleanup = await runCli(['cleanup', '--dir', dir]);
		expect(cleanup.stdout).toBe(`removed 0 expired sessions from ${dir}\n`);
		const deleted = await runCli(['delete', 'github', '--dir', dir]);
		expect(deleted.code).toBe(1);
		expect(existsSync(path.dirname(path.dirname(dir)))).toBe(false);
	});

	test('a directory that cannot be read is a clear error and exit 1', async () => {
		const root = scratch();
		// The tests may run as root, whom chmod 000 does not stop: a path through a regular file does.
		writeFileSync(path.join(root, 'file'), 'not a directory');
		const notDir = path.join(root, 'file', 'sessions');
		const result = await runCli(['list', '--dir', notDir]);
		expect(result.code).toBe(1);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(/^stacktower-sessions: .*not a directory/);
		expect(result.stderr).toContain(notDir);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);

		const json = await runCli(['list', '--json', '--dir', notDir]);
		expect(json.code).toBe(1);
		expect(json.stdout).toBe('');
	});

	test('a session directory that is a symlink is refused with exit 1', async () => {
		const root = scratch();
		const real = path.join(root, 'real');
		mkdirSync(real, {mode: 0o700});
		symlinkSync(real, path.join(root, 'link'));
		const result = await runCli(['list', '--dir', path.join(root, 'link')]);
		expect(result.code).toBe(1);
		expect(result.stdout).toBe('');
		expect(result.stderr).toContain(path.join(root, 'link'));
		expect(result.stderr).toMatch(/symlink|symbolic link|not a directory/i);
	});

	test('the directory comes from STACKTOWER_SESSIONS_DIR, and --dir beats it', async () => {
		const dir = makeSessionDir();
		const fromEnv = await runCli(['list'], {env: {STACKTOWER_SESSIONS_DIR: dir}});
		expect(fromEnv.code).toBe(0);
		expect(fromEnv.stdout).toContain(`6 sessions in ${dir}`);

		const other = makeSessionDir({fixtures: false, sessions: [makeSession('only', HOUR)]});
		const fromFlag = await runCli(['list', '--dir', other], {
			env: {STACKTOWER_SESSIONS_DIR: dir},
		});
		expect(fromFlag.stdout).toContain(`1 session in ${other}`);
	});

	test('the location is shown with ~ for the home directory', async () => {
		const dir = makeSessionDir({fixtures: false, sessions: [makeSession('only', HOUR)]});
		const result = await runCli(['list', '--dir', dir], {env: {HOME: path.dirname(dir)}});
		expect(result.stdout).toContain(`1 session in ~/${path.basename(dir)}: 1 active · 0 expired`);
	});

	test('without a terminal the bare command lists, and --json alone asks for JSON', async () => {
		const dir = makeSessionDir();
		const bare = await runCli(['--dir', dir]);
		expect(bare.code).toBe(0);
		expect(bare.stdout).toContain(`6 sessions in ${dir}`);

		const json = await runCli(['--json', '--dir', dir]);
		expect(json.code).toBe(0);
		expect(JSON.parse(json.stdout)).toHaveLength(6);
	});

	test('a reader that stops early (list | head) ends the listing quietly', async () => {
		const sessions = Array.from({length: 3000}, (_, i) => makeSession(`s${i}`, HOUR + i));
		const dir = makeSessionDir({fixtures: false, sessions});
		const {spawn} = await import('node:child_process');
		const {builtCli, cliEnv} = await import('./helpers/cli.js');
		const cli = await builtCli();
		const result = await new Promise<{code: number | null; stderr: string}>((resolve) => {
			const child = spawn(process.execPath, [cli, 'list', '--json', '--dir', dir], {
				env: cliEnv(),
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let stderr = '';
			child.stderr.on('data', (chunk: Buffer) => {
				stderr += chunk.toString();
			});
			child.stdout.once('data', () => child.stdout.destroy());
			child.on('close', (code) => resolve({code, stderr}));
		});
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
	});

	test('an output that cannot be written (a full disk) is one clear line and exit 1', async () => {
		const dir = makeSessionDir({sessions: [makeSession('soon', HOUR)]});
		const full = openSync('/dev/full', 'w');
		onTestFinished(() => closeSync(full));
		const child = spawn(process.execPath, [await builtCli(), 'list', '--dir', dir], {
			env: cliEnv(),
			stdio: ['ignore', full, 'pipe'],
		});
		let stderr = '';
		child.stderr?.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		const [code] = await once(child, 'close');
		expect(code).toBe(1);
		expect(stderr).toBe(
			`stacktower-sessions: cannot list the sessions in ${dir}: ENOSPC: no space left on device, write\n`,
		);
	});

	test('an output descriptor someone made non-blocking gets the whole listing when the reader is slow', async () => {
		// The CLI writes to descriptor 1 directly; when that would block (EAGAIN: a full pipe
		// that another process set O_NONBLOCK), it hands the rest to process.stdout.
		const sessions = Array.from({length: 3000}, (_, i) => makeSession(`s${i}`, HOUR + i));
		const dir = makeSessionDir({fixtures: false, sessions});
		const fifo = path.join(scratch(), 'out');
		execFileSync('mkfifo', [fifo]);
		// Read-write, so opening does not wait for a reader and the child's writes have one.
		const both = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
		const child = spawn(process.execPath, [await builtCli(), 'list', '--json', '--dir', dir], {
			env: cliEnv(),
			stdio: ['ignore', both, 'pipe'],
		});
		// The child's descriptor shares its open file with `both`, and spawning cleared
		// O_NONBLOCK on it; a socket on `both` sets it again (libuv), before the child writes.
		const holder = new Socket({fd: both, readable: false, writable: true});
		let stderr = '';
		child.stderr?.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
		// Nothing is read until the child waits in its event loop for room in the full pipe,
		// which it only does after a write failed with EAGAIN.
		const waiting = () => {
			try {
				return readFileSync(`/proc/${child.pid}/wchan`, 'utf8').includes('epoll');
			} catch {
				return false;
			}
		};
		while (!waiting() && child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
		expect(child.exitCode).toBeNull();
		const chunks: Buffer[] = [];
		const reader = createReadStream(fifo);
		reader.on('data', (chunk) => chunks.push(chunk as Buffer));
		const ended = once(reader, 'end');
		await once(reader, 'open');
		holder.destroy();
		expect(await exited).toBe(0);
		await ended;
		expect(stderr).toBe('');
		const listed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as JsonEntry[];
		expect(listed.map((entry) => entry.id).sort()).toEqual(sessions.map((s) => s.id).sort());
	});
});
