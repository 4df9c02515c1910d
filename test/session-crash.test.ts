// Real processes, real SIGKILLs: writers rewrite sessions in a loop and are killed at random
// moments while this process reads; no read and no file left behind may ever be partial. Lock
// takers killed at random moments never leave a lock without its holder. And a writer
// refreshing sessions while cleanup() runs in a loop here must never lose one.
import {type ChildProcess, spawn} from 'node:child_process';
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {decodeSession, encodeSession, FileStore, STALE_TEMP_MS} from '../source/session/index.js';
import {makeTempDir} from './helpers/temp-dir.js';
import {childScript} from './session-children/build.js';
import {CRASH_IDS, versionOf, versionSession} from './session-children/versions.js';

const children = new Set<ChildProcess>();
afterEach(() => {
	for (const child of children) child.kill('SIGKILL');
	children.clear();
});

function sessionsDir(): string {
	// Removed after afterEach has killed the writers.
	return join(makeTempDir('st-crash-'), 'sessions');
}

function start(script: string, args: string[], stdin: 'ignore' | 'pipe' = 'ignore'): ChildProcess {
	const child = spawn(process.execPath, [script, ...args], {stdio: [stdin, 'pipe', 'inherit']});
	children.add(child);
	child.once('exit', () => children.delete(child));
	return child;
}

function exited(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		child.once('exit', () => resolve());
	});
}

function printed(child: ChildProcess, line: string): Promise<void> {
	return new Promise((resolve, reject) => {
		let output = '';
		child.stdout?.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			if (output.includes(`${line}\n`)) resolve();
		});
		child.once('exit', (code, signal) => {
			if (!output.includes(`${line}\n`)) {
				reject(new Error(`the child exited (${code ?? signal}) before printing ${line}`));
			}
		});
	});
}

/**
 * Starts a child that prints `ready` when under way, and SIGKILLs it at a random moment after:
 * at once, or up to 11 ms later. Resolves once it is gone, to its pid.
 */
async function killAtRandom(script: string, args: string[]): Promise<number> {
	const child = start(script, args);
	await printed(child, 'ready');
	const delay = Math.floor(Math.random() * 12);
	if (delay > 0) {
		await new Promise((resolve) => {
			setTimeout(resolve, delay);
		});
	}

	child.kill('SIGKILL');
	await exited(child);
	return child.pid as number;
}

/** Asserts that a file's text is exactly one of the versions the writers write. */
function assertWholeVersion(id: string, text: string): void {
	const session = decodeSession(text, `${id}.json`);
	const version = versionOf(id, session.accessToken);
	expect(version, `${id}.json holds an unknown token`).toBeDefined();
	expect(text).toBe(encodeSession(versionSession(id, version as number)));
}

describe('FileStore under SIGKILL', () => {
	it('never shows a partial session, while writers are killed at random moments 200 times', {
		timeout: 240_000,
	}, async () => {
		const dir = sessionsDir();
		const store = new FileStore(dir);
		const script = await childScript('crash-writer');
		const KILLS = 200;
		let kills = 0;
		let reads = 0;
		let done = false;
		let failure: unknown;

		// Two lanes of writers, so kills also land while another process renames the same files.
		const lane = async (index: number) => {
			while (kills < KILLS && failure === undefined) {
				// A random moment inside the write loop: now, or after a few more writes.
				await killAtRandom(script, [dir, String(index)]);
				kills++;
			}
		};

		// Meanwhile, this process keeps reading through the store and straight from the files.
		const reader = async () => {
			while (!done) {
				for (const id of CRASH_IDS) {
					const session = await store.get(id);
					if (session) {
						expect(session).toEqual(
							versionSession(id, versionOf(id, session.accessToken) as number),
						);
						reads++;
					}
				}

				await new Promise((resolve) => {
					setImmediate(resolve);
				});
			}
		};

		// A failed read stops the writers at once and fails the test with what it saw.
		const reading = reader().catch((error: unknown) => {
			failure = error;
		});
		await Promise.all([lane(0), lane(1)]);
		done = true;
		await reading;
		if (failure !== undefined) throw failure;

		expect(kills).toBeGreaterThanOrEqual(KILLS);
		expect(reads).toBeGreaterThan(0);
		for (const id of CRASH_IDS) {
			const file = join(dir, `${id}.json`);
			assertWholeVersion(id, readFileSync(file, 'utf8'));
			expect(statSync(file).mode & 0o777).toBe(0o600);
		}

		// Temp files of killed writers are never listed as sessions…
		const entries = await store.list();
		expect(entries.map((entry) => `${entry.kind}:${entry.id}`).sort()).toEqual(
			CRASH_IDS.map((id) => `session:${id}`).sort(),
		);
		expect(readdirSync(dir).filter((name) => !name.endsWith('.json'))).toEqual(
			readdirSync(dir).filter((name) => name.startsWith('.tmp-')),
		);
		// …and are swept by cleanup once stale, which removes no session.
		const later = new FileStore(dir, {now: () => Date.now() + STALE_TEMP_MS + 1000});
		expect(await later.cleanup()).toBe(0);
		expect(readdirSync(dir).sort()).toEqual(CRASH_IDS.map((id) => `${id}.json`).sort());
	});
});

