// Runs the built CLI (dist/cli.cjs) as a real child process. The tests need `npm run build`
// first. Other sessions may rebuild dist while tests run (the build swaps the directory, and
// chunk names carry hashes), so each test file runs a private copy of dist taken once.
import {spawn} from 'node:child_process';
import {cpSync, existsSync, mkdtempSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll} from 'vitest';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const distDir = path.join(repoRoot, 'dist');

let snapshot: {dir: string; cli: string} | undefined;

// Vitest ends its workers without an 'exit' event, so the copy goes with the test file.
afterAll(() => {
	if (snapshot) rmSync(snapshot.dir, {recursive: true, force: true});
	snapshot = undefined;
});

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => {
		setTimeout(resolve, ms);
	});
}

/**
 * The path of a private copy of dist/cli.cjs and its chunks, made on first use. Retries while a
 * concurrent build is swapping dist (the copy is checked against the entry file's inode).
 */
export async function builtCli(): Promise<string> {
	if (snapshot) return snapshot.cli;
	const deadline = Date.now() + 60_000;
	for (;;) {
		const dir = mkdtempSync(path.join(tmpdir(), 'stacktower-cli-'));
		try {
			const before = statSync(path.join(distDir, 'cli.cjs')).ino;
			cpSync(path.join(distDir, 'cli.cjs'), path.join(dir, 'cli.cjs'));
			if (existsSync(path.join(distDir, 'chunks'))) {
				cpSync(path.join(distDir, 'chunks'), path.join(dir, 'chunks'), {recursive: true});
			}

			if (statSync(path.join(distDir, 'cli.cjs')).ino === before) {
				snapshot = {dir, cli: path.join(dir, 'cli.cjs')};
				return snapshot.cli;
			}
		} catch (error) {
			if (Date.now() > deadline) {
				throw new Error(`dist/cli.cjs is missing: run \`npm run build\` first (${String(error)})`);
			}
		}

		rmSync(dir, {recursive: true, force: true});
		await sleep(200);
	}
}

/** The environment for the CLI under test: no CI markers (Ink renders differently in CI), no colour. */
export function cliEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (value === undefined) continue;
		if (key === 'CI' || key === 'CONTINUOUS_INTEGRATION' || key.startsWith('STACKTOWER_')) {
			continue;
		}

		env[key] = value;
	}

	env.NO_COLOR = '1';
	for (const [key, value] of Object.entries(extra)) {
		if (value === undefined) delete env[key];
		else env[key] = value;
	}

	return env;
}

export type CliResult = {
	readonly code: number | null;
	readonly signal: NodeJS.Signals | null;
	readonly stdout: string;
	readonly stderr: string;
};

export type RunOptions = {
	/** Added to (or, as undefined, removed from) the environment cliEnv() gives. */
	readonly env?: Record<string, string | undefined>;
	readonly cwd?: string;
	/** Written to stdin, which is then closed. */
	readonly input?: string;
	readonly timeoutMs?: number;
};

/** Runs `node dist/cli.cjs ...args` with pipes for stdio and resolves when it exits. */
export async function runCli(
	args: readonly string[],
	options: RunOptions = {},
): Promise<CliResult> {
	const cli = await builtCli();
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [cli, ...args], {
			env: cliEnv(options.env),
			cwd: options.cwd ?? repoRoot,
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
		child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`stacktower-sessions ${args.join(' ')} did not exit in time`));
		}, options.timeoutMs ?? 30_000);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({
				code,
				signal,
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: Buffer.concat(err).toString('utf8'),
			});
		});
		child.stdin.end(options.input ?? '');
	});
}
