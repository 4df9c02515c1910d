// What a batch of store changes (keyspace events on Redis) costs the inspector's reducer at
// 100,000 and 1,000,000 rows: `entriesChanged` with batches of 1, 100 and 1,000 changes (adds,
// replacements and removals in equal parts), against the baseline of deriving the whole view
// again from the same rows (`withRows`: sort, filter, find the selection), alternating.
//
//   node bench/view-batches.mjs [--sizes 100000,1000000] [--runs N] [--source DIR] [--orders 1,4]
//
// --source bundles the reducer from another checkout (say, main before a change), so both sides
// of a change are measured by the same script. --orders: how many sort orders the list holds
// (1: as loaded; 4: after `s` cycled through every key, each one patched by a batch).
// No pty, no store: the reducer is bundled with esbuild and called in this process.
import {mkdtempSync, rmSync} from 'node:fs';
import {loadavg, tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {parseArgs} from 'node:util';
import {build} from 'esbuild';

const repo = dirname(dirname(fileURLToPath(import.meta.url)));
const {values: options} = parseArgs({
	options: {
		sizes: {type: 'string', default: '100000,1000000'},
		runs: {type: 'string', default: '5'},
		source: {type: 'string'},
		orders: {type: 'string', default: '1,4'},
		help: {type: 'boolean', short: 'h', default: false},
	},
});
if (options.help) {
	console.log(
		'usage: node bench/view-batches.mjs [--sizes 100000,1000000] [--runs N] [--source DIR] [--orders 1,4]',
	);
	process.exit(0);
}

const sizes = options.sizes.split(',').map(Number);
const runs = Number(options.runs);
const orderCounts = options.orders.split(',').map(Number);
const batchSizes = [1, 100, 1000];
const source = resolve(options.source ?? repo);

// The reducer, bundled as it is in the checkout at `source`.
const out = mkdtempSync(join(tmpdir(), 'stacktower-bench-view-'));
await build({
	absWorkingDir: source,
	entryPoints: {state: 'source/ui/state.ts', 'list-view': 'source/ui/list-view.ts'},
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	outdir: out,
	outExtension: {'.js': '.mjs'},
	logLevel: 'warning',
});
const {initialState, update} = await import(pathToFileURL(join(out, 'state.mjs')).href);
const {withRows} = await import(pathToFileURL(join(out, 'list-view.mjs')).href);
rmSync(out, {recursive: true, force: true});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-12-05T09:00:00Z');
const users = Array.from({length: 5000}, (_, i) => ({
	id: 100_000 + i,
	login: `user-${i}`,
	name: `User ${i}`,
	email: `user-${i}@example.com`,
	avatarUrl: `https://avatars.githubusercontent.com/u/${100_000 + i}`,
}));

// A deterministic stream of numbers in [0, 1) (mulberry32): every run builds the same sets.
function random(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

// As the Redis store hands them over: one in fifty without a user, expiring in 2 hours to 30
// days, expiry rounded to the second (ties), made up to a day before.
function entry(id, next) {
	const expiresAt = new Date(Math.round((NOW + 2 * HOUR + next() * 30 * DAY) / 1000) * 1000);
	const session = {
		id,
		accessToken: `gho_${id}TOKEN`,
		user: next() < 0.02 ? null : users[Math.floor(next() * users.length)],
		createdAt: new Date(NOW - Math.floor(next() * DAY)),
		expiresAt,
	};
	return {kind: 'session', id, session, location: `sessions:${id}`};
}

const idOf = (i) => `s${i.toString(36).padStart(8, '0')}`;

/** One batch of `size` changes: adds, replacements, removals in turn. */
function batch(entries, size, serial, next) {
	const changed = [];
	const removed = [];
	const taken = new Set();
	for (let i = 0; i < size; i++) {
		const kind = (serial + i) % 3;
		if (kind === 0) {
			changed.push(entry(`n${serial}-${i}`, next));
			continue;
		}

		let existing;
		do existing = entries[Math.floor(next() * entries.length)];
		while (taken.has(existing.id));
		taken.add(existing.id);
		if (kind === 1) changed.push(entry(existing.id, next));
		else removed.push(existing.id);
	}

	return {type: 'entriesChanged', changed, removed};
}

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const ms = (value) => (value < 10 ? value.toFixed(2) : value.toFixed(0));
const load = () =>
	loadavg()
		.map((value) => value.toFixed(2))
		.join(' ');

console.log(`source ${source}, node ${process.version}, load average ${load()}`);
console.log('| rows | orders held | batch | entriesChanged | baseline: withRows | ratio |');
console.log('|---|---|---|---|---|---|');
for (const size of sizes) {
	const next = random(size);
	const entries = Array.from({length: size}, (_, i) => entry(idOf(i), next));
	const cmd = (command) => ({type: 'command', command, now: NOW});
	for (const orders of orderCounts) {
		let state = update(initialState({height: 40}), {type: 'loaded', entries}).state;
		// `s` through every key and back to expiry: each order sorted once, then held.
		if (orders > 1) for (let i = 0; i < 4; i++) state = update(state, cmd('sort')).state;
		// The selection somewhere in the middle, as after paging.
		for (let i = 0; i < 20; i++) state = update(state, cmd('pageDown')).state;
		for (const count of batchSizes) {
			const subject = [];
			const baseline = [];
			// Run 0 warms up (not counted); each side goes first in turn.
			for (let run = 0; run <= runs; run++) {
				const action = batch(state.entries, count, run * count + size, next);
				let after;
				const timeSubject = () => {
					const start = performance.now();
					after = update(state, action).state;
					return performance.now() - start;
				};
				const timeBaseline = () => {
					const start = performance.now();
					withRows(state.list, after.list.rows);
					return performance.now() - start;
				};
				let s;
				let b;
				if (run % 2 === 0) {
					s = timeSubject();
					b = timeBaseline();
				} else {
					// The baseline needs the subject's rows: make them untimed first.
					after = update(state, action).state;
					b = timeBaseline();
					s = timeSubject();
				}

				if (run > 0) {
					subject.push(s);
					baseline.push(b);
				}

				state = after;
			}

			const a = median(subject);
			const z = median(baseline);
			console.log(
				`| ${size.toLocaleString('en')} | ${orders} | ${count} | ${ms(a)} ms | ${ms(z)} ms | ${(a / z).toFixed(3)}× |`,
			);
		}
	}
}

console.log(`load average at the end ${load()}`);