describe('FileStore locks under SIGKILL', () => {
	it("never leaves a lock without its holder; a killed holder's lock is taken without waiting", {
		timeout: 240_000,
	}, async () => {
		const dir = sessionsDir();
		const store = new FileStore(dir);
		const script = await childScript('lock-loop');
		const lockFile = join(dir, 'github.json.lock');
		const KILLS = 100;
		const killed = new Set<number>();
		for (let kill = 0; kill < KILLS; kill++) {
			// Taking, holding and releasing in a loop; after an odd kill, also breaking the lock the
			// last one left.
			killed.add(await killAtRandom(script, [dir, 'github']));

			let text: string | undefined;
			try {
				text = readFileSync(lockFile, 'utf8');
			} catch {}
			if (text !== undefined) {
				expect(text, `the lock after kill ${kill} names no holder`).not.toBe('');
				const holder = JSON.parse(text) as {pid: number; host: string};
				expect(killed.has(holder.pid)).toBe(true);
				expect(holder.host).toBe(hostname());
			}

			if (kill % 2 === 0) {
				// Its holder is dead, so the lock is broken at once, never waited for.
				let waited = false;
				const lock = await store.lock('github', {onWait: () => (waited = true)});
				expect(waited, `waited after kill ${kill}`).toBe(false);
				await lock.release();
			}
		}

		await (await store.lock('github')).release();
		// Killed around a link or while breaking a lock, a child leaves only temp files: never
		// listed, swept by cleanup once stale.
		expect(readdirSync(dir).filter((name) => !name.startsWith('.tmp-'))).toEqual([]);
		expect(await store.list()).toEqual([]);
		const later = new FileStore(dir, {now: () => Date.now() + STALE_TEMP_MS + 1000});
		expect(await later.cleanup()).toBe(0);
		expect(readdirSync(dir)).toEqual([]);
	});
});

describe('FileStore cleanup racing a writer in another process', () => {
	it('never removes a session refreshed between its read and its removal', async () => {
		const dir = sessionsDir();
		const store = new FileStore(dir);
		const ROUNDS = 80;
		const writer = start(await childScript('refresh-writer'), [dir, String(ROUNDS)]);
		let output = '';
		writer.stdout?.on('data', (chunk: Buffer) => {
			output += chunk.toString();
		});
		let writing = true;
		const ended = exited(writer).then(() => {
			writing = false;
		});

		let removed = 0;
		let rounds = 0;
		while (writing) {
			removed += await store.cleanup();
			rounds++;
			await new Promise((resolve) => {
				setImmediate(resolve);
			});
		}

		await ended;
		// The writer checks after every round that each refreshed session is still there.
		expect(output).toBe('done\n');
		expect(writer.exitCode).toBe(0);
		removed += await store.cleanup();
		for (const id of ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']) {
			expect((await store.get(id))?.accessToken).toBe(`refreshed-${ROUNDS - 1}`);
		}

		expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([]);
		// The race was real: cleanup ran throughout and removed short-lived versions it found expired.
		expect(rounds).toBeGreaterThan(10);
		expect(removed).toBeGreaterThan(0);
	});
});

/** Everything the child prints until it exits. */
function outputOf(child: ChildProcess): Promise<string> {
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => {
		output += chunk.toString();
	});
	return exited(child).then(() => output);
}

describe('FileStore cleanup racing a writer that rewrites in place (Go os.WriteFile)', () => {
	// Go's FileStore truncates and writes the very file cleanup reads and removes: the store can
	// only narrow that race (see the README). Three cleanups in their own processes run while a
	// writer renews 100 sessions from expired to active, round after round, in several trials.
	it('loses no renewed session', {timeout: 240_000}, async () => {
		const TRIALS = 5;
		const ROUNDS = 4;
		const COUNT = 100;
		const writerScript = await childScript('inplace-writer');
		const cleanupScript = await childScript('cleanup-loop');
		let removed = 0;
		let renewed = 0;
		const lost: string[] = [];
		for (let trial = 0; trial < TRIALS; trial++) {
			const dir = sessionsDir();
			new FileStore(dir); // the directory, made as the store makes it
			const cleanups = [0, 1, 2].map(() => start(cleanupScript, [dir], 'pipe'));
			const outputs = cleanups.map(outputOf);
			await Promise.all(cleanups.map((child) => printed(child, 'ready')));
			const writer = start(writerScript, [dir, String(COUNT), String(ROUNDS)]);
			const report = JSON.parse(await outputOf(writer)) as {renewed: number; lost: string[]};
			for (const child of cleanups) child.stdin?.end();
			for (const output of await Promise.all(outputs)) {
				removed += Number(/removed (\d+)/.exec(output)?.[1]);
			}

			renewed += report.renewed;
			lost.push(...report.lost.map((id) => `trial ${trial}: ${id}`));
		}

		expect(lost).toEqual([]);
		expect(renewed).toBe(TRIALS * ROUNDS * COUNT);
		// The race was real: the cleanups removed short-lived versions they found expired.
		expect(removed).toBeGreaterThan(0);
	});
});
