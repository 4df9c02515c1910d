// The speed targets (BENCHMARKS.md says what each measures and why): each measurement runs
// whole processes several times, subject and baseline alternating in the same run (so machine
// load falls on both), and prints medians and their ratio against the target.
//
//   node bench/run.mjs [--quick] [--only list,cleanup,spawn,inspector,redis-cluster] [--runs N] [--verbose]
//   node bench/run.mjs redis-cluster        (the same as --only redis-cluster)
//
// --quick: fewer runs, no 100,000-session sets (the inspector runs on 10,000 instead), and the
// Redis Cluster holds 100,000 sessions instead of 1,000,000.
import {execFileSync} from 'node:child_process';
import {existsSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {cpus, loadavg, totalmem} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {build} from 'esbuild';
import {bundleOptions} from '../scripts/bundle-options.mjs';
import {benchRoot, expiredCount, generate, generateNamed, removeGenerated} from './generate.mjs';
import {alternate, median, removeScratch, rssMethod, runNode} from './processes.mjs';
import {numberPattern, PtyRun} from './pty.mjs';
import {measureRedisCluster} from './redis-cluster.mjs';
import {stopAllRedis} from './redis-servers.mjs';

const repo = dirname(dirname(fileURLToPath(import.meta.url)));
const here = (name) => join(repo, 'bench', name);
const node = process.execPath;

const {values: options, positionals} = parseArgs({
	options: {
		quick: {type: 'boolean', default: false},
		only: {type: 'string', multiple: true},
		runs: {type: 'string'},
		verbose: {type: 'boolean', short: 'v', default: false},
		keep: {type: 'boolean', default: false},
		cli: {type: 'string'},
		help: {type: 'boolean', short: 'h', default: false},
	},
	// Measurement names, as with --only: `npm run bench -- redis-cluster`.
	allowPositionals: true,
});
// --cli compares another build (say, before and after a change) against the same baselines.
const cli = options.cli ? resolve(options.cli) : join(repo, 'dist', 'cli.cjs');

const all = ['list', 'cleanup', 'spawn', 'inspector', 'redis-cluster'];
if (options.help) {
	console.log(
		`usage: node bench/run.mjs [--quick] [--only ${all.join(',')}] [--runs N] [--verbose] [--keep] [--cli dist/cli.cjs] [MEASUREMENT...]`,
	);
	process.exit(0);
}

const named = [...(options.only ?? []), ...positionals];
const only = (named.length > 0 ? named : all).flatMap((value) => value.split(','));
for (const name of only) {
	if (!all.includes(name)) {
		console.error(`unknown measurement ${JSON.stringify(name)}; expected one of ${all.join(', ')}`);
		process.exit(2);
	}
}

if (!existsSync(cli)) {
	console.error(`${cli} is missing: run \`npm run build\` first (\`npm run bench\` does).`);
	process.exit(1);
}

const quick = options.quick;
const runs = Number(options.runs ?? (quick ? 3 : 7));
if (!Number.isInteger(runs) || runs < 1) {
	console.error(`--runs takes a whole number of at least 1, not ${JSON.stringify(options.runs)}`);
	process.exit(2);
}

const sizes = quick ? [1000, 10_000] : [1000, 10_000, 100_000];
const inspectorSize = quick ? 10_000 : 100_000;
const inspectorRuns = quick ? 1 : 3;
const keyPresses = quick ? 10 : 30;
const clusterSize = quick ? 100_000 : 1_000_000;
// A listing of a million sessions takes seconds: at most 5 runs of each side.
const clusterRuns = Math.min(runs, 5);

/** One table row; `target` is {ratio} (subject ÷ baseline) or {max, unit} (absolute). */
const rows = [];
let failures = 0;
// Baseline 1's median wall time per size, which the inspector's full-list time is held to.
const baselineListMs = new Map();

function log(message) {
	if (options.verbose) console.error(message);
}

function progress(message) {
	process.stderr.write(`${message}\n`);
}

function samples(values, unit = 'ms') {
	return `${values.map((v) => (v === undefined ? '?' : `${Math.round(v)}`)).join(' ')} ${unit}`;
}

function failRow(measurement, size, error) {
	failures++;
	rows.push({measurement, size, error: String(error?.message ?? error).split('\n')[0]});
	progress(`  ${measurement} @ ${size}: FAILED: ${error?.stack ?? error}`);
}

// ---------------------------------------------------------------------------------------------
// 1. list --json against readdirSync + readFileSync + JSON.parse

async function measureList() {
	for (const size of sizes) {
		const dir = generate(size);
		const subject = [cli, 'list', '--json', '--dir', dir];
		const baseline = [here('baseline-list.mjs'), dir];
		progress(`list --json @ ${size}`);
		try {
			// Warm-up (not counted): the page cache, and a check the subject lists every session.
			await runNode(baseline);
			const check = await runNode(subject);
			if (check.code !== 0) throw new Error(`exit ${check.code}: ${check.stderr.trim()}`);
			const listed = JSON.parse(execFileSync(node, subject, {maxBuffer: 1 << 30}).toString());
			if (listed.length !== size) throw new Error(`listed ${listed.length} of ${size} sessions`);

			const s = {ms: [], rss: [], cpu: []};
			const b = {ms: [], rss: [], cpu: []};
			for (let run = 0; run < runs; run++) {
				const order = alternate(run, [subject, s], [baseline, b]);
				for (const [args, into] of order) {
					const result = await runNode(args);
					if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.stderr.trim()}`);
					into.ms.push(result.ms);
					into.rss.push(result.rssKiB);
					into.cpu.push(result.cpuMs);
				}
			}

			log(`  subject  ${samples(s.ms)}; cpu ${samples(s.cpu)}; ${samples(s.rss, 'KiB')}`);
			log(`  baseline ${samples(b.ms)}; cpu ${samples(b.cpu)}; ${samples(b.rss, 'KiB')}`);
			baselineListMs.set(size, median(b.ms));
			rows.push({
				measurement: '1. list --json, wall time',
				size,
				subject: median(s.ms),
				baseline: median(b.ms),
				unit: 'ms',
				target: size >= 10_000 ? {ratio: 1.15} : undefined,
			});
			rows.push({
				measurement: '1. list --json, peak RSS',
				size,
				subject: median(s.rss) / 1024,
				baseline: median(b.rss) / 1024,
				unit: 'MiB',
				target: {ratio: 1.5},
			});
		} catch (error) {
			failRow('1. list --json', size, error);
		}
	}
}

// ---------------------------------------------------------------------------------------------
// 2. cleanup on a fresh copy against the same plus unlinkSync of the expired

function remaining(dir) {
	return readdirSync(dir).filter((name) => name.endsWith('.json')).length;
}

async function measureCleanup() {
	for (const size of sizes) {
		const source = generate(size);
		const copy = join(benchRoot(), 'cleanup-copy');
		const expected = size - expiredCount(size);
		progress(`cleanup @ ${size}`);
		// A fresh copy of 100,000 files costs far more than the cleanup; fewer runs there.
		const cleanupRuns = size >= 100_000 ? Math.min(runs, 5) : runs;
		try {
			const s = {ms: [], cpu: []};
			const b = {ms: [], cpu: []};
			// Run 0 is a warm-up; each run gets a fresh copy, made outside the timing.
			for (let run = 0; run <= cleanupRuns; run++) {
				const order = alternate(
					run,
					[[cli, 'cleanup', '--dir', copy], s],
					[[here('baseline-cleanup.mjs'), copy], b],
				);
				for (const [args, into] of order) {
					rmSync(copy, {recursive: true, force: true});
					execFileSync('cp', ['-a', source, copy]);
					// Write the copy back now, or the timed unlinks queue behind its writeback.
					execFileSync('sync', ['-f', copy]);
					const result = await runNode(args);
					if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.stderr.trim()}`);
					const left = remaining(copy);
					if (left !== expected) {
						throw new Error(`${args[0]} left ${left} sessions, expected ${expected}`);
					}

					if (run > 0) {
						into.ms.push(result.ms);
						into.cpu.push(result.cpuMs);
					}
				}
			}

			rmSync(copy, {recursive: true, force: true});
			log(`  subject  ${samples(s.ms)}; cpu ${samples(s.cpu)}`);
			log(`  baseline ${samples(b.ms)}; cpu ${samples(b.cpu)}`);
			rows.push({
				measurement: '2. cleanup, wall time',
				size,
				subject: median(s.ms),
				baseline: median(b.ms),
				unit: 'ms',
				// The cleanup target names no size (list's names 10,000 and 100,000): every size.
				target: {ratio: 1.15},
			});
		} catch (error) {
			failRow('2. cleanup', size, error);
		}
	}
}

