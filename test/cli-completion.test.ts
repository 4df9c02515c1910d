// `completion bash|zsh|fish` run by the real shells: the script is loaded as a user would load
// it, the shell is asked what it completes after a partial command line, and the answers come
// from the built CLI (on the PATH as stacktower-sessions) and a real session directory.
import {execFileSync, spawnSync} from 'node:child_process';
import {chmodSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {builtCli, cliEnv, runCli} from './helpers/cli.js';
import {makeSessionDir} from './helpers/session-dir.js';
import {makeTempDir} from './helpers/temp-dir.js';

function has(shell: string): boolean {
	return spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;
}

let bin: string;
let scripts: Record<'bash' | 'zsh' | 'fish', string>;

beforeAll(async () => {
	// The scripts run `stacktower-sessions completion ids`: put the built CLI on the PATH.
	bin = makeTempDir('stacktower-completion-', {forFile: true});
	const wrapper = path.join(bin, 'stacktower-sessions');
	writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${await builtCli()}" "$@"\n`);
	chmodSync(wrapper, 0o755);
	scripts = {bash: '', zsh: '', fish: ''};
	for (const shell of ['bash', 'zsh', 'fish'] as const) {
		const result = await runCli(['completion', shell]);
		expect(result.code).toBe(0);
		scripts[shell] = path.join(bin, `completion.${shell}`);
		writeFileSync(scripts[shell], result.stdout);
	}
});

afterAll(() => {
	rmSync(bin, {recursive: true, force: true});
});

function shellEnv(): Record<string, string> {
	return cliEnv({PATH: `${bin}:${process.env.PATH ?? ''}`, STACKTOWER_SESSIONS_DIR: undefined});
}

/** What bash completes for `words`, the last being the one under the cursor. */
function bash(words: readonly string[], env: Record<string, string> = shellEnv()): string[] {
	const quoted = words.map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(' ');
	const out = execFileSync(
		'bash',
		[
			'-c',
			`source "$1"; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _stacktower_sessions; printf '%s\\n' "\${COMPREPLY[@]}"`,
			'bash',
			scripts.bash,
		],
		{env, encoding: 'utf8', timeout: 20_000},
	);
	return out.split('\n').filter(Boolean).sort();
}

describe('bash', () => {
	test('completes the commands and their aliases', () => {
		expect(bash(['stacktower-sessions', ''])).toEqual(
			[
				'cleanup',
				'completion',
				'copy',
				'delete',
				'demo',
				'help',
				'list',
				'login',
				'logout',
				'ls',
				'refresh',
				'rm',
				'status',
			].sort(),
		);
		expect(bash(['stacktower-sessions', 'lo'])).toEqual(['login', 'logout']);
	});

	test("completes a command's own flags", () => {
		expect(bash(['stacktower-sessions', 'delete', '--d'])).toEqual(['--dir', '--dry-run']);
		expect(bash(['stacktower-sessions', 'list', '--j'])).toEqual(['--json']);
		expect(bash(['stacktower-sessions', 'cleanup', '--j'])).toEqual([]);
	});

	test('completes session ids from the directory the line names, or the configured one', () => {
		const dir = makeSessionDir();
		expect(bash(['stacktower-sessions', 'rm', '--dir', dir, 'ex'])).toEqual([
			'expired-2020',
			'expired-india',
		]);
		expect(bash(['stacktower-sessions', 'login', '--dir', dir, '--id', 'gi'])).toEqual(['github']);
		const env = {...shellEnv(), STACKTOWER_SESSIONS_DIR: dir};
		expect(bash(['stacktower-sessions', 'delete', 'loc'], env)).toEqual(['local-session']);
		expect(bash(['stacktower-sessions', 'status', '--dir', dir, 'gi'])).toEqual(['github']);
		expect(bash(['stacktower-sessions', 'refresh', '--dir', dir, 'gi'])).toEqual(['github']);
	});

	test('completes the shells after completion', () => {
		expect(bash(['stacktower-sessions', 'completion', ''])).toEqual(['bash', 'fish', 'zsh']);
	});
});

// With CI=true a missing shell fails, as .ci/run installs it.
describe.skipIf(!has('zsh') && process.env.CI !== 'true')('zsh', () => {
	/**
	 * What the zsh function offers for `words`: zsh itself runs the script; only the completion
	 * system's builtins (compadd, _describe, _files), which exist only inside a completion widget,
	 * are stood in for by functions that print what they were given.
	 */
	function zsh(words: readonly string[]): string[] {
		const quoted = words.map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(' ');
		const out = execFileSync(
			'zsh',
			[
				'-fc',
				[
					'compdef() { :; }',
					'compadd() { [[ $1 == -- ]] && shift; print -l -- "$@"; }',
					// biome-ignore lint/suspicious/noTemplateCurlyInString: zsh expansions, not JavaScript's
					'_describe() { local -a list; list=("${(@P)2}"); print -l -- "${list[@]%%:*}"; }',
					'_files() { print -- "<files>"; }',
					'source "$1"',
					`words=(${quoted}); CURRENT=${words.length}`,
					'_stacktower-sessions',
				].join('\n'),
				'zsh',
				scripts.zsh,
			],
			{env: shellEnv(), encoding: 'utf8', timeout: 20_000},
		);
		const prefix = words.at(-1) ?? '';
		return out
			.split('\n')
			.filter((word) => word !== '' && word.startsWith(prefix))
			.sort();
	}

	test('completes commands, flags, ids and shells', () => {
		expect(zsh(['stacktower-sessions', 'lo'])).toEqual(['login', 'logout']);
		expect(zsh(['stacktower-sessions', 'delete', '--d'])).toEqual(['--dir', '--dry-run']);
		const dir = makeSessionDir();
		expect(zsh(['stacktower-sessions', 'rm', '--dir', dir, 'ex'])).toEqual([
			'expired-2020',
			'expired-india',
		]);
		expect(zsh(['stacktower-sessions', 'delete', '--dir', ''])).toEqual(['<files>']);
		expect(zsh(['stacktower-sessions', 'completion', ''])).toEqual(['bash', 'fish', 'zsh']);
	});
});

describe.skipIf(!has('fish') && process.env.CI !== 'true')('fish', () => {
	/** What fish completes for the command line `line` (complete -C, as the Tab key asks). */
	function fish(line: string): string[] {
		const out = execFileSync(
			'fish',
			['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', scripts.fish, line],
			{env: shellEnv(), encoding: 'utf8', timeout: 20_000},
		);
		return out
			.split('\n')
			.filter(Boolean)
			.map((entry) => entry.split('\t')[0] ?? '')
			.sort();
	}

	test('completes commands, flags, ids and shells', () => {
		expect(fish('stacktower-sessions lo')).toEqual(['login', 'logout']);
		expect(fish('stacktower-sessions delete --d')).toEqual(['--dir', '--dry-run']);
		const dir = makeSessionDir();
		expect(fish(`stacktower-sessions rm --dir ${dir} ex`)).toEqual([
			'expired-2020',
			'expired-india',
		]);
		expect(fish('stacktower-sessions completion ')).toEqual(['bash', 'fish', 'zsh']);
	});
});

test('completion ids prints the valid ids, one a line, and nothing of a hostile file name', async () => {
	const dir = makeSessionDir({files: {'bad$(touch x).json': '{}', 'broken.json': '{'}});
	const result = await runCli(['completion', 'ids', '--dir', dir]);
	expect(result.code).toBe(0);
	expect(result.stdout).toBe(
		'active-berlin\nbroken\nexpired-2020\nexpired-india\ngithub\nlocal-session\nno-user-session\n',
	);
});
