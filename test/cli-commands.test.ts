// `cleanup` and `delete` as a user runs them: the built CLI as a child process, then a look
// at what is left in the directory.

import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {closeSync, existsSync, openSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {builtCli, cliEnv, runCli} from './helpers/cli.js';
import {
	fixtureIdsBut,
	fixtureTokens,
	idsIn,
	makeSession,
	makeSessionDir,
	makeUser,
} from './helpers/session-dir.js';

const HOUR = 60 * 60 * 1000;
const brokenFile = {'broken.json': '{"id": "broken", "access_token": "gho_LEAKED'};

describe('cleanup', () => {
	test('removes only the expired sessions and says how many', async () => {
		const dir = makeSessionDir({
			sessions: [makeSession('gone', -HOUR), makeSession('staying', HOUR)],
			files: brokenFile,
		});
		const result = await runCli(['cleanup', '--dir', dir]);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(result.stdout).toBe(`removed 3 expired sessions from ${dir}\n`);
		expect(idsIn(dir)).toEqual([
			'active-berlin',
			'broken',
			'github',
			'local-session',
			'no-user-session',
			'staying',
		]);

		const again = await runCli(['cleanup', '--dir', dir]);
		expect(again.code).toBe(0);
		expect(again.stdout).toBe(`removed 0 expired sessions from ${dir}\n`);
	});

	test('says "session" for one', async () => {
		const dir = makeSessionDir({
			fixtures: false,
			sessions: [makeSession('gone', -1000), makeSession('staying', HOUR)],
		});
		const result = await runCli(['cleanup', '--dir', dir]);
		expect(result.stdout).toBe(`removed 1 expired session from ${dir}\n`);
		expect(idsIn(dir)).toEqual(['staying']);
	});

	test('a missing directory has nothing to clean up', async () => {
		const result = await runCli([
			'cleanup',
			'--dir',
			path.join(makeSessionDir({fixtures: false}), 'missing'),
		]);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('removed 0 expired sessions');
	});
});

/** Every file in the directory with its content: what a dry run must leave as it was. */
function snapshot(dir: string): Record<string, string> {
	return Object.fromEntries(
		readdirSync(dir).map((name) => [name, readFileSync(path.join(dir, name), 'utf8')]),
	);
}

describe('dry runs name what would go and remove nothing', () => {
	test('cleanup --dry-run lists the expired sessions, longest gone first', async () => {
		const dir = makeSessionDir({
			sessions: [makeSession('gone', -3 * HOUR), makeSession('staying', HOUR)],
			files: brokenFile,
		});
		const before = snapshot(dir);
		const result = await runCli(['cleanup', '--dry-run', '--dir', dir]);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(result.stdout.split('\n')).toEqual([
			expect.stringMatching(/^would remove expired-2020 \(@monalisa\) · expired \d+y ago$/),
			expect.stringMatching(/^would remove expired-india \(@mojombo\) · expired \d+y ago$/),
			'would remove gone (@gone) · expired 3h ago',
			`would remove 3 expired sessions from ${dir}; nothing was removed (--dry-run)`,
			'',
		]);
		expect(snapshot(dir)).toEqual(before);
	});

	test('delete --dry-run (and rm) names each session, active or expired, and keeps them', async () => {
		const dir = makeSessionDir({files: brokenFile});
		const before = snapshot(dir);
		const result = await runCli([
			'rm',
			'--dry-run',
			'expired-2020',
			'github',
			'broken',
			'--dir',
			dir,
		]);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(result.stdout.split('\n')).toEqual([
			expect.stringMatching(/^would delete expired-2020 \(@monalisa\) · expired \d+y ago$/),
			expect.stringMatching(/^would delete github \(@octocat\) · expires in \d+d \d+h$/),
			'would delete broken · unreadable: not valid JSON',
			'nothing was deleted (--dry-run)',
			'',
		]);
		// An expired session read through Store.get would have been removed as it was read.
		expect(snapshot(dir)).toEqual(before);
	});

	test('delete --dry-run of an id with no session says so and exits 1', async () => {
		const dir = makeSessionDir();
		const result = await runCli(['delete', '--dry-run', 'nope', '--dir', dir]);
		expect(result.code).toBe(1);
		expect(result.stderr).toBe(`stacktower-sessions: no session nope in ${dir}\n`);
		expect(result.stdout).toBe('');
	});
});

describe('aliases', () => {
	test('ls lists as list does', async () => {
		const dir = makeSessionDir();
		const [ls, list] = await Promise.all([
			runCli(['ls', '--json', '--dir', dir]),
			runCli(['list', '--json', '--dir', dir]),
		]);
		expect(ls.code).toBe(0);
		const ids = (text: string) => (JSON.parse(text) as Array<{id: string}>).map((e) => e.id).sort();
		expect(ids(ls.stdout)).toEqual(ids(list.stdout));
	});

	test('logout removes the session github only, as stacktower github logout does', async () => {
		const dir = makeSessionDir();
		const dry = await runCli(['logout', '--dry-run', '--dir', dir]);
		expect(dry.stdout).toMatch(/^would delete github \(@octocat\) · expires in /);
		expect(idsIn(dir)).toContain('github');

		const result = await runCli(['logout', '--dir', dir]);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(result.stdout).toBe('deleted github (@octocat)\n');
		expect(idsIn(dir)).toEqual(fixtureIdsBut('github'));

		const again = await runCli(['logout', '--dir', dir]);
		expect(again.code).toBe(1);
		expect(again.stderr).toBe(`stacktower-sessions: no session github in ${dir}\n`);
	});
});

/** Runs the built CLI with its stdout on /dev/full, where every write fails with ENOSPC. */
async function runIntoFullDisk(args: readonly string[]): Promise<{code: number; stderr: string}> {
	const full = openSync('/dev/full', 'w');
	try {
		const child = spawn(process.execPath, [await builtCli(), ...args], {
			env: cliEnv(),
			stdio: ['ignore', full, 'pipe'],
		});
		let stderr = '';
		child.stderr?.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		const [code] = (await once(child, 'close')) as [number];
		return {code, stderr};
	} finally {
		closeSync(full);
	}
}

describe('an output that cannot be written', () => {
	test('delete says the session was deleted and the output could not be written', async () => {
		const dir = makeSessionDir();
		const result = await runIntoFullDisk(['delete', 'github', 'local-session', '--dir', dir]);
		expect(result.code).toBe(1);
		expect(result.stderr).toBe(
			'stacktower-sessions: deleted github (@octocat), but the output could not be written: ENOSPC: no space left on device, write\nstacktower-sessions: deleted local-session (@local)\n',
		);
		expect(idsIn(dir)).not.toContain('github');
		expect(idsIn(dir)).not.toContain('local-session');
	});

	test('cleanup says how many it removed', async () => {
		const dir = makeSessionDir();
		const result = await runIntoFullDisk(['cleanup', '--dir', dir]);
		expect(result.code).toBe(1);
		expect(result.stderr).toBe(
			`stacktower-sessions: removed 2 expired sessions from ${dir}, but the output could not be written: ENOSPC: no space left on device, write\n`,
		);
	});
});

describe('delete', () => {
	test('removes the sessions named, and says whose they were', async () => {
		const dir = makeSessionDir({files: brokenFile});
		const result = await runCli(['delete', 'github', 'expired-2020', 'broken', '--dir', dir]);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		// The same words for an active, an expired and an unreadable one.
		expect(result.stdout).toBe(
			'deleted github (@octocat)\ndeleted expired-2020 (@monalisa)\ndeleted broken\n',
		);
		expect(idsIn(dir)).toEqual(fixtureIdsBut('github', 'expired-2020'));
	});

	test('an id with no session is reported and exits 1, the others are still deleted', async () => {
		const dir = makeSessionDir();
		const result = await runCli(['delete', 'nope', 'github', '--dir', dir]);
		expect(result.code).toBe(1);
		expect(result.stderr).toBe(`stacktower-sessions: no session nope in ${dir}\n`);
		expect(result.stdout).toBe('deleted github (@octocat)\n');
		expect(idsIn(dir)).not.toContain('github');
	});

	test('an invalid id is a usage error and nothing is deleted', async () => {
		const dir = makeSessionDir();
		const before = idsIn(dir);
		const result = await runCli([
			'delete',
			'github',
			'../etc/passwd',
			'local-session',
			'--dir',
			dir,
		]);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toContain('invalid session id "../etc/passwd"');
		expect(idsIn(dir)).toEqual(before);
	});

	test('without ids is a usage error', async () => {
		const dir = makeSessionDir();
		const result = await runCli(['delete', '--dir', dir]);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('delete needs the ids of the sessions to remove');
		expect(idsIn(dir)).toHaveLength(6);
	});

	test('a login holding an escape sequence is printed escaped', async () => {
		const dir = makeSessionDir({
			fixtures: false,
			sessions: [makeSession('hostile', HOUR, {user: makeUser('evil\u001B]0;pwned\u0007')})],
		});
		const result = await runCli(['delete', 'hostile', '--dir', dir]);
		expect(result.code).toBe(0);
		expect(result.stdout).toBe('deleted hostile (@evil\\x1b]0;pwned\\x07)\n');
	});

	test('no command prints a token', async () => {
		const dir = makeSessionDir({files: brokenFile});
		const outputs = [
			await runCli(['delete', 'github', 'nope', '--dir', dir]),
			await runCli(['cleanup', '--dir', dir]),
			await runCli(['list', '--dir', dir]),
		];
		for (const {stdout, stderr} of outputs) {
			for (const token of [...fixtureTokens, 'gho_LEAKED']) {
				expect(stdout + stderr).not.toContain(token);
			}
		}
	});
});

describe('demo', () => {
	test('without a terminal, lists its sample sessions and removes its directory', async () => {
		const result = await runCli(['demo']);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const dir = /sessions in (\S+stacktower-sessions-demo-[^:\s]+):/.exec(result.stdout)?.[1];
		expect(dir).toBeDefined();
		expect(existsSync(dir as string)).toBe(false);
		expect(result.stdout).toMatch(/\d+ active · 3 expired · 1 unreadable/);
		expect(result.stdout).toMatch(/^ci-runner\s+@hubot {2}Hubot\s+23h ago\s+1m \d+s\s+active$/m);
		expect(result.stdout).toContain('@mallory  \\x1b]0;pwned\\x07\\x1b[31mred');
		expect(result.stdout).toMatch(/^broken\s.*unreadable: not valid JSON$/m);
		expect(result.stdout).not.toMatch(/gho_demo\w/);
		// Its directory is gone once it ends: no hint to clean up the expired samples, which
		// would name the real store instead.
		expect(result.stdout).not.toContain('remove the expired');
	});
});