// ---------------------------------------------------------------------------------------------
// 3. spawn to the first frame showing the sessions, in a pty, against a one-line Ink app

/**
 * Bundles baseline-ink.mjs with scripts/build.mjs's options into one production file: stock Ink
 * (the target's baseline), or with `patched` also the CLI's start-up patches
 * (scripts/startup-patches.mjs), to show what they are worth to any Ink app.
 */
async function bundleBaselineInk({patched}) {
	const outdir = join(benchRoot(), patched ? 'baseline-ink-patched' : 'baseline-ink');
	await build({
		...bundleOptions,
		plugins: patched ? bundleOptions.plugins : [],
		entryPoints: {'baseline-ink': here('baseline-ink.mjs')},
		absWorkingDir: repo,
		outdir,
	});
	return join(outdir, 'baseline-ink.js');
}

/** ms from spawn to the first output that passes `test`, and the CPU ms used by then. */
async function timeFirstFrame(args, test, label) {
	const run = new PtyRun(node, args);
	try {
		const ms = await run.waitFor(test, {timeoutMs: 30_000, label});
		const cpu = run.cpuMs();
		const exit = await run.quit();
		if (exit.exitCode !== 0) throw new Error(`${label}: q exited with code ${exit.exitCode}`);
		return {ms, cpu};
	} finally {
		run.kill();
	}
}

