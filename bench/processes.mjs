// Whole-process measurements: wall time from spawn to exit, and the child's peak RSS.
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

const gnuTime = '/usr/bin/time';
const preload = fileURLToPath(new URL('maxrss-preload.cjs', import.meta.url));
let scratch;
let sequence = 0;

/**
 * How the peak RSS is taken: GNU time's %M (from wait4, the kernel's own count) when
 * /usr/bin/time exists, otherwise a --require preload that writes process.resourceUsage().maxRSS
 * at exit. Subject and baseline always go through the same one.
 */
export const rssMethod =
	process.env.BENCH_RSS === 'preload' || !existsSync(gnuTime) ? 'preload' : 'time';

export function removeScratch() {
	if (scratch) rmSync(scratch, {recursive: true, force: true});
	scratch = undefined;
}

/**
 * Runs `node ...args` to completion with stdout piped and discarded (what `| jq` costs, for
 * subject and baseline alike). Resolves with {ms, rssKiB, cpuMs (user + system, for reading
 * results on a loaded machine), code, stdout (first 4 KiB), stderr}. `method: 'preload'` takes
 * the CPU time in microseconds rather than GNU time's hundredths of a second.
 */
export function runNode(args, {cwd = process.cwd(), env = process.env, method = rssMethod} = {}) {
	scratch ??= mkdtempSync(join(tmpdir(), 'stacktower-bench-rss-'));
	const rssFile = join(scratch, `rss-${sequence++}`);
	let file;
	let argv;
	if (method === 'time') {
		file = gnuTime;
		argv = ['-f', '%M %U %S', '-o', rssFile, process.execPath, ...args];
	} else {
		file = process.execPath;
		argv = ['--require', preload, ...args];
		env = {...env, BENCH_MAXRSS_FILE: rssFile};
	}

	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn(file, argv, {cwd, env, stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => {
			if (stdout.length < 4096) stdout += chunk.toString('utf8', 0, 4096);
		});
		child.stderr.on('data', (chunk) => {
			if (stderr.length < 4096) stderr += chunk;
		});
		child.on('error', reject);
		child.on('close', (code, signal) => {
			const ms = performance.now() - started;
			let rssKiB;
			let cpuMs;
			try {
				// The last line: GNU time puts a "Command exited with non-zero status" line first.
				const [rss, user, system] = readFileSync(rssFile, 'utf8')
					.trim()
					.split('\n')
					.at(-1)
					.split(' ');
				rssKiB = Number(rss);
				cpuMs = (Number(user) + Number(system)) * 1000;
				rmSync(rssFile, {force: true});
			} catch {
				rssKiB = undefined;
			}

			resolve({ms, rssKiB, cpuMs, code: code ?? signal, stdout, stderr});
		});
	});
}

/** The measures take turns going first, so none always runs on a warmer machine. */
export function alternate(run, ...measures) {
	const shift = run % measures.length;
	return [...measures.slice(shift), ...measures.slice(0, shift)];
}

export function median(values) {
	const sorted = values.filter((v) => typeof v === 'number' && !Number.isNaN(v));
	sorted.sort((a, b) => a - b);
	if (sorted.length === 0) return undefined;
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
