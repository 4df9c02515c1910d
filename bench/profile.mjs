// Where does a command's time go? Builds the CLI as scripts/build.mjs does but unminified, with
// source maps, runs it once under --cpu-prof and prints the functions with the most self and
// total time, named by their source file.
//
//   node bench/profile.mjs [--top N] [--keep] -- list --json --dir /tmp/stacktower-bench-*/sessions-100000
//   node bench/profile.mjs --pty --until 'active' [--keys '\e[B\e[B'] -- --dir DIR   (the inspector)
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {bundleCli} from '../scripts/bundle-cli.mjs';

const repo = dirname(dirname(fileURLToPath(import.meta.url)));
const {values: options, positionals} = parseArgs({
	options: {
		top: {type: 'string', default: '25'},
		keep: {type: 'boolean', default: false},
		// The inspector: run in a pseudo-terminal until the screen matches --until, press
		// --keys (\e for ESC), then q.
		pty: {type: 'boolean', default: false},
		until: {type: 'string', default: 'active'},
		keys: {type: 'string', default: ''},
	},
	allowPositionals: true,
});
if (positionals.length === 0) {
	console.error('usage: node bench/profile.mjs [--top N] [--keep] -- COMMAND ARGS...');
	process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'stacktower-bench-profile-'));
await bundleCli({
	absWorkingDir: repo,
	outdir: join(work, 'dist'),
	// Unminified, so the profile names functions; keepNames does not change the code's speed much.
	minify: false,
	keepNames: true,
});

const started = performance.now();
const argv = [
	'--cpu-prof',
	`--cpu-prof-dir=${work}`,
	'--cpu-prof-interval=100',
	join(work, 'dist', 'cli.cjs'),
	...positionals,
];
if (options.pty) {
	const {PtyRun} = await import('./pty.mjs');
	const run = new PtyRun(process.execPath, argv);
	const until = new RegExp(options.until);
	const at = await run.waitFor((text) => until.test(text), {timeoutMs: 300_000});
	console.log(`screen matched /${options.until}/ at ${Math.round(at)} ms`);
	// One press per escape sequence (ESC [ B is one ↓) or character.
	const keys = (options.keys.match(/\\e\[[0-9;]*[A-Za-z~]|\\e|./gsu) ?? []).map((key) =>
		key.replace('\\e', '\u001b'),
	);
	for (const key of keys) {
		await run.quiet(50);
		console.log(
			`key ${JSON.stringify(key)}: next output after ${Math.round(await run.timeToNextOutput(key))} ms`,
		);
	}

	await run.quiet(200);
	// The profile is written at exit, so give it time.
	await run.quit(30_000);
} else {
	// Stdout into a pipe that is read and discarded, as bench/run.mjs does (a pipe, unlike
	// /dev/null, can fill up and push back).
	const child = spawn(process.execPath, argv, {stdio: ['inherit', 'pipe', 'inherit']});
	child.stdout.resume();
	const [code] = await once(child, 'close');
	if (code !== 0) console.log(`exit code ${code}`);
}

const wall = performance.now() - started;

const file = readdirSync(work).find((name) => name.endsWith('.cpuprofile'));
const profile = JSON.parse(readFileSync(join(work, file), 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parents = new Map();
for (const n of profile.nodes) for (const child of n.children ?? []) parents.set(child, n.id);

// esbuild marks each bundled source file with a `// path` comment: map bundle lines to them.
const sources = new Map();
function sourceOf(url, line) {
	if (!url.startsWith('file://')) return url.replace(/^node:/, '') || '';
	const path = fileURLToPath(url);
	if (!path.startsWith(work)) return relative(repo, path);
	if (!sources.has(path)) {
		const marks = [];
		readFileSync(path, 'utf8')
			.split('\n')
			.forEach((text, index) => {
				const match = /^\/\/ (\S+\.(?:[cm]?[jt]sx?|json))$/.exec(text);
				if (match) marks.push([index, match[1]]);
			});
		sources.set(path, marks);
	}

	let found = relative(work, path);
	for (const [index, source] of sources.get(path)) {
		if (index > line) break;
		found = source;
	}

	return found;
}

const label = (n) => {
	const {functionName, url, lineNumber} = n.callFrame;
	const where = sourceOf(url, lineNumber);
	// Lines inside the bundle would mislead next to a source file's name; Node's own keep theirs.
	const line = url.startsWith('node:') ? `:${lineNumber + 1}` : '';
	return `${functionName || '(anonymous)'}${where ? `  ${where}${line}` : ''}`;
};

const self = new Map();
const total = new Map();
profile.samples.forEach((id, i) => {
	const us = profile.timeDeltas[i] ?? 0;
	const own = label(nodes.get(id));
	self.set(own, (self.get(own) ?? 0) + us);
	const seen = new Set();
	for (let at = id; at !== undefined; at = parents.get(at)) {
		const name = label(nodes.get(at));
		if (!seen.has(name)) {
			seen.add(name);
			total.set(name, (total.get(name) ?? 0) + us);
		}
	}
});

const top = Number(options.top);
const print = (title, map) => {
	console.log(title);
	for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
		console.log(`${(us / 1000).toFixed(1).padStart(9)} ms  ${name}`);
	}
};

console.log(`wall ${Math.round(wall)} ms (profiled, so slower than a plain run)`);
print('self time', self);
print('total time (including callees)', total);
if (options.keep) {
	console.log(`kept ${work}`);
} else {
	rmSync(work, {recursive: true, force: true});
}