async function measureSpawn() {
	const size = 10;
	progress(`spawn to first frame @ ${size}`);
	try {
		const stock = await bundleBaselineInk({patched: false});
		const patched = await bundleBaselineInk({patched: true});
		const dir = generateNamed(size);
		const ids = Array.from({length: size}, (_, index) => `bench-${String(index).padStart(4, '0')}`);
		const inkApp = (bundle) => () =>
			timeFirstFrame(
				[bundle],
				(text) => text.includes('stacktower bench baseline ready'),
				'the baseline line',
			);
		const subject = () =>
			timeFirstFrame(
				[cli, '--dir', dir],
				(text) => ids.every((id) => text.includes(id)),
				'all 10 session ids',
			);
		const s = {ms: [], cpu: []};
		const b = {ms: [], cpu: []};
		const p = {ms: [], cpu: []};
		for (let run = 0; run <= runs; run++) {
			const order = alternate(run, [subject, s], [inkApp(stock), b], [inkApp(patched), p]);
			for (const [measure, into] of order) {
				const {ms, cpu} = await measure();
				if (run > 0) {
					into.ms.push(ms);
					into.cpu.push(cpu);
				}
			}
		}

		log(`  subject  ${samples(s.ms)}; cpu by then ${samples(s.cpu)}`);
		log(`  baseline ${samples(b.ms)}; cpu by then ${samples(b.cpu)}`);
		log(`  patched baseline ${samples(p.ms)}; cpu by then ${samples(p.cpu)}`);
		rows.push({
			measurement: '3. spawn to first frame (pty)',
			size,
			subject: median(s.ms),
			baseline: median(b.ms),
			unit: 'ms',
			target: {ratio: 1.2},
		});
		rows.push({
			measurement: '3. same, baseline with the patches',
			size,
			subject: median(s.ms),
			baseline: median(p.ms),
			unit: 'ms',
		});
	} catch (error) {
		failRow('3. spawn to first frame', size, error);
	}
}

