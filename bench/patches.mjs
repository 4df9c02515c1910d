// What each start-up patch (scripts/startup-patches.mjs) is worth: builds the CLI with every
// patch and once without each, then times them in turns (each run in a new order, so load on
// the machine falls on all) where the patch acts:
//   - a plain command's start (`list --json` of 10 sessions): wall time, and CPU time from
//     process.resourceUsage() at exit (microseconds, for every thread);
//   - the inspector (10 sessions, 120x40 pty): spawn to the frame showing every id, and the
//     CPU time used by then; then a ↓ into a quiet screen, to its frame.
// It prints, per patch, the median of the paired differences (without − with) over the runs
// and their middle half: a patch is worth keeping when its whole middle half is well above 0.
//
//   node bench/patches.mjs [--runs 30] [--only meow-import,yoga-layout]
import {rmSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {bundleCli} from '../scripts/bundle-cli.mjs';
import {patchNames, startupPatchesWithout} from '../scripts/startup-patches.mjs';
import {benchRoot, generateNamed, removeGenerated} from './generate.mjs';
import {alternate, removeScratch, runNode} from './processes.mjs';
import {PtyRun} from './pty.mjs';

const repo = dirname(dirname(fileURLToPath(import.meta.url)));
const {values: options} = parseArgs({
	options: {
		runs: {type: 'string', default: '30'},
		only: {type: 'string'},
		help: {type: 'boolean', short: 'h', default: false},
	},
});
if (options.help) {
	console.log(`usage: node bench/patches.mjs [--runs N] [--only ${patchNames.join(',')}]`);
	process.exit(0);
}

const runs = Number(options.runs);
if (!Number.isInteger(runs) || runs < 1) {
	console.error(`--runs takes a whole number of at least 1, not ${JSON.stringify(options.runs)}`);
	process.exit(2);
}

const only = options.only ? options.only.split(',') : patchNames;
for (const name of only) {
	if (!patchNames.includes(name)) {
		console.error(
			`no patch named ${JSON.stringify(name)}; expected one of ${patchNames.join(', ')}`,
		);
		process.exit(2);
	}
}

/** Where each patch acts: a plain command's start, or the inspector's frames. */
const inspectorPatches = new Set(['ansi-tokenize', 'string-width', 'yoga-layout']);

/** The quartiles of `values`: [25%, median, 75%]. */
function quartiles(values) {
	const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
	const at = (q) => {
		const i = (sorted.length - 1) * q;
		const low = Math.floor(i);
		return sorted[low] + (sorted[Math.ceil(i)] - sorted[low]) * (i - low);
	};
	return [at(0.25), at(0.5), at(0.75)];
}

function show([low, mid, high]) {
	const f = (v) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}`;
	return `${f(mid)} ms (middle half ${f(low)} to ${f(high)})`;
}

async function plainStart(cli, dir) {
	const result = await runNode([cli, 'list', '--json', '--dir', dir], {method: 'preload'});
	if (result.code !== 0) throw new Error(`${cli}: exit ${result.code}: ${result.stderr.trim()}`);
	return {wall: result.ms, cpu: result.cpuMs};
}

async function inspector(cli, dir, ids) {
	const run = new PtyRun(process.execPath, [cli, '--dir', dir]);
	try {
		const wall = await run.waitFor((text) => ids.every((id) => text.includes(id)), {
			timeoutMs: 30_000,
			label: 'every session id',
		});
		const cpu = run.cpuMs();
		await run.quiet(150);
		const key = await run.timeToNextOutput('\u001b[B');
		const exit = await run.quit();
		if (exit.exitCode !== 0) throw new Error(`${cli}: q exited with code ${exit.exitCode}`);
		return {wall, cpu, key};
	} finally {
		run.kill();
	}
}

const work = join(benchRoot(), 'builds');
try {
	const dir = generateNamed(10);
	const ids = Array.from({length: 10}, (_, index) => `bench-${String(index).padStart(4, '0')}`);
	const build = async (label, without) => {
		const outdir = join(work, label);
		await bundleCli({outdir, absWorkingDir: repo, plugins: [startupPatchesWithout(without)]});
		return join(outdir, 'cli.cjs');
	};
	const all = await build('all', []);
	const builds = [];
	for (const name of only) builds.push({name, cli: await build(`without-${name}`, [name])});

	for (const group of [false, true]) {
		const subjects = builds.filter(({name}) => inspectorPatches.has(name) === group);
		if (subjects.length === 0) continue;
		const measure = group ? (cli) => inspector(cli, dir, ids) : (cli) => plainStart(cli, dir);
		const samples = new Map([all, ...subjects.map(({cli}) => cli)].map((cli) => [cli, []]));
		process.stderr.write(`${group ? 'inspector' : 'plain start'}: ${runs} runs `);
		// Run 0 warms the page cache and is not counted.
		for (let run = 0; run <= runs; run++) {
			for (const cli of alternate(run, ...samples.keys())) {
				const result = await measure(cli);
				if (run > 0) samples.get(cli).push(result);
			}
			process.stderr.write('.');
		}
		process.stderr.write('\n');

		const base = samples.get(all);
		const metrics = group
			? [
					['first frame, wall', 'wall'],
					['first frame, CPU', 'cpu'],
					['↓ to its frame', 'key'],
				]
			: [
					['list --json, wall', 'wall'],
					['list --json, CPU', 'cpu'],
				];
		for (const [label, key] of metrics) {
			console.log(
				`with every patch, ${label}: median ${quartiles(base.map((r) => r[key]))[1].toFixed(1)} ms`,
			);
		}
		for (const {name, cli} of subjects) {
			const mine = samples.get(cli);
			for (const [label, key] of metrics) {
				const differences = mine.map((r, i) => r[key] - base[i][key]);
				console.log(`without ${name}, ${label}: ${show(quartiles(differences))}`);
			}
		}
	}
	console.log(`node ${process.version}; ${runs} runs, each measure in turn`);
} finally {
	rmSync(work, {recursive: true, force: true});
	removeGenerated();
	removeScratch();
}