// ---------------------------------------------------------------------------------------------
// 4. the inspector on a large directory: progress, full list, ↓ latency, peak memory

async function measureInspector() {
	const size = inspectorSize;
	progress(`inspector @ ${size}`);
	try {
		const dir = generate(size);
		if (!baselineListMs.has(size)) {
			const ms = [];
			for (let run = 0; run <= runs; run++) {
				const result = await runNode([here('baseline-list.mjs'), dir]);
				if (run > 0) ms.push(result.ms);
			}

			baselineListMs.set(size, median(ms));
		}

		// The header's final counts: "66,667 active · 33,333 expired".
		const active = new RegExp(`(?<![\\d,.])${numberPattern(size - expiredCount(size))}\\s*active`);
		const expired = new RegExp(`(?<![\\d,.])${numberPattern(expiredCount(size))}\\s*expired`);
		const result = {progress: [], full: [], first: [], keys: [], rss: []};
		for (let run = 0; run < inspectorRuns; run++) {
			const pty = new PtyRun(node, [cli, '--dir', dir]);
			try {
				const shown = pty.waitFor((text) => /loading/i.test(text), {label: '"loading"'});
				shown.catch(() => {});
				const full = await pty.waitFor((text) => active.test(text) && expired.test(text), {
					timeoutMs: 120_000,
					label: `the final counts (${active.source}, ${expired.source})`,
				});
				// A list that is complete before any progress frame counts as shown in time.
				const progressMs = await Promise.race([shown, Promise.resolve(full)]);
				result.progress.push(Math.min(progressMs, full));
				result.first.push(pty.firstOutputAt);
				result.full.push(full);

				await pty.quiet(300);
				for (let press = 0; press < keyPresses; press++) {
					// Press only into a quiet screen, so the next output is this key's frame.
					await pty.quiet(80 + Math.random() * 40);
					result.keys.push(await pty.timeToNextOutput('\u001b[B'));
				}

				result.rss.push(pty.peakRssKiB());
				const exit = await pty.quit();
				if (exit.exitCode !== 0) throw new Error(`q exited with code ${exit.exitCode}`);
			} finally {
				pty.kill();
			}
		}

		log(`  first output ${samples(result.first)}`);
		log(`  progress     ${samples(result.progress)}`);
		log(
			`  full list    ${samples(result.full)} (baseline list ${Math.round(baselineListMs.get(size))} ms)`,
		);
		log(`  ↓ to frame   ${samples(result.keys)}`);
		log(`  peak RSS     ${samples(result.rss, 'KiB')}`);
		rows.push(
			{
				measurement: '4. inspector: progress visible',
				size,
				subject: median(result.progress),
				unit: 'ms',
				target: {max: 300},
			},
			{
				measurement: '4. inspector: full list vs baseline 1',
				size,
				subject: median(result.full),
				baseline: baselineListMs.get(size),
				unit: 'ms',
				// The 1.3× target is for 100,000; --quick's 10,000 is mostly start-up, so informative only.
				target: size >= 100_000 ? {ratio: 1.3} : undefined,
			},
			{
				measurement: '4. inspector: ↓ to next frame (median)',
				size,
				subject: median(result.keys),
				unit: 'ms',
				target: {max: 30},
			},
			{
				measurement: '4. inspector: peak RSS (VmHWM)',
				size,
				subject: median(result.rss) / 1024,
				unit: 'MiB',
				target: {max: 350},
			},
		);
	} catch (error) {
		failRow('4. inspector', size, error);
	}
}

// ---------------------------------------------------------------------------------------------
// 5. a Redis Cluster of 1,000,000 sessions: list --json against the raw client, the inspector

async function measureCluster() {
	try {
		rows.push(
			...(await measureRedisCluster({
				size: clusterSize,
				runs: clusterRuns,
				inspectorRuns,
				cli,
				runNode,
				log,
				progress,
			})),
		);
	} catch (error) {
		failRow('5. redis cluster', clusterSize, error);
	}
}

// ---------------------------------------------------------------------------------------------

function format(value, unit) {
	if (value === undefined) return '—';
	if (unit === 'ms')
		return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
	return `${value.toFixed(1)} ${unit}`;
}

/** Whether a row meets its target: true, false, or undefined when it has none. */
function meets(row) {
	if (row.error) return false;
	if (row.note) return undefined;
	if (row.target?.ratio) return row.subject / row.baseline <= row.target.ratio;
	if (row.target?.max) return row.subject <= row.target.max;
	return undefined;
}

function table() {
	const header = [
		'measurement',
		'size',
		'subject median',
		'baseline median',
		'ratio',
		'target',
		'ok',
	];
	const lines = rows.map((row) => {
		if (row.error || row.note) {
			return [
				row.measurement,
				row.size.toLocaleString('en'),
				row.note ?? `failed: ${row.error}`,
				'',
				'',
				'',
				row.note ? '—' : 'no',
			];
		}

		const ratio = row.baseline ? row.subject / row.baseline : undefined;
		let target = '—';
		if (row.target?.ratio) target = `≤ ${row.target.ratio}×`;
		else if (row.target?.max) target = `≤ ${format(row.target.max, row.unit)}`;
		const met = meets(row);
		const ok = met === undefined ? '—' : met ? 'yes' : 'no';

		return [
			row.measurement,
			row.size.toLocaleString('en'),
			format(row.subject, row.unit),
			format(row.baseline, row.unit),
			ratio === undefined ? '—' : `${ratio.toFixed(2)}×`,
			target,
			ok,
		];
	});
	const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i].length)));
	const line = (cells) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
	return [
		line(header),
		`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
		...lines.map(line),
	].join('\n');
}

function machine() {
	const cpuModel =
		/^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model;
	return [
		`node ${process.version}, ${cpus().length} CPUs (${cpuModel}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
		`load average ${loadavg()
			.map((l) => l.toFixed(2))
			.join(
				' ',
			)}; ${runs} runs per measurement${quick ? ' (--quick)' : ''}; peak RSS via ${rssMethod === 'time' ? '/usr/bin/time %M' : 'a --require preload (resourceUsage().maxRSS)'}`,
	].join('\n');
}

// Interrupted: still remove the generated directories (100,000 sessions are 400 MB).
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => {
		if (!options.keep) removeGenerated();
		removeScratch();
		stopAllRedis();
		process.exit(130);
	});
}

const started = performance.now();
const startLoad = loadavg()[0];
try {
	const measures = {
		list: measureList,
		cleanup: measureCleanup,
		spawn: measureSpawn,
		inspector: measureInspector,
		'redis-cluster': measureCluster,
	};
	for (const name of all) {
		if (only.includes(name)) await measures[name]();
	}
} finally {
	if (options.keep) {
		progress(`kept the generated sessions in ${benchRoot()}`);
	} else {
		removeGenerated();
	}

	removeScratch();
}

console.log(table());
const judged = rows.map(meets).filter((met) => met !== undefined);
console.log(`\n${judged.filter(Boolean).length} of ${judged.length} targets met`);
console.log(machine());
console.log(
	`took ${Math.round((performance.now() - started) / 1000)} s; load average at start ${startLoad.toFixed(2)}`,
);
process.exitCode = failures > 0 ? 1 : 0;
